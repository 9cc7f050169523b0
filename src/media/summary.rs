//! What `probe` and `cutPoints` report to people and to JS: per-track summaries of a file and of
//! a cut plan, with times in seconds (the JSON/JS edge; the plan itself stays exact).

use super::{frame_rate, CutPlan, MediaInfo, Track, TrackKind};
use crate::Time;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackSummary {
    pub id: u32,
    pub kind: TrackKind,
    /// WebCodecs codec string.
    pub codec: String,
    pub decodable: bool,
    pub timescale: u32,
    pub width: u32,
    pub height: u32,
    pub rotation: u16,
    pub pixel_aspect: [u32; 2],
    pub sample_rate: u32,
    pub channels: u16,
    pub priming: i64,
    pub annex_b: bool,
    /// Frames (video) or packets (audio) presented from 0 on.
    pub frames: usize,
    /// Presentation times of the frames decoding can start at (IDRs), seconds.
    pub keyframes: Vec<f64>,
    pub duration: f64,
    /// Video only (null for other tracks, and for a video track without frames).
    pub frame_rate: Option<FrameRateSummary>,
}

/// A video track's frame rate ([`super::FrameRate`]) at the JS edge.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameRateSummary {
    /// Exact, as `frameAt` and `lintCaptions` take it: `"30000/1001"`, `"25"`.
    pub nominal: String,
    /// The nominal rate as a number (29.97002997…).
    pub nominal_fps: f64,
    pub average: f64,
    pub variable: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSummary {
    pub container: &'static str,
    pub duration: f64,
    pub tracks: Vec<TrackSummary>,
}

/// Decode-start keyframe times of a track, sorted.
pub fn keyframe_times(t: &Track) -> Vec<Time> {
    let mut k: Vec<Time> = t
        .samples
        .iter()
        .filter(|s| s.decode_start && s.pts >= 0)
        .map(|s| Time::new(s.pts, t.timescale))
        .collect();
    crate::sort::sort(&mut k);
    k
}

/// A track's keyframe times counted from the first shown video frame, as cut times count
/// ([`super::plan::plan_cut_from_first_frame`]), so that a UI can cut exactly on one.
pub fn keyframes_from_first_frame(info: &MediaInfo, t: &Track) -> Vec<Time> {
    let origin = super::plan::first_frame_time(info);
    keyframe_times(t).into_iter().map(|k| k - origin).collect()
}

impl ProbeSummary {
    pub fn new(info: &MediaInfo) -> ProbeSummary {
        let tracks = info
            .tracks
            .iter()
            .map(|t| TrackSummary {
                id: t.id,
                kind: t.kind,
                codec: t.codec_string.clone(),
                decodable: t.codec.webcodecs_decodable(),
                timescale: t.timescale,
                width: t.width,
                height: t.height,
                rotation: t.rotation,
                pixel_aspect: [t.pixel_aspect.0, t.pixel_aspect.1],
                sample_rate: t.sample_rate,
                channels: t.channels,
                priming: t.priming,
                annex_b: t.annex_b,
                frames: t.samples.iter().filter(|s| s.pts >= 0).count(),
                keyframes: keyframes_from_first_frame(info, t)
                    .into_iter()
                    .map(Time::seconds)
                    .collect(),
                duration: t.end().seconds(),
                frame_rate: frame_rate(t).map(|r| FrameRateSummary {
                    nominal: r.nominal.to_string(),
                    nominal_fps: r.nominal.fps(),
                    average: r.average,
                    variable: r.variable,
                }),
            })
            .collect();
        ProbeSummary { container: info.container.name(), duration: info.duration.seconds(), tracks }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackCutSummary {
    pub track_id: u32,
    pub kind: TrackKind,
    pub first_frame_index: u64,
    pub last_frame_index: u64,
    pub frames_total: u64,
    pub frames_reencoded: u64,
    pub frames_copied: u64,
    /// Where the cut lands in source time, seconds.
    pub cut_start: f64,
    pub cut_end: f64,
    /// The first sample (decode order) the decoder must be fed, when anything is re-encoded.
    pub decode_from: Option<usize>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CutSummary {
    pub start: f64,
    pub end: f64,
    pub needs_reencode: bool,
    pub keyframe_times: Vec<f64>,
    pub tracks: Vec<TrackCutSummary>,
}

impl CutSummary {
    pub fn new(plan: &CutPlan) -> CutSummary {
        let tracks = plan
            .tracks
            .iter()
            .map(|t| TrackCutSummary {
                track_id: t.track_id,
                kind: t.kind,
                first_frame_index: t.first_frame_index,
                last_frame_index: t.last_frame_index,
                frames_total: t.frames_total,
                frames_reencoded: t.frames_reencoded,
                frames_copied: t.frames_copied,
                cut_start: (t.cut_start - plan.origin).seconds(),
                cut_end: (t.cut_end - plan.origin).seconds(),
                decode_from: t.decode.first().copied(),
            })
            .collect();
        CutSummary {
            start: (plan.start - plan.origin).seconds(),
            end: (plan.end - plan.origin).seconds(),
            needs_reencode: plan.needs_reencode(),
            keyframe_times: plan
                .keyframe_times
                .iter()
                .map(|&t| (t - plan.origin).seconds())
                .collect(),
            tracks,
        }
    }
}
