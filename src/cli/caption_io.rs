//! Caption files in and out for every `outtake captions` command: reading (WebVTT or SRT, told
//! by content) and the format an output path names, so that `-o out.vtt` is WebVTT whichever
//! command writes it.

use super::CliError;
use crate::captions::detect::{parse_captions_bytes, Format, Note};
use crate::captions::Captions;

/// Reads and parses a caption file (`-`: standard input), WebVTT or SRT by content; errors name
/// the file and the place.
pub fn read_captions(path: &str) -> Result<(Captions, Vec<Note>, Format), CliError> {
    let bytes = if path == "-" {
        let mut bytes = vec![];
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| CliError::io("stdin", e))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| CliError::io(path, e))?
    };
    parse_captions_bytes(&bytes, None, false).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{path}:{}", err.message);
        err
    })
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
    fn extensions_name_formats() {
        assert_eq!(format_of_path("out.vtt"), Some(Format::Vtt));
        assert_eq!(format_of_path("dir.srt/OUT.SRT"), Some(Format::Srt));
        assert_eq!(format_of_path("out.txt"), None);
        assert_eq!(format_of_path("vtt"), None);
        assert_eq!(format_of_path("-"), None);
    }
}
