//! Scale: a copy-only trim (as `outtake media trim` does it) of a file over 4 GiB, from a keyframe
//! past the 4 GiB mark, keeps peak memory within twice the output plus 64 MB. Its own test
//! binary, so that no other test's allocations raise this process's peak.

mod media_support;

use media_support::*;
use outtake::media::{self, TrackKind};
use outtake::Time;
use std::path::Path;
use std::process::Command;

const MB: u64 = 1 << 20;

/// A `VmRSS`/`VmHWM` line of /proc/self/status, in bytes.
fn status(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = text
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"));
    let kb: u64 = line[key.len() + 1..].trim().trim_end_matches("kB").trim().parse().unwrap();
    kb * 1024
}

/// framemd5 hashes of the video frames ffmpeg decodes with `args` before the input.
fn hashes(file: &Path, input_args: &[&str], frames: usize) -> Vec<String> {
    let o = Command::new("ffmpeg")
        .args(["-v", "error"])
        .args(input_args)
        .arg("-i")
        .arg(file)
        .args([
            "-map",
            "0:v:0",
            "-frames:v",
            &frames.to_string(),
            "-fps_mode",
            "passthrough",
            "-f",
            "framemd5",
            "-",
        ])
        .output()
        .expect("ffmpeg");
    assert!(o.status.success(), "ffmpeg framemd5: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplit(',').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn trims_a_4_gib_file_within_twice_the_output_plus_64_mb() {
    let Some(big) = scale_fixture() else {
        eprintln!("SKIP: the scale test needs ffmpeg/ffprobe to make its 4 GiB file");
        return;
    };
    let size = std::fs::metadata(&big).unwrap().len();
    assert!(size > 1 << 32, "big.mp4 is {size} bytes, not over 4 GiB");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/scale-out/native.mp4");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();

    let baseline = status("VmRSS:");
    // NOTE: "5" resets VmHWM to the current RSS (Linux ≥ 4.0), so the peak is this trim's alone.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
    let t = std::time::Instant::now();
    let mut src = std::fs::File::open(&big).unwrap();
    let info = media::probe(&mut src).unwrap();
    let video = info.tracks.iter().find(|t| t.kind == TrackKind::Video).expect("a video track");
    // The first keyframe whose bytes lie past 4 GiB: every packet copied is read through co64.
    let origin = media::first_frame_time(&info);
    let key = video
        .samples
        .iter()
        .find(|s| s.keyframe && s.offset > 1 << 32)
        .expect("a keyframe past 4 GiB");
    let start = Time::new(key.pts, video.timescale) - origin;
    let end = start + Time::new(3, 1);
    let plan = media::plan_cut_from_first_frame(&info, start, end).unwrap();
    media::require_copy_only(&info, &plan).unwrap();
    let tracks = media::output_tracks(&info, &plan);
    let mut sink = std::fs::File::create(&out).unwrap();
    let written = media::mp4::write_mp4(&tracks, &mut src, &mut sink).unwrap();
    drop(sink);
    let ms = t.elapsed().as_millis();
    let peak = status("VmHWM:");

    let bound = 2 * written + 64 * MB;
    eprintln!(
        "# native: {size} byte input, [{start}, {end}) s from offset {} -> {written} bytes in {ms} ms; RSS baseline {:.1} MB, peak {:.1} MB, +{:.1} MB (bound {:.1} MB)",
        key.offset,
        baseline as f64 / MB as f64,
        peak as f64 / MB as f64,
        (peak - baseline) as f64 / MB as f64,
        bound as f64 / MB as f64
    );
    assert!(written > 16 * MB, "the output ({written} bytes) should be tens of MB");
    assert!(
        peak - baseline <= bound,
        "peak RSS grew by {} bytes, over 2 × {written} + 64 MB",
        peak - baseline
    );

    // What ffmpeg sees: 3 s at 30 fps, clean, and the source's frames bit for bit.
    let frames = plan.main().unwrap().frames_total as usize;
    assert_eq!(frames, 90, "frames planned");
    let d = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&out)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert!(
        d.stderr.is_empty(),
        "ffmpeg decoding the output: {}",
        String::from_utf8_lossy(&d.stderr)
    );
    let got = hashes(&out, &[], frames + 1);
    assert_eq!(got.len(), frames, "frames in the output");
    // Input seeking half a frame early: ffmpeg decodes from the keyframe and drops what precedes.
    let at = format!("{:.6}", (start + origin).seconds() - 1.0 / 60.0);
    assert_eq!(
        got,
        hashes(&big, &["-ss", &at], frames),
        "output frames equal the source's from {at} s"
    );
}
