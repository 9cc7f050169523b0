//! Caption files in and out for every `outtake captions` command: reading (WebVTT or SRT, told
//! by content) and the format an output path names, so that `-o out.vtt` is WebVTT whichever
//! command writes it.

use super::input::{read_bytes, InputLimit};
use super::CliError;
use crate::captions::detect::{parse_captions_bytes, Format, Note};
use crate::captions::Captions;

/// Reads and parses a caption file (`-`: standard input), WebVTT or SRT by content; errors name
/// the file and the place. At most `limit` bytes are read.
pub fn read_captions(
    path: &str,
    limit: InputLimit,
) -> Result<(Captions, Vec<Note>, Format), CliError> {
    let bytes = read_bytes(path, limit)?;
    parse_captions_bytes(&bytes, None, false).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{path}:{}", err.message);
        err
    })
}

/// How many notes of one code are printed one by one before the rest are counted: 100k `<font>`
/// tags should not print 100k lines.
const NOTES_PER_CODE: usize = 10;

/// Notes on a caption file as lines, `FILE:LINE:COLUMN: VERB CODE: message`: the first
/// [`NOTES_PER_CODE`] of each code, then one line counting the rest of that code.
pub fn note_lines(file: &str, verb: &str, notes: &[Note]) -> Vec<String> {
    let mut shown: Vec<(&str, usize)> = Vec::new();
    let mut lines = Vec::new();
    for n in notes {
        let k = match shown.iter().position(|(c, _)| *c == n.code) {
            Some(k) => k,
            None => {
                shown.push((n.code, 0));
                shown.len() - 1
            }
        };
        shown[k].1 += 1;
        if shown[k].1 <= NOTES_PER_CODE {
            lines.push(format!("{file}:{}:{}: {verb} {}: {}", n.line, n.column, n.code, n.message));
        }
    }
    for (code, count) in shown.into_iter().filter(|(_, n)| *n > NOTES_PER_CODE) {
        lines.push(format!("{file}: … and {} more {verb} {code}", count - NOTES_PER_CODE));
    }
    lines
}

/// The caption format an output path's extension names (`.vtt`, `.srt`, any case), if any.
pub fn format_of_path(path: &str) -> Option<Format> {
    let ext = std::path::Path::new(path).extension()?.to_str()?;
    Format::parse(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_notes_are_counted_not_listed() {
        let note = |code| Note { line: 1, column: 2, code, message: "m".into() };
        let mut notes: Vec<Note> = (0..100_000).map(|_| note("SRT_FONT_TAG")).collect();
        notes.push(note("SRT_CUE_NUMBER"));
        let lines = note_lines("a.srt", "repaired", &notes);
        assert_eq!(lines.len(), 12, "{lines:?}");
        assert_eq!(lines[0], "a.srt:1:2: repaired SRT_FONT_TAG: m");
        assert_eq!(lines[10], "a.srt:1:2: repaired SRT_CUE_NUMBER: m");
        assert_eq!(lines[11], "a.srt: … and 99990 more repaired SRT_FONT_TAG");
    }

    #[test]
    fn extensions_name_formats() {
        assert_eq!(format_of_path("out.vtt"), Some(Format::Vtt));
        assert_eq!(format_of_path("dir.srt/OUT.SRT"), Some(Format::Srt));
        assert_eq!(format_of_path("out.txt"), None);
        assert_eq!(format_of_path("vtt"), None);
        assert_eq!(format_of_path("-"), None);
    }
}
