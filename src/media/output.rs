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
    /// Copied from the source after bytes from memory (in-band parameter sets).
    Prefixed { prefix: Vec<u8>, offset: u64, size: u32 },
    /// To be re-encoded; the muxer refuses it until replaced.
    Pending,
}

impl PacketData {
    pub fn size(&self) -> Option<u32> {
        match self {
            PacketData::Source { size, .. } => Some(*size),
            PacketData::Memory(v) => u32::try_from(v.len()).ok(),
            PacketData::Prefixed { prefix, size, .. } => {
                u32::try_from(prefix.len()).ok()?.checked_add(*size)
            }
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
    /// Matroska BlockAdditional (BlockAddID, bytes): VP8/VP9 alpha. Copied from the source with
    /// its frame, or re-encoded (`Pending` until then) with it.
    pub addition: Option<(u64, PacketData)>,
    /// Index of the source sample, when there is one.
    pub source_sample: Option<usize>,
}

/// One track to write: the source track's metadata, its packets in decode order, and the
/// presentation window (edit list) of the output.
#[derive(Clone, Debug)]
pub struct OutTrack {
    pub track: Track,
    pub packets: Vec<OutPacket>,
    /// Output time (track timescale) where the track starts showing: 0 for video, the audio's
    /// offset from the video's landing point otherwise. Packets before it are pre-roll.
    pub shown_start: i64,
    /// Shown duration in the track timescale, from `shown_start`.
    pub shown_duration: i64,
    /// Audio: ticks to drop at the end of the last packet.
    pub trim_end: i64,
}

impl OutTrack {
    /// Adds a sample description (a whole MP4 sample entry box, see
    /// [`crate::media::mp4::avc1_entry`]) and returns its index, for packets whose encoder
    /// configuration differs from the source's.
    pub fn add_description(&mut self, entry: Vec<u8>) -> u32 {
        self.track.descriptions.push(entry);
        (self.track.descriptions.len() - 1) as u32
    }

    /// Indices (into `packets`) still to be encoded, in output order; feed the encoder the
    /// decoded frames of the same source samples (`source_sample`) in this order.
    pub fn pending(&self) -> Vec<usize> {
        self.packets
            .iter()
            .enumerate()
            .filter(|(_, p)| p.data == PacketData::Pending)
            .map(|(i, _)| i)
            .collect()
    }

    /// Puts an encoded frame in place of a pending packet. Its timing stays as planned (the
    /// encoder must not reorder frames).
    pub fn fill(
        &mut self,
        packet: usize,
        data: Vec<u8>,
        keyframe: bool,
        description: u32,
    ) -> Result<(), MediaError> {
        if description as usize >= self.track.descriptions.len().max(1) {
            return Err(MediaError::Mux(format!("no sample description {description}")));
        }
        let p = self
            .packets
            .get_mut(packet)
            .ok_or_else(|| MediaError::Mux(format!("no packet {packet}")))?;
        if p.data != PacketData::Pending {
            return Err(MediaError::Mux(format!(
                "packet {packet} is not waiting for an encoded frame"
            )));
        }
        p.data = PacketData::Memory(data);
        p.keyframe = keyframe;
        p.description = description;
        Ok(())
    }

    /// The single-description scheme for H.264 (what ANCHORS.md measured Chromium's `<video>`
    /// and WebCodecs to accept): every packet uses `description` (the re-encoded head's avcC),
    /// and the source's SPS/PPS go in-band in front of the first copied packet after re-encoded
    /// ones. Both avcC records must use the same NAL length size.
    pub fn inline_source_parameter_sets(&mut self, description: u32) -> Result<(), MediaError> {
        let crate::media::Codec::H264 { avcc } = &self.track.codec else {
            return Err(MediaError::Mux("in-band parameter sets are for H.264 tracks".into()));
        };
        let sets = crate::media::codec::avcc_parameter_sets(avcc)
            .ok_or_else(|| MediaError::Mux("source avcC has no SPS/PPS".into()))?;
        let mut after_memory = false;
        for p in &mut self.packets {
            match &p.data {
                PacketData::Memory(_) => after_memory = true,
                PacketData::Source { offset, size } if after_memory => {
                    p.data =
                        PacketData::Prefixed { prefix: sets.clone(), offset: *offset, size: *size };
                    after_memory = false;
                }
                _ => {}
            }
            p.description = description;
        }
        Ok(())
    }
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
                let source = |offset, size| match p.action {
                    Action::Reencode => PacketData::Pending,
                    _ => PacketData::Source { offset, size },
                };
                let data = source(s.offset, s.size);
                let addition = s.addition.map(|(id, offset, size)| (id, source(offset, size)));
                Some(OutPacket {
                    dts: p.dts,
                    pts: p.pts,
                    duration: p.duration,
                    keyframe: s.keyframe && s.decode_start
                        || (p.action == Action::Reencode && p.pts == 0),
                    description: s.description,
                    data,
                    discard_padding_ns: 0,
                    addition,
                    source_sample: Some(p.sample),
                })
            })
            .collect();
        out.push(OutTrack {
            track,
            packets,
            shown_start: tp.shown_start,
            shown_duration: tp.shown_duration,
            trim_end: tp.trim_end,
        });
    }
    out
}

/// Fails with `ERR_NEEDS_REENCODE` when a plan cannot be written by copying alone.
pub fn require_copy_only(info: &MediaInfo, plan: &CutPlan) -> Result<(), MediaError> {
    let Some(tp) = plan.tracks.iter().find(|t| t.frames_reencoded > 0) else { return Ok(()) };
    // Presentation index among shown frames: samples before 0 are hidden by the edit list.
    let mut index = Vec::new();
    if let Some(t) = info.tracks.iter().find(|t| t.id == tp.track_id) {
        let hidden = t.samples.iter().filter(|s| s.pts < 0).count();
        index = vec![0u64; t.samples.len()];
        for (k, i) in t.presentation_order().into_iter().enumerate() {
            index[i] = k.saturating_sub(hidden) as u64;
        }
    }
    let frames: Vec<u64> = tp
        .packets
        .iter()
        .filter(|p| p.action == Action::Reencode)
        .filter_map(|p| index.get(p.sample).copied())
        .collect();
    Err(MediaError::NeedsReencode {
        track: tp.track_id,
        count: tp.frames_reencoded,
        first: frames.iter().copied().min().unwrap_or(0),
        last: frames.iter().copied().max().unwrap_or(0),
        decode_from: tp.decode.first().copied().unwrap_or(0) as u64,
    })
}

/// Copies a packet's bytes to `out`.
pub(crate) fn packet_bytes(
    src: &mut dyn super::ByteSource,
    data: &PacketData,
    buf: &mut Vec<u8>,
) -> Result<(), MediaError> {
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
        PacketData::Prefixed { prefix, offset, size } => {
            buf.extend_from_slice(prefix);
            buf.resize(prefix.len() + *size as usize, 0);
            src.read_at(*offset, &mut buf[prefix.len()..])
        }
        PacketData::Pending => Err(MediaError::Mux("a packet still needs re-encoding".into())),
    }
}

/// Appends a packet to `sink`: bytes from memory written, bytes from the source copied by range
/// (see [`super::ByteSink::copy_from`]).
pub(crate) fn write_packet(
    src: &mut dyn super::ByteSource,
    data: &PacketData,
    sink: &mut dyn super::ByteSink,
) -> Result<(), MediaError> {
    match data {
        PacketData::Source { offset, size } => sink.copy_from(src, *offset, *size as u64),
        PacketData::Memory(v) => sink.write(v),
        PacketData::Prefixed { prefix, offset, size } => {
            sink.write(prefix)?;
            sink.copy_from(src, *offset, *size as u64)
        }
        PacketData::Pending => Err(MediaError::Mux("a packet still needs re-encoding".into())),
    }
}
