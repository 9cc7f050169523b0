//! Trimming into another container than the input's (`format`): every output track gets a
//! description of the new container (an MP4 sample entry, or a Matroska TrackEntry) made from its
//! codec configuration, and codecs the container cannot hold fail before any work, named.

use super::{mp4, webm, Container, MediaError, MediaInfo, OutTrack, Track};

/// Whether the tracks need new descriptions: MP4 sample entries and Matroska TrackEntries do not
/// translate; WebM and Matroska share theirs.
fn crosses(from: Container, to: Container) -> bool {
    (from == Container::Mp4) != (to == Container::Mp4)
}

/// The description of `t` in `to`, and the codec id the muxer checks it by (the MP4 fourcc or
/// the Matroska CodecID).
pub fn describe(t: &Track, to: Container) -> Result<(Vec<u8>, String), MediaError> {
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
