//! SubRip (SRT): a lenient reader for the files people really have, and a writer.
//!
//! The reader repairs what it can and reports every repair as a [`Diagnostic`]; in strict mode
//! the first repair is an [`SrtError`] instead. It never drops the user's words: text after a
//! blank line joins the cue above, a cue whose timing is unreadable or backwards keeps its text
//! with a repaired timing, and angle brackets that are not SRT markup stay as text. Cue text
//! becomes WebVTT cue text (submodule `text`); SRT cue numbers are not kept as cue ids: they are
//! positions, and the writer renumbers. Timing lines (`timing`), the writer (`write`) and the
//! byte decoding (`encoding`: UTF-16, Windows-1252) have submodules of their own.

mod drafts;
mod encoding;
mod lines;
mod text;
mod timing;
mod write;

pub use encoding::parse_srt_bytes;
pub use write::write_srt;

use super::model::Captions;
use crate::time::Time;
use drafts::Drafts;
use lines::Lines;
use serde::Serialize;
use text::convert_text;
use timing::{looks_like_timing, parse_timing, read_timing, Timing};

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
    "SRT_TEXT_AFTER_BLANK",
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

/// How long a cue whose end cannot be used lasts, unless the next cue starts sooner.
const REPAIRED_DURATION: Time = Time::from_millis(2000);

/// A cue being read, before its timing is repaired.
struct Draft {
    start: Option<Time>,
    end: Option<Time>,
    /// 1-based line of the timing line.
    timing_line: usize,
    /// Why a side could not be read: (column, message).
    unreadable: Option<(usize, String)>,
    /// The cue text so far, lines joined by `\n`: one allocation per cue, moved into the cue.
    text: String,
}

/// Parses an SRT document. See the module docs for what is repaired. Nothing the file says is
/// dropped: text after a blank line joins the cue above, and a cue whose timing cannot be used
/// keeps its text with a timing repaired from its neighbours.
pub fn parse_srt(text: &str, opts: SrtOptions) -> Result<(Captions, Vec<Diagnostic>), SrtError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Lines::new(text);
    let mut report = Report { strict: opts.strict, diags: Vec::new() };
    // Cues go straight into the final vector, their timings repaired in place once all are read.
    let mut drafts = Drafts::default();
    // Text before the first cue, joined to it.
    let mut leading = String::new();
    // The cue being read; text lines go to it until a blank line.
    let mut current: Option<Draft> = None;
    // Checked against the previous number, not the cue count, so that one gap or a file
    // numbered from 0 gives one diagnostic rather than one per cue.
    let mut next_number: u64 = 1;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        lines.forget_before(i);
        let line_no = i + 1;
        if is_blank(line) {
            drafts.extend(current.take());
            i += 1;
            continue;
        }
        if let Some((number, timing_at, timing)) =
            header_at(&mut lines, i, current.is_some(), next_number)
        {
            if let Some(cue) = current.take() {
                report.repair(
                    line_no,
                    1,
                    "SRT_MISSING_BLANK_LINE",
                    "no blank line before this cue".into(),
                )?;
                drafts.push(cue);
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
            current = Some(draft(timing_at + 1, timing, &mut report)?);
            i = timing_at + 1;
            continue;
        }
        if let Some(cue) = current.as_mut() {
            push_text(&mut cue.text, line, line_no, &mut report)?;
            i += 1;
            continue;
        }
        // After a blank line, not a readable header: a broken timing line starts a cue whose
        // timing is repaired later; other text belongs to the cue above it.
        let broken = if looks_like_timing(line) {
            Some(i)
        } else if is_number(line) && lines.get(i + 1).is_some_and(looks_like_timing) {
            Some(i + 1)
        } else {
            None
        };
        if let Some(t) = broken {
            next_number = if t > i {
                line.trim().parse::<u64>().unwrap_or(next_number).saturating_add(1)
            } else {
                next_number.saturating_add(1)
            };
            let timing = read_timing(lines.get(t).unwrap_or_default()).unwrap_or_else(|| Timing {
                start: Err((1, "no `-->` in timing line".into())),
                end: Err((1, "no `-->` in timing line".into())),
                notes: Vec::new(),
            });
            current = Some(draft(t + 1, timing, &mut report)?);
            i = t + 1;
            continue;
        }
        match drafts.pop() {
            Some(mut above) => {
                report.repair(
                    line_no,
                    1,
                    "SRT_TEXT_AFTER_BLANK",
                    "text after a blank line joined to the cue above".into(),
                )?;
                push_text(&mut above.text, line, line_no, &mut report)?;
                current = Some(above);
            }
            None => {
                report.repair(
                    line_no,
                    1,
                    "SRT_STRAY_TEXT",
                    "text before the first cue joined to it".into(),
                )?;
                push_text(&mut leading, line, line_no, &mut report)?;
            }
        }
        i += 1;
    }
    drafts.extend(current.take());
    let Some(first) = drafts.cues.first_mut() else {
        return Err(SrtError::NoCues { line: 1, column: 1 });
    };
    if !leading.is_empty() {
        if !first.text.is_empty() {
            leading.push('\n');
        }
        leading.push_str(&first.text);
        first.text = leading;
    }
    let cues = drafts.repair_timings(&mut report)?;
    // Timing repairs are found after reading: keep the diagnostics in file order.
    crate::sort::sort_by_key(&mut report.diags, |d| d.line);
    Ok((Captions { cues, ..Captions::default() }, report.diags))
}

/// A new cue from its timing line. A timing that cannot be used is refused here in strict mode,
/// and repaired once the neighbours are known otherwise.
fn draft(timing_line: usize, timing: Timing, report: &mut Report) -> Result<Draft, SrtError> {
    for (column, code, message) in &timing.notes {
        report.repair(timing_line, *column, code, message.clone())?;
    }
    let unreadable = timing.first_error().cloned();
    if report.strict {
        if let Some((column, message)) = &unreadable {
            report.repair(timing_line, *column, "SRT_BAD_TIMING", message.clone())?;
        }
        if let Some((start, end)) = timing.both().filter(|(s, e)| e <= s) {
            report.repair(
                timing_line,
                1,
                "SRT_EMPTY_TIMING",
                format!("cue ends ({end}) before or when it starts ({start})"),
            )?;
        }
    }
    Ok(Draft {
        start: timing.start.ok(),
        end: timing.end.ok(),
        timing_line,
        unreadable,
        text: String::new(),
    })
}

/// Adds one text line to a cue, as cue text; a `<br>` splits it, and lines left empty by
/// dropped tags are not kept (an empty line would end a WebVTT cue).
fn push_text(
    text: &mut String,
    line: &str,
    line_no: usize,
    report: &mut Report,
) -> Result<(), SrtError> {
    let converted = convert_text(line, line_no, report)?;
    for l in converted.split('\n').filter(|l| !is_blank(l)) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(l);
    }
    Ok(())
}

pub(super) fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_number(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit())
}

/// A cue header at line `i`: an optional number line, then a timing line that reads. Inside a
/// cue (`in_cue`), a number line is a cue number only when it is the one expected next: there
/// it is more likely dialogue ("42") before a cue whose blank line and number are missing.
fn header_at(
    lines: &mut Lines,
    i: usize,
    in_cue: bool,
    expected: u64,
) -> Option<(Option<u64>, usize, Timing)> {
    let line = lines.get(i)?;
    if let Some(t) = parse_timing(line) {
        return Some((None, i, t));
    }
    if is_number(line) {
        let number = line.trim().parse().ok();
        if in_cue && number != Some(expected) {
            return None;
        }
        if let Some(t) = parse_timing(lines.get(i + 1)?) {
            return Some((number, i + 1, t));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::model::Cue;
    use crate::time::Rounding;

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
    fn broken_cues_keep_their_text_with_a_repaired_timing() {
        let (c, d) = parse("junk\n\n1\n00:00:01,000 --> 00:00:0x,000\nunreadable end\n\n2\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n3\n00:00:06,000 --> 00:00:07,000\nkept\n\ntrailing words\n");
        let got: Vec<(i64, i64, &str)> = c
            .cues
            .iter()
            .map(|q| (q.start.millis(Rounding::Nearest), q.end.millis(Rounding::Nearest), &*q.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (1000, 3000, "junk\nunreadable end"),
                (5000, 6000, "backwards"),
                (6000, 7000, "kept\ntrailing words"),
            ]
        );
        assert_eq!(
            codes(&d),
            vec!["SRT_STRAY_TEXT", "SRT_BAD_TIMING", "SRT_EMPTY_TIMING", "SRT_TEXT_AFTER_BLANK"]
        );
        assert!(d[1].message.ends_with("timing repaired to 0:00:01.000 --> 0:00:03.000"), "{d:?}");
        assert_eq!((d[1].line, d[1].column), (4, 18));
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
