//! Cut planning checked against ffmpeg: the frames on screen in [start, end) are computed here
//! from ffprobe's decoded frame times by the rule (the frame showing at `start` first, the last
//! frame starting before `end` last), independently of the planner, and compared with the plan.

mod media_support;

use media_support::*;
use outtake::media::{plan_cut, Action, MediaInfo, TrackKind};
use outtake::Time;
use std::path::Path;

fn t(v: i64, den: i64) -> Time {
    Time::new(v, den as u32)
}

/// Checks many ranges of one file; returns how many plans needed re-encoding.
fn check_file(path: &Path) -> (usize, usize) {
    let info: MediaInfo = open(path);
    let (vi, v) = info.tracks.iter().enumerate().find(|(_, t)| t.kind == TrackKind::Video).unwrap();
    let frames = frame_times(path, vi);
    assert!(frames.len() > 4, "{}: too few frames", path.display());
    let den = frames[0].1;
    let rel: Vec<Time> =
        frames.iter().map(|&(p, d)| t(p, d) - t(frames[0].0, frames[0].1)).collect();
    // My first shown frame: the earliest sample still on screen after 0.
    let mut pts: Vec<i64> = v.samples.iter().map(|s| s.pts).collect();
    pts.sort();
    let shown: Vec<i64> = pts
        .iter()
        .enumerate()
        .filter(|(k, &p)| {
            pts.get(k + 1).is_none_or(|&n| n > 0)
                && (p >= 0 || pts.get(k + 1).is_some_and(|&n| n > 0))
        })
        .map(|(_, &p)| p)
        .collect();
    assert_eq!(
        shown.len(),
        rel.len(),
        "{}: shown frame count vs ffmpeg's decoded frames",
        path.display()
    );
    let p0 = Time::new(shown[0], v.timescale);
    for (k, &s) in shown.iter().enumerate() {
        assert_eq!(Time::new(s, v.timescale) - p0, rel[k], "{}: frame {k} time", path.display());
    }
    let n = rel.len();
    let half = |a: Time, b: Time| {
        Time::new(
            (a + b).rescale(den as u32 * 2, outtake::Rounding::Nearest).value(),
            den as u32 * 2 * 2,
        )
        .rescale(den as u32 * 2, outtake::Rounding::Nearest)
    };
    let mut ranges: Vec<(Time, Time)> = vec![
        (rel[0], rel[n - 1] + Time::new(1, 1000)),
        (rel[1], rel[n / 2]),
        (half(rel[3], rel[4]), half(rel[n / 2], rel[n / 2 + 1])),
        (rel[n / 3], rel[n / 3 + 1]),
        (rel[n / 4] + Time::new(1, den as u32), rel[n - 2]),
    ];
    let keys: Vec<Time> = v
        .samples
        .iter()
        .filter(|s| s.decode_start && s.pts >= shown[0])
        .map(|s| Time::new(s.pts, v.timescale) - p0)
        .collect();
    if let (Some(&k), Some(&k2)) = (keys.first(), keys.last()) {
        ranges.push((k, k2));
    }
    let mut reencoding = 0;
    let mut total = 0;
    for (s, e) in ranges {
        let name = format!("{} [{s}, {e})", path.display());
        let expect_f = rel.iter().rposition(|&x| x <= s).unwrap_or(0);
        let Some(expect_l) = rel.iter().rposition(|&x| x < e) else { continue };
        total += 1;
        let plan = plan_cut(&info, p0 + s, p0 + e).unwrap_or_else(|err| panic!("{name}: {err}"));
        let tp = plan.tracks.iter().find(|p| p.track_id == v.id).unwrap();
        assert_eq!(tp.first_frame_index as usize, expect_f, "{name}: first frame");
        assert_eq!(tp.last_frame_index as usize, expect_l, "{name}: last frame");
        assert_eq!(tp.frames_total as usize, expect_l - expect_f + 1, "{name}: frame count");
        // The shown packets are exactly the expected frames, each once.
        let mut got: Vec<Time> = tp
            .packets
            .iter()
            .filter(|p| p.action != Action::Hidden)
            .map(|p| Time::new(v.samples[p.sample].pts, v.timescale) - p0)
            .collect();
        got.sort();
        assert_eq!(got, rel[expect_f..=expect_l].to_vec(), "{name}: shown frames");
        // Output timing: first shown frame at 0, strictly increasing dts, shown pts unique.
        let mut out_pts: Vec<i64> =
            tp.packets.iter().filter(|p| p.action != Action::Hidden).map(|p| p.pts).collect();
        out_pts.sort();
        assert_eq!(out_pts[0], 0, "{name}: output starts at 0");
        assert!(tp.packets.windows(2).all(|w| w[0].dts < w[1].dts), "{name}: output dts increase");
        assert!(tp.packets.iter().all(|p| p.dts <= p.pts), "{name}: dts <= pts");
        // Re-encoded frames decode from an IDR, and precede (or, in WebM, follow) the copied part.
        if tp.frames_reencoded > 0 {
            reencoding += 1;
            let first = tp.decode[0];
            assert!(v.samples[first].decode_start, "{name}: decoding starts at an IDR");
            for p in tp.packets.iter().filter(|p| p.action == Action::Reencode) {
                assert!(tp.decode.contains(&p.sample), "{name}: re-encoded frame is decoded");
            }
        }
        if tp.frames_reencoded == 0 {
            let c = tp.packets.iter().find(|p| p.action == Action::Copy).unwrap();
            assert!(v.samples[c.sample].decode_start, "{name}: copy starts at an IDR");
        }
        // Audio covers exactly [start, end) (where it has samples), placed in sync with the video.
        for ap in plan.tracks.iter().filter(|p| p.kind == TrackKind::Audio && p.frames_total > 0) {
            let a = info.tracks.iter().find(|t| t.id == ap.track_id).unwrap();
            let tick = Time::new(1, a.timescale);
            let (first, last) = (
                &a.samples[ap.first_frame_index as usize],
                &a.samples[ap.last_frame_index as usize],
            );
            let want_start = (p0 + s).max(Time::new(first.pts, a.timescale));
            let want_end = (p0 + e).min(Time::new(last.pts + last.duration as i64, a.timescale));
            let close = |a: Time, b: Time| (a - b).max(b - a) <= tick;
            assert!(
                close(ap.cut_start, want_start),
                "{name}: audio start {} vs {want_start}",
                ap.cut_start
            );
            assert!(close(ap.cut_end, want_end), "{name}: audio end {} vs {want_end}", ap.cut_end);
            assert_eq!(
                Time::new(ap.shown_start, a.timescale) + tp.cut_start,
                ap.cut_start,
                "{name}: audio placed in sync"
            );
        }
    }
    (reencoding, total)
}

macro_rules! gen_test {
    ($name:ident, $file:expr) => {
        #[test]
        fn $name() {
            let Some(p) = fixture($file) else { return };
            let (re, total) = check_file(&p);
            eprintln!("{}: {total} ranges, {re} needing re-encoding", $file);
            assert!(
                total >= 5 && re >= 1 && re < total,
                "both copy-only and re-encoding cuts were checked"
            );
        }
    };
}

gen_test!(plan_bframes, "bframes.mp4");
gen_test!(plan_vfr, "vfr.mp4");
gen_test!(plan_frag, "frag.mp4");
gen_test!(plan_offset, "offset.mp4");
gen_test!(plan_vp9, "vp9.webm");
gen_test!(plan_mkv_bframes, "bframes.mkv");
gen_test!(plan_vp9_mp4, "vp9.mp4");
gen_test!(plan_av1_mp4, "av1.mp4");
gen_test!(plan_vp8, "vp8.webm");
gen_test!(plan_av1, "av1.webm");

#[test]
fn plan_opengop_decodes_from_an_idr() {
    let Some(p) = fixture("opengop.mp4") else { return };
    check_file(&p);
    let info = open(&p);
    let v = &info.tracks[0];
    // A cut right on an open-GOP I-frame cannot be copied: decoding must start at the IDR.
    let (k, s) = v.samples.iter().enumerate().find(|(_, s)| s.keyframe && !s.decode_start).unwrap();
    let plan =
        plan_cut(&info, Time::new(s.pts, v.timescale), Time::new(s.pts + 10 * 512, v.timescale))
            .unwrap();
    let tp = &plan.tracks[0];
    assert!(tp.frames_reencoded > 0);
    assert!(v.samples[tp.decode[0]].decode_start && tp.decode[0] < k);
}

macro_rules! shared_test {
    ($name:ident, $file:expr) => {
        #[test]
        fn $name() {
            let Some(p) = shared($file) else { return };
            if !have_ffmpeg() {
                return;
            }
            check_file(&p);
        }
    };
}

shared_test!(plan_edts, "edts.mp4");
shared_test!(plan_cursed_vfr, "cursed-vfr.mp4");
shared_test!(plan_frames_webm, "frames.webm");
shared_test!(plan_video_mp4, "video.mp4");

#[test]
fn bad_ranges_are_errors() {
    let Some(p) = fixture("bframes.mp4") else { return };
    let info = open(&p);
    assert!(plan_cut(&info, Time::new(2, 1), Time::new(1, 1)).is_err());
    assert!(plan_cut(&info, Time::new(-1, 1), Time::new(1, 1)).is_err());
    assert!(plan_cut(&info, Time::new(100, 1), Time::new(101, 1)).is_err());
}

#[test]
fn matroska_tail_with_hidden_references_is_reencoded() {
    let Some(p) = fixture("bframes.mkv") else { return };
    let info = open(&p);
    let v = &info.tracks[0];
    // From the second keyframe to mid-GOP: the last shown B-frames reference a later P-frame.
    let k = v.samples.iter().filter(|s| s.decode_start).nth(1).unwrap().pts;
    let plan = plan_cut(&info, Time::new(k, 1000), Time::new(k + 500, 1000)).unwrap();
    let tp = &plan.tracks[0];
    assert!(tp.frames_reencoded > 0, "WebM cannot hide tail references");
    assert!(tp.packets.iter().all(|p| p.action != Action::Hidden));
    let first_re = tp.packets.iter().position(|p| p.action == Action::Reencode).unwrap();
    assert!(
        tp.packets[..first_re].iter().all(|p| p.action == Action::Copy),
        "copied head, re-encoded tail"
    );
    assert!(v.samples[tp.decode[0]].decode_start);
    // The same cut in MP4 keeps the references hidden instead.
    let Some(p4) = fixture("bframes.mp4") else { return };
    let info4 = open(&p4);
    let v4 = &info4.tracks[0];
    let k4 = v4.samples.iter().filter(|s| s.decode_start).nth(1).unwrap().pts;
    let plan4 = plan_cut(
        &info4,
        Time::new(k4, v4.timescale),
        Time::new(k4, v4.timescale) + Time::new(1, 2),
    )
    .unwrap();
    assert_eq!(plan4.tracks[0].frames_reencoded, 0);
    assert!(plan4.tracks[0].packets.iter().any(|p| p.action == Action::Hidden));
}
