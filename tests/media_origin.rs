//! The API's time origin: cut times count from the first presented video frame (at 0 whatever
//! the file's own start time). ffmpeg-made WebM starts its Opus a few milliseconds before the
//! video: a cut exactly on a frame boundary must still start on that frame, not the one before.

mod media_support;

use media_support::*;
use outtake::media::{
    first_frame_time, plan_cut_from_first_frame, CutSummary, ProbeSummary, TrackKind,
};
use outtake::Time;

#[test]
fn cuts_count_from_the_first_video_frame_when_audio_starts_first() {
    let Some(path) = fixture("vp9.webm") else { return };
    let info = open(&path);
    let (vi, v) = info.tracks.iter().enumerate().find(|(_, t)| t.kind == TrackKind::Video).unwrap();
    // ffprobe's frame times, relative to the first frame: the rule's clock, computed without us.
    let frames = frame_times(&path, vi);
    let rel: Vec<Time> = frames
        .iter()
        .map(|&(p, d)| Time::new(p, d as u32) - Time::new(frames[0].0, frames[0].1 as u32))
        .collect();
    let first = Time::new(frames[0].0, frames[0].1 as u32);
    assert!(
        first > Time::ZERO,
        "the fixture's video must start after its audio for this test to mean anything"
    );
    assert_eq!(first_frame_time(&info), first);

    for k in [1, rel.len() / 3, rel.len() / 2] {
        // In-point exactly where frame k starts, out-point where frame k+10 starts.
        let plan = plan_cut_from_first_frame(&info, rel[k], rel[k + 10]).unwrap();
        let tp = plan.tracks.iter().find(|p| p.track_id == v.id).unwrap();
        assert_eq!(
            (tp.first_frame_index, tp.last_frame_index),
            (k as u64, k as u64 + 9),
            "cut at frame {k}"
        );
        // What the API reports counts from the same origin.
        let summary = CutSummary::new(&plan);
        let vs = summary.tracks.iter().find(|t| t.track_id == v.id).unwrap();
        assert!(
            (vs.cut_start - rel[k].seconds()).abs() < 1e-9,
            "cut_start {} vs {}",
            vs.cut_start,
            rel[k].seconds()
        );
        assert!((summary.start - rel[k].seconds()).abs() < 1e-9);
    }
    // Probe's keyframes count from the first frame too: the first one is at 0.
    let probe = ProbeSummary::new(&info);
    let pv = probe.tracks.iter().find(|t| t.id == v.id).unwrap();
    assert_eq!(pv.keyframes.first().copied(), Some(0.0));
}
