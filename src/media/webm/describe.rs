//! Matroska TrackEntry bodies made from a track's codec configuration, for tracks that come from
//! another container (an MP4 trimmed to WebM or Matroska). WebM takes only VP8, VP9, AV1, Opus
//! and Vorbis; Matroska also H.264, HEVC, AAC and (E-)AC-3.

use super::ebml::*;
use crate::media::{codec, Codec, Container, MediaError, Track, TrackKind};

/// The CodecID and CodecPrivate of `t` in `container`, or why it has none there.
fn codec_of(t: &Track, container: Container) -> Result<(&'static str, Vec<u8>), MediaError> {
    let unsupported =
        |why: &str| MediaError::Unsupported(format!("track {}: {} {why}", t.id, t.codec_string));
    let webm_ok =
        matches!(t.codec, Codec::Vp8 | Codec::Vp9 { .. } | Codec::Av1 { .. } | Codec::Opus { .. });
    if container == Container::Webm && !webm_ok {
        return Err(unsupported(
            "cannot go into WebM (VP8, VP9, AV1 and Opus only): trim to \"mp4\" or \"matroska\"",
        ));
    }
    Ok(match &t.codec {
        Codec::H264 { avcc } => ("V_MPEG4/ISO/AVC", avcc.clone()),
        Codec::Hevc { hvcc } => ("V_MPEGH/ISO/HEVC", hvcc.clone()),
        Codec::Vp8 => ("V_VP8", Vec::new()),
        // The MP4 vpcC is not Matroska's VP9 CodecPrivate (which is optional): leave it out.
        Codec::Vp9 { .. } => ("V_VP9", Vec::new()),
        Codec::Av1 { av1c } => ("V_AV1", av1c.clone()),
        Codec::Opus { head } => (
            "A_OPUS",
            codec::opus_head_from_dops(head).ok_or_else(|| unsupported("has no readable dOps"))?,
        ),
        Codec::Aac { asc } => ("A_AAC", asc.clone()),
        Codec::Eac3 => ("A_EAC3", Vec::new()),
        Codec::Ac3 => ("A_AC3", Vec::new()),
        Codec::Other(_) => return Err(unsupported("has no Matroska CodecID here")),
    })
}

/// The TrackEntry body for `t` in `container` (WebM or Matroska), numbered by its id.
pub fn track_entry_for(t: &Track, container: Container) -> Result<Vec<u8>, MediaError> {
    if t.rotation != 0 {
        return Err(MediaError::Unsupported(format!(
            "track {}: the picture is rotated {}°, which WebM and Matroska players do not apply: trim to \"mp4\"",
            t.id, t.rotation
        )));
    }
    let (id, private) = codec_of(t, container)?;
    let mut e = Vec::new();
    write_uint(&mut e, TRACK_NUMBER, t.id as u64);
    write_uint(&mut e, TRACK_UID, t.id as u64);
    write_uint(&mut e, TRACK_TYPE, if t.kind == TrackKind::Video { 1 } else { 2 });
    write_el(&mut e, CODEC_ID, id.as_bytes());
    if !private.is_empty() {
        write_el(&mut e, CODEC_PRIVATE, &private);
    }
    if t.kind == TrackKind::Video {
        let mut v = Vec::new();
        write_uint(&mut v, PIXEL_WIDTH, t.width as u64);
        write_uint(&mut v, PIXEL_HEIGHT, t.height as u64);
        if t.pixel_aspect != (1, 1) {
            let (h, w) = (t.pixel_aspect.0 as u64, t.pixel_aspect.1.max(1) as u64);
            write_uint(&mut v, DISPLAY_WIDTH, (t.width as u64 * h + w / 2) / w);
            write_uint(&mut v, DISPLAY_HEIGHT, t.height as u64);
        }
        write_el(&mut e, VIDEO, &v);
    } else {
        let mut a = Vec::new();
        write_el(&mut a, SAMPLING_FREQUENCY, &(t.sample_rate as f64).to_bits().to_be_bytes());
        write_uint(&mut a, CHANNELS, t.channels.max(1) as u64);
        write_el(&mut e, AUDIO, &a);
    }
    Ok(e)
}
