//! WebVTT in WebM and Matroska: the subtitle TrackEntry and each cue's block. WebM
//! (`D_WEBVTT/SUBTITLES`, the WebM project's mapping that ffmpeg reads) puts the cue id line,
//! the settings line and then the text in the block; Matroska (`S_TEXT/WEBVTT`, the codec
//! specification's mapping that mkvmerge writes) puts the text in the block, the settings and
//! id lines in a BlockAdditional, and the WebVTT header in CodecPrivate.

use super::ebml::*;
use crate::media::{Container, MediaError};

pub const LANGUAGE: u32 = 0x22B59C;
pub const LANGUAGE_BCP47: u32 = 0x22B59D;
pub const NAME: u32 = 0x536E;
pub const FLAG_LACING: u32 = 0x9C;
/// TrackType of subtitles.
pub const SUBTITLE: u64 = 0x11;

/// The codec ID of WebVTT in `container`.
pub fn webvtt_codec_id(container: Container) -> &'static str {
    if container == Container::Webm {
        "D_WEBVTT/SUBTITLES"
    } else {
        "S_TEXT/WEBVTT"
    }
}

/// The TrackEntry body of a WebVTT track numbered `number`: `language` as Language when it is
/// an ISO 639-2 code (else "und", with the tag in LanguageBCP47 for Matroska), `label` as Name.
pub fn webvtt_track_entry(
    number: u32,
    container: Container,
    header: &str,
    language: &str,
    label: Option<&str>,
) -> Vec<u8> {
    let mut e = Vec::new();
    write_uint(&mut e, TRACK_NUMBER, number as u64);
    // Copied tracks keep their source's UIDs: one made of "txt" and the number stays apart.
    write_uint(&mut e, TRACK_UID, 0x0074_7874_0000_0000 | number as u64);
    write_uint(&mut e, TRACK_TYPE, SUBTITLE);
    write_uint(&mut e, FLAG_LACING, 0);
    write_el(&mut e, CODEC_ID, webvtt_codec_id(container).as_bytes());
    if container != Container::Webm && !header.is_empty() {
        write_el(&mut e, CODEC_PRIVATE, header.as_bytes());
    }
    let code = crate::media::language::iso639_2(language);
    write_el(&mut e, LANGUAGE, code.as_deref().unwrap_or("und").as_bytes());
    if container != Container::Webm && crate::media::language::needs_full_tag(language) {
        write_el(&mut e, LANGUAGE_BCP47, language.as_bytes());
    }
    if let Some(label) = label.filter(|l| !l.is_empty()) {
        write_el(&mut e, NAME, label.as_bytes());
    }
    e
}

/// A line of a block or BlockAdditional: line breaks would end it early.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A cue's block data, and the BlockAdditional that goes with it (Matroska, when it has an id
/// or settings).
pub fn webvtt_block(
    container: Container,
    id: &str,
    settings: &str,
    text: &str,
) -> (Vec<u8>, Option<Vec<u8>>) {
    if container == Container::Webm {
        let block = format!("{}\n{}\n{text}", one_line(id), one_line(settings));
        return (block.into_bytes(), None);
    }
    let more = (!id.is_empty() || !settings.is_empty())
        .then(|| format!("{}\n{}", one_line(settings), one_line(id)).into_bytes());
    (text.as_bytes().to_vec(), more)
}

/// A cue back from its block data and BlockAdditional: (id, settings, text).
pub fn read_webvtt_block(
    container: Container,
    block: &[u8],
    addition: Option<&[u8]>,
    at: u64,
) -> Result<(String, String, String), MediaError> {
    let utf8 = |b: &[u8]| {
        String::from_utf8(b.to_vec()).map_err(|_| {
            MediaError::corrupt(container, "Block", at, "WebVTT cue that is not UTF-8")
        })
    };
    if container == Container::Webm {
        let s = utf8(block)?;
        let mut parts = s.splitn(3, '\n');
        let (id, settings, text) = (parts.next(), parts.next(), parts.next());
        let (Some(id), Some(settings)) = (id, settings) else {
            return Err(MediaError::corrupt(
                container,
                "Block",
                at,
                "a WebVTT block without its id and settings lines",
            ));
        };
        return Ok((id.into(), settings.into(), text.unwrap_or("").into()));
    }
    let text = utf8(block)?;
    let more = utf8(addition.unwrap_or(b""))?;
    let (settings, id) = more.split_once('\n').unwrap_or((&more, ""));
    let id = id.split('\n').next().unwrap_or("");
    Ok((id.into(), settings.into(), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_read_back() {
        for c in [Container::Webm, Container::Matroska] {
            for (id, settings, text) in
                [("", "", "a\n\nb"), ("one", "align:start", "<b>x</b>"), ("", "line:0", "")]
            {
                let (block, more) = webvtt_block(c, id, settings, text);
                let back = read_webvtt_block(c, &block, more.as_deref(), 0).unwrap();
                assert_eq!(back, (id.into(), settings.into(), text.into()), "{c:?}");
            }
        }
    }

    #[test]
    fn webm_entry_names_the_codec_and_language() {
        let e = webvtt_track_entry(3, Container::Webm, "WEBVTT", "en", Some("English"));
        let els = children(&e, 0, Container::Webm, "TrackEntry").unwrap();
        let get = |id| els.iter().find(|e| e.id == id).map(|e| e.body);
        assert_eq!(get(CODEC_ID), Some(&b"D_WEBVTT/SUBTITLES"[..]));
        assert_eq!(get(LANGUAGE), Some(&b"eng"[..]));
        assert_eq!(get(NAME), Some(&b"English"[..]));
        assert_eq!(get(CODEC_PRIVATE), None);
        let e = webvtt_track_entry(3, Container::Matroska, "WEBVTT", "pt-BR", None);
        let els = children(&e, 0, Container::Matroska, "TrackEntry").unwrap();
        let get = |id| els.iter().find(|e| e.id == id).map(|e| e.body);
        assert_eq!(get(LANGUAGE), Some(&b"por"[..]));
        assert_eq!(get(LANGUAGE_BCP47), Some(&b"pt-BR"[..]));
        assert_eq!(get(CODEC_PRIVATE), Some(&b"WEBVTT"[..]));
    }
}
