//! Renders of mixed sources: a segment whose video does not fit the output's configuration
//! (another size, aspect or codec, or the `video` option) is re-encoded whole, scaled and
//! letterboxed, keeping its own frame timing; the rest is copied. Plans with the stand-in
//! re-encoder, outputs with ffmpeg as the re-encoder, checked by ffmpeg.

mod media_support;
mod render_support;

use media_support::*;
use outtake::media::{self, Codec, Container, MediaInfo, PacketData, TrackKind};
use outtake::render::{self, Input, Options, Segment, Timeline, VideoCodec, VideoOptions};
use outtake::Time;
use render_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-mixed");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A 3 s clip made by ffmpeg from `video` (a lavfi source) with `codec` (ffmpeg arguments) and
/// AAC of a tone at 48 kHz, cached under target/.
fn source(name: &str, video: &str, codec: &[&str]) -> Option<PathBuf> {
    if !have_ffmpeg() {
        return None;
    }
    let path = dir().join(name);
    if !path.exists() {
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", video])
            .args(["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=3"])
            .args(codec)
            .args(["-c:a", "aac", "-shortest"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(st.success());
    }
    Some(path)
}

fn a() -> Option<PathBuf> {
    clip("source-a.mp4", "testsrc2=size=320x240:rate=30:duration=3", "2")
}

/// A smaller picture of the same aspect, H.264 like `a`.
fn small() -> Option<PathBuf> {
    clip("source-c.mp4", "testsrc2=size=160x120:rate=30:duration=3", "2")
}

/// A square VP9 picture at 25 fps in Matroska: another codec, aspect and frame rate.
fn square_vp9() -> Option<PathBuf> {
    source(
        "square-vp9.mkv",
        "smptebars=size=240x240:rate=25:duration=3",
        &["-c:v", "libvpx-vp9", "-crf", "20", "-b:v", "0", "-g", "25", "-auto-alt-ref", "0"],
    )
}

struct Rendered {
    out: PathBuf,
    done: render::Rendered,
    layout: render::Layout,
}

/// Renders `segments` (source id, start ms, end ms) of `paths` (ids "a", "b", … in order) with
/// ffmpeg as the re-encoder into `name`; also lays it out with the stand-in.
fn render_mixed(
    paths: &[&Path],
    segments: &[(&str, i64, i64)],
    options: &Options,
    name: &str,
) -> Rendered {
    let ids: Vec<String> =
        (0..paths.len()).map(|i| ((b'a' + i as u8) as char).to_string()).collect();
    let tl = Timeline {
        segments: segments.iter().map(|&(s, a, b)| Segment::new(s, t(a), Some(t(b)))).collect(),
    };
    let mut files: Vec<std::fs::File> =
        paths.iter().map(|p| std::fs::File::open(p).unwrap()).collect();
    let mut inputs: Vec<Input> = ids
        .iter()
        .zip(files.iter_mut())
        .map(|(id, f)| Input::new(id.clone(), f as &mut dyn media::ByteSource))
        .collect();
    let mut ff = BySource::new(paths, &dir().join(name));
    let mut bytes = Vec::new();
    let done = render::run_now(render::render(
        &tl,
        &mut inputs,
        options,
        &mut ff,
        &mut bytes,
        &mut |_| {},
    ))
    .unwrap();
    let ext = match done.container {
        Container::Mp4 => "mp4",
        Container::Webm => "webm",
        Container::Matroska => "mkv",
    };
    let out = dir().join(format!("{name}.{ext}"));
    std::fs::write(&out, bytes).unwrap();
    let layout = render::run_now(render::layout(
        &tl,
        &mut inputs,
        options,
        &mut Stamp { runs: Vec::new() },
        &mut |_| {},
    ))
    .unwrap();
    Rendered { out, done, layout }
}

/// Per-frame PSNR of output frames [at, at+n) against frames [first, first+n) of `src` made
/// to look as the output should (`filter`).
fn psnr(out: &Path, src: &Path, filter: &str, at: usize, first: usize, n: usize) -> Vec<f64> {
    let stats = dir().join(format!("psnr-{}-{at}.log", std::process::id()));
    let graph = format!(
        "[0:v]trim=start_frame={at}:end_frame={},setpts=N/TB[o];[1:v]{filter},trim=start_frame={first}:end_frame={},setpts=N/TB[r];[o][r]psnr=stats_file={}",
        at + n,
        first + n,
        stats.display()
    );
    let st = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(out)
        .arg("-i")
        .arg(src)
        .args(["-lavfi", &graph, "-fps_mode", "passthrough", "-f", "null", "-"])
        .status()
        .unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(&stats).unwrap();
    std::fs::remove_file(&stats).ok();
    text.lines()
        .filter_map(|l| l.split("psnr_avg:").nth(1)?.split(' ').next().map(str::to_string))
        .map(|v| if v == "inf" { f64::INFINITY } else { v.parse().unwrap() })
        .collect()
}

fn decode_errors(path: &Path) -> String {
    // NOTE: passthrough timing in the stream's own time base (as tests/helpers/media.mjs), or
    // ffmpeg's null muxer complains about frames of two rates in one stream (25 and 30 fps here)
    // when it guesses one rate for all.
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Checks a render against its sources: no decode message, the exact frame count, copied frames
/// bit-exact (as many as planned), re-encoded frames ≥ 40 dB PSNR against the source fitted to
/// the output's size by ffmpeg, frames of a whole segment at their source spacing. Returns the
/// worst PSNR of a whole segment.
fn check(r: &Rendered, paths: &[&Path], segments: &[(&str, i64, i64)]) -> f64 {
    assert_eq!(decode_errors(&r.out), "", "ffmpeg decodes it without a message");
    let got = hashes(&r.out);
    let ov = &r.layout.joined.tracks[0];
    assert_eq!(ov.track.kind, TrackKind::Video);
    let (w, h) = (ov.track.width, ov.track.height);
    let o = open(&r.out);
    let vo = o.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert_eq!((vo.width, vo.height), (w, h), "the output's size");
    let (mut at, mut total, mut worst) = (0, 0, f64::INFINITY);
    let mut land = Time::ZERO;
    for (k, &(id, a, b)) in segments.iter().enumerate() {
        let path = paths[(id.as_bytes()[0] - b'a') as usize];
        let info = open(path);
        let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
        let frames = shown(v);
        let (first, last) = expected(&frames, v.timescale, a, b);
        let n = last - first + 1;
        let seg = &r.done.segments[k];
        let planned = seg.plan.main().unwrap().frames_copied as usize;
        let src = hashes(path);
        let same = (0..n).filter(|&i| got.get(at + i) == Some(&src[first + i])).count();
        assert_eq!(same, planned, "segment {k}: frames identical to the source = frames copied");
        if seg.whole {
            assert_eq!(planned, 0, "segment {k}: re-encoded whole");
            let db = psnr(&r.out, path, &fit(w, h), at, first, n);
            let low = db.iter().copied().fold(f64::INFINITY, f64::min);
            assert!(low >= 40.0, "segment {k}: re-encoded frames {low:.1} dB PSNR");
            worst = worst.min(low);
            // Its own frame timing: output frames at the source's spacing from the landing.
            let pts: Vec<i64> = ov
                .packets
                .iter()
                .zip(&r.layout.joined.origins[0])
                .filter(|(_, o)| o.segment == k)
                .map(|(p, _)| p.pts)
                .collect();
            let want: Vec<i64> = (first..=last)
                .map(|f| {
                    (land + Time::new(frames[f].1 - frames[first].1, v.timescale))
                        .rescale(ov.track.timescale, outtake::Rounding::Nearest)
                        .value()
                })
                .collect();
            assert_eq!(pts, want, "segment {k}: frames at their source spacing");
        }
        let end = frames.get(last + 1).map_or_else(|| v.end().value(), |f| f.1);
        land = land + Time::new(end - frames[first].1, v.timescale);
        at += n;
        total += n;
    }
    assert_eq!(got.len(), total, "exact frame count");
    worst
}

#[test]
fn a_source_of_another_size_is_reencoded_whole_and_scaled() {
    let (Some(a), Some(c)) = (a(), small()) else { return };
    let segs = [("a", 417, 1_317), ("b", 500, 1_500), ("a", 2_017, 2_517)];
    let r = render_mixed(&[&a, &c], &segs, &Options::default(), "another-size");
    let wholes: Vec<bool> = r.done.segments.iter().map(|s| s.whole).collect();
    assert_eq!(wholes, [false, true, false], "only the smaller source is re-encoded whole");
    // The whole segment's packets are all the encoder's; it starts with a key frame.
    let v = &r.layout.joined.tracks[0];
    let seg1: Vec<&media::OutPacket> = v
        .packets
        .iter()
        .zip(&r.layout.joined.origins[0])
        .filter(|(_, o)| o.segment == 1)
        .map(|x| x.0)
        .collect();
    assert!(seg1.iter().all(|p| matches!(p.data, PacketData::Memory(_))));
    assert!(seg1[0].keyframe);
    let db = check(&r, &[&a, &c], &segs);
    eprintln!("another size: whole segment ≥ {db:.1} dB PSNR");
}

#[test]
fn another_codec_aspect_and_frame_rate_letterboxed_with_its_own_timing() {
    let (Some(a), Some(sq)) = (a(), square_vp9()) else { return };
    let segs = [("a", 417, 1_317), ("b", 300, 1_700), ("a", 1_817, 2_517)];
    let r = render_mixed(&[&a, &sq], &segs, &Options::default(), "vp9-square");
    assert_eq!(r.done.container, Container::Mp4);
    let db = check(&r, &[&a, &sq], &segs);
    // The letterbox: the square picture's columns left and right of it are black.
    eprintln!("VP9 240x240 at 25 fps into H.264 320x240 at 30: ≥ {db:.1} dB PSNR");
}

#[test]
fn the_video_option_sets_the_output_and_every_segment_is_reencoded() {
    let (Some(a), Some(c)) = (a(), small()) else { return };
    let segs = [("a", 417, 1_317), ("b", 500, 1_500)];
    let options = Options {
        video: VideoOptions { width: Some(480), height: Some(270), ..Default::default() },
        ..Default::default()
    };
    let r = render_mixed(&[&a, &c], &segs, &options, "video-option");
    assert!(r.done.segments.iter().all(|s| s.whole));
    let db = check(&r, &[&a, &c], &segs);
    // One sample description, the encoder's, at the asked size.
    let o = open(&r.out);
    let v = &o.tracks[0];
    assert_eq!((v.width, v.height), (480, 270));
    assert!(v.samples.iter().all(|s| s.description == 0));
    eprintln!("video option 480x270: ≥ {db:.1} dB PSNR");
}

#[test]
fn the_output_codec_h264_into_matroska_and_vp9_by_the_video_option() {
    let (Some(a), Some(sq)) = (a(), square_vp9()) else { return };
    let segs = [("a", 417, 1_317), ("b", 300, 1_700)];
    // H.264 in Matroska from a first source stored in MP4: the CodecPrivate is the encoder's.
    let options = Options { format: Some(Container::Matroska), ..Default::default() };
    let r = render_mixed(&[&a, &sq], &segs, &options, "mkv-h264");
    check(&r, &[&a, &sq], &segs);
    let info: MediaInfo = open(&r.out);
    let Codec::H264 { avcc } = &info.tracks[0].codec else { panic!("H.264") };
    assert!(!avcc.is_empty());
    // VP9 for all: the H.264 source re-encoded into the VP9 output, in MP4 (AAC cannot go
    // into WebM; the audio is not transcoded yet).
    let options = Options {
        format: Some(Container::Mp4),
        video: VideoOptions { codec: Some(VideoCodec::Vp9), ..Default::default() },
        ..Default::default()
    };
    let segs = [("b", 300, 1_700), ("a", 417, 1_317)];
    let r = render_mixed(&[&a, &sq], &segs, &options, "mp4-vp9");
    check(&r, &[&a, &sq], &segs);
}

/// `path` without its audio (packets copied), cached under target/.
fn mute(path: &Path, name: &str) -> PathBuf {
    let out = dir().join(name);
    if !out.exists() {
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-i"])
            .arg(path)
            .args(["-an", "-c", "copy"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
    }
    out
}

/// Mono PCM at 48 kHz of a file's first audio stream.
fn pcm(path: &Path) -> Vec<f32> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", "-"])
        .output()
        .unwrap();
    out.stdout.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

/// Renders `segs` of (a, its mute twin) and checks: ffmpeg decodes it without a message; the
/// mute segments are digital silence and the others are not; the audio is as long as the video
/// within half a packet. Returns the output.
fn silence_between(a: &Path, segs: &[(&str, i64, i64)], name: &str) -> PathBuf {
    let m = mute(a, &format!("{name}-mute.{}", a.extension().unwrap().to_string_lossy()));
    let r = render_mixed(&[a, &m], segs, &Options::default(), name);
    assert_eq!(decode_errors(&r.out), "", "{name}: ffmpeg decodes it without a message");
    assert!(r.done.segments.iter().all(|s| !s.whole), "{name}: the video is all copied");
    let at = &r.layout.joined.tracks[1];
    let origins = &r.layout.joined.origins[1];
    let made = at.packets.iter().zip(origins).filter(|(_, o)| o.track == render::Origin::MADE);
    assert!(made.clone().all(|(p, _)| matches!(p.data, PacketData::Memory(_))));
    let video = &r.layout.joined.tracks[0];
    let scale = |x: i64, from: u32| Time::new(x, from).seconds();
    let v_end = scale(video.shown_duration, video.track.timescale);
    let a_end = scale(at.shown_duration, at.track.timescale);
    let packet = scale(at.packets[1].duration as i64, at.track.timescale);
    assert!((v_end - a_end).abs() <= packet / 2.0, "{name}: audio ends at {a_end}, video {v_end}");
    // Each segment's sound: silence where its source has none, sound elsewhere, away from the
    // joints by two packets (half a packet of placement, and the decoder's overlap of one).
    let samples = pcm(&r.out);
    let mut land = 0.0;
    for (k, &(id, a0, b0)) in segs.iter().enumerate() {
        let main = r.done.segments[k].plan.main().unwrap();
        let len = (main.cut_end - main.cut_start).seconds();
        let from = ((land + 2.0 * packet) * 48_000.0) as usize;
        let to = (((land + len - 2.0 * packet) * 48_000.0) as usize).min(samples.len());
        let peak = samples[from..to].iter().fold(0f32, |m, x| m.max(x.abs()));
        if id == "b" {
            // Opus decodes its silence flag to denormals (1e-45): below -120 dBFS is silence.
            assert!(peak < 1e-6, "{name}: segment {k} [{a0}, {b0}) is silent ({peak})");
        } else {
            assert!(peak > 0.1, "{name}: segment {k} has its sound ({peak})");
        }
        land += len;
    }
    r.out
}

#[test]
fn a_segment_without_sound_gets_silence_aac_and_opus() {
    let Some(a) = a() else { return };
    // AAC-LC mono in MP4; the mute source in the middle, then first.
    silence_between(&a, &[("a", 417, 1_317), ("b", 500, 1_500), ("a", 1_817, 2_517)], "aac-mid");
    silence_between(&a, &[("b", 500, 1_500), ("a", 417, 1_317)], "aac-first");
    // Opus in WebM.
    let Some(vp9) = fixtures().map(|d| d.join("vp9.webm")) else { return };
    silence_between(&vp9, &[("a", 417, 1_317), ("b", 500, 1_500), ("a", 1_817, 2_517)], "opus");
}

/// The stand-in re-encoder whose avcC says full range, as Chromium's does for frames drawn
/// through a canvas.
struct FullRange(Stamp);

impl outtake::render::Reencoder for FullRange {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
        _: Option<&outtake::render::Target>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &outtake::render::Run<'_>,
        src: &mut dyn media::ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> Result<outtake::render::EncodedRun, Self::Error> {
        let mut r = self.0.reencode(run, src, tick).await?;
        let full = |d: &Vec<u8>| {
            let s = media::sps::avcc_signal_type(d).unwrap_or(media::sps::SignalType {
                video_format: 5,
                full_range: false,
                colour: None,
            });
            let s = media::sps::SignalType { full_range: true, ..s };
            media::sps::avcc_with_signal_type(d, &s).unwrap()
        };
        r.description = r.description.as_ref().map(full);
        Ok(r)
    }
}

#[test]
fn copied_sets_after_a_full_range_segment_say_limited_range() {
    let (Some(a), Some(c)) = (a(), small()) else { return };
    let tl = Timeline {
        segments: vec![
            Segment::new("a", t(417), Some(t(1_317))),
            Segment::new("b", t(500), Some(t(1_500))),
            Segment::new("a", t(2_017), Some(t(2_517))),
        ],
    };
    let (mut fa, mut fc) = (std::fs::File::open(&a).unwrap(), std::fs::File::open(&c).unwrap());
    let l = render::run_now(render::layout(
        &tl,
        &mut [Input::new("a", &mut fa), Input::new("b", &mut fc)],
        &Options::default(),
        &mut FullRange(Stamp { runs: Vec::new() }),
        &mut |_| {},
    ))
    .unwrap();
    // The SPS in front of each change (first NAL, 4-byte lengths): its range, by segment.
    let sps_range = |d: &[u8]| {
        let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as usize;
        media::sps::signal_type(&d[4..4 + n]).map(|s| s.full_range)
    };
    let v = &l.joined.tracks[0];
    let ranges: Vec<(usize, Option<bool>)> = v
        .packets
        .iter()
        .zip(&l.joined.origins[0])
        .filter_map(|(p, o)| match &p.data {
            PacketData::Memory(d) if d.len() > 6 => Some((o.segment, sps_range(d))),
            PacketData::Prefixed { prefix, .. } => Some((o.segment, sps_range(prefix))),
            _ => None,
        })
        .collect();
    // The encoder's full range is kept (the whole segment shares its sets with the run before,
    // so they are not repeated); the copies after it say limited.
    assert!(ranges.iter().any(|&(k, r)| k < 2 && r == Some(true)), "{ranges:?}");
    assert_eq!(ranges.last(), Some(&(2, Some(false))), "{ranges:?}");
}
