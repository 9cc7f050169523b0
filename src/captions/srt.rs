//! SubRip (SRT): a lenient reader for the files people really have, and a writer.
//!
//! The reader repairs what it can and reports every repair as a [`Diagnostic`]; in strict mode
//! the first repair is an [`SrtError`] instead. Cue text becomes WebVTT cue text: `<i> <b> <u>`
//! are kept, `<font …>` and other HTML-like tags and `{\an8}`-style ASS overrides are dropped
//! (WebVTT has no colour markup without a STYLE sheet we would have to invent), and `& < >` are
//! written as entities so the text is valid cue text. SRT cue numbers are not kept as cue ids:
//! they are positions, and the writer renumbers. The writer and the byte decoding (UTF-16,
//! Windows-1252) live in the submodules `write` and `encoding`.

mod encoding;
mod write;

pub use encoding::parse_srt_bytes;
pub use write::write_srt;

use super::model::{Captions, Cue};
use super::rules::plain::encode_entities;
use crate::time::Time;
use serde::Serialize;

/// Something the reader repaired or the writer could not express, with where it happened
/// (1-based line and column; the writer reports output lines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    /// A stable code: `SRT_CUE_NUMBER`, `SRT_TIMESTAMP_FORM`, … (see [`DIAGNOSTIC_CODES`]).
    pub code: &'static str,
    pub message: String,
}

/// Every diagnostic code this module emits; overlaps are reported but are not repairs.
pub const DIAGNOSTIC_CODES: &[&str] = &[
    "SRT_CUE_NUMBER",
    "SRT_MISSING_BLANK_LINE",
    "SRT_TIMESTAMP_FORM",
    "SRT_TIMING_EXTRA",
    "SRT_BAD_TIMING",
    "SRT_EMPTY_TIMING",
    "SRT_STRAY_TEXT",
    "SRT_FONT_TAG",
    "SRT_UNKNOWN_TAG",
    "SRT_ASS_TAG",
    "SRT_OVERLAP",
    "SRT_ENCODING",
    // Writer only:
    "SRT_UNSUPPORTED",
    "SRT_TIME_ROUNDED",
    "SRT_AMBIGUOUS_TEXT",
];

/// Why an SRT file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SrtError {
    #[error(
        "{line}:{column}: no SRT cue found (expected a line like `00:00:01,000 --> 00:00:02,000`)"
    )]
    NoCues { line: usize, column: usize },
    #[error("{line}:{column}: bad timestamp: {message}")]
    Timestamp { line: usize, column: usize, message: String },
    /// Strict mode: a repair the lenient reader would have made.
    #[error("{line}:{column}: {message} ({diagnostic})")]
    Strict { line: usize, column: usize, diagnostic: &'static str, message: String },
}

impl crate::error::Coded for SrtError {
    fn code(&self) -> &'static str {
        match self {
            SrtError::NoCues { .. } => "ERR_SRT_NO_CUES",
            SrtError::Timestamp { .. } => "ERR_SRT_TIMESTAMP",
            SrtError::Strict { .. } => "ERR_SRT_STRICT",
        }
    }
}

/// Reader options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SrtOptions {
    /// Refuse the file at the first repair instead of reporting it.
    pub strict: bool,
}

/// Collects diagnostics; in strict mode the first repair becomes the error.
pub(super) struct Report {
    pub(super) strict: bool,
    pub(super) diags: Vec<Diagnostic>,
}

impl Report {
    pub(super) fn repair(
        &mut self,
        line: usize,
        column: usize,
        code: &'static str,
        message: String,
    ) -> Result<(), SrtError> {
        if self.strict && code != "SRT_OVERLAP" {
            if code == "SRT_BAD_TIMING" {
                return Err(SrtError::Timestamp { line, column, message });
            }
            return Err(SrtError::Strict { line, column, diagnostic: code, message });
        }
        self.diags.push(Diagnostic { line, column, code, message });
        Ok(())
    }
}

/// A parsed timing line.
pub(super) struct Timing {
    start: Time,
    end: Time,
    /// Repairs needed to read it: (column, code, message).
    notes: Vec<(usize, &'static str, String)>,
}

/// Parses an SRT document. See the module docs for what is repaired.
pub fn parse_srt(text: &str, opts: SrtOptions) -> Result<(Captions, Vec<Diagnostic>), SrtError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    let mut report = Report { strict: opts.strict, diags: Vec::new() };
    let mut cues: Vec<Cue> = Vec::new();
    // The cue being read: (cue, its text lines).
    let mut current: Option<(Cue, Vec<String>)> = None;
    let mut skipping = false;
    let mut latest_end: Option<Time> = None;
    // Checked against the previous number, not the cue count, so that one gap or a file
    // numbered from 0 gives one diagnostic rather than one per cue.
    let mut next_number: u64 = 1;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let line_no = i + 1;
        if is_blank(line) {
            if let Some((cue, text)) = current.take() {
                cues.push(finish(cue, text));
            }
            skipping = false;
            i += 1;
            continue;
        }
        if skipping {
            i += 1;
            continue;
        }
        if let Some((number, timing_at, timing)) = header_at(&lines, i) {
            if let Some((cue, text)) = current.take() {
                report.repair(
                    line_no,
                    1,
                    "SRT_MISSING_BLANK_LINE",
                    "no blank line before this cue".into(),
                )?;
                cues.push(finish(cue, text));
            }
            let expected = next_number;
            match number {
                Some(n) if n == expected => {}
                Some(n) => report.repair(
                    line_no,
                    1,
                    "SRT_CUE_NUMBER",
                    format!("cue number {n}, expected {expected}"),
                )?,
                None => report.repair(
                    line_no,
                    1,
                    "SRT_CUE_NUMBER",
                    format!("cue number {expected} is missing"),
                )?,
            }
            next_number = number.unwrap_or(expected).saturating_add(1);
            for (column, code, message) in timing.notes {
                report.repair(timing_at + 1, column, code, message)?;
            }
            if timing.end <= timing.start {
                report.repair(
                    timing_at + 1,
                    1,
                    "SRT_EMPTY_TIMING",
                    format!(
                        "cue ends ({}) before or when it starts ({}); dropped",
                        timing.end, timing.start
                    ),
                )?;
                skipping = true;
                i = timing_at + 1;
                continue;
            }
            if let Some(prev_end) = latest_end {
                if timing.start < prev_end {
                    report.repair(
                        timing_at + 1,
                        1,
                        "SRT_OVERLAP",
                        format!(
                            "cue starts at {} before an earlier cue ends at {prev_end}",
                            timing.start
                        ),
                    )?;
                }
            }
            latest_end = Some(latest_end.map_or(timing.end, |e| e.max(timing.end)));
            current = Some((Cue::new(timing.start, timing.end, String::new()), Vec::new()));
            i = timing_at + 1;
            continue;
        }
        // Not a header: cue text, a broken timing line, or stray text.
        if let Some((_, text)) = current.as_mut() {
            let converted = convert_text(line, line_no, &mut report)?;
            // A line left empty by dropped tags would be a blank line, which ends a WebVTT cue.
            if !is_blank(&converted) {
                text.push(converted);
            }
            i += 1;
            continue;
        }
        let timing_line = if line.contains("-->") {
            next_number = next_number.saturating_add(1);
            Some(i)
        } else if is_number(line) && lines.get(i + 1).is_some_and(|l| l.contains("-->")) {
            next_number = line.trim().parse::<u64>().unwrap_or(next_number).saturating_add(1);
            Some(i + 1)
        } else {
            None
        };
        match timing_line {
            Some(t) => {
                let (column, message) = match lines.get(t).map(|l| parse_timing(l)) {
                    Some(Err((column, m))) => (column, m),
                    _ => (1, "unreadable timing line".to_string()),
                };
                report.repair(
                    t + 1,
                    column,
                    "SRT_BAD_TIMING",
                    format!("{message}; cue dropped"),
                )?;
                skipping = true;
            }
            None => {
                report.repair(
                    line_no,
                    1,
                    "SRT_STRAY_TEXT",
                    "text outside any cue; dropped".into(),
                )?;
            }
        }
        i += 1;
    }
    if let Some((cue, text)) = current.take() {
        cues.push(finish(cue, text));
    }
    if cues.is_empty() {
        return Err(SrtError::NoCues { line: 1, column: 1 });
    }
    Ok((Captions { cues, ..Captions::default() }, report.diags))
}

fn finish(mut cue: Cue, text: Vec<String>) -> Cue {
    cue.text = text.join("\n");
    cue
}

/// Splits on CRLF, CR or LF.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(p) = rest.find(['\r', '\n']) {
        lines.push(&rest[..p]);
        let skip = if rest[p..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[p + skip..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

pub(super) fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_number(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit())
}

fn first_non_space(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// A cue header at line `i`: an optional number line, then a timing line that parses.
fn header_at(lines: &[&str], i: usize) -> Option<(Option<u64>, usize, Timing)> {
    let line = lines.get(i)?;
    if let Ok(t) = parse_timing(line) {
        return Some((None, i, t));
    }
    if is_number(line) {
        let next = lines.get(i + 1)?;
        if let Ok(t) = parse_timing(next) {
            return Some((line.trim().parse().ok(), i + 1, t));
        }
    }
    None
}

/// Parses `start --> end [extra]`; the error carries a column and a message.
pub(super) fn parse_timing(line: &str) -> Result<Timing, (usize, String)> {
    let Some(arrow) = line.find("-->") else {
        return Err((1, "no `-->` in timing line".into()));
    };
    let mut notes = Vec::new();
    let left = &line[..arrow];
    let start_col = first_non_space(left);
    let start = parse_stamp(left.trim(), start_col, &mut notes)?;
    let right = &line[arrow + 3..];
    let right_trim = right.trim_start();
    let end_col =
        line[..arrow + 3].chars().count() + right.chars().count() - right_trim.chars().count() + 1;
    let (end_text, extra) = match right_trim.find(char::is_whitespace) {
        Some(p) => (&right_trim[..p], right_trim[p..].trim()),
        None => (right_trim, ""),
    };
    let end = parse_stamp(end_text, end_col, &mut notes)?;
    if !extra.is_empty() {
        notes.push((
            end_col + end_text.chars().count() + 1,
            "SRT_TIMING_EXTRA",
            format!("ignored `{extra}` after the end time"),
        ));
    }
    Ok(Timing { start, end, notes })
}

/// Parses `[hh:]mm:ss[,.]m{1,3}`; a fraction of fewer than three digits is a decimal fraction
/// (`,5` is 500 ms), as the tools that write such files mean it.
fn parse_stamp(
    s: &str,
    column: usize,
    notes: &mut Vec<(usize, &'static str, String)>,
) -> Result<Time, (usize, String)> {
    let bad = |m: &str| (column, format!("`{s}`: {m}"));
    let (clock, frac, sep) = match s.find([',', '.']) {
        Some(p) => (&s[..p], &s[p + 1..], s[p..].chars().next()),
        None => (s, "", None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, s] => (Some(*h), *m, *s),
        [m, s] => (None, *m, *s),
        _ => return Err(bad("expected hh:mm:ss,mmm")),
    };
    let num = |p: &str, what: &str| -> Result<u64, (usize, String)> {
        if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!("{what} is not a number")));
        }
        p.parse::<u64>().map_err(|_| bad(&format!("{what} is not a number")))
    };
    let hours = match h {
        Some(h) => num(h, "hours")?,
        None => 0,
    };
    let minutes = num(m, "minutes")?;
    let seconds = num(sec, "seconds")?;
    if minutes > 59 || seconds > 59 {
        return Err(bad("minutes and seconds must be below 60"));
    }
    if frac.len() > 3
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (sep.is_some() && frac.is_empty())
    {
        return Err(bad("milliseconds must be 1 to 3 digits"));
    }
    let mut ms: u64 = 0;
    for (k, b) in frac.bytes().enumerate() {
        ms += (b - b'0') as u64 * [100, 10, 1][k.min(2)];
    }
    let mut odd = Vec::new();
    if h.is_none() {
        odd.push("hours missing");
    } else if h.is_some_and(|h| h.len() < 2) {
        odd.push("one-digit hours");
    }
    if m.len() != 2 || sec.len() != 2 {
        odd.push("minutes and seconds not two digits");
    }
    match sep {
        Some('.') => odd.push("`.` before milliseconds"),
        None => odd.push("milliseconds missing"),
        _ => {}
    }
    if sep.is_some() && frac.len() != 3 {
        odd.push("milliseconds not three digits");
    }
    if !odd.is_empty() {
        notes.push((column, "SRT_TIMESTAMP_FORM", format!("`{s}`: {}", odd.join(", "))));
    }
    let total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
    Ok(Time::from_millis(total as i64))
}

/// One SRT text line as WebVTT cue text.
fn convert_text(line: &str, line_no: usize, report: &mut Report) -> Result<String, SrtError> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut column = 1;
    // Once a search for `>` or `}` fails, later ones would too: remember, to stay linear.
    let (mut no_gt, mut no_brace) = (false, false);
    while let Some(c) = rest.chars().next() {
        if c == '<' && !no_gt {
            let body = &rest[1..];
            let starts_tag = body.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
            let close = if starts_tag { body.find('>') } else { None };
            no_gt = starts_tag && close.is_none();
            if let Some(e) = close {
                let inner = &body[..e];
                let closing = inner.starts_with('/');
                let bare = inner.trim_start_matches('/').trim();
                let name_end =
                    bare.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(bare.len());
                let name = bare[..name_end].to_ascii_lowercase();
                match name.as_str() {
                    "i" | "b" | "u" => {
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
                    }
                    "font" => report.repair(
                        line_no,
                        column,
                        "SRT_FONT_TAG",
                        format!("<{inner}> dropped"),
                    )?,
                    _ => report.repair(
                        line_no,
                        column,
                        "SRT_UNKNOWN_TAG",
                        format!("<{inner}> dropped"),
                    )?,
                }
                step(&mut rest, &mut column, e + 2);
                continue;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (Captions, Vec<Diagnostic>) {
        parse_srt(s, SrtOptions::default()).unwrap()
    }

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn clean_file_has_no_diagnostics() {
        let (c, d) = parse("1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\nworld\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n<i>Bye</i>\r\n");
        assert_eq!(d, vec![]);
        assert_eq!(c.cues.len(), 2);
        assert_eq!(c.cues[0].start, Time::from_millis(1000));
        assert_eq!(c.cues[0].end, Time::from_millis(2500));
        assert_eq!(c.cues[0].text, "Hello\nworld");
        assert_eq!(c.cues[1].text, "<i>Bye</i>");
    }

    #[test]
    fn repairs_are_reported_with_their_place() {
        let src = "\u{feff}5\n0:00:01.5 --> 00:00:02,000\n<font color=\"red\">Hi</font> & <B>you</B>\n00:00:03,000 --> 00:00:04,000 X1:10\n{\\an8}Top\n";
        let (c, d) = parse(src);
        assert_eq!(c.cues.len(), 2);
        assert_eq!(c.cues[0].start, Time::from_millis(1500));
        assert_eq!(c.cues[0].text, "Hi &amp; <b>you</b>");
        assert_eq!(c.cues[1].text, "Top");
        assert_eq!(
            codes(&d),
            vec![
                "SRT_CUE_NUMBER",
                "SRT_TIMESTAMP_FORM",
                "SRT_FONT_TAG",
                "SRT_FONT_TAG",
                "SRT_MISSING_BLANK_LINE",
                "SRT_CUE_NUMBER",
                "SRT_TIMING_EXTRA",
                "SRT_ASS_TAG"
            ]
        );
        assert_eq!((d[1].line, d[1].column), (2, 1));
        assert_eq!((d[2].line, d[2].column), (3, 1));
        assert_eq!((d[3].line, d[3].column), (3, 21));
        assert_eq!(d[6].line, 4);
    }

    #[test]
    fn strict_mode_refuses_the_first_repair() {
        let err = parse_srt("1\n00:00:01.000 --> 00:00:02,000\nx\n", SrtOptions { strict: true })
            .unwrap_err();
        assert_eq!(
            err,
            SrtError::Strict {
                line: 2,
                column: 1,
                diagnostic: "SRT_TIMESTAMP_FORM",
                message: "`00:00:01.000`: `.` before milliseconds".into()
            }
        );
        assert!(err.to_string().starts_with("2:1: "), "{err}");
        let err = parse_srt("1\n00:00:01,000 --> 00:00:0x,000\nx\n", SrtOptions { strict: true })
            .unwrap_err();
        assert!(matches!(err, SrtError::Timestamp { line: 2, column: 18, .. }), "{err:?}");
        assert!(
            parse_srt("1\n00:00:01,000 --> 00:00:02,000\nx\n", SrtOptions { strict: true }).is_ok()
        );
    }

    #[test]
    fn broken_cues_are_skipped_and_stray_text_dropped() {
        let (c, d) = parse("junk\n\n1\n00:00:01,000 --> 00:00:0x,000\nlost\n\n2\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n3\n00:00:06,000 --> 00:00:07,000\nkept\n\ntrailing garbage\n");
        assert_eq!(c.cues.len(), 1);
        assert_eq!(c.cues[0].text, "kept");
        assert_eq!(
            codes(&d),
            vec!["SRT_STRAY_TEXT", "SRT_BAD_TIMING", "SRT_EMPTY_TIMING", "SRT_STRAY_TEXT"]
        );
    }

    #[test]
    fn overlaps_are_kept_and_reported() {
        let (c, d) =
            parse("1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n");
        assert_eq!(c.cues.len(), 2);
        assert_eq!(codes(&d), vec!["SRT_OVERLAP"]);
        assert!(parse_srt(
            "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n",
            SrtOptions { strict: true }
        )
        .is_ok());
    }

    #[test]
    fn encodings() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nCaf\u{e9} \u{2019}\n";
        let mut le = vec![0xff, 0xfe];
        le.extend(srt.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xfe, 0xff];
        be.extend(srt.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let cp1252 = b"1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9 \x92\n".to_vec();
        for (bytes, diag) in [(srt.as_bytes().to_vec(), 0), (le, 0), (be, 0), (cp1252, 1)] {
            let (c, d) = parse_srt_bytes(&bytes, SrtOptions::default()).unwrap();
            assert_eq!(c.cues[0].text, "Caf\u{e9} \u{2019}");
            assert_eq!(d.len(), diag, "{d:?}");
        }
        assert!(parse_srt_bytes(
            b"1\n00:00:01,000 --> 00:00:02,000\n\xe9\n",
            SrtOptions { strict: true }
        )
        .is_err());
    }

    #[test]
    fn not_srt_is_an_error() {
        assert!(matches!(
            parse_srt("WEBVTT\n\nhello\n", SrtOptions::default()),
            Err(SrtError::NoCues { .. })
        ));
        assert!(matches!(parse_srt("", SrtOptions::default()), Err(SrtError::NoCues { .. })));
    }

    #[test]
    fn cr_only_and_text_that_looks_like_markup() {
        let (c, d) = parse("1\r00:00:01,000 --> 00:00:02,000\ra < b -> c {x}\r");
        assert_eq!(d, vec![]);
        assert_eq!(c.cues[0].text, "a &lt; b -&gt; c {x}");
        let (out, _) = write_srt(&c);
        assert_eq!(out, "1\n00:00:01,000 --> 00:00:02,000\na < b -> c {x}\n\n");
    }

    #[test]
    fn writer_reports_what_srt_cannot_hold() {
        let mut cue = Cue::new(
            Time::new(1, 3),
            Time::from_millis(2000),
            "<v Bob>Hi <i.loud>there</i> &amp; <00:00:01.500>you",
        );
        cue.id = "intro".into();
        cue.settings.line = crate::captions::model::Line::Percent(10.0);
        let caps = Captions { cues: vec![cue], ..Captions::default() };
        let (out, d) = write_srt(&caps);
        assert_eq!(out, "1\n00:00:00,333 --> 00:00:02,000\nHi <i>there</i> & you\n\n");
        let c = codes(&d);
        assert!(c.contains(&"SRT_TIME_ROUNDED"));
        assert_eq!(d.iter().filter(|d| d.code == "SRT_UNSUPPORTED").count(), 5, "{d:?}");
    }
}
