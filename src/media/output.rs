//! The muxers' input: output tracks whose packets come from the source file (copied) or from
//! memory (re-encoded by the browser layer), built from a cut plan. Final packet sizes must be
//! known before muxing so that a progressive MP4 can put its moov in front.

use super::{Action, CutPlan, MediaError, MediaInfo, Track};

/// Where an output packet's bytes are.
#[derive(Clone, Debug, PartialEq)]
pub enum PacketData {
    /// Copied from the source.
    Source { offset: u64, size: u32 },
    /// Produced in memory (a re-encoded frame).
    Memory(Vec<u8>),
    /// To be re-encoded; the muxer refuses it until replaced.
    Pending,
}

impl PacketData {
    pub fn size(&self) -> Option<u32> {
        match self {
            PacketData::Source { size, .. } => Some(*size),
            PacketData::Memory(v) => u32::try_from(v.len()).ok(),
            PacketData::Pending => None,
        }
    }
}

/// One packet to write. Times in the track timescale; output 0 is the first shown instant.
#[derive(Clone, Debug, PartialEq)]
pub struct OutPacket {
    pub dts: i64,
    pub pts: i64,
    pub duration: u32,
    pub keyframe: bool,
    /// Index into the track's `descriptions` (MP4 `stsd` entry).
    pub description: u32,
    pub data: PacketData,
    pub discard_padding_ns: i64,
    /// Matroska BlockAdditional copied from the source: (BlockAddID, offset, size).
    pub addition: Option<(u64, u64, u32)>,
    /// Index of the source sample, when there is one.
    pub source_sample: Option<usize>,
}

/// One track to write: the source track's metadata, its packets in decode order, and the
/// presentation window (edit list) of the output.
#[derive(Clone, Debug)]
pub struct OutTrack {
    pub track: Track,
    pub packets: Vec<OutPacket>,
    /// Shown duration in the track timescale, from pts 0.
    pub shown_duration: i64,
    /// Audio: ticks to drop at the end of the last packet.
    pub trim_end: i64,
}

/// The output tracks of a plan: copied packets point into the source, re-encoded ones are
/// `Pending` (the browser layer fills them in, adding a sample description when its encoder's
/// configuration differs).
pub fn output_tracks(info: &MediaInfo, plan: &CutPlan) -> Vec<OutTrack> {
    let mut out = Vec::new();
    for tp in &plan.tracks {
        let Some(src) = info.tracks.iter().find(|t| t.id == tp.track_id) else { continue };
        let mut track = src.clone();
        track.samples = Vec::new();
        let packets = tp
            .packets
            .iter()
            .filter_map(|p| {
                let s = src.samples.get(p.sample)?;
                let data = match p.action {
                    Action::Reencode => PacketData::Pending,
                    _ => PacketData::Source { offset: s.offset, size: s.size },
                };
                Some(OutPacket {
                    dts: p.dts,
                    pts: p.pts,
                    duration: p.duration,
                    keyframe: s.keyframe && s.decode_start || (p.action == Action::Reencode && p.pts == 0),
                    description: s.description,
                    data,
                    discard_padding_ns: 0,
                    addition: s.addition,
                    source_sample: Some(p.sample),
                })
            })
            .collect();
        out.push(OutTrack { track, packets, shown_duration: tp.shown_duration, trim_end: tp.trim_end });
    }
    out
}

/// Fails with `ERR_NEEDS_REENCODE` when a plan cannot be written by copying alone.
pub fn require_copy_only(info: &MediaInfo, plan: &CutPlan) -> Result<(), MediaError> {
    for tp in plan.tracks.iter().filter(|t| t.frames_reencoded > 0) {
        let frames: Vec<u64> = tp
            .packets
            .iter()
            .filter(|p| p.action == Action::Reencode)
            .filter_map(|p| {
                // Presentation index among shown frames: samples before 0 are hidden by the edit list.
                let t = info.tracks.iter().find(|t| t.id == tp.track_id)?;
                let hidden = t.samples.iter().filter(|s| s.pts < 0).count();
                let k = t.presentation_order().iter().position(|&i| i == p.sample)?;
                Some(k.saturating_sub(hidden) as u64)
            })
            .collect();
        return Err(MediaError::NeedsReencode {
            track: tp.track_id,
            count: tp.frames_reencoded,
            first: frames.iter().copied().min().unwrap_or(0),
            last: frames.iter().copied().max().unwrap_or(0),
            decode_from: tp.decode.first().copied().unwrap_or(0) as u64,
        });
    }
    Ok(())
}

/// Copies a packet's bytes to `out`.
pub(crate) fn packet_bytes(src: &mut dyn super::ByteSource, data: &PacketData, buf: &mut Vec<u8>) -> Result<(), MediaError> {
    buf.clear();
    match data {
        PacketData::Source { offset, size } => {
            buf.resize(*size as usize, 0);
            src.read_at(*offset, buf)
        }
        PacketData::Memory(v) => {
            buf.extend_from_slice(v);
            Ok(())
        }
        PacketData::Pending => Err(MediaError::Mux("a packet still needs re-encoding".into())),
    }
}
