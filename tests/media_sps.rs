//! H.264 colour signalling rewritten in an SPS: the signal type read from a source matches what
//! ffprobe reports, and an avcC rewritten to another signal type is what ffprobe then reports,
//! decodes without error and to the same frames.

mod media_support;

use media_support::*;
use outtake::media::sps::{avcc_signal_type, avcc_with_signal_type, SignalType};
use outtake::media::{mp4, output_tracks, plan_cut, Codec, TrackKind};
use std::path::Path;
use std::process::Command;

fn avcc(path: &Path) -> (outtake::media::MediaInfo, Vec<u8>) {
    let info = open(path);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let Codec::H264 { avcc } = &v.codec else { panic!("not H.264") };
    let a = avcc.clone();
    (info, a)
}

fn colour(path: &Path) -> (String, String) {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=color_range,color_space",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (r, c) = s.split_once(',').unwrap_or((&s, ""));
    (r.to_string(), c.to_string())
}

#[test]
fn reads_the_signal_type_ffprobe_reports() {
    let Some(p) = shared("video.mp4") else { return };
    let (_, a) = avcc(&p);
    let s = avcc_signal_type(&a).expect("Big Buck Bunny states its signal type");
    let (range, _) = colour(&p);
    assert_eq!(s.full_range, range == "pc", "{s:?} vs ffprobe {range}");
    // Its own signal type written back changes nothing.
    assert_eq!(avcc_with_signal_type(&a, &s).unwrap(), a);
}

#[test]
fn rewritten_signal_type_is_what_decoders_see() {
    let Some(dir) = fixtures() else { return };
    let src = dir.join("bframes.mp4");
    let (info, a) = avcc(&src);
    let want = SignalType { video_format: 5, full_range: true, colour: Some((5, 6, 5)) };
    let b = avcc_with_signal_type(&a, &want).unwrap();
    assert_eq!(avcc_signal_type(&b), Some(want));
    let plan = plan_cut(&info, outtake::Time::new(0, 1), info.duration).unwrap();
    let mut tracks = output_tracks(&info, &plan);
    let v = tracks.iter_mut().find(|t| t.track.kind == TrackKind::Video).unwrap();
    v.track.descriptions[0] = mp4::avc1_entry(v.track.width as u16, v.track.height as u16, &b);
    let mut out = Vec::new();
    mp4::write_mp4(&tracks, &mut std::fs::File::open(&src).unwrap(), &mut out).unwrap();
    let dest = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/sps-full-range.mp4");
    std::fs::write(&dest, out).unwrap();
    assert_eq!(colour(&dest), ("pc".to_string(), "bt470bg".to_string()));
    let d = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&dest)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&d.stderr), "", "decodes cleanly");
}
