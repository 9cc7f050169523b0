//! HTML character references as the WebVTT cue text tokenizer consumes them: named references
//! (the full WHATWG table, with the legacy names that match without `;`) and numeric ones, with the
//! HTML rules for replacement characters and the Windows-1252 remapping of C1 controls.

#[path = "entities_data.rs"]
mod data;

/// The longest name in the table (`CounterClockwiseContourIntegral`), bounding the look-ahead.
const MAX_NAME: usize = 31;

/// The start offset of each name in `data::NAMES` (and the end of the last), rebuilt once from
/// the lengths: the table ships lengths because they compress far better than offsets.
fn offsets() -> &'static [u16] {
    static OFFSETS: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    OFFSETS.get_or_init(|| {
        let mut at = 0u16;
        let mut v = Vec::with_capacity(data::LENS.len() + 1);
        v.push(0);
        for &len in &data::LENS {
            at += len as u16;
            v.push(at);
        }
        v
    })
}

/// Looks `name` (without `;`) up in the table: its code points and whether it also matches
/// without a `;`.
fn lookup(name: &[u8]) -> Option<(char, Option<char>, bool)> {
    let offsets = offsets();
    let names = data::NAMES.as_bytes();
    let (mut lo, mut hi) = (0usize, data::LENS.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let entry = names.get(offsets[mid] as usize..offsets[mid + 1] as usize)?;
        match entry.cmp(name) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(entry_value(mid)),
        }
    }
    None
}

fn entry_value(i: usize) -> (char, Option<char>, bool) {
    let v = data::VALUES[i] as u32;
    let first = match v {
        0xD800..=0xDFFF => data::ASTRAL.get((v - 0xD800) as usize).copied().unwrap_or(0xFFFD),
        v => v,
    };
    let i16 = i as u16;
    let second = data::TWO
        .binary_search_by_key(&i16, |&(idx, _)| idx)
        .ok()
        .and_then(|k| char::from_u32(data::TWO[k].1 as u32));
    let legacy = data::LEGACY.binary_search(&i16).is_ok();
    (char::from_u32(first).unwrap_or('\u{FFFD}'), second, legacy)
}

/// Attempts to "consume a character reference" (HTML) in `s`, whose byte `at` follows the `&`.
/// On success appends the decoded characters to `out` and returns the byte offset after the
/// reference; returns `None` (consuming nothing) when there is no reference, and the caller then
/// keeps the `&` as text. `additional` is the "additional allowed character" (`>` in annotations).
pub fn consume(s: &str, at: usize, additional: Option<u8>, out: &mut String) -> Option<usize> {
    let b = s.as_bytes();
    let c = *b.get(at)?;
    if matches!(c, b'\t' | b'\n' | b'\x0c' | b' ' | b'<' | b'&') || Some(c) == additional {
        return None;
    }
    if c == b'#' {
        return numeric(b, at + 1, out);
    }
    // The maximal match: a name followed by `;` when the whole alphanumeric run is a name and a
    // `;` follows it; otherwise the longest prefix of the run that is a legacy (no-`;`) name.
    let run = b[at..].iter().take(MAX_NAME + 1).take_while(|c| c.is_ascii_alphanumeric()).count();
    if run == 0 {
        return None;
    }
    if b.get(at + run) == Some(&b';') {
        if let Some((first, second, _)) = lookup(&b[at..at + run]) {
            out.push(first);
            out.extend(second);
            return Some(at + run + 1);
        }
    }
    // Legacy names are at most six bytes long.
    for len in (1..=run.min(6)).rev() {
        if let Some((first, second, true)) = lookup(&b[at..at + len]) {
            out.push(first);
            out.extend(second);
            return Some(at + len);
        }
    }
    None
}

/// `&#…`: `at` is just after the `#`.
fn numeric(b: &[u8], at: usize, out: &mut String) -> Option<usize> {
    let (hex, digits_at) = match b.get(at) {
        Some(b'x' | b'X') => (true, at + 1),
        _ => (false, at),
    };
    let radix = if hex { 16 } else { 10 };
    let mut value: u32 = 0;
    let mut end = digits_at;
    while let Some(d) = b.get(end).and_then(|&c| (c as char).to_digit(radix)) {
        // Saturate past the Unicode range: any such value is replaced by U+FFFD below.
        value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
        end += 1;
    }
    if end == digits_at {
        return None;
    }
    if b.get(end) == Some(&b';') {
        end += 1;
    }
    out.push(numeric_char(value));
    Some(end)
}

/// The character a numeric reference stands for, after HTML's replacements.
fn numeric_char(value: u32) -> char {
    const C1: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0 => 0xFFFD,
        0x80..=0x9F => C1[(value - 0x80) as usize] as u32,
        v => v,
    };
    char::from_u32(value).unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> (String, usize) {
        let mut out = String::new();
        let end = consume(s, 0, None, &mut out).unwrap_or(0);
        (out, end)
    }

    #[test]
    fn table_is_sorted_and_complete() {
        let offsets = offsets();
        let names = data::NAMES.as_bytes();
        assert_eq!(*offsets.last().unwrap() as usize, names.len());
        let mut prev: &[u8] = &[];
        let mut legacy = 0;
        for i in 0..data::LENS.len() {
            let name = &names[offsets[i] as usize..offsets[i + 1] as usize];
            assert!(prev < name, "not sorted at {i}");
            assert!(name.len() <= MAX_NAME);
            let (first, _, is_legacy) = lookup(name).expect("every name is found");
            assert_ne!(first, '\u{FFFD}', "{}", String::from_utf8_lossy(name));
            legacy += is_legacy as usize;
            prev = name;
        }
        // The WHATWG table: 2,125 names with `;` plus 106 legacy forms without it.
        assert_eq!(data::LENS.len() + legacy, 2231);
        assert!(
            data::TWO.windows(2).all(|w| w[0].0 < w[1].0)
                && data::LEGACY.windows(2).all(|w| w[0] < w[1])
        );
    }

    #[test]
    fn named_and_numeric() {
        assert_eq!(decode("amp;x"), ("&".into(), 4));
        assert_eq!(decode("ampx"), ("&".into(), 3));
        assert_eq!(decode("notit;"), ("¬".into(), 3));
        assert_eq!(decode("notin;"), ("∉".into(), 6));
        assert_eq!(decode("nsubE;"), ("\u{2AC5}\u{338}".into(), 6));
        assert_eq!(decode("Afr;"), ("\u{1D504}".into(), 4));
        assert_eq!(decode("zwnj;"), ("\u{200C}".into(), 5));
        assert_eq!(decode("AElig"), ("Æ".into(), 5));
        assert_eq!(decode("#x20;"), (" ".into(), 5));
        assert_eq!(decode("#32"), (" ".into(), 3));
        assert_eq!(decode("#128;"), ("€".into(), 5));
        assert_eq!(decode("#0;"), ("\u{FFFD}".into(), 3));
        assert_eq!(decode("#xD800;"), ("\u{FFFD}".into(), 7));
        assert_eq!(decode("#99999999999;"), ("\u{FFFD}".into(), 13));
        assert_eq!(decode("#;"), (String::new(), 0));
        assert_eq!(decode("1;"), (String::new(), 0));
        assert_eq!(decode("zzz;"), (String::new(), 0));
    }
}
