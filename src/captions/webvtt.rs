//! The WebVTT file parser: the W3C "WebVTT parser algorithm" step by step (signature, header,
//! blocks, cue timings, STYLE, REGION and NOTE blocks) over byte offsets of one normalised string.
//! Only a bad signature fails the file; everything the spec skips is kept as a [`Diagnostic`].

use std::borrow::Cow;

use super::model::{Block, BlockKind, Captions, Cue, Region};
use super::webvtt_settings::{is_ws, parse_cue_settings, parse_region_settings, Skip};
use crate::time::Time;

/// Why a WebVTT input could not be parsed at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WebVttError {
    /// The file does not start with the `WEBVTT` signature: the spec rejects the whole file.
    #[error("{line}:{column}: not a WebVTT file: {reason}")]
    Signature { line: usize, column: usize, reason: &'static str },
    /// A standalone timestamp (see [`parse_timestamp`]) is malformed.
    #[error("1:{column}: bad WebVTT timestamp: {reason}")]
    Timestamp { column: usize, reason: &'static str },
}

impl crate::error::Coded for WebVttError {
    fn code(&self) -> &'static str {
        match self {
            WebVttError::Signature { .. } => "ERR_WEBVTT_SIGNATURE",
            WebVttError::Timestamp { .. } => "ERR_WEBVTT_TIMESTAMP",
        }
    }
}

/// Something the parser skipped, as the spec says to, and where (1-based; columns count
/// characters of the normalised line).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A parsed file: the captions and what was skipped on the way.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedVtt {
    pub captions: Captions,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a WebVTT file (already decoded to text; a leading BOM is skipped) with the spec's
/// algorithm. Fails only when the signature is wrong.
pub fn parse_webvtt(text: &str) -> Result<ParsedVtt, WebVttError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let input = normalise(text);
    Parser::new(&input).run()
}

/// Parses WebVTT bytes: decoded as UTF-8 the way the spec's parser does (invalid sequences
/// become U+FFFD, a BOM is dropped), then as [`parse_webvtt`]. A binary file fails on its
/// signature at 1:1.
pub fn parse_webvtt_bytes(bytes: &[u8]) -> Result<ParsedVtt, WebVttError> {
    parse_webvtt(&String::from_utf8_lossy(bytes))
}

/// Parses one WebVTT timestamp (`hh:mm:ss.ttt` or `mm:ss.ttt`), the whole string.
pub fn parse_timestamp(s: &str) -> Result<Time, WebVttError> {
    let mut pos = 0;
    let column = |at: usize| s.get(..at).map_or(1, |p| p.chars().count() + 1);
    match collect_timestamp(s.as_bytes(), &mut pos) {
        Ok(_) if pos != s.len() => {
            Err(WebVttError::Timestamp { column: column(pos), reason: "trailing characters" })
        }
        Ok(ms) => Ok(Time::from_millis(ms)),
        Err((at, reason)) => Err(WebVttError::Timestamp { column: column(at), reason }),
    }
}

/// NULs become U+FFFD and CRLF / CR become LF, borrowing when there is nothing to change.
fn normalise(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|c| c == b'\0' || c == b'\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(['\0', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\0' {
            out.push('\u{FFFD}');
            rest = &rest[i + 1..];
        } else {
            out.push('\n');
            rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether `line` contains `-->`.
fn has_arrow(line: &[u8]) -> bool {
    let mut i = 2;
    while let Some(off) = line.get(i..).and_then(|r| r.iter().position(|&c| c == b'>')) {
        i += off;
        if line[i - 1] == b'-' && line[i - 2] == b'-' {
            return true;
        }
        i += 1;
    }
    false
}

/// "Collect a WebVTT timestamp" at `*pos`: milliseconds, or the offset and reason of the failure.
pub(crate) fn collect_timestamp(b: &[u8], pos: &mut usize) -> Result<i64, (usize, &'static str)> {
    fn digits(b: &[u8], pos: &mut usize) -> (usize, Option<i64>) {
        let start = *pos;
        let mut v: Option<i64> = Some(0);
        while let Some(&c) = b.get(*pos).filter(|c| c.is_ascii_digit()) {
            v = v.and_then(|v| v.checked_mul(10)?.checked_add((c - b'0') as i64));
            *pos += 1;
        }
        (*pos - start, v)
    }
    if !b.get(*pos).is_some_and(u8::is_ascii_digit) {
        return Err((*pos, "expected a digit"));
    }
    let (len1, v1) = digits(b, pos);
    let v1 = v1.ok_or((*pos, "hours out of range"))?;
    let hours_first = len1 != 2 || v1 > 59;
    if b.get(*pos) != Some(&b':') {
        return Err((*pos, "expected ':'"));
    }
    *pos += 1;
    let at2 = *pos;
    let (len2, v2) = digits(b, pos);
    if len2 != 2 {
        return Err((at2, "minutes and seconds need two digits"));
    }
    let v2 = v2.unwrap_or(0);
    let (h, m, s) = if hours_first || b.get(*pos) == Some(&b':') {
        if b.get(*pos) != Some(&b':') {
            return Err((
                *pos,
                "expected ':' (a first field of other than two digits, or over 59, is hours)",
            ));
        }
        *pos += 1;
        let at3 = *pos;
        let (len3, v3) = digits(b, pos);
        if len3 != 2 {
            return Err((at3, "seconds need two digits"));
        }
        (v1, v2, v3.unwrap_or(0))
    } else {
        (0, v1, v2)
    };
    if b.get(*pos) != Some(&b'.') {
        return Err((*pos, "expected '.' before the milliseconds"));
    }
    *pos += 1;
    let at4 = *pos;
    let (len4, ms) = digits(b, pos);
    if len4 != 3 {
        return Err((at4, "milliseconds need three digits"));
    }
    if m > 59 {
        return Err((at2, "minutes over 59"));
    }
    if s > 59 {
        return Err((at4.saturating_sub(3), "seconds over 59"));
    }
    h.checked_mul(3_600_000)
        .and_then(|h| h.checked_add(m * 60_000 + s * 1000 + ms.unwrap_or(0)))
        .ok_or((0, "hours out of range"))
}

/// What "collect a WebVTT block" returned.
enum Collected {
    Cue(Cue),
    Style(String),
    Region(Region),
    /// Anything else (a NOTE, or text to skip): the byte range of its lines and its first line.
    Other {
        start: usize,
        end: usize,
        line: usize,
    },
    /// A cue whose timings failed (already reported).
    Dropped,
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    /// The 1-based number of the line at `pos`.
    line: usize,
    seen_cue: bool,
    /// The ids of the regions so far, for `region:` look-ups.
    region_ids: std::collections::HashSet<String>,
    out: Captions,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Parser<'a> {
        Parser {
            input,
            pos: 0,
            line: 1,
            seen_cue: false,
            region_ids: Default::default(),
            out: Captions::default(),
            diagnostics: vec![],
        }
    }

    fn run(mut self) -> Result<ParsedVtt, WebVttError> {
        let b = self.input.as_bytes();
        if !b.starts_with(b"WEBVTT") {
            return Err(WebVttError::Signature {
                line: 1,
                column: 1,
                reason: "it does not start with WEBVTT",
            });
        }
        if b.len() > 6 && !matches!(b[6], b' ' | b'\t' | b'\n') {
            return Err(WebVttError::Signature {
                line: 1,
                column: 7,
                reason: "WEBVTT must be followed by a space, a tab or a line break",
            });
        }
        let first_end = self.line_end(6);
        let mut header_end = first_end;
        self.pos = first_end;
        if self.pos < b.len() {
            self.advance_lf();
            if self.pos < b.len() {
                if b[self.pos] != b'\n' {
                    // The header block's lines stay in the header, verbatim, for round trips.
                    if let Collected::Other { start, end, .. } = self.collect_block(true) {
                        if end > start {
                            header_end = end;
                        }
                    }
                } else {
                    self.advance_lf();
                }
                self.skip_lfs();
                while self.pos < b.len() {
                    match self.collect_block(false) {
                        Collected::Cue(cue) => self.out.cues.push(cue),
                        Collected::Style(css) => self.push_block(BlockKind::Style, css),
                        Collected::Region(region) => {
                            self.region_ids.insert(region.id.clone());
                            self.out.regions.push(region);
                        }
                        Collected::Other { start, end, line } => self.other_block(start, end, line),
                        Collected::Dropped => {}
                    }
                    self.skip_lfs();
                }
            }
        }
        self.out.header = self.input[6..header_end].to_string();
        Ok(ParsedVtt { captions: self.out, diagnostics: self.diagnostics })
    }

    fn line_end(&self, from: usize) -> usize {
        self.input.as_bytes()[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.input.len(), |i| from + i)
    }

    fn advance_lf(&mut self) {
        self.pos += 1;
        self.line += 1;
    }

    fn skip_lfs(&mut self) {
        while self.input.as_bytes().get(self.pos) == Some(&b'\n') {
            self.advance_lf();
        }
    }

    fn push_block(&mut self, kind: BlockKind, text: String) {
        let before_cue = self.out.cues.len();
        self.out.blocks.push(Block { kind, text, before_cue });
    }

    /// Records a diagnostic at byte `at` of the input, on line `line` (the line holding `at`).
    fn diag_at(&mut self, line: usize, at: usize, message: String) {
        let line_start = self.input[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = self.input[line_start..at].chars().count() + 1;
        self.diagnostics.push(Diagnostic { line, column, message });
    }

    /// Records skips whose offsets are relative to `base`, a byte offset on line `line`. The
    /// offsets never decrease, so columns are counted on from one skip to the next: a long line
    /// full of bad settings costs linear time, not quadratic.
    fn skips_at(&mut self, line: usize, base: usize, skips: Vec<Skip>) {
        let input = self.input;
        let (mut line, mut at, mut column) = (line, base, 0);
        if !skips.is_empty() {
            let start = input[..base].rfind('\n').map_or(0, |i| i + 1);
            column = input[start..base].chars().count() + 1;
        }
        for (off, message) in skips {
            let to = (base + off).max(at);
            let seg = &input[at..to];
            match seg.rfind('\n') {
                Some(nl) => {
                    line += seg.bytes().filter(|&c| c == b'\n').count();
                    column = seg[nl + 1..].chars().count() + 1;
                }
                None => column += seg.chars().count(),
            }
            at = to;
            self.diagnostics.push(Diagnostic { line, column, message });
        }
    }

    /// A block that is neither a cue, a style sheet nor a region: a NOTE, or skipped text.
    fn other_block(&mut self, start: usize, end: usize, line: usize) {
        let text = &self.input[start..end];
        if let Some(rest) = text.strip_prefix("NOTE") {
            if rest.is_empty() || rest.starts_with([' ', '\t', '\n']) {
                let body = rest.get(1..).unwrap_or("").to_string();
                self.push_block(BlockKind::Note, body);
                return;
            }
        }
        let first = &text[..text.find('\n').unwrap_or(text.len())];
        let keyword = ["STYLE", "REGION"]
            .into_iter()
            .find(|k| first.strip_prefix(k).is_some_and(|r| r.bytes().all(is_ws)));
        let message = match keyword {
            Some(k) if self.seen_cue => {
                format!("{k} block ignored: {k} blocks must come before the first cue")
            }
            Some(k) => format!("{k} block ignored: it has no body"),
            None => "block ignored: not a cue (no timings line with -->), STYLE, REGION or NOTE"
                .to_string(),
        };
        self.diag_at(line, start, message);
    }

    /// "Collect a WebVTT block". Returns what the block was; `Other` carries the buffer's range.
    fn collect_block(&mut self, in_header: bool) -> Collected {
        let input = self.input;
        let b = input.as_bytes();
        let mut line_count = 0;
        let (mut prev_pos, mut prev_line) = (self.pos, self.line);
        // The buffer is always one contiguous range of the input, except after a failed timings
        // line, when only its end matters (the block is then dropped).
        let mut buf: Option<(usize, usize, usize)> = None; // (start, end, line of start)
        let mut seen_arrow = false;
        let mut cue: Option<Cue> = None;
        let mut stylesheet = false;
        let mut region: Option<Region> = None;
        loop {
            let start = self.pos;
            let end = self.line_end(start);
            let line = &input[start..end];
            let line_no = self.line;
            line_count += 1;
            let seen_eof = end == b.len();
            self.pos = end;
            if !seen_eof {
                self.advance_lf();
            }
            if has_arrow(line.as_bytes()) {
                if !in_header && (line_count == 1 || (line_count == 2 && !seen_arrow)) {
                    seen_arrow = true;
                    (prev_pos, prev_line) = (self.pos, self.line);
                    let id = buf.map_or("", |(s, e, _)| &input[s..e]);
                    let mut new = Cue::new(Time::ZERO, Time::ZERO, "");
                    new.id = id.to_string();
                    match self.timings_and_settings(line, start, line_no, &mut new) {
                        true => {
                            buf = None;
                            self.seen_cue = true;
                            cue = Some(new);
                        }
                        false => cue = None,
                    }
                } else {
                    (self.pos, self.line) = (prev_pos, prev_line);
                    break;
                }
            } else if line.is_empty() {
                break;
            } else {
                if !in_header && line_count == 2 && !self.seen_cue {
                    let first = buf.map_or("", |(s, e, _)| &input[s..e]);
                    let is = |k: &str| first.strip_prefix(k).is_some_and(|r| r.bytes().all(is_ws));
                    if is("STYLE") {
                        stylesheet = true;
                        buf = None;
                    } else if is("REGION") {
                        region = Some(Region::default());
                        buf = None;
                    }
                }
                buf = Some(match buf {
                    Some((s, _, l)) => (s, end, l),
                    None => (start, end, line_no),
                });
                (prev_pos, prev_line) = (self.pos, self.line);
            }
            if seen_eof {
                break;
            }
        }
        let (bs, be, bl) = buf.unwrap_or((self.pos, self.pos, self.line));
        let text = &input[bs..be];
        if let Some(mut cue) = cue {
            cue.text = text.to_string();
            return Collected::Cue(cue);
        }
        if stylesheet {
            return Collected::Style(text.to_string());
        }
        if let Some(mut region) = region {
            let mut skips = vec![];
            parse_region_settings(text, &mut region, &mut skips);
            self.skips_at(bl, bs, skips);
            return Collected::Region(region);
        }
        if seen_arrow {
            return Collected::Dropped;
        }
        Collected::Other { start: bs, end: be, line: bl }
    }

    /// "Collect WebVTT cue timings and settings" from `line` (at byte `at`, line `line_no`).
    fn timings_and_settings(
        &mut self,
        line: &str,
        at: usize,
        line_no: usize,
        cue: &mut Cue,
    ) -> bool {
        let b = line.as_bytes();
        let mut pos = 0;
        let skip_ws = |pos: &mut usize| {
            while b.get(*pos).is_some_and(|&c| is_ws(c)) {
                *pos += 1;
            }
        };
        let result = (|| {
            skip_ws(&mut pos);
            let start = collect_timestamp(b, &mut pos)
                .map_err(|(o, why)| (o, format!("bad start time: {why}")))?;
            skip_ws(&mut pos);
            if !b[pos..].starts_with(b"-->") {
                return Err((pos, "expected '-->' after the start time".to_string()));
            }
            pos += 3;
            skip_ws(&mut pos);
            let end = collect_timestamp(b, &mut pos)
                .map_err(|(o, why)| (o, format!("bad end time: {why}")))?;
            Ok((start, end))
        })();
        match result {
            Ok((start, end)) => {
                cue.start = Time::from_millis(start);
                cue.end = Time::from_millis(end);
                let mut skips = vec![];
                let ids = &self.region_ids;
                parse_cue_settings(&line[pos..], &|id| ids.contains(id), cue, &mut skips);
                self.skips_at(line_no, at + pos, skips);
                true
            }
            Err((off, why)) => {
                self.diag_at(line_no, at + off.min(line.len()), format!("cue dropped: {why}"));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::model::{BlockKind, Line};

    fn diags(p: &ParsedVtt) -> Vec<(usize, usize)> {
        p.diagnostics.iter().map(|d| (d.line, d.column)).collect()
    }

    #[test]
    fn signatures() {
        for good in ["WEBVTT", "WEBVTT\n", "WEBVTT \t", "\u{FEFF}WEBVTT\r\n", "WEBVTT\tx\n\n"] {
            assert!(parse_webvtt(good).is_ok(), "{good:?}");
        }
        let err = |s: &str| match parse_webvtt(s) {
            Err(WebVttError::Signature { line, column, .. }) => (line, column),
            other => panic!("{s:?}: {other:?}"),
        };
        assert_eq!(err(""), (1, 1));
        assert_eq!(err("WEBVT"), (1, 1));
        assert_eq!(err("webvtt"), (1, 1));
        assert_eq!(err("\u{FFFD}PNG\r\n"), (1, 1));
        assert_eq!(err("WEBVTTX"), (1, 7));
        assert_eq!(err("\u{FEFF}\u{FEFF}WEBVTT"), (1, 1));
        let e = parse_webvtt("WEBVTT-").unwrap_err();
        assert_eq!(crate::Coded::code(&e), "ERR_WEBVTT_SIGNATURE");
        assert!(e.to_string().starts_with("1:7: "), "{e}");
    }

    #[test]
    fn header_blocks_and_positions() {
        let src = "WEBVTT Kind: captions\r\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0\r\n\r\n\
                   STYLE\n::cue { color: red }\n\nNOTE a\ncomment\n\nREGION\nid:r width:50% bogus\n\n\
                   1\n00:01.000 --> 00:02.500 region:r line:2 size:1x\n<v Al>Hi\n\nNOTE\n\n\
                   00:03.000 --> 00:02.000\nlate\n\nSTYLE\nx\n\ngarbage\n\n00:0x.000 --> 00:04.000\ny\n";
        let p = parse_webvtt(src).unwrap();
        let c = &p.captions;
        assert_eq!(c.header, " Kind: captions\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0");
        assert_eq!(c.cues.len(), 2);
        assert_eq!(c.cues[0].id, "1");
        assert_eq!(c.cues[0].start, Time::from_millis(1000));
        assert_eq!(c.cues[0].end, Time::from_millis(2500));
        assert_eq!(c.cues[0].text, "<v Al>Hi");
        assert_eq!(c.cues[0].settings.line, Line::Number(2.0));
        // `line` took the cue out of its region.
        assert_eq!(c.cues[0].settings.region, None);
        assert_eq!(c.cues[1].text, "late");
        assert_eq!(c.regions.len(), 1);
        assert_eq!((c.regions[0].id.as_str(), c.regions[0].width), ("r", 50.0));
        let blocks: Vec<_> =
            c.blocks.iter().map(|b| (b.kind, b.text.as_str(), b.before_cue)).collect();
        assert_eq!(
            blocks,
            [
                (BlockKind::Style, "::cue { color: red }", 0),
                (BlockKind::Note, "a\ncomment", 0),
                (BlockKind::Note, "", 1)
            ]
        );
        // bogus region setting; the cue leaving its region; size:1x; STYLE after a cue; garbage;
        // the bad timestamp (line 27, column 4: its two-digit field "0x" starts there).
        assert_eq!(
            diags(&p),
            [(11, 16), (14, 34), (14, 41), (22, 1), (25, 1), (27, 4)],
            "{:#?}",
            p.diagnostics
        );
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        // A timings line with 200,000 bad settings, 20,000 regions with cues naming them, deep
        // tags: each must take well under the time a quadratic walk would (minutes).
        let t = std::time::Instant::now();
        let src = format!("WEBVTT\n\n00:00.000 --> 00:01.000{}\nx\n", " é:".repeat(200_000));
        let p = parse_webvtt(&src).unwrap();
        assert_eq!(p.diagnostics.len(), 200_000);
        assert_eq!(
            p.diagnostics.last().map(|d| (d.line, d.column)),
            Some((3, 23 + 3 * 199_999 + 2))
        );
        let mut src = String::from("WEBVTT\n\n");
        for i in 0..20_000 {
            src.push_str(&format!("REGION\nid:r{i}\n\n"));
        }
        for i in 0..20_000 {
            src.push_str(&format!("00:00.000 --> 00:01.000 region:r{i}\nx\n\n"));
        }
        let p = parse_webvtt(&src).unwrap();
        assert_eq!(p.captions.cues[19_999].settings.region.as_deref(), Some("r19999"));
        let _ = crate::captions::to_textrack_json(&p.captions, &p.diagnostics);
        let deep = format!("WEBVTT\n\n00:00.000 --> 00:01.000\n{}", "<b>".repeat(100_000));
        let p = parse_webvtt(&deep).unwrap();
        let _ = crate::captions::parse_cue_text(&p.captions.cues[0].text);
        assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("00:01.000"), Ok(Time::from_millis(1000)));
        assert_eq!(parse_timestamp("100:00:00.001"), Ok(Time::from_millis(360_000_001)));
        assert_eq!(
            parse_timestamp("60:00.000"),
            Err(WebVttError::Timestamp {
                column: 6,
                reason:
                    "expected ':' (a first field of other than two digits, or over 59, is hours)"
            })
        );
        assert!(parse_timestamp("00:60.000").is_err());
        assert!(parse_timestamp("00:00.000x").is_err());
        assert!(parse_timestamp("99999999999999999999:00:00.000").is_err());
        let e = parse_timestamp("1:2").unwrap_err();
        assert_eq!(crate::Coded::code(&e), "ERR_WEBVTT_TIMESTAMP");
    }
}
