//! Writing WebM/Matroska from output tracks: EBML header, a Segment of known size with Info,
//! Tracks (the source's TrackEntry kept, CodecDelay set for the trimmed Opus head), Clusters of
//! SimpleBlocks (BlockGroups where DiscardPadding or BlockAdditional alpha is needed), and Cues.
//! The layout is computed from the final packet sizes first, then frame data streams to the sink.

use super::ebml::*;
use crate::media::output::{packet_bytes, write_packet, OutTrack};
use crate::media::{ByteSink, ByteSource, Codec, Container, MediaError, TrackKind};
use crate::{Rounding, Time};

/// One block to write: everything but the frame data is prepared in memory.
struct Block {
    track: usize,
    packet: usize,
    /// Element bytes before the frame data.
    prefix: Vec<u8>,
    /// Element bytes after the frame data (BlockGroup children).
    suffix: Vec<u8>,
    size: u64,
}

struct Cluster {
    timecode: i64,
    blocks: Vec<Block>,
    key_tracks: Vec<u64>,
}

fn ms(v: i64, scale: u32) -> i64 {
    Time::new(v, scale).rescale(1000, Rounding::Nearest).value()
}

/// Writes `tracks` as WebM (or Matroska when `container` says so); returns the bytes written.
pub fn write_webm(
    tracks: &[OutTrack],
    src: &mut dyn ByteSource,
    sink: &mut dyn ByteSink,
) -> Result<u64, MediaError> {
    write_matroska(tracks, Container::Webm, src, sink)
}

pub fn write_matroska(
    tracks: &[OutTrack],
    container: Container,
    src: &mut dyn ByteSource,
    sink: &mut dyn ByteSink,
) -> Result<u64, MediaError> {
    for t in tracks {
        if t.track.descriptions.len() != 1 || t.track.codec_id.len() <= 4 {
            return Err(MediaError::Mux(format!(
                "track {} has no Matroska TrackEntry (source was not WebM/Matroska)",
                t.track.id
            )));
        }
        if let Some(k) = t.packets.iter().position(|p| p.data.size().is_none()) {
            return Err(MediaError::Mux(format!(
                "track {} packet {k} still needs re-encoding",
                t.track.id
            )));
        }
    }
    // Each track's pre-roll (decoded, not shown): block timestamps move up by it and CodecDelay
    // (with OpusHead's pre-skip) says to drop it, so that showing starts at `shown_start`.
    let delays: Vec<i64> = tracks
        .iter()
        .map(|t| {
            t.packets
                .first()
                .map_or(0, |p| ms(t.shown_start.saturating_sub(p.pts), t.track.timescale).max(0))
        })
        .collect();
    let mut ebml = Vec::new();
    let mut body = Vec::new();
    write_uint(&mut body, 0x4286, 1);
    write_uint(&mut body, 0x42F7, 1);
    write_uint(&mut body, 0x42F2, 4);
    write_uint(&mut body, 0x42F3, 8);
    write_el(&mut body, DOC_TYPE, if container == Container::Webm { b"webm" } else { b"matroska" });
    write_uint(&mut body, 0x4287, 4);
    write_uint(&mut body, 0x4285, 2);
    write_el(&mut ebml, EBML, &body);

    let duration_ms = tracks
        .iter()
        .map(|t| {
            Time::new(t.shown_start.max(0).saturating_add(t.shown_duration), t.track.timescale)
                .seconds()
                * 1000.0
        })
        .fold(0.0, f64::max);
    let mut info = Vec::new();
    write_uint(&mut info, TIMECODE_SCALE, 1_000_000);
    write_el(&mut info, DURATION, &duration_ms.to_bits().to_be_bytes());
    write_el(&mut info, MUXING_APP, b"outtake");
    write_el(&mut info, WRITING_APP, b"outtake");
    let mut info_el = Vec::new();
    write_el(&mut info_el, INFO, &info);

    let mut entries = Vec::new();
    for (t, &delay) in tracks.iter().zip(&delays) {
        let mut e = Vec::new();
        for el in children(&t.track.descriptions[0], 0, container, "TrackEntry")? {
            match el.id {
                CODEC_DELAY => {}
                // Opus decoders drop OpusHead's pre-skip and players drop CodecDelay: both must
                // name the decoded pre-roll before the in-point.
                CODEC_PRIVATE
                    if matches!(t.track.codec, Codec::Opus { .. }) && el.body.len() >= 19 =>
                {
                    let mut head = el.body.to_vec();
                    let skip = u16::try_from(delay.saturating_mul(48)).unwrap_or(u16::MAX);
                    head[10..12].copy_from_slice(&skip.to_le_bytes());
                    write_el(&mut e, el.id, &head);
                }
                _ => write_el(&mut e, el.id, el.body),
            }
        }
        let ns = delay.saturating_mul(1_000_000);
        if ns > 0 || matches!(t.track.codec, Codec::Opus { .. }) {
            write_uint(&mut e, CODEC_DELAY, ns.max(0) as u64);
        }
        write_el(&mut entries, TRACK_ENTRY, &e);
    }
    let mut tracks_el = Vec::new();
    write_el(&mut tracks_el, TRACKS, &entries);

    let clusters = layout(tracks, &delays, src)?;
    let cluster_sizes: Vec<u64> = clusters.iter().map(cluster_body_len).collect();
    let head_len = (info_el.len() + tracks_el.len()) as u64;
    // Cues: one point per cluster that starts with a video keyframe.
    let mut cues = Vec::new();
    let mut pos = head_len;
    for (c, size) in clusters.iter().zip(&cluster_sizes) {
        for &tn in &c.key_tracks {
            let mut tp = Vec::new();
            write_uint(&mut tp, CUE_TRACK, tn);
            write_uint(&mut tp, CUE_CLUSTER_POSITION, pos);
            let mut cp = Vec::new();
            write_uint(&mut cp, CUE_TIME, c.timecode.max(0) as u64);
            write_el(&mut cp, CUE_TRACK_POSITIONS, &tp);
            write_el(&mut cues, CUE_POINT, &cp);
        }
        pos += 4 + 8 + size;
    }
    let mut cues_el = Vec::new();
    if !cues.is_empty() {
        write_el(&mut cues_el, CUES, &cues);
    }
    let segment_len = pos + cues_el.len() as u64;
    let mut seg_head = Vec::new();
    write_id(&mut seg_head, SEGMENT);
    write_size(&mut seg_head, segment_len, true);
    sink.write(&ebml)?;
    sink.write(&seg_head)?;
    sink.write(&info_el)?;
    sink.write(&tracks_el)?;
    for (c, size) in clusters.iter().zip(&cluster_sizes) {
        let mut head = Vec::new();
        write_id(&mut head, CLUSTER);
        write_size(&mut head, *size, true);
        write_uint(&mut head, TIMECODE, c.timecode.max(0) as u64);
        sink.write(&head)?;
        for b in &c.blocks {
            sink.write(&b.prefix)?;
            write_packet(src, &tracks[b.track].packets[b.packet].data, sink)?;
            sink.write(&b.suffix)?;
        }
    }
    sink.write(&cues_el)?;
    Ok((ebml.len() + seg_head.len()) as u64 + segment_len)
}

fn cluster_body_len(c: &Cluster) -> u64 {
    let mut tc = Vec::new();
    write_uint(&mut tc, TIMECODE, c.timecode.max(0) as u64);
    tc.len() as u64
        + c.blocks
            .iter()
            .map(|b| b.prefix.len() as u64 + b.size + b.suffix.len() as u64)
            .sum::<u64>()
}

/// Orders packets by decode time across tracks and cuts clusters at video keyframes (or every
/// ~5 s, and before relative timestamps would overflow 16 bits).
fn layout(
    tracks: &[OutTrack],
    delays: &[i64],
    src: &mut dyn ByteSource,
) -> Result<Vec<Cluster>, MediaError> {
    let mut order: Vec<(Time, usize, usize)> = Vec::new();
    for (ti, t) in tracks.iter().enumerate() {
        for (pi, p) in t.packets.iter().enumerate() {
            order.push((Time::new(p.dts, t.track.timescale), ti, pi));
        }
    }
    crate::sort::sort(&mut order);
    let has_video = tracks.iter().any(|t| t.track.kind == TrackKind::Video);
    let mut clusters: Vec<Cluster> = Vec::new();
    for (_, ti, pi) in order {
        let t = &tracks[ti];
        let p = &t.packets[pi];
        let ts = ms(p.pts, t.track.timescale).saturating_add(delays[ti]);
        let video_key = t.track.kind == TrackKind::Video && p.keyframe;
        let need_new = match clusters.last() {
            None => true,
            Some(c) => {
                let rel = ts.saturating_sub(c.timecode);
                video_key || (!has_video && rel > 5000) || !(-32768..=30_000).contains(&rel)
            }
        };
        if need_new {
            clusters.push(Cluster {
                timecode: ts.max(0),
                blocks: Vec::new(),
                key_tracks: Vec::new(),
            });
        }
        let Some(c) = clusters.last_mut() else { continue };
        if video_key && c.blocks.is_empty() {
            c.key_tracks.push(t.track.id as u64);
        }
        let rel = ts.saturating_sub(c.timecode).clamp(-32768, 32767) as i16;
        let size = p.data.size().unwrap_or(0) as u64;
        let mut bh = Vec::new();
        write_size(&mut bh, t.track.id as u64, false);
        bh.extend_from_slice(&rel.to_be_bytes());
        let last_audio =
            t.track.kind == TrackKind::Audio && pi + 1 == t.packets.len() && t.trim_end > 0;
        let addition = match &p.addition {
            Some((id, data)) => {
                let mut bytes = Vec::new();
                packet_bytes(src, data, &mut bytes)?;
                Some((*id, bytes))
            }
            None => None,
        };
        // Subtitle blocks need a BlockDuration, which only a BlockGroup holds.
        let text = crate::media::text_track::is_webvtt(&t.track);
        let (prefix, suffix) = if !last_audio && addition.is_none() && !text {
            bh.push(if p.keyframe { 0x80 } else { 0 });
            let mut prefix = Vec::new();
            write_id(&mut prefix, SIMPLE_BLOCK);
            write_size(&mut prefix, bh.len() as u64 + size, false);
            prefix.extend_from_slice(&bh);
            (prefix, Vec::new())
        } else {
            bh.push(0);
            let mut suffix = Vec::new();
            if !p.keyframe {
                write_sint(&mut suffix, REFERENCE_BLOCK, -1);
            }
            if text {
                write_uint(
                    &mut suffix,
                    BLOCK_DURATION,
                    ms(p.duration as i64, t.track.timescale).max(0) as u64,
                );
            }
            if last_audio {
                let ns = Time::new(t.trim_end, t.track.timescale)
                    .rescale(1_000_000_000, Rounding::Nearest)
                    .value();
                write_sint(&mut suffix, DISCARD_PADDING, ns);
            }
            if let Some((id, data)) = &addition {
                let mut more = Vec::new();
                write_uint(&mut more, BLOCK_ADD_ID, *id);
                write_el(&mut more, BLOCK_ADDITIONAL, data);
                let mut adds = Vec::new();
                write_el(&mut adds, BLOCK_MORE, &more);
                write_el(&mut suffix, BLOCK_ADDITIONS, &adds);
            }
            let mut block_head = Vec::new();
            write_id(&mut block_head, BLOCK);
            write_size(&mut block_head, bh.len() as u64 + size, false);
            block_head.extend_from_slice(&bh);
            let group_len = block_head.len() as u64 + size + suffix.len() as u64;
            let mut prefix = Vec::new();
            write_id(&mut prefix, BLOCK_GROUP);
            write_size(&mut prefix, group_len, false);
            prefix.extend_from_slice(&block_head);
            (prefix, suffix)
        };
        c.blocks.push(Block { track: ti, packet: pi, prefix, suffix, size });
    }
    Ok(clusters)
}

/// A TrackEntry body with its CodecPrivate replaced (or added): for a re-encoded head whose
/// encoder configuration differs, since Matroska has one configuration per track (put the
/// source's parameter sets in-band with [`crate::media::OutTrack::inline_source_parameter_sets`]).
pub fn with_codec_private(entry: &[u8], private: &[u8]) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    for el in children(entry, 0, Container::Matroska, "TrackEntry")? {
        if el.id != CODEC_PRIVATE {
            write_el(&mut out, el.id, el.body);
        }
    }
    write_el(&mut out, CODEC_PRIVATE, private);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_private_is_replaced() {
        let mut entry = Vec::new();
        write_uint(&mut entry, TRACK_NUMBER, 1);
        write_el(&mut entry, CODEC_ID, b"V_MPEG4/ISO/AVC");
        write_el(&mut entry, CODEC_PRIVATE, &[1, 2, 3]);
        let out = with_codec_private(&entry, &[9, 9]).unwrap();
        let els = children(&out, 0, Container::Matroska, "").unwrap();
        let privates: Vec<&[u8]> =
            els.iter().filter(|e| e.id == CODEC_PRIVATE).map(|e| e.body).collect();
        assert_eq!(privates, vec![&[9u8, 9][..]]);
        assert!(els.iter().any(|e| e.id == CODEC_ID && e.body == b"V_MPEG4/ISO/AVC"));
    }
}
