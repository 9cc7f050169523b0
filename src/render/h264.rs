//! H.264 parameter sets across joints. Re-encoded runs have their encoder's SPS/PPS, and copied
//! packets their source's; a render from several files has one set per file.
//!
//! NOTE: the mechanism is one sample description for the whole track (one `stsd` entry in MP4,
//! one CodecPrivate in Matroska) and the SPS/PPS put in-band, in front of the first packet after
//! every change of parameter sets. Why not a sample description per change: Chromium's
//! `<video src>` builds its H.264 converter from the first sample description and ignores later
//! ones, and ffmpeg's stream parser keeps the first avcC and reports errors where it changes
//! (`tests/media_smartcut.rs` measures it); an `avc1` track with in-band SPS/PPS switches plays
//! and decodes in Chromium (`../shared/ANCHORS.md`, measured for trim) and decodes in ffmpeg
//! without a message (`tests/render_joints.rs`). MSE wants the first parameter sets in the sample
//! entry, which they are. Every change falls on an IDR (each segment and each re-encoded run
//! starts with one), where H.264 lets the active SPS change.

use super::join::Joined;
use super::reencode::FilledRun;
use super::Prepared;
use crate::media::codec::avcc_parameter_sets;
use crate::media::{mp4, sps, webm, Codec, Container, MediaError, PacketData};

/// The avcC of a source track, or `None` for a track that is no length-prefixed H.264.
fn source_avcc(prepared: &Prepared, source: usize, track: usize) -> Option<&[u8]> {
    let t = prepared.track(source, track)?;
    match &t.codec {
        Codec::H264 { avcc } if !t.annex_b => Some(avcc),
        _ => None,
    }
}

fn nal_length(avcc: &[u8]) -> Option<u8> {
    avcc.get(4).map(|b| b & 3)
}

/// Gives every H.264 track of `joined` one description, and in-band parameter sets wherever the
/// packets' own differ from the ones before.
pub fn store(
    joined: &mut Joined,
    runs: &[FilledRun],
    prepared: &Prepared,
    container: Container,
) -> Result<(), MediaError> {
    for ti in 0..joined.tracks.len() {
        let origins = &joined.origins[ti];
        let Some(&o0) = origins.first() else { continue };
        let t = &joined.tracks[ti].track;
        if !matches!(t.codec, Codec::H264 { .. }) || t.annex_b {
            continue; // Annex B keeps its parameter sets in-band already; other codecs have none.
        }
        let track_runs: Vec<&FilledRun> = runs.iter().filter(|r| r.track == ti).collect();
        if track_runs.is_empty() && prepared.segments.len() == 1 {
            continue; // A copy-only trim: the source's description as it is.
        }
        // A segment re-encoded whole went through RGB (`wasm::media::letterbox`): its encoder's
        // SPS says what it made (Chromium's: full range) and is kept. Copied sets that say
        // nothing of their range then say limited, the default they mean: otherwise a decoder
        // that carries the last range over (ffmpeg does) shows them as full range.
        let mut any_full = false;
        // Each packet's parameter sets: its run's encoder's (with its source's colour
        // signalling, see `media::sps`), or its source's.
        let mut sets: Vec<Vec<u8>> = Vec::with_capacity(origins.len());
        for (i, o) in origins.iter().enumerate() {
            // A segment re-encoded whole may come from another codec: it has no avcC of its own.
            let source = source_avcc(prepared, o.source, o.track);
            let avcc = match track_runs.iter().find(|r| r.packets.contains(&i)) {
                Some(r) => {
                    let ours = r.description.as_deref().ok_or_else(|| {
                        MediaError::Encode("the H.264 encoder gave no avcC".into())
                    })?;
                    if prepared.segments[o.segment].whole {
                        any_full |= sps::avcc_signal_type(ours).is_some_and(|s| s.full_range);
                        ours.to_vec()
                    } else {
                        source
                            .and_then(sps::avcc_signal_type)
                            .and_then(|s| sps::avcc_with_signal_type(ours, &s))
                            .unwrap_or_else(|| ours.to_vec())
                    }
                }
                None => {
                    let source = source.ok_or_else(|| {
                        MediaError::Unsupported(format!(
                            "segment {}: H.264 stored as Annex B cannot join length-prefixed H.264",
                            o.segment
                        ))
                    })?;
                    let limited =
                        sps::SignalType { video_format: 5, full_range: false, colour: None };
                    match sps::avcc_signal_type(source) {
                        None if any_full => sps::avcc_with_signal_type(source, &limited)
                            .unwrap_or_else(|| source.to_vec()),
                        _ => source.to_vec(),
                    }
                }
            };
            sets.push(avcc);
        }
        let out = &mut joined.tracks[ti];
        // The description: MP4 takes the first packet's parameter sets (a new sample entry when
        // they are an encoder's).
        let (desc, mut active) = if container == Container::Mp4 {
            let first = sets[0].clone();
            let own = source_avcc(prepared, o0.source, o0.track).map(<[u8]>::to_vec);
            let index = if own.as_ref() == Some(&first) {
                out.packets[0].description
            } else {
                let like = out.track.descriptions.first().cloned().unwrap_or_default();
                let (w, h) = (out.track.width as u16, out.track.height as u16);
                out.add_description(mp4::avc1_entry_like(&like, w, h, &first))
            };
            (index, first)
        } else {
            // Matroska keeps one CodecPrivate: the first packet's parameter sets, which are the
            // first source's unless the output's configuration is new.
            if prepared.target.as_ref().is_some_and(|t| t.new) {
                let first = sets[0].clone();
                let entry = out.track.descriptions.first().cloned().unwrap_or_default();
                out.track.descriptions = vec![webm::with_codec_private(&entry, &first)?];
                if let Codec::H264 { avcc } = &mut out.track.codec {
                    avcc.clone_from(&first);
                }
                (0, first)
            } else {
                (0, source_avcc(prepared, o0.source, o0.track).unwrap_or_default().to_vec())
            }
        };
        for (p, avcc) in out.packets.iter_mut().zip(&sets) {
            p.description = desc;
            if *avcc == active {
                continue;
            }
            if nal_length(avcc) != nal_length(&active) {
                return Err(MediaError::Unsupported(
                    "H.264 parameter sets with different NAL length sizes cannot share a track"
                        .into(),
                ));
            }
            let prefix = avcc_parameter_sets(avcc)
                .ok_or_else(|| MediaError::Encode("an avcC without SPS/PPS".into()))?;
            p.data = match std::mem::replace(&mut p.data, PacketData::Pending) {
                PacketData::Memory(mut d) => {
                    d.splice(0..0, prefix);
                    PacketData::Memory(d)
                }
                PacketData::Source { offset, size } => {
                    PacketData::Prefixed { prefix, offset, size }
                }
                other => other,
            };
            active = avcc.clone();
        }
    }
    Ok(())
}
