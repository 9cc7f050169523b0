//! The SRT writer: numbered cues, comma milliseconds, `<i> <b> <u>` and plain text; everything
//! else WebVTT can say is dropped with a diagnostic.

use super::text::convert_text;
use super::timing::parse_timing;
use super::{is_blank, Diagnostic, Report};
use crate::captions::model::{Captions, CueSettings};
use crate::captions::rules::plain::encode_entities;
use crate::captions::rules::plain::{tokens, Token};
use crate::time::{Rounding, Time};

/// Writes SRT, numbering cues from 1, and reports what SRT cannot hold.
pub fn write_srt(captions: &Captions) -> (String, Vec<Diagnostic>) {
    let mut out = String::new();
    let mut diags = Vec::new();
    let mut line = 1usize;
    let mut warn = |line: usize, code: &'static str, message: String| {
        diags.push(Diagnostic { line, column: 1, code, message });
    };
    if !captions.regions.is_empty() {
        warn(1, "SRT_UNSUPPORTED", format!("{} region(s) dropped", captions.regions.len()));
    }
    if !captions.blocks.is_empty() {
        warn(
            1,
            "SRT_UNSUPPORTED",
            format!("{} STYLE/NOTE block(s) dropped", captions.blocks.len()),
        );
    }
    if !captions.header.trim().is_empty() {
        warn(1, "SRT_UNSUPPORTED", "WebVTT header text dropped".into());
    }
    for (k, cue) in captions.cues.iter().enumerate() {
        let number_line = line;
        if !cue.id.is_empty() {
            warn(
                line,
                "SRT_UNSUPPORTED",
                format!("cue id `{}` dropped (SRT numbers cues)", cue.id),
            );
        }
        if cue.settings != CueSettings::default() {
            warn(
                line,
                "SRT_UNSUPPORTED",
                "cue settings (position, alignment, region) dropped".into(),
            );
        }
        let start = stamp(cue.start, line + 1, &mut warn);
        let end = stamp(cue.end, line + 1, &mut warn);
        out.push_str(&format!("{}\n{start} --> {end}\n", k + 1));
        line += 2;
        let (text, notes) = cue_text_to_srt(&cue.text);
        // Line for line what the reader should give back (both split where the cue text does).
        let canonical = canonical_text(&cue.text);
        let mut expected = canonical.split(['\n', '\r']);
        for n in notes {
            warn(number_line, "SRT_UNSUPPORTED", n);
        }
        for l in text.split(['\n', '\r']) {
            let expected = expected.next().unwrap_or_default();
            if is_blank(l) {
                if !text.is_empty() {
                    warn(
                        line,
                        "SRT_UNSUPPORTED",
                        "blank line inside cue text dropped (it would end the cue)".into(),
                    );
                }
                continue;
            }
            if parse_timing(l).is_some() {
                // SRT has no escaping: such a line will be read back as the start of a new cue.
                warn(line, "SRT_AMBIGUOUS_TEXT", format!("text line `{l}` reads as a timing line"));
            } else if let Some(back) = reads_back_otherwise(l, expected) {
                warn(line, "SRT_AMBIGUOUS_TEXT", format!("text line `{l}` reads back as `{back}`"));
            }
            out.push_str(l);
            out.push('\n');
            line += 1;
        }
        out.push('\n');
        line += 1;
    }
    (out, diags)
}

/// `hh:mm:ss,mmm`, rounding to the millisecond (with a diagnostic when that changes the time).
fn stamp(t: Time, line: usize, warn: &mut impl FnMut(usize, &'static str, String)) -> String {
    let mut ms = t.millis(Rounding::Nearest);
    if Time::from_millis(ms) != t {
        warn(line, "SRT_TIME_ROUNDED", format!("{t} rounded to whole milliseconds"));
    }
    if ms < 0 {
        warn(line, "SRT_UNSUPPORTED", format!("negative time {t} written as 0"));
        ms = 0;
    }
    format!("{:02}:{:02}:{:02},{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Cue text to SRT text: `<i> <b> <u>` kept (classes dropped), other markup dropped, entities
/// decoded (SRT has none). Returns the notes on what was dropped.
fn cue_text_to_srt(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut notes: Vec<String> = Vec::new();
    let mut note = |n: String| {
        if !notes.contains(&n) {
            notes.push(n);
        }
    };
    for t in tokens(text) {
        match t {
            Token::Text(s) => out.push_str(&s),
            Token::Tag { inner, name, closing } => match name {
                "i" | "b" | "u" => {
                    if inner.trim_start_matches('/') != name {
                        note(format!("class or annotation of <{inner}> dropped"));
                    }
                    out.push('<');
                    if closing {
                        out.push('/');
                    }
                    out.push_str(name);
                    out.push('>');
                }
                n if n.starts_with(|c: char| c.is_ascii_digit()) => {
                    note("timestamp tags dropped".into())
                }
                "v" => note("voice markup dropped".into()),
                "c" => note("class markup dropped".into()),
                "lang" => note("language markup dropped".into()),
                "ruby" | "rt" => note("ruby markup dropped".into()),
                _ => note(format!("<{inner}> dropped")),
            },
        }
    }
    (out, notes)
}

/// Cue text as a round trip through SRT keeps it, when nothing is ambiguous.
fn canonical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for t in tokens(text) {
        match t {
            Token::Text(s) => out.push_str(&encode_entities(&s)),
            Token::Tag { name: name @ ("i" | "b" | "u"), closing, .. } => {
                out.push('<');
                if closing {
                    out.push('/');
                }
                out.push_str(name);
                out.push('>');
            }
            Token::Tag { .. } => {}
        }
    }
    out
}

/// SRT has no escaping, so text that spells markup (`<i>`, `<br>`, `{\an8}`) is read back as
/// markup. Reads the written line as the reader would; `Some(what it reads as)` when that is not
/// the text the cue holds.
fn reads_back_otherwise(written: &str, expected: &str) -> Option<String> {
    let mut report = Report { strict: false, diags: Vec::new() };
    let back = convert_text(written, 1, &mut report).ok()?;
    let back: Vec<&str> = back.split('\n').filter(|l| !is_blank(l)).collect();
    let back = back.join("\n");
    (back != expected).then_some(back)
}
