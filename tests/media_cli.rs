//! The `outtake media` commands end to end: probe counts match ffprobe, trim refuses cuts that
//! need re-encoding with ERR_NEEDS_REENCODE, and copy-only trims decode cleanly with ffmpeg.

mod media_support;

use media_support::*;
use std::process::Command;

fn outtake(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_outtake")).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn probe_json_counts_frames_like_ffprobe() {
    let Some(dir) = fixtures() else { return };
    for name in ["bframes.mp4", "vp9.webm", "frag.mp4"] {
        let p = dir.join(name);
        let (code, out, err) = outtake(&["media", "probe", p.to_str().unwrap(), "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let frames = v["tracks"][0]["frames"].as_u64().unwrap() as usize;
        assert_eq!(frames, frame_times(&p, 0).len(), "{name}: frame count");
        assert!(!v["tracks"][0]["keyframes"].as_array().unwrap().is_empty());
    }
}

#[test]
fn probe_names_the_frame_rate() {
    let Some(dir) = fixtures() else { return };
    let p = dir.join("vp8.webm");
    let (code, out, err) = outtake(&["media", "probe", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("320x240, 25 fps,"), "{out}");
    let (_, out, _) = outtake(&["media", "probe", dir.join("vfr.mp4").to_str().unwrap()]);
    assert!(out.contains("30 fps (variable: 24.0"), "{out}");
    let (_, out, _) = outtake(&["media", "probe", p.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["tracks"][0]["frameRate"];
    assert_eq!((r["nominal"].as_str(), r["variable"].as_bool()), (Some("25"), Some(false)), "{r}");
}

#[test]
fn trim_needs_reencode_off_keyframe_and_copies_on_keyframe() {
    let Some(dir) = fixtures() else { return };
    let p = dir.join("bframes.mp4");
    let o = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/trim-out/cli.mp4");
    std::fs::create_dir_all(o.parent().unwrap()).unwrap();
    let (code, _, err) = outtake(&[
        "media",
        "trim",
        p.to_str().unwrap(),
        "--start",
        "1.1",
        "--end",
        "2.5",
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("ERR_NEEDS_REENCODE") && err.contains("frames 33..=59"), "{err}");
    let (code, out, err) = outtake(&[
        "media",
        "trim",
        p.to_str().unwrap(),
        "--start",
        "1",
        "--end",
        "2.5",
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("45 frames"), "{out}");
    let d = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&o)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert!(d.stderr.is_empty(), "{}", String::from_utf8_lossy(&d.stderr));
    assert_eq!(frame_times(&o, 0).len(), 45);
    let (code, out, _) = outtake(&[
        "media",
        "plan",
        p.to_str().unwrap(),
        "--start",
        "1.1",
        "--end",
        "2.5",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tracks"][0]["framesTotal"], 42);
    assert_eq!(v["needsReencode"], true);
    // --format: another container, or a usage error naming the choices.
    let mkv = o.with_extension("mkv");
    let (code, out, err) = outtake(&[
        "media",
        "trim",
        p.to_str().unwrap(),
        "--start",
        "1",
        "--end",
        "3",
        "--format",
        "mkv",
        "-o",
        mkv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("60 frames"), "{out}");
    assert_eq!(frame_times(&mkv, 0).len(), 60);
    let (code, _, err) = outtake(&[
        "media",
        "trim",
        p.to_str().unwrap(),
        "--start",
        "1",
        "--end",
        "3",
        "--format",
        "avi",
        "-o",
        mkv.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--format: expected mp4, webm or matroska, got avi"), "{err}");
}

#[test]
fn bad_usage_and_bad_files() {
    let (code, _, err) = outtake(&["media", "probe"]);
    assert_eq!(code, 2, "{err}");
    let junk = std::env::temp_dir().join("outtake-junk.bin");
    std::fs::write(&junk, b"not a media file at all").unwrap();
    let (code, _, err) = outtake(&["media", "probe", junk.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("ERR_UNKNOWN_CONTAINER"), "{err}");
}

use std::path::Path;
