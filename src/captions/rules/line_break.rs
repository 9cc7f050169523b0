//! Re-breaking cue text into lines that fit a profile: one line when it fits, else the break
//! that reads best: after punctuation, before a conjunction or preposition, never after an
//! article, with balanced lines and the longer one at the bottom. Breaks fall only on spaces
//! outside markup tags, so tags stay whole (and may span the break, as cue text allows).

use super::plain::plain_text;

/// Words a line may start with comfortably (the guides' "break before conjunctions and
/// prepositions").
const BREAK_BEFORE: &[&str] = &[
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "if", "when",
    "where", "that", "which", "who", "whom", "whose", "to", "of", "in", "on", "at", "for", "with",
    "from", "about", "into", "over", "under", "after", "before", "until", "than", "like",
    "without", "through",
];

/// Words a line must not end with: they belong to the noun after them.
const NEVER_AFTER: &[&str] = &[
    "a", "an", "the", "my", "your", "his", "her", "its", "our", "their", "this", "that", "mr.",
    "mrs.", "ms.", "dr.",
];

/// One space-separated word, markup included, and how many characters a reader sees.
struct Word<'a> {
    raw: &'a str,
    len: usize,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut in_tag = false;
    let mut start = None;
    for (i, c) in text.char_indices() {
        let sep = !in_tag && (c == ' ' || c == '\n');
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        if sep {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out.into_iter().map(|raw| Word { raw, len: plain_text(raw).chars().count() }).collect()
}

fn line_len(ws: &[Word]) -> usize {
    ws.iter().map(|w| w.len).sum::<usize>() + ws.len().saturating_sub(1)
}

fn join(ws: &[Word]) -> String {
    ws.iter().map(|w| w.raw).collect::<Vec<_>>().join(" ")
}

/// Lower-cased for the word lists, which are ASCII (so ASCII case is enough).
fn bare(w: &Word) -> String {
    plain_text(w.raw).to_ascii_lowercase()
}

/// Whether the plain lines of `text` fit `max_chars` × `max_lines`.
pub fn fits(text: &str, max_chars: Option<u32>, max_lines: Option<u32>) -> bool {
    let plain = plain_text(text);
    let lines: Vec<&str> = plain.split('\n').collect();
    max_lines.is_none_or(|m| lines.len() <= m as usize)
        && max_chars.is_none_or(|m| lines.iter().all(|l| l.chars().count() <= m as usize))
}

/// `text` broken to fit, or `None` when it cannot be done without changing meaning (a word
/// longer than a line, too much text, or dialogue lines that must stay apart).
pub fn rebreak(text: &str, max_chars: Option<u32>, max_lines: Option<u32>) -> Option<String> {
    let max_chars = max_chars.map_or(usize::MAX, |m| m as usize);
    let max_lines = max_lines.map_or(usize::MAX, |m| m as usize).max(1);
    let plain = plain_text(text);
    // Dialogue: each speaker's line starts with a dash; joining them would merge speakers.
    if plain.lines().count() > 1 && plain.lines().any(|l| l.trim_start().starts_with('-')) {
        return None;
    }
    // More characters than every line can hold cannot fit however it is broken: said before
    // splitting into words, which for a megabyte-long line would cost many times its size.
    let visible = plain.chars().filter(|&c| c != ' ' && c != '\n').count();
    if visible > max_chars.saturating_mul(max_lines) {
        return None;
    }
    drop(plain);
    let ws = words(text);
    if ws.is_empty() || ws.iter().any(|w| w.len > max_chars) {
        return None;
    }
    if line_len(&ws) <= max_chars {
        return Some(join(&ws));
    }
    if max_lines < 2 {
        return None;
    }
    // Prefix sums of word lengths, so that each break is weighed in constant time.
    let mut sums = vec![0usize; ws.len() + 1];
    for (k, w) in ws.iter().enumerate() {
        sums[k + 1] = sums[k] + w.len;
    }
    let total = line_len(&ws);
    let top = |k: usize| sums[k] + k - 1;
    let bottom = |k: usize| total - top(k) - 1;
    let best =
        (1..ws.len()).filter(|&k| top(k) <= max_chars && bottom(k) <= max_chars).min_by_key(|&k| {
            let (a, b) = (top(k) as i64, bottom(k) as i64);
            let last = bare(&ws[k - 1]);
            let next = bare(&ws[k]);
            let mut cost = (a - b).abs();
            if a > b {
                cost += 3; // bottom-heavy reads better
            }
            if last.ends_with(['.', ',', ';', ':', '!', '?']) {
                cost -= 20;
            } else if BREAK_BEFORE.contains(&next.trim_matches(|c: char| !c.is_alphanumeric())) {
                cost -= 8;
            }
            if NEVER_AFTER.contains(&last.as_str()) {
                cost += 40;
            }
            (cost, k)
        });
    if let Some(k) = best {
        return Some(format!("{}\n{}", join(&ws[..k]), join(&ws[k..])));
    }
    // More than two lines allowed: fill greedily.
    let mut lines: Vec<Vec<Word>> = vec![Vec::new()];
    let mut cur_len = 0;
    for w in ws {
        let cur = lines.last_mut()?;
        if !cur.is_empty() && cur_len + 1 + w.len > max_chars {
            cur_len = w.len;
            lines.push(vec![w]);
        } else {
            cur_len += if cur.is_empty() { w.len } else { w.len + 1 };
            cur.push(w);
        }
    }
    (lines.len() <= max_lines).then(|| lines.iter().map(|l| join(l)).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prefers_punctuation_then_conjunctions() {
        let t = "I told you already, we are not going to the party tonight";
        assert_eq!(
            rebreak(t, Some(42), Some(2)).unwrap(),
            "I told you already,\nwe are not going to the party tonight"
        );
        let t = "We walked all the way home and nobody ever noticed anything";
        assert_eq!(
            rebreak(t, Some(42), Some(2)).unwrap(),
            "We walked all the way home\nand nobody ever noticed anything"
        );
    }

    #[test]
    fn keeps_short_text_on_one_line_and_tags_whole() {
        assert_eq!(rebreak("Hello\nthere", Some(42), Some(2)).unwrap(), "Hello there");
        let t = "<i>This whole sentence is in italics and rather long</i> <v Bob Smith>indeed</v>";
        let out = rebreak(t, Some(42), Some(2)).unwrap();
        assert!(fits(&out, Some(42), Some(2)), "{out}");
        assert_eq!(out.replace('\n', " "), t);
        assert!(!out.contains("<v Bob\n"), "{out}");
    }

    #[test]
    fn refuses_too_much_text_before_splitting_it() {
        // 84 visible characters fit 42 × 2; 85 cannot, whatever the breaks.
        let fits_exactly = format!("{} {}", "a".repeat(42), "b".repeat(42));
        assert!(rebreak(&fits_exactly, Some(42), Some(2)).is_some());
        let one_more = format!("{} {} c", "a".repeat(42), "b".repeat(42));
        assert_eq!(rebreak(&one_more, Some(42), Some(2)), None);
    }

    #[test]
    fn refuses_what_cannot_fit() {
        assert_eq!(rebreak("- Hi.\n- Hello there.", Some(5), Some(2)), None);
        assert_eq!(rebreak("supercalifragilistic", Some(10), Some(2)), None);
        assert_eq!(rebreak("one two three four five six", Some(9), Some(2)), None);
        assert_eq!(
            rebreak("one two three four five six", Some(9), Some(4)).unwrap(),
            "one two\nthree\nfour five\nsix"
        );
    }

    proptest! {
        #[test]
        fn result_fits_and_keeps_the_words(ws in prop::collection::vec("[a-z]{1,9}[,.]?", 1..20), max in 10u32..45) {
            let text = ws.join(" ");
            if let Some(out) = rebreak(&text, Some(max), Some(2)) {
                prop_assert!(fits(&out, Some(max), Some(2)));
                prop_assert_eq!(out.replace('\n', " "), text.clone());
                // Idempotent: a text that fits is kept as broken.
                prop_assert_eq!(rebreak(&out, Some(max), Some(2)), Some(out.clone()));
            }
        }

        #[test]
        fn never_panics(s in "\\PC*", max in 0u32..50, lines in 0u32..4) {
            let _ = rebreak(&s, Some(max), Some(lines));
        }
    }
}
