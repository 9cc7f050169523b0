//! `probe`'s frame rate on real files: the outside ones (/work/shared/media, incl. a variable
//! one) and generated ones at 25 and 30 fps, checked against what ffmpeg made or ffprobe reads.

mod media_support;
use media_support::*;
use outtake::media::{frame_rate, FrameRate, MediaInfo, TrackKind};
use outtake::Rate;
use std::path::Path;

fn video_rate(p: &Path) -> FrameRate {
    let info: MediaInfo = open(p);
    let t = info.tracks.iter().find(|t| t.kind == TrackKind::Video).expect("a video track");
    frame_rate(t).expect("a frame rate")
}

fn rate(n: u32, d: u32) -> Rate {
    Rate::new(n, d).unwrap()
}

#[test]
fn steady_outside_files() {
    for (file, nominal) in [
        ("video.mp4", rate(25, 1)),
        ("edts.mp4", rate(25, 1)),
        ("sar_2x1.mp4", rate(30, 1)),
        ("rotate-buck-bunny.mp4", rate(24, 1)),
        ("frames.webm", rate(30, 1)),
        ("transparency.webm", rate(60, 1)),
    ] {
        let Some(p) = shared(file) else { return };
        let r = video_rate(&p);
        assert_eq!(r.nominal, nominal, "{file}");
        assert!(!r.variable, "{file}: {r:?}");
        assert!((r.average - nominal.fps()).abs() < 0.05 * nominal.fps(), "{file}: {r:?}");
    }
}

#[test]
fn the_cursed_vfr_file_is_variable() {
    let Some(p) = shared("cursed-vfr.mp4") else { return };
    let r = video_rate(&p);
    assert!(r.variable, "{r:?}");
    // 63 frames over about 8.7 s (ffprobe's avg_frame_rate 3628800/502589 = 7.22).
    assert!((r.average - 7.22).abs() < 0.1, "{r:?}");
}

#[test]
fn generated_files() {
    for (file, nominal, variable) in [
        ("vp8.webm", rate(25, 1), false),
        ("bframes.mp4", rate(30, 1), false),
        ("bframes.mkv", rate(30, 1), false),
        ("vp9.webm", rate(30, 1), false),
        ("av1.mp4", rate(10, 1), false),
        // Every 5th frame of 30 fps dropped, timestamps kept.
        ("vfr.mp4", rate(30, 1), true),
    ] {
        let Some(p) = fixture(file) else { return };
        let r = video_rate(&p);
        assert_eq!((r.nominal, r.variable), (nominal, variable), "{file}: {r:?}");
    }
    let Some(p) = fixture("vfr.mp4") else { return };
    // 72 of 90 frames kept over 3 s.
    assert!((video_rate(&p).average - 24.0).abs() < 0.5);
}

#[test]
fn audio_tracks_have_no_frame_rate() {
    let Some(p) = fixture("two-audio.mp4") else { return };
    let info = open(&p);
    for t in info.tracks.iter().filter(|t| t.kind == TrackKind::Audio) {
        assert_eq!(frame_rate(t), None);
    }
}
