//! Reading a caption file whatever its format: WebVTT when it has the signature, else SRT; a file
//! that is neither is refused with one clear reason. Diagnostics of both readers in one shape.

use super::model::Captions;
use super::srt::{parse_srt, parse_srt_bytes, SrtOptions};
use super::webvtt::{parse_webvtt, ParsedVtt};
use serde::Serialize;

/// A caption file format outtake reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Vtt,
    Srt,
}

impl Format {
    /// `vtt`/`webvtt` or `srt`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "vtt" | "webvtt" => Some(Format::Vtt),
            "srt" | "subrip" => Some(Format::Srt),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Vtt => "vtt",
            Format::Srt => "srt",
        }
    }
}

/// Something a reader skipped or repaired, or a writer dropped: where, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub line: usize,
    pub column: usize,
    /// Stable code where the reader gives one (`SRT_CUE_NUMBER`, …); `WEBVTT_SKIPPED` for what
    /// the WebVTT algorithm skips.
    pub code: &'static str,
    pub message: String,
}

/// Why a file could not be read as captions.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CaptionsError {
    #[error("{0}")]
    WebVtt(#[from] super::webvtt::WebVttError),
    #[error("{0}")]
    Srt(#[from] super::srt::SrtError),
    #[error("1:1: not a caption file: neither a WebVTT signature nor an SRT cue{0}")]
    NotCaptions(String),
}

impl crate::Coded for CaptionsError {
    fn code(&self) -> &'static str {
        match self {
            CaptionsError::WebVtt(e) => e.code(),
            CaptionsError::Srt(e) => e.code(),
            CaptionsError::NotCaptions(_) => "ERR_CAPTIONS_FORMAT",
        }
    }
}

/// Whether `text` claims to be WebVTT: the signature, after an optional BOM.
pub fn looks_like_webvtt(text: &str) -> bool {
    let t = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    t.starts_with("WEBVTT")
        && t[6..].chars().next().is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Reads `text` as `format`, or detects it when `None`.
pub fn parse_captions(
    text: &str,
    format: Option<Format>,
    strict: bool,
) -> Result<(Captions, Vec<Note>, Format), CaptionsError> {
    let format = format.unwrap_or(if looks_like_webvtt(text) { Format::Vtt } else { Format::Srt });
    match format {
        Format::Vtt => Ok(vtt_result(parse_webvtt(text)?)),
        Format::Srt => srt_result(parse_srt(text, SrtOptions { strict }), looks_like_webvtt(text)),
    }
}

/// Reads a caption file's bytes: WebVTT is UTF-8 by definition (bad sequences become U+FFFD, so
/// binary files fail on the signature); SRT in the wild is also UTF-16 or Windows-1252.
pub fn parse_captions_bytes(
    bytes: &[u8],
    format: Option<Format>,
    strict: bool,
) -> Result<(Captions, Vec<Note>, Format), CaptionsError> {
    let head = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let is_vtt = head.starts_with(b"WEBVTT")
        && head.get(6).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
    match format.unwrap_or(if is_vtt { Format::Vtt } else { Format::Srt }) {
        Format::Vtt => Ok(vtt_result(super::webvtt::parse_webvtt_bytes(bytes)?)),
        Format::Srt => srt_result(parse_srt_bytes(bytes, SrtOptions { strict }), is_vtt),
    }
}

fn vtt_result(parsed: ParsedVtt) -> (Captions, Vec<Note>, Format) {
    let notes = parsed
        .diagnostics
        .into_iter()
        .map(|d| Note {
            line: d.line,
            column: d.column,
            code: "WEBVTT_SKIPPED",
            message: d.message,
        })
        .collect();
    (parsed.captions, notes, Format::Vtt)
}

fn srt_result(
    r: Result<(Captions, Vec<super::srt::Diagnostic>), super::srt::SrtError>,
    claims_vtt: bool,
) -> Result<(Captions, Vec<Note>, Format), CaptionsError> {
    match r {
        Ok((captions, diags)) => {
            Ok((captions, diags.into_iter().map(srt_note).collect(), Format::Srt))
        }
        // SRT with no cue at all, from a file that does not claim to be WebVTT: not captions.
        Err(e) if !claims_vtt && is_no_cue(&e) => Err(CaptionsError::NotCaptions(String::new())),
        Err(e) => Err(e.into()),
    }
}

fn is_no_cue(e: &super::srt::SrtError) -> bool {
    crate::Coded::code(e) == "ERR_SRT_NO_CUES"
}

fn srt_note(d: super::srt::Diagnostic) -> Note {
    Note { line: d.line, column: d.column, code: d.code, message: d.message }
}

/// Writes `captions` as `format`, with what the format could not hold.
pub fn write_captions(captions: &Captions, format: Format) -> (String, Vec<Note>) {
    match format {
        Format::Vtt => (super::vtt_writer::write_webvtt(captions), vec![]),
        Format::Srt => {
            let (text, diags) = super::srt::write_srt(captions);
            (text, diags.into_iter().map(srt_note).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_signature() {
        let (c, _, f) =
            parse_captions("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", None, false).unwrap();
        assert_eq!((f, c.cues.len()), (Format::Vtt, 1));
        let (c, _, f) =
            parse_captions("1\n00:00:01,000 --> 00:00:02,000\nhi\n", None, false).unwrap();
        assert_eq!((f, c.cues.len()), (Format::Srt, 1));
        assert!(!looks_like_webvtt("WEBVTTX"));
        assert!(looks_like_webvtt("\u{FEFF}WEBVTT"));
    }

    #[test]
    fn neither_format_is_one_clear_error() {
        let e = parse_captions("\u{89}PNG\r\n\u{1a}\n binary junk", None, false).unwrap_err();
        assert_eq!(crate::Coded::code(&e), "ERR_CAPTIONS_FORMAT");
        assert!(e.to_string().starts_with("1:1: not a caption file"), "{e}");
        // Asked for WebVTT, a file without the signature fails on the signature.
        let e = parse_captions("hello", Some(Format::Vtt), false).unwrap_err();
        assert_eq!(crate::Coded::code(&e), "ERR_WEBVTT_SIGNATURE");
    }
}
