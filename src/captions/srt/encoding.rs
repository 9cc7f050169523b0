//! The bytes of an SRT file as text: SRT predates UTF-8 everywhere, so besides UTF-8 this
//! reads UTF-16 with a byte-order mark and falls back to Windows-1252, saying so.

use super::{parse_srt, Diagnostic, Report, SrtError, SrtOptions};
use crate::captions::model::Captions;

/// Parses SRT from bytes as files come: UTF-8 (with or without BOM), UTF-16 with a BOM, or,
/// when the bytes are not UTF-8, Windows-1252 (what most old SRT files are), reported as
/// `SRT_ENCODING` at 1:1.
pub fn parse_srt_bytes(
    bytes: &[u8],
    opts: SrtOptions,
) -> Result<(Captions, Vec<Diagnostic>), SrtError> {
    let (text, note) = decode(bytes);
    let mut report = Report { strict: opts.strict, diags: Vec::new() };
    if let Some(n) = note {
        report.repair(1, 1, "SRT_ENCODING", n)?;
    }
    let (caps, diags) = parse_srt(&text, opts)?;
    report.diags.extend(diags);
    Ok((caps, report.diags))
}

/// Bytes to text, and a note when they were not UTF-8. UTF-8 (the usual case) is borrowed, not
/// copied: a large file is held once.
fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<String>) {
    let utf16 = |le: bool| {
        let units = bytes.get(2..).unwrap_or(&[]).chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect::<String>()
    };
    match bytes {
        [0xff, 0xfe, ..] => return (utf16(true).into(), None),
        [0xfe, 0xff, ..] => return (utf16(false).into(), None),
        _ => {}
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.into(), None),
        Err(e) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            (
                text.into(),
                Some(format!("not UTF-8 (byte {} is not); read as Windows-1252", e.valid_up_to())),
            )
        }
    }
}

/// One Windows-1252 byte as a char: Latin-1, except 0x80-0x9F, which hold typographic marks.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20ac}', '\u{fffd}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02c6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{fffd}',
        '\u{017d}', '\u{fffd}', '\u{fffd}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02dc}', '\u{2122}', '\u{0161}', '\u{203a}',
        '\u{0153}', '\u{fffd}', '\u{017e}', '\u{0178}',
    ];
    match b {
        0x80..=0x9f => HIGH.get((b - 0x80) as usize).copied().unwrap_or('\u{fffd}'),
        _ => b as char,
    }
}
