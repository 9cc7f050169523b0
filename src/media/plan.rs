//! Cut planning: for a range [start, end) of a demuxed file, which packets are copied verbatim,
//! which are only decoded (references of re-encoded frames), which are re-encoded (the partial
//! GOP at the in-point, and for WebM the tail a hidden B-frame reference would need), and which
//! are kept but hidden by the MP4 edit list; with the output timing of every packet. Pure.

use super::{Container, MediaError, MediaInfo, Track, TrackKind};
use crate::{Rounding, Time};
use serde::Serialize;

/// What happens to one source packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Written unchanged and shown.
    Copy,
    /// Written unchanged but not shown: a reference of shown frames that presents after the
    /// out-point, hidden by the MP4 edit list's duration (or audio pre-roll before the in-point).
    Hidden,
    /// Decoded and re-encoded; the new packet replaces it.
    Reencode,
}

/// One output packet, in output decode order. Times are in the track's timescale, output 0 is
/// the first shown instant.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PlannedPacket {
    /// Index into the source track's `samples`.
    pub sample: usize,
    pub action: Action,
    pub dts: i64,
    pub pts: i64,
    pub duration: u32,
}

/// The plan of one track.
#[derive(Clone, Debug, Serialize)]
pub struct TrackPlan {
    pub track_id: u32,
    pub kind: TrackKind,
    pub timescale: u32,
    /// Output packets in decode order (re-encoded ones stand at their source frame's place; the
    /// encoder must not reorder, so their dts is their pts moved back by the copied part's delay).
    pub packets: Vec<PlannedPacket>,
    /// Samples to feed the decoder, in decode order, to get the frames to re-encode: from an IDR
    /// at or before the in-point through the last frame to re-encode. Empty when nothing is.
    pub decode: Vec<usize>,
    /// Presentation indices (among shown frames of the source) of the first and last output frame.
    pub first_frame_index: u64,
    pub last_frame_index: u64,
    pub frames_total: u64,
    pub frames_reencoded: u64,
    pub frames_copied: u64,
    /// Where the cut really lands in source time: start of the first shown frame (or audio
    /// sample range) and end of the last.
    pub cut_start: Time,
    pub cut_end: Time,
    /// Output presentation, in the track timescale: the track shows from output time
    /// `shown_start` for `shown_duration` (0 for video; for audio, `start` minus where the video
    /// lands, so that audio covers exactly [start, end) in sync). `media_start` is the pre-roll
    /// decoded but not shown before it (MP4 edit list media time, WebM CodecDelay/pre-skip).
    pub shown_start: i64,
    pub media_start: i64,
    pub shown_duration: i64,
    /// Audio: ticks to drop from the end of the last packet (WebM DiscardPadding).
    pub trim_end: i64,
}

/// The whole plan.
#[derive(Clone, Debug, Serialize)]
pub struct CutPlan {
    pub container: Container,
    pub start: Time,
    pub end: Time,
    pub tracks: Vec<TrackPlan>,
    /// Presentation times of the decode-start keyframes of the first video track, for a UI that
    /// shows where copy-only cuts are possible.
    pub keyframe_times: Vec<Time>,
    /// Where the caller's time 0 is in the file's own time: zero for [`plan_cut`], the first shown
    /// video frame for [`plan_cut_from_first_frame`]. Summaries report times relative to it.
    pub origin: Time,
}

impl CutPlan {
    /// The plan of the first video track (or the first track), which the summary numbers use.
    pub fn main(&self) -> Option<&TrackPlan> {
        self.tracks.iter().find(|t| t.kind == TrackKind::Video).or(self.tracks.first())
    }

    pub fn needs_reencode(&self) -> bool {
        self.tracks.iter().any(|t| t.frames_reencoded > 0)
    }
}

/// What follows a cut's out-point, which decides what happens to references shown after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutPoint {
    /// The end of the output: MP4's edit list hides tail references; WebM re-encodes the tail.
    Last,
    /// Another segment follows (a joint of a render): nothing can be hidden there, since MSE
    /// takes a single-entry edit list at most.
    Joint,
}

/// Plans the cut [start, end) (seconds from the first presented instant, exact).
pub fn plan_cut(info: &MediaInfo, start: Time, end: Time) -> Result<CutPlan, MediaError> {
    plan_cut_at(info, start, end, OutPoint::Last)
}

/// [`plan_cut`] of a cut that ends at a joint or at the end of the output.
pub fn plan_cut_at(
    info: &MediaInfo,
    start: Time,
    end: Time,
    out: OutPoint,
) -> Result<CutPlan, MediaError> {
    if start.is_negative() || end <= start {
        return Err(MediaError::CutRange(format!("[{start}, {end}) is empty or starts before 0")));
    }
    if start >= info.duration {
        return Err(MediaError::CutRange(format!(
            "start {start} is at or after the end {}",
            info.duration
        )));
    }
    let end = end.min(info.duration);
    let mut tracks = Vec::new();
    let mut range = (start, end);
    let mut keyframe_times = Vec::new();
    let video = info.tracks.iter().find(|t| t.kind == TrackKind::Video && !t.samples.is_empty());
    if let Some(v) = video {
        let p = plan_video(v, start, end, info.container, out)?;
        range = (p.cut_start, p.cut_end);
        keyframe_times = super::summary::keyframe_times(v);
    }
    for t in &info.tracks {
        if t.samples.is_empty() {
            continue;
        }
        let same = video.is_some_and(|v| std::ptr::eq(v, t));
        let plan = match t.kind {
            _ if same => plan_video(t, start, end, info.container, out)?,
            TrackKind::Video => plan_video(t, range.0, range.1, info.container, out)?,
            _ => plan_audio(t, start, end, range.0, info.container)?,
        };
        tracks.push(plan);
    }
    Ok(CutPlan {
        container: info.container,
        start,
        end,
        tracks,
        keyframe_times,
        origin: Time::ZERO,
    })
}

/// When the first video frame is shown, in the file's own time (zero without video). WebM files
/// often start their audio a few milliseconds before the video: the API counts from this frame.
pub fn first_frame_time(info: &MediaInfo) -> Time {
    info.tracks
        .iter()
        .find(|t| t.kind == TrackKind::Video && !t.samples.is_empty())
        .and_then(|v| shown_frames(v).first().map(|&(_, pts, _)| Time::new(pts, v.timescale)))
        .unwrap_or(Time::ZERO)
}

/// [`plan_cut`] with `start` and `end` counted from the first presented video frame, which is at
/// 0 whatever the file's own start time: the rule the JS API and the CLI follow.
pub fn plan_cut_from_first_frame(
    info: &MediaInfo,
    start: Time,
    end: Time,
) -> Result<CutPlan, MediaError> {
    plan_cut_from_first_frame_at(info, start, end, OutPoint::Last)
}

/// [`plan_cut_from_first_frame`] of a cut that ends at a joint or at the end of the output.
pub fn plan_cut_from_first_frame_at(
    info: &MediaInfo,
    start: Time,
    end: Time,
    out: OutPoint,
) -> Result<CutPlan, MediaError> {
    let origin = first_frame_time(info);
    let mut plan = plan_cut_at(info, origin + start, origin + end, out)?;
    plan.origin = origin;
    Ok(plan)
}

/// Sample indices of `t` put in presentation order.
pub fn sort_by_pts(t: &Track, samples: &mut [usize]) {
    crate::sort::sort_by_key(samples, |&i| t.samples.get(i).map_or(0, |s| s.pts));
}

fn ticks(t: Time, scale: u32, r: Rounding) -> i64 {
    t.rescale(scale, r).value()
}

/// Shown frames in presentation order: (sample index, pts, display end).
fn shown_frames(t: &Track) -> Vec<(usize, i64, i64)> {
    let order = t.presentation_order();
    let mut out = Vec::with_capacity(order.len());
    for (k, &i) in order.iter().enumerate() {
        let s = &t.samples[i];
        let end = match order.get(k + 1) {
            Some(&j) if t.samples[j].pts > s.pts => t.samples[j].pts,
            _ => s.pts.saturating_add(s.duration.max(1) as i64),
        };
        if end > 0 {
            out.push((i, s.pts, end));
        }
    }
    out
}

fn plan_video(
    t: &Track,
    start: Time,
    end: Time,
    container: Container,
    out: OutPoint,
) -> Result<TrackPlan, MediaError> {
    let scale = t.timescale;
    let frames = shown_frames(t);
    if frames.is_empty() {
        return Err(MediaError::CutRange(format!("track {} shows no frame", t.id)));
    }
    // Exact comparisons: a frame at pts p is on screen at `start` when p <= start.
    let st = Time::new(0, 1) + start;
    let f = frames.iter().rposition(|&(_, p, _)| Time::new(p, scale) <= st).unwrap_or(0);
    let l = frames.iter().rposition(|&(_, p, _)| Time::new(p, scale) < end).ok_or_else(|| {
        MediaError::CutRange(format!("no frame of track {} starts before {end}", t.id))
    })?;
    if l < f {
        return Err(MediaError::CutRange(format!(
            "no frame of track {} in [{start}, {end})",
            t.id
        )));
    }
    let shown: Vec<usize> = frames[f..=l].iter().map(|x| x.0).collect();
    let first = frames[f];
    let last = frames[l];
    let d_first = *shown.iter().min().unwrap_or(&first.0);
    let d_last = *shown.iter().max().unwrap_or(&last.0);
    let mut shown_flag = vec![false; t.samples.len()];
    for &i in &shown {
        shown_flag[i] = true;
    }
    let is_shown = |i: usize| shown_flag[i];
    // Display durations by sample index (the gap to the next frame shown).
    let mut display = vec![None; t.samples.len()];
    for x in &frames {
        display[x.0] = Some(x.2.saturating_sub(x.1).clamp(0, u32::MAX as i64) as u32);
    }
    // The IDR to decode from: at or before every shown frame in decode order.
    let idr = (0..=d_first).rev().find(|&k| t.samples[k].decode_start);
    // A clean cut point: a decode start that no earlier-decoded sample presents after, so that
    // everything shown from it on decodes from it alone.
    let mut clean = vec![false; t.samples.len()];
    let mut max_before = i64::MIN;
    for (k, s) in t.samples.iter().enumerate() {
        clean[k] = s.decode_start && max_before < s.pts;
        max_before = max_before.max(s.pts);
    }
    let head_free = t.samples[first.0].decode_start && d_first == first.0;
    let mut reencode: Vec<usize> = Vec::new();
    let copy_from: Option<usize>;
    if head_free {
        copy_from = Some(first.0);
    } else {
        // The next clean IDR after the in-point: re-encode what decodes before it, copy from it.
        let k2 = (first.0 + 1..=d_last).find(|&k| clean[k] && t.samples[k].pts > first.1);
        copy_from = k2;
        reencode = shown.iter().copied().filter(|&i| k2.is_none_or(|k| i < k)).collect();
    }
    // Copied region in decode order; samples in it that are not shown are hidden tail references.
    let mut copied: Vec<(usize, bool)> = Vec::new();
    if let Some(c) = copy_from {
        for i in c..=d_last {
            copied.push((i, is_shown(i)));
        }
    }
    // At a joint nothing can be hidden (one edit list entry at most, and it covers the whole
    // output). NOTE: of the mechanisms for B-frames whose references present after an internal
    // out-point (hide the references with more edit list entries, which MSE refuses; give them
    // no duration, which ffmpeg still counts and shows as frames; re-encode), re-encoding is the
    // only one every player takes, and it is kept to the frames that can depend on a hidden
    // reference: those decoded after the first hidden one. Frames decoded before it cannot
    // reference it, so they stay copied; the re-encoded frames follow them in decode order.
    if out == OutPoint::Joint && copied.iter().any(|&(_, s)| !s) {
        let h = copied.iter().position(|&(_, s)| !s).unwrap_or(copied.len());
        let tail: Vec<usize> = copied[h..].iter().filter(|&&(_, s)| s).map(|x| x.0).collect();
        copied.truncate(h);
        reencode.extend(tail);
    }
    // WebM has no edit list to hide tail references: re-encode from the last clean IDR of the
    // copied part through the out-point instead.
    if container != Container::Mp4 && copied.iter().any(|&(_, s)| !s) {
        let c = copy_from.unwrap_or(0);
        let k3 = (c..=d_last).rev().find(|&k| clean[k] || k == c).unwrap_or(c);
        let tail: Vec<usize> = copied.iter().filter(|&&(i, s)| s && i >= k3).map(|x| x.0).collect();
        copied.retain(|&(i, s)| s && i < k3);
        reencode.extend(tail);
    }
    if !reencode.is_empty() && idr.is_none() {
        return Err(MediaError::NoIdr { track: t.id, frame: f as u64 });
    }
    // Output timing: shown frames keep their source spacing, first shown frame at 0.
    let origin = first.1;
    let delay = copied
        .first()
        .map_or(0, |&(i, _)| t.samples[i].pts.saturating_sub(t.samples[i].dts))
        .max(0);
    let dur_of = |i: usize| display[i].unwrap_or(t.samples[i].duration);
    let mut packets: Vec<PlannedPacket> = Vec::new();
    let mut re_sorted = reencode.clone();
    sort_by_pts(t, &mut re_sorted);
    // Re-encoded frames of the head come first, then copied packets, then a re-encoded tail.
    let (head, tail): (Vec<usize>, Vec<usize>) =
        re_sorted.iter().partition(|&&i| copy_from.is_none_or(|c| i < c));
    for &i in &head {
        let pts = t.samples[i].pts.saturating_sub(origin);
        packets.push(PlannedPacket {
            sample: i,
            action: Action::Reencode,
            dts: pts.saturating_sub(delay),
            pts,
            duration: dur_of(i),
        });
    }
    for &(i, s) in &copied {
        let sm = &t.samples[i];
        packets.push(PlannedPacket {
            sample: i,
            action: if s { Action::Copy } else { Action::Hidden },
            dts: sm.dts.saturating_sub(origin),
            pts: sm.pts.saturating_sub(origin),
            duration: dur_of(i),
        });
    }
    for &i in &tail {
        let pts = t.samples[i].pts.saturating_sub(origin);
        let after = packets.last().map(|p| p.dts.saturating_add(1));
        let dts = after.map_or(pts.saturating_sub(delay), |b| pts.saturating_sub(delay).max(b));
        packets.push(PlannedPacket {
            sample: i,
            action: Action::Reencode,
            dts,
            pts,
            duration: dur_of(i),
        });
    }
    let mut decode = Vec::new();
    if !reencode.is_empty() {
        let last_needed = reencode.iter().copied().max().unwrap_or(0);
        let from = (0..=reencode.iter().copied().min().unwrap_or(0))
            .rev()
            .find(|&k| t.samples[k].decode_start)
            .or(idr)
            .unwrap_or(0);
        decode = (from..=last_needed).collect();
    }
    let cut_start = Time::new(first.1, scale);
    let cut_end = Time::new(last.2, scale);
    let frames_reencoded = reencode.len() as u64;
    let frames_total = (l - f + 1) as u64;
    Ok(TrackPlan {
        track_id: t.id,
        kind: t.kind,
        timescale: scale,
        packets,
        decode,
        first_frame_index: f as u64,
        last_frame_index: l as u64,
        frames_total,
        frames_reencoded,
        frames_copied: frames_total.saturating_sub(frames_reencoded),
        cut_start,
        cut_end,
        shown_start: 0,
        media_start: 0,
        shown_duration: last.2.saturating_sub(first.1),
        trim_end: 0,
    })
}

/// How far before its first shown packet an audio track is decoded from, in its timescale:
/// SeekPreRoll (Opus), else one packet where it can be hidden, else none.
pub fn preroll_ticks(t: &Track, container: Container) -> i64 {
    let hideable = container == Container::Mp4 || matches!(t.codec, super::Codec::Opus { .. });
    if t.seek_preroll_ns > 0 {
        ticks(
            Time::new(i64::try_from(t.seek_preroll_ns).unwrap_or(0), 1_000_000_000),
            t.timescale,
            Rounding::Ceil,
        )
    } else if hideable {
        1
    } else {
        0
    }
}

/// Audio: the packets overlapping [start, end), plus pre-roll (one packet for AAC's overlap,
/// SeekPreRoll for Opus), the partial head and tail trimmed by the output edit list (MP4) or
/// CodecDelay/DiscardPadding (WebM). Output times count from `origin` (where the video lands).
fn plan_audio(
    t: &Track,
    start: Time,
    end: Time,
    origin: Time,
    container: Container,
) -> Result<TrackPlan, MediaError> {
    let scale = t.timescale;
    let a0 = ticks(start, scale, Rounding::Nearest);
    let a1 = ticks(end, scale, Rounding::Nearest);
    let o = ticks(origin, scale, Rounding::Nearest);
    let s = &t.samples;
    let overlapping: Vec<usize> = (0..s.len())
        .filter(|&i| s[i].pts < a1 && s[i].pts.saturating_add(s[i].duration as i64) > a0)
        .collect();
    let (Some(&first), Some(&last)) = (overlapping.first(), overlapping.last()) else {
        return Ok(TrackPlan {
            track_id: t.id,
            kind: t.kind,
            timescale: scale,
            packets: Vec::new(),
            decode: Vec::new(),
            first_frame_index: 0,
            last_frame_index: 0,
            frames_total: 0,
            frames_reencoded: 0,
            frames_copied: 0,
            cut_start: start,
            cut_end: start,
            shown_start: 0,
            media_start: 0,
            shown_duration: 0,
            trim_end: 0,
        });
    };
    // A packet of pre-roll (Opus: SeekPreRoll) primes the decoder, hidden by the MP4 edit list
    // or by Opus's pre-skip. ffmpeg drops CodecDelay's samples for Opus only (others it decodes
    // and times before 0): other codecs in Matroska get no hidden pre-roll, or players that do
    // the same would play it before the video.
    // Their first frame then decodes without its predecessor's overlap.
    let preroll_ticks = preroll_ticks(t, container);
    let mut from = first;
    while from > 0 && s[first].pts.saturating_sub(s[from].pts) < preroll_ticks {
        from -= 1;
    }
    let head_pts = s[from].pts;
    let packets: Vec<PlannedPacket> = (from..=last)
        .map(|i| PlannedPacket {
            sample: i,
            action: if i < first { Action::Hidden } else { Action::Copy },
            dts: s[i].dts.saturating_sub(o),
            pts: s[i].pts.saturating_sub(o),
            duration: s[i].duration,
        })
        .collect();
    let shown_from = a0.max(s[first].pts);
    let last_end = s[last].pts.saturating_add(s[last].duration as i64);
    let shown_end = last_end.min(a1);
    Ok(TrackPlan {
        track_id: t.id,
        kind: t.kind,
        timescale: scale,
        packets,
        decode: Vec::new(),
        first_frame_index: first as u64,
        last_frame_index: last as u64,
        frames_total: (last - first + 1) as u64,
        frames_reencoded: 0,
        frames_copied: (last - first + 1) as u64,
        cut_start: Time::new(shown_from, scale),
        cut_end: Time::new(shown_end, scale),
        shown_start: shown_from.saturating_sub(o),
        media_start: shown_from.saturating_sub(head_pts),
        shown_duration: shown_end.saturating_sub(shown_from),
        trim_end: last_end.saturating_sub(shown_end),
    })
}
