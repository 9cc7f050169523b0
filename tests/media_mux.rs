//! Copy-only trims (in-point on a keyframe, out-point anywhere) written by the crate's muxers and
//! checked with ffmpeg: no decode errors, the exact frame count, frame hashes equal to the
//! source's for the same range, and durations to one frame.

mod media_support;

use media_support::*;
use outtake::media::{
    output_tracks, plan_cut, require_copy_only, Container, CutPlan, MediaInfo, TrackKind,
};
use outtake::Time;
use std::path::{Path, PathBuf};
use std::process::Command;

fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/trim-out");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Video frame hashes in presentation order, from ffmpeg's framemd5.
fn frame_hashes(path: &Path) -> Vec<String> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit(',').next().map(|h| h.trim().to_string()))
        .collect()
}

/// Decoded audio length in samples from 0 on, from framemd5's per-frame times (time base
/// 1/rate). Frames wholly before 0 are pre-roll a Matroska CodecDelay marks (ffmpeg moves them
/// before 0 rather than dropping them, except for Opus): they are not presented.
fn audio_samples(path: &Path) -> i64 {
    // -copyts: framemd5 would otherwise move the first frame to 0.
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-copyts", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-f", "framemd5", "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<i64> =
                l.split(',').skip(2).take(2).filter_map(|v| v.trim().parse().ok()).collect();
            let [pts, duration] = f[..] else { return None };
            Some((pts + duration).clamp(0, duration))
        })
        .sum()
}

fn decode_errors(path: &Path) -> String {
    // NOTE: passthrough timing in the stream's own time base, or ffmpeg's null muxer complains
    // about VFR sources (cursed-vfr.mp4 itself) whose frames are closer than 1/average-rate.
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The container an output extension names.
fn container_of(ext: &str) -> Container {
    match ext {
        "mp4" => Container::Mp4,
        "webm" => Container::Webm,
        _ => Container::Matroska,
    }
}

/// A copy-only trim into the container `ext` names (the input's own, or another: `format`).
pub fn trim(path: &Path, start: Time, end: Time, ext: &str) -> (PathBuf, MediaInfo, CutPlan) {
    let mut info = open(path);
    let (from, to) = (info.container, container_of(ext));
    outtake::media::check_format(&info, to).unwrap();
    info.container = to;
    let plan = plan_cut(&info, start, end).unwrap();
    require_copy_only(&info, &plan).unwrap();
    let mut tracks = output_tracks(&info, &plan);
    outtake::media::retarget(&mut tracks, from, to).unwrap();
    let mut src = std::fs::File::open(path).unwrap();
    let mut out = Vec::new();
    outtake::media::write(&tracks, to, &mut src, &mut out).unwrap();
    let name = format!(
        "{}-{}-{}-{}.{ext}",
        path.file_stem().unwrap().to_string_lossy(),
        path.extension().unwrap().to_string_lossy(),
        start.rescale(1000, outtake::Rounding::Nearest).value(),
        end.rescale(1000, outtake::Rounding::Nearest).value()
    );
    let o = out_dir().join(name);
    std::fs::write(&o, out).unwrap();
    (o, info, plan)
}

/// Trims from the `key`-th decode-start keyframe to `end_frames` shown frames later (mid-GOP).
pub fn check_copy(path: &Path, key: usize, frames: usize, ext: &str) {
    check_copy_at(path, key, frames, ext, Time::ZERO);
}

/// As [`check_copy`], with the in-point `late` after the keyframe (still on the keyframe's
/// display, so still copy-only): the audio then starts `late` after the video.
pub fn check_copy_at(path: &Path, key: usize, frames: usize, ext: &str, late: Time) {
    let info = open(path);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let mut keys: Vec<i64> =
        v.samples.iter().filter(|s| s.decode_start && s.pts >= 0).map(|s| s.pts).collect();
    keys.sort();
    let mut pts: Vec<i64> = v.samples.iter().map(|s| s.pts).filter(|&p| p >= 0).collect();
    pts.sort();
    let k = keys[key.min(keys.len() - 1)];
    let ki = pts.iter().position(|&p| p == k).unwrap();
    let end_pts = pts.get(ki + frames).copied().unwrap_or(*pts.last().unwrap() + 1);
    // The out-point falls inside the last frame, not on its start.
    let end = Time::new(end_pts, v.timescale) - Time::new(1, 1_000_000);
    let start = Time::new(k, v.timescale) + late;
    let (out, _, plan) = trim(path, start, end, ext);
    let name = out.display().to_string();
    let errs = decode_errors(&out);
    assert!(errs.is_empty(), "{name}: ffmpeg decode errors: {errs}");
    let tp = plan.main().unwrap();
    let got = frame_hashes(&out);
    let all = frame_hashes(path);
    let want = &all[tp.first_frame_index as usize..=tp.last_frame_index as usize];
    assert_eq!(got.len() as u64, tp.frames_total, "{name}: frame count");
    assert_eq!(got, want, "{name}: frame hashes equal the source's for the range");
    // Duration to one frame: the stream's duration as ffprobe reads it.
    let (streams, _) = ffprobe(&out);
    let vs = streams.iter().find(|s| s.codec_type == "video").unwrap();
    if let Some(d) = vs.json["duration"].as_str().and_then(|d| d.parse::<f64>().ok()) {
        let want = (tp.cut_end - tp.cut_start).seconds();
        let frame = 1.0 / 24.0;
        assert!((d - want).abs() <= frame, "{name}: duration {d} vs {want}");
    }
    let rot = |p: &Path| {
        let (st, _) = ffprobe(p);
        let v = st.into_iter().find(|s| s.codec_type == "video").unwrap();
        (
            v.json["side_data_list"]
                .as_array()
                .and_then(|l| l.iter().find_map(|d| d["rotation"].as_i64()))
                .unwrap_or(0),
            v.json["sample_aspect_ratio"].clone(),
        )
    };
    assert_eq!(rot(&out), rot(path), "{name}: rotation and sample aspect ratio kept");
    if let Some(ap) = plan.tracks.iter().find(|t| t.kind == TrackKind::Audio) {
        let a = info.tracks.iter().find(|t| t.id == ap.track_id).unwrap();
        let got = audio_samples(&out);
        let want = Time::new(ap.shown_duration, ap.timescale)
            .rescale(a.sample_rate.max(1), outtake::Rounding::Nearest)
            .value();
        eprintln!("{name}: audio {got} samples decoded, {want} planned");
        if ext == "mp4" {
            let (st, _) = ffprobe(&out);
            let a_start: f64 = st.iter().find(|s| s.codec_type == "audio").unwrap().json
                ["start_time"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            let want_start = Time::new(ap.shown_start, ap.timescale).seconds();
            assert!(
                (a_start - want_start).abs() < 0.0015,
                "{name}: audio starts at {a_start}, planned {want_start}"
            );
        }
        assert!((got - want).abs() <= 1024, "{name}: audio length {got} vs {want} samples");
    }
}

#[test]
fn mp4_copy_trims() {
    let Some(dir) = fixtures() else { return };
    check_copy(&dir.join("bframes.mp4"), 1, 40, "mp4");
    check_copy(&dir.join("bframes.mp4"), 0, 17, "mp4");
    check_copy(&dir.join("frag.mp4"), 1, 45, "mp4");
    check_copy(&dir.join("vfr.mp4"), 1, 30, "mp4");
    check_copy(&dir.join("offset.mp4"), 1, 25, "mp4");
    check_copy(&dir.join("opengop.mp4"), 0, 50, "mp4");
    check_copy_at(&dir.join("bframes.mp4"), 1, 30, "mp4", Time::new(21, 1000));
    check_copy(&dir.join("vp9.mp4"), 1, 20, "mp4");
    check_copy(&dir.join("av1.mp4"), 1, 3, "mp4");
}

#[test]
fn mp4_copy_trims_shared() {
    if !have_ffmpeg() {
        return;
    }
    for name in [
        "edts.mp4",
        "video.mp4",
        "sar_2x1.mp4",
        "rotate-buck-bunny.mp4",
        "video-h265.mp4",
        "cursed-vfr.mp4",
    ] {
        let Some(p) = shared(name) else { continue };
        check_copy(&p, 1, 20, "mp4");
    }
}

#[test]
fn webm_copy_trims() {
    let Some(dir) = fixtures() else { return };
    check_copy(&dir.join("vp9.webm"), 1, 20, "webm");
    check_copy(&dir.join("vp8.webm"), 1, 12, "webm");
    check_copy(&dir.join("av1.webm"), 1, 3, "webm");
    check_copy_at(&dir.join("vp9.webm"), 1, 20, "webm", Time::new(21, 1000));
    // H.264 with B-frames in Matroska: a whole GOP, so no hidden tail reference is needed.
    check_copy(&dir.join("bframes.mkv"), 1, 30, "mkv");
}

#[test]
fn webm_copy_trims_shared() {
    if !have_ffmpeg() {
        return;
    }
    for name in ["frames.webm", "transparency.webm"] {
        let Some(p) = shared(name) else { continue };
        check_copy(&p, 1, 10, "webm");
    }
}

#[test]
fn audio_only_copy_trim() {
    if !have_ffmpeg() {
        return;
    }
    for name in ["eac3.mp4", "multiple-aac-tracks.mp4"] {
        let Some(p) = shared(name) else { continue };
        audio_only(&p);
    }
}

fn audio_only(p: &Path) {
    let (out, info, plan) = trim(p, Time::new(1, 4), Time::new(3, 4), "mp4");
    let (streams, _) = ffprobe(&out);
    assert_eq!(streams.len(), info.tracks.len(), "every track kept");
    let errs = decode_errors(&out);
    assert!(errs.is_empty(), "{errs}");
    let ap = &plan.tracks[0];
    let a = &info.tracks[0];
    assert_eq!(ap.cut_start, Time::new(1, 4));
    assert_eq!(ap.cut_end, Time::new(3, 4));
    let got = audio_samples(&out);
    let want = Time::new(ap.shown_duration, ap.timescale)
        .rescale(a.sample_rate, outtake::Rounding::Nearest)
        .value();
    eprintln!("{}: audio {got} samples decoded, {want} planned", p.display());
    assert!((got - want).abs() <= 1536, "audio length {got} vs {want}");
}

/// A re-encoded H.264 head gets an `avc1` entry of its own; built from the source's entry, it
/// keeps the pixel aspect (`pasp`), so the head is shown at the size of the rest.
#[test]
fn reencoded_entry_keeps_pixel_aspect() {
    for (name, aspect) in [("sar_2x1.mp4", (2, 1)), ("edts.mp4", (1280, 1281))] {
        let Some(p) = shared(name) else { continue };
        let info = open(&p);
        let plan = plan_cut(&info, Time::new(0, 1), Time::new(1, 1)).unwrap();
        let mut tracks = output_tracks(&info, &plan);
        let v = tracks.iter_mut().find(|t| t.track.kind == TrackKind::Video).unwrap();
        assert_eq!(v.track.pixel_aspect, aspect, "{name}");
        let outtake::media::Codec::H264 { avcc } = &v.track.codec else {
            panic!("{name} is not H.264")
        };
        let entry = outtake::media::mp4::avc1_entry_like(
            &v.track.descriptions[0],
            v.track.width as u16,
            v.track.height as u16,
            avcc,
        );
        assert_ne!(
            entry,
            outtake::media::mp4::avc1_entry(v.track.width as u16, v.track.height as u16, avcc),
            "{name}: pasp kept"
        );
        v.track.descriptions = vec![entry];
        let mut src = std::fs::File::open(&p).unwrap();
        let mut out = Vec::new();
        outtake::media::mp4::write_mp4(&tracks, &mut src, &mut out).unwrap();
        let again = outtake::media::probe(&mut out).unwrap();
        let v = again.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
        assert_eq!(v.pixel_aspect, aspect, "{name}: read back");
    }
}

/// `format`: the same copy trims into the other container. Every check of a copy trim holds
/// (frames bit-identical to the source's, count, duration, audio length), and codecs or features
/// the container has no place for fail before any work, named.
#[test]
fn copy_trims_into_another_container() {
    let Some(dir) = fixtures() else { return };
    check_copy(&dir.join("bframes.mp4"), 1, 30, "mkv");
    check_copy(&dir.join("vp9.mp4"), 1, 20, "webm");
    check_copy(&dir.join("vp9.webm"), 1, 20, "mp4");
    check_copy(&dir.join("vp8.webm"), 1, 12, "mp4");
    check_copy(&dir.join("av1.webm"), 1, 3, "mp4");
    check_copy(&dir.join("bframes.mkv"), 1, 30, "mp4");
    check_copy(&dir.join("bframes.mkv"), 1, 30, "mkv");
    check_copy(&dir.join("eac3.mp4"), 1, 30, "mkv");

    let refused = |path: &Path, to: Container, what: &str| {
        let err = outtake::media::check_format(&open(path), to).unwrap_err();
        assert_eq!(outtake::Coded::code(&err), "ERR_UNSUPPORTED_CODEC", "{err}");
        assert!(err.to_string().contains(what), "{}: {err}", path.display());
    };
    refused(&dir.join("bframes.mp4"), Container::Webm, "avc1.64000d cannot go into WebM");
    refused(&dir.join("bframes.mkv"), Container::Webm, "cannot go into WebM");
    if let Some(p) = shared("transparency.webm") {
        refused(&p, Container::Mp4, "alpha");
    }
    if let Some(p) = shared("rotate-buck-bunny.mp4") {
        refused(&p, Container::Matroska, "rotated 90°");
    }
}
