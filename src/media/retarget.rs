//! Trimming into another container than the input's (`format`): every output track gets a
//! description of the new container (an MP4 sample entry, or a Matroska TrackEntry) made from its
//! codec configuration, and codecs the container cannot hold fail before any work, named.

use super::{mp4, webm, Container, MediaError, MediaInfo, OutTrack, Track, TrackKind};

/// Whether the tracks need new descriptions: MP4 sample entries and Matroska TrackEntries do not
/// translate; WebM and Matroska share theirs.
fn crosses(from: Container, to: Container) -> bool {
    (from == Container::Mp4) != (to == Container::Mp4)
}

/// The description of `t` in `to`, and the codec id the muxer checks it by (the MP4 fourcc or
/// the Matroska CodecID).
pub fn describe(t: &Track, to: Container) -> Result<(Vec<u8>, String), MediaError> {
    // The new description follows the codec, the track's header its kind: a file that says
    // both (a WebM TrackType of subtitles with a V_VP9 CodecID) has no faithful translation.
    if let Some(kind) = t.codec.kind().filter(|k| *k != t.kind) {
        return Err(MediaError::Unsupported(format!(
            "track {}: {} is a {} codec in a track of kind {}, which cannot go into {}",
            t.id,
            t.codec_string,
            kind_name(kind),
            kind_name(t.kind),
            to.name()
        )));
    }
    if to == Container::Mp4 {
        let entry = mp4::sample_entry_for(t)?;
        let fourcc = String::from_utf8_lossy(&entry[4..8]).into_owned();
        Ok((entry, fourcc))
    } else {
        let entry = webm::track_entry_for(t, to)?;
        let codec_id = matroska_codec_id(&entry).unwrap_or_default();
        Ok((entry, codec_id))
    }
}

fn kind_name(k: TrackKind) -> &'static str {
    match k {
        TrackKind::Video => "video",
        TrackKind::Audio => "audio",
        TrackKind::Other => "other",
    }
}

/// Fails, naming the track and codec, when a track of `info` cannot go into `to`: call it
/// before any decoding. Alpha (Matroska BlockAdditions) has no place in MP4.
pub fn check_format(info: &MediaInfo, to: Container) -> Result<(), MediaError> {
    for t in &info.tracks {
        if crosses(info.container, to) {
            describe(t, to)?;
        } else if to == Container::Webm && info.container != Container::Webm {
            // Matroska to WebM keeps the TrackEntry, if WebM takes the codec.
            webm::track_entry_for(t, to)?;
        }
        if to == Container::Mp4 && t.samples.iter().any(|s| s.addition.is_some()) {
            return Err(MediaError::Unsupported(format!(
                "track {}: {} with alpha (BlockAdditional) cannot go into MP4: trim to \"webm\"",
                t.id, t.codec_string
            )));
        }
    }
    Ok(())
}

/// Gives every track of `tracks` (made from a `from` file) the descriptions of `to`; packets then
/// all use the one new description.
pub fn retarget(tracks: &mut [OutTrack], from: Container, to: Container) -> Result<(), MediaError> {
    if !crosses(from, to) {
        return Ok(());
    }
    for t in tracks {
        let (entry, codec_id) = describe(&t.track, to)?;
        t.track.descriptions = vec![entry];
        t.track.codec_id = codec_id;
        for p in &mut t.packets {
            p.description = 0;
        }
    }
    Ok(())
}

/// The CodecID written in a TrackEntry body.
fn matroska_codec_id(entry: &[u8]) -> Option<String> {
    let els = webm::ebml::children(entry, 0, Container::Matroska, "TrackEntry").ok()?;
    els.iter()
        .find(|e| e.id == webm::ebml::CODEC_ID)
        .map(|e| String::from_utf8_lossy(e.body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::Codec;
    use crate::Time;

    fn info(container: Container, kind: TrackKind, codec: Codec) -> MediaInfo {
        let mut t = Track::new(1, kind, 1000);
        t.codec = codec;
        t.codec_string = "vp09.00.10.08".into();
        MediaInfo { container, duration: Time::new(1, 1), tracks: vec![t] }
    }

    /// Found by the render_timeline fuzz target: a WebM whose TrackType is not video but whose
    /// CodecID is V_VP9 reached the MP4 writer's video sample entry (a debug assertion; in
    /// release, a video entry in a track that is not video).
    #[test]
    fn a_codec_in_a_track_of_another_kind_is_refused_not_described() {
        let vp9 = || Codec::Vp9 { vpcc: vec![] };
        for (from, to, kind) in [
            (Container::Webm, Container::Mp4, TrackKind::Other),
            (Container::Webm, Container::Mp4, TrackKind::Audio),
            (Container::Mp4, Container::Webm, TrackKind::Other),
        ] {
            let err = check_format(&info(from, kind, vp9()), to).unwrap_err();
            assert_eq!(crate::Coded::code(&err), "ERR_UNSUPPORTED_CODEC", "{from:?} → {to:?}");
            assert!(err.to_string().contains("video codec in a track of kind"), "{err}");
        }
        assert!(
            check_format(&info(Container::Webm, TrackKind::Video, vp9()), Container::Mp4).is_ok()
        );
    }
}
