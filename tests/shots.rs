//! Shot changes on generated clips (tests/fixtures/make-shots.sh): every hard cut found on its
//! frame or next to it, nothing on flashes, steady shots, a pan or fast motion, at most one cut
//! per crossfade; and the times feed the caption rules' shot-change checks as they are.

#[macro_use]
mod media_support;

use media_support::*;
use outtake::captions::rules::{lint, LintContext, Profile};
use outtake::captions::{Captions, Cue};
use outtake::media::TrackKind;
use outtake::shots::{shown, ShotDetector};
use outtake::{Rate, Time};
use std::path::Path;
use std::process::Command;

const W: usize = 64;
const H: usize = 36;

struct Truth {
    fps: i64,
    frames: usize,
    cuts: Vec<i64>,
    fades: Vec<(i64, i64)>,
}

fn truth(dir: &Path) -> Truth {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    let ints = |v: &serde_json::Value| v.as_i64().unwrap();
    Truth {
        fps: ints(&v["fps"]),
        frames: v["frames"].as_u64().unwrap() as usize,
        cuts: v["cuts"].as_array().unwrap().iter().map(ints).collect(),
        fades: v["fades"].as_array().unwrap().iter().map(|p| (ints(&p[0]), ints(&p[1]))).collect(),
    }
}

/// The clip's frames as ffmpeg decodes them, scaled to W×H gray, in presentation order.
fn gray_frames(path: &Path) -> Vec<Vec<u8>> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-vf", &format!("scale={W}:{H},format=gray")])
        .args(["-fps_mode", "passthrough", "-f", "rawvideo", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks_exact(W * H).map(<[u8]>::to_vec).collect()
}

/// Cuts (times) of the clip: our demuxer's timing and keyframes, ffmpeg's pixels.
fn cuts_of(path: &Path) -> Vec<Time> {
    let info = open(path);
    let track = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let frames = shown(track);
    let pixels = gray_frames(path);
    assert_eq!(frames.len(), pixels.len(), "{}", path.display());
    let mut d = ShotDetector::new(W, H);
    for (f, p) in frames.iter().zip(&pixels) {
        d.push(p, f.time, f.hint);
    }
    d.finish()
}

fn check(file: &str) {
    let Some(dir) = shots_fixtures() else { return };
    let t = truth(&dir);
    let cuts = cuts_of(&dir.join(file));
    let found: Vec<i64> =
        cuts.iter().map(|c| (c.seconds() * t.fps as f64).round() as i64).collect();
    for want in &t.cuts {
        assert!(
            found.iter().any(|f| (f - want).abs() <= 1),
            "{file}: cut at frame {want} missed; found {found:?}"
        );
    }
    for f in &found {
        let is_cut = t.cuts.iter().any(|c| (f - c).abs() <= 1);
        let in_fade = t.fades.iter().any(|&(a, b)| a - 1 <= *f && *f <= b + 1);
        assert!(is_cut || in_fade, "{file}: false cut at frame {f} (found {found:?})");
    }
    for &(a, b) in &t.fades {
        let n = found.iter().filter(|&&f| a - 1 <= f && f <= b + 1).count();
        assert!(n <= 1, "{file}: {n} cuts in the fade {a}–{b}: {found:?}");
    }
    assert!(t.frames > 0);
    // The precise figure, for the report: exact-frame hits.
    let exact = t.cuts.iter().filter(|c| found.contains(c)).count();
    eprintln!("{file}: {exact}/{} cuts on their exact frame; found {found:?}", t.cuts.len());
}

#[test]
fn cuts_in_h264_mp4() {
    check("shots.mp4");
}

#[test]
fn cuts_in_vp9_webm() {
    check("shots.webm");
}

#[test]
fn detected_shot_changes_feed_the_caption_rules() {
    let Some(dir) = shots_fixtures() else { return };
    let cuts = cuts_of(&dir.join("shots.mp4"));
    let f25 = |n: i64| Time::new(n, 25);
    // Starts 3 frames before the cut at frame 100 (4 s): Netflix's rule snaps it to the cut.
    let c = Captions { cues: vec![Cue::new(f25(97), f25(130), "Hello")], ..Captions::default() };
    let profile = Profile::built_in("netflix-en-adult").unwrap();
    let mut ctx = LintContext::new(Rate::new(25, 1).unwrap());
    assert!(lint(&c, &profile, &ctx).iter().all(|v| v.rule != "shot-change"));
    ctx.shot_changes = cuts;
    let v = lint(&c, &profile, &ctx);
    assert!(v.iter().any(|v| v.rule == "shot-change" && v.message.contains("snap")), "{v:?}");
}
