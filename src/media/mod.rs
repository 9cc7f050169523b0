//! Media containers for frame-exact trimming: reading MP4 and WebM/Matroska into sample tables
//! through a [`ByteSource`], planning cuts on them, and writing copy-path output.
//! Everything here is decoder-free; decoding and re-encoding live in the browser layer.
//!
//! The steps of a smart cut, which [`crate::render`] runs in order for one segment or many (with
//! the re-encoding behind its `Reencoder` trait); used alone, the caller fills in the re-encoded
//! frames between steps 3 and 4:
//!
//! ```no_run
//! use outtake::media::{mp4, output_tracks, plan_cut, probe};
//! use outtake::Time;
//! # fn main() -> Result<(), outtake::media::MediaError> {
//! let mut src = std::fs::File::open("in.mp4").unwrap(); // or any ByteSource (Blob slices)
//! let info = probe(&mut src)?; // 1. tracks, codecs, sample tables
//! let plan = plan_cut(&info, Time::new(21, 2), Time::new(81, 2))?; // 2. [10.5 s, 40.5 s)
//! let mut tracks = output_tracks(&info, &plan); // 3. copied packets point into the source
//! for t in &mut tracks {
//!     // Decode `plan` track's `decode` samples, re-encode the frames of `t.pending()`,
//!     // `t.add_description(mp4::avc1_entry(w, h, &avcc))`, `t.fill(i, bytes, key, desc)`.
//!     assert!(t.pending().is_empty(), "cut on a keyframe: nothing to re-encode");
//! }
//! let mut out = Vec::new(); // or any ByteSink
//! mp4::write_mp4(&tracks, &mut src, &mut out)?; // 4. moov in front, mdat streamed
//! # Ok(()) }
//! ```

mod audio_track;
pub mod codec;
mod error;
mod filmstrip;
mod frame_rate;
pub mod language;
mod model;
pub mod mp4;
mod output;
mod plan;
mod retarget;
mod source;
pub mod sps;
mod summary;
mod text_track;
pub mod webm;

pub use audio_track::{AudioPacket, AudioSetup, AudioTrack};
pub use error::{Container, MediaError};
pub use filmstrip::{plan_filmstrip, Filmstrip, Spacing, MAX_THUMBNAILS};
pub use frame_rate::{frame_rate, FrameRate};
pub use model::{Codec, Depends, MediaInfo, Sample, Track, TrackKind};
pub use output::{output_tracks, require_copy_only, OutPacket, OutTrack, PacketData};
pub use plan::{
    first_frame_time, plan_cut, plan_cut_at, plan_cut_from_first_frame,
    plan_cut_from_first_frame_at, preroll_ticks, sort_by_pts, Action, CutPlan, OutPoint,
    PlannedPacket, TrackPlan,
};
pub use retarget::{check_format, describe, retarget};
pub use source::{read_through, read_vec, ByteSink, ByteSource, Concat, ReadAhead};
pub use summary::{
    keyframe_times, keyframes_from_first_frame, CutSummary, FrameRateSummary, ProbeSummary,
    TrackCutSummary, TrackSummary,
};
pub use text_track::{read_text_track, text_track, TextCue, TextTrackSpec};

use crate::{Rounding, Time};

/// Writes `tracks` as `container` (MP4, or WebM/Matroska); returns the bytes written.
pub fn write(
    tracks: &[OutTrack],
    container: Container,
    src: &mut dyn ByteSource,
    sink: &mut dyn ByteSink,
) -> Result<u64, MediaError> {
    match container {
        Container::Mp4 => mp4::write_mp4(tracks, src, sink),
        c => webm::write_matroska(tracks, c, src, sink),
    }
}

/// Reads the index of an MP4, WebM or Matroska file: tracks, codecs and sample tables.
pub fn probe(src: &mut dyn ByteSource) -> Result<MediaInfo, MediaError> {
    probe_with(src, false)
}

/// Like [`probe`], but a file cut short (an unfinished download) keeps the samples wholly inside
/// it instead of failing.
pub fn probe_partial(src: &mut dyn ByteSource) -> Result<MediaInfo, MediaError> {
    probe_with(src, true)
}

fn probe_with(src: &mut dyn ByteSource, partial: bool) -> Result<MediaInfo, MediaError> {
    let mut ahead = ReadAhead::new(src, 64 * 1024);
    let src: &mut dyn ByteSource = &mut ahead;
    let n = src.len().min(12) as usize;
    let mut head = [0u8; 12];
    src.read_at(0, &mut head[..n])?;
    if n >= 4 && head[..4] == [0x1a, 0x45, 0xdf, 0xa3] {
        return webm::demux(src);
    }
    const TOP: [&[u8; 4]; 11] = [
        b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"styp", b"sidx", b"moof", b"pdin",
        b"uuid",
    ];
    if n >= 8 && TOP.iter().any(|k| head[4..8] == k[..]) {
        return mp4::demux(src, partial);
    }
    let hex: String = head[..n].iter().map(|b| format!("{b:02x}")).collect();
    Err(MediaError::UnknownContainer(hex))
}

/// Shifts every track so that the earliest sample of any track is presented at 0 (for files
/// whose container does not say where presentation starts: MP4 without edit lists, WebM).
pub(crate) fn rebase(tracks: &mut [Track]) {
    // A primed track (Opus CodecDelay) presents from its first sample's end of priming.
    let origin = tracks
        .iter()
        .filter_map(|t| {
            t.samples
                .iter()
                .map(|s| s.pts)
                .min()
                .map(|p| Time::new(p.saturating_add(t.priming), t.timescale))
        })
        .min();
    let Some(origin) = origin else { return };
    for t in tracks.iter_mut() {
        let shift = origin.rescale(t.timescale, Rounding::Nearest).value();
        for s in &mut t.samples {
            s.pts = s.pts.saturating_sub(shift);
            s.dts = s.dts.saturating_sub(shift);
        }
    }
}
