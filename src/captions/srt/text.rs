//! SRT text lines as WebVTT cue text. `<i> <b> <u>` are kept; the formatting tags SRT players
//! interpret and hide (`<font>`, `<s>`, `<span>`) and `{\an8}`-style ASS overrides are dropped
//! with a diagnostic, since WebVTT has no colour markup without a STYLE sheet we would have to
//! invent; `<br>` becomes a line break. Anything else in angle brackets is dialogue
//! (`He said <sighs> fine`), kept as text, as ffmpeg shows it. `& < >` are written as entities so
//! the result is valid cue text.

use super::{Report, SrtError};
use crate::captions::rules::plain::encode_entities;

/// What the reader does with a tag, by its lower-case name.
enum TagRule {
    /// Kept as WebVTT markup.
    Keep,
    /// Formatting players hide: dropped, with this diagnostic code.
    Drop(&'static str),
    /// A line break.
    Break,
    /// Not markup SRT players know: the text stays.
    Text,
}

fn rule(name: &str) -> TagRule {
    match name {
        "i" | "b" | "u" => TagRule::Keep,
        "font" => TagRule::Drop("SRT_FONT_TAG"),
        "s" | "span" => TagRule::Drop("SRT_UNKNOWN_TAG"),
        "br" => TagRule::Break,
        _ => TagRule::Text,
    }
}

/// One SRT text line as WebVTT cue text (which may hold `\n` where the line had a `<br>`).
pub(super) fn convert_text(
    line: &str,
    line_no: usize,
    report: &mut Report,
) -> Result<String, SrtError> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut column = 1;
    // The next `>` at or after the reading position (absolute), found once and reused until
    // passed: a tag kept as text does not consume its `>`, and searching again from every `<`
    // would be quadratic on a line like `<a<a<a…>`. A failed search for `}` is remembered too.
    let mut next_gt: Option<Option<usize>> = None;
    let mut no_brace = false;
    while let Some(c) = rest.chars().next() {
        let at = line.len() - rest.len();
        if c == '<' {
            let body = &rest[1..];
            let starts_tag = body.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
            if next_gt.is_some_and(|g| g.is_some_and(|g| g < at)) {
                next_gt = None;
            }
            let close = if starts_tag {
                next_gt
                    .get_or_insert_with(|| line[at..].find('>').map(|g| g + at))
                    .map(|g| g - at - 1)
            } else {
                None
            };
            if let Some(e) = close {
                let inner = &body[..e];
                // `<a<b>` is not a tag but text with a `<` in it: a tag holds no `<`. (The
                // search stops at the next `<`, so all of them together read the line once.)
                let is_tag = body.find('<').is_none_or(|lt| lt > e);
                let closing = inner.starts_with('/');
                let bare = inner.trim_start_matches('/').trim();
                let name_end =
                    bare.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(bare.len());
                let name = bare[..name_end].to_ascii_lowercase();
                let handled = match if is_tag { rule(&name) } else { TagRule::Text } {
                    TagRule::Keep => {
                        if name_end != bare.len() {
                            report.repair(
                                line_no,
                                column,
                                "SRT_UNKNOWN_TAG",
                                format!("attributes of <{inner}> dropped"),
                            )?;
                        }
                        out.push('<');
                        if closing {
                            out.push('/');
                        }
                        out.push_str(&name);
                        out.push('>');
                        true
                    }
                    TagRule::Drop(code) => {
                        report.repair(line_no, column, code, format!("<{inner}> dropped"))?;
                        true
                    }
                    TagRule::Break => {
                        out.push('\n');
                        true
                    }
                    TagRule::Text => {
                        if is_tag {
                            report.repair(
                                line_no,
                                column,
                                "SRT_UNKNOWN_TAG",
                                format!("<{inner}> is not SRT markup; kept as text"),
                            )?;
                        }
                        false
                    }
                };
                if handled {
                    step(&mut rest, &mut column, e + 2);
                    continue;
                }
            }
        }
        if c == '{' && !no_brace && rest[1..].starts_with('\\') {
            let close = rest.find('}');
            no_brace = close.is_none();
            if let Some(e) = close {
                report.repair(
                    line_no,
                    column,
                    "SRT_ASS_TAG",
                    format!("`{}` dropped", &rest[..=e]),
                )?;
                step(&mut rest, &mut column, e + 1);
                continue;
            }
        }
        let mut buf = [0u8; 4];
        out.push_str(&encode_entities(c.encode_utf8(&mut buf)));
        step(&mut rest, &mut column, c.len_utf8());
    }
    Ok(out)
}

/// Moves `rest` on by `bytes` (a char boundary), keeping the 1-based character column.
fn step(rest: &mut &str, column: &mut usize, bytes: usize) {
    let (done, more) = rest.split_at(bytes.min(rest.len()));
    *column += done.chars().count();
    *rest = more;
}
