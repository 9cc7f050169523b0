//! The render pipeline's joints, natively: the plan of every in- and out-point (which frames are
//! copied, which re-encoded), decode and presentation times across joints, audio placed against
//! the source's own A/V relation, H.264 parameter sets where they change; and an end-to-end
//! render whose re-encoder is ffmpeg (libx264 Baseline), checked by ffmpeg: no decode message,
//! exact frame count, copied frames bit-identical to the source's.

mod media_support;

use media_support::*;
use outtake::media::{self, ByteSource, Codec, MediaInfo, PacketData, TrackKind};
use outtake::render::{
    self, EncodedFrame, EncodedRun, Input, Options, Reencoder, Run, Segment, Timeline,
};
use outtake::Time;
use std::path::{Path, PathBuf};
use std::process::Command;

fn t(ms: i64) -> Time {
    Time::new(ms, 1000)
}

/// A timeline of one source: (start, end) in milliseconds.
fn timeline(ranges: &[(i64, i64)]) -> Timeline {
    Timeline {
        segments: ranges.iter().map(|&(a, b)| Segment::new("a", t(a), Some(t(b)))).collect(),
    }
}

/// A stand-in re-encoder: each "encoded" frame is the bytes `RE` and its sample index, so that
/// the output says which source frame every re-encoded packet stands for; its avcC is the
/// source's with a different PPS, so that parameter sets change at every joint.
struct Stamp {
    runs: Vec<(usize, Vec<usize>, std::ops::RangeInclusive<usize>)>,
}

impl Reencoder for Stamp {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        _: &mut dyn ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error> {
        tick(1.0);
        self.runs.push((run.source, run.frames.clone(), run.decode.clone()));
        let Codec::H264 { avcc } = &run.track.codec else { panic!("H.264 only") };
        let mut ours = avcc.clone();
        *ours.last_mut().unwrap() ^= 0x01;
        let frames = run
            .frames
            .iter()
            .enumerate()
            .map(|(k, &s)| EncodedFrame {
                sample: s,
                data: [b"RE".as_slice(), &(s as u32).to_be_bytes()].concat(),
                key: k == 0,
            })
            .collect();
        Ok(EncodedRun { frames, description: Some(ours) })
    }
}

/// The layout of a render of `ranges` of `path` with the stand-in re-encoder.
fn layout(path: &Path, ranges: &[(i64, i64)]) -> (render::Layout, Stamp, MediaInfo) {
    let mut f = std::fs::File::open(path).unwrap();
    let mut stamp = Stamp { runs: Vec::new() };
    let l = render::run_now(render::layout(
        &timeline(ranges),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut stamp,
        &mut |_| {},
    ))
    .unwrap();
    (l, stamp, open(path))
}

/// Shown frames of a track in presentation order: (sample index, pts).
fn shown(t: &media::Track) -> Vec<(usize, i64)> {
    let mut v: Vec<(usize, i64)> =
        t.samples.iter().enumerate().filter(|(_, s)| s.pts >= 0).map(|(i, s)| (i, s.pts)).collect();
    v.sort_by_key(|x| x.1);
    v
}

/// The frames of `[a, b)` ms by trim's rule, from the sample table: (first, last) indices among
/// shown frames.
fn expected(frames: &[(usize, i64)], scale: u32, a: i64, b: i64) -> (usize, usize) {
    let at = |k: usize| Time::new(frames[k].1, scale);
    let first = (0..frames.len()).rev().find(|&k| at(k) <= t(a)).unwrap();
    let last = (0..frames.len()).rev().find(|&k| at(k) < t(b)).unwrap();
    (first, last)
}

fn bframes() -> Option<PathBuf> {
    fixtures().map(|d| d.join("bframes.mp4"))
}

// Three ranges of x264 with B-pyramids (a keyframe each second): mid-GOP in- and out-points, the
// second going back in time, the third repeating part of the first.
const RANGES: [(i64, i64); 3] = [(1_117, 2_217), (383, 1_450), (1_617, 2_950)];

#[test]
fn every_frame_of_every_segment_once_in_order() {
    let Some(path) = bframes() else { return };
    let (l, _, info) = layout(&path, &RANGES);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let frames = shown(v);
    let vi = l.joined.tracks.iter().position(|t| t.track.kind == TrackKind::Video).unwrap();
    let out = &l.joined.tracks[vi];
    let origins = &l.joined.origins[vi];
    let frame = frames[1].1 - frames[0].1;
    let mut at = 0i64;
    // Only the last out-point may leave references shown past it, hidden by the edit list.
    let hidden = out.packets.iter().zip(origins).filter(|(p, _)| p.pts >= out.shown_duration);
    assert!(hidden.clone().all(|(_, o)| o.segment == RANGES.len() - 1));
    for (k, &(a, b)) in RANGES.iter().enumerate() {
        let (first, last) = expected(&frames, v.timescale, a, b);
        // The segment's packets: each shown frame once, at its place from the segment's landing.
        let mut got: Vec<(i64, usize)> = out
            .packets
            .iter()
            .zip(origins)
            .filter(|(p, o)| o.segment == k && p.pts < out.shown_duration)
            .map(|(p, _)| (p.pts, p.source_sample.unwrap()))
            .collect();
        got.sort();
        let want: Vec<(i64, usize)> =
            (first..=last).map(|f| (at + frames[f].1 - frames[first].1, frames[f].0)).collect();
        assert_eq!(got, want, "segment {k}: its frames, in place");
        at += frames[last].1 + frame - frames[first].1;
        // Decoding never reaches across a joint: each segment starts with a key frame.
        let head = out.packets.iter().zip(origins).find(|(_, o)| o.segment == k).unwrap().0;
        assert!(head.keyframe, "segment {k} starts on a key frame");
    }
    assert_eq!(out.shown_duration, at, "the track shows every segment, end to end");
    // Decode times increase, and no frame is decoded after it is shown.
    assert!(out.packets.windows(2).all(|w| w[0].dts < w[1].dts), "decode times increase");
    assert!(out.packets.iter().all(|p| p.dts <= p.pts), "decoded no later than shown");
    // One edit list entry: the video shows from 0, the audio too.
    assert!(l.joined.tracks.iter().all(|t| t.shown_start == 0));
}

#[test]
fn copied_and_reencoded_frames_at_each_joint() {
    let Some(path) = bframes() else { return };
    let (l, stamp, info) = layout(&path, &RANGES);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let vi = l.joined.tracks.iter().position(|t| t.track.kind == TrackKind::Video).unwrap();
    let out = &l.joined.tracks[vi];
    let origins = &l.joined.origins[vi];
    let frames = shown(v);
    for (k, &(a, b)) in RANGES.iter().enumerate() {
        let (first, last) = expected(&frames, v.timescale, a, b);
        let in_seg: Vec<usize> = (first..=last).map(|f| frames[f].0).collect();
        let pkts: Vec<&media::OutPacket> =
            out.packets.iter().zip(origins).filter(|(_, o)| o.segment == k).map(|x| x.0).collect();
        let re: Vec<usize> = pkts
            .iter()
            .filter(
                |p| matches!(&p.data, PacketData::Memory(d) if d.windows(2).any(|w| w == b"RE")),
            )
            .map(|p| p.source_sample.unwrap())
            .collect();
        // In-point: re-encoded from the frame at the in-point up to the next IDR, no further.
        let idr = in_seg.iter().copied().filter(|&i| v.samples[i].decode_start).min();
        let head: Vec<usize> =
            in_seg.iter().copied().filter(|&i| idr.is_none_or(|d| i < d)).collect();
        assert!(head.iter().all(|i| re.contains(i)), "segment {k}: the head is re-encoded");
        // Out-point: a joint re-encodes only frames decoded after the first reference shown
        // past it; the last out-point hides such references with the edit list instead.
        let d_last = *in_seg.iter().max().unwrap();
        let first_hidden = idr.and_then(|d| (d..=d_last).find(|i| !in_seg.contains(i)));
        let tail: Vec<usize> = match first_hidden {
            Some(h) if k + 1 < RANGES.len() => in_seg.iter().copied().filter(|&i| i > h).collect(),
            _ => Vec::new(),
        };
        let mut want: Vec<usize> = head.iter().chain(&tail).copied().collect();
        want.sort();
        let mut got = re.clone();
        got.sort();
        assert_eq!(got, want, "segment {k}: re-encoded = the head + the frames a joint needs");
        if k + 1 < RANGES.len() {
            assert!(!tail.is_empty(), "segment {k}: this joint falls inside a B-pyramid");
            assert!(tail.len() < 8, "segment {k}: {} frames re-encoded at the joint", tail.len());
        }
        // Everything else is copied, packet for packet.
        let copied = pkts
            .iter()
            .filter(|p| matches!(p.data, PacketData::Source { .. } | PacketData::Prefixed { .. }))
            .count();
        assert_eq!(copied + got.len(), pkts.len());
        eprintln!(
            "segment {k}: {} frames, {} re-encoded at the in-point, {} at the out-point",
            in_seg.len(),
            head.len(),
            tail.len()
        );
    }
    // Each run decodes from the IDR at or before its first frame.
    for (_, frames, decode) in &stamp.runs {
        let lo = *frames.iter().min().unwrap();
        assert!(v.samples[*decode.start()].decode_start && *decode.start() <= lo);
        assert!(*decode.end() >= *frames.iter().max().unwrap());
    }
}

#[test]
fn parameter_sets_in_band_where_they_change() {
    let Some(path) = bframes() else { return };
    let (l, _, info) = layout(&path, &RANGES);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let vi = l.joined.tracks.iter().position(|t| t.track.kind == TrackKind::Video).unwrap();
    let out = &l.joined.tracks[vi];
    let Codec::H264 { avcc } = &v.codec else { panic!() };
    let source_sets = media::codec::avcc_parameter_sets(avcc).unwrap();
    // One sample description for every packet (the encoder's: the first packet is re-encoded).
    let d0 = out.packets[0].description;
    assert!(out.packets.iter().all(|p| p.description == d0));
    let mut prev_re = true;
    for (i, p) in out.packets.iter().enumerate() {
        let re = matches!(&p.data, PacketData::Memory(_));
        match &p.data {
            PacketData::Prefixed { prefix, .. } => {
                assert!(prev_re, "packet {i}: sets in-band only after a change");
                assert_eq!(prefix, &source_sets, "packet {i}: the source's SPS/PPS");
            }
            PacketData::Source { .. } => {
                assert!(!prev_re, "packet {i}: copied after re-encoded, without the source's sets")
            }
            PacketData::Memory(d) => {
                // The encoder's sets lead each run after copied packets.
                let starts_run = !prev_re;
                assert_eq!(
                    d.len() > 6,
                    starts_run,
                    "packet {i}: encoder sets in-band iff a run starts after copies"
                );
            }
            PacketData::Pending => panic!("packet {i} left pending"),
        }
        prev_re = re;
    }
}

#[test]
fn audio_keeps_the_sources_av_relation_at_every_joint() {
    let Some(path) = bframes() else { return };
    let (l, _, info) = layout(&path, &RANGES);
    let a = info.tracks.iter().find(|t| t.kind == TrackKind::Audio).unwrap();
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let ai = l.joined.tracks.iter().position(|t| t.track.kind == TrackKind::Audio).unwrap();
    let out = &l.joined.tracks[ai];
    let origins = &l.joined.origins[ai];
    let frames = shown(v);
    let packet = a.samples[1].duration as i64;
    // Contiguous packets: timing implied by order, as in MP4.
    assert!(out.packets.windows(2).all(|w| w[1].pts == w[0].pts + w[0].duration as i64));
    let mut land = Time::ZERO;
    let mut worst = Time::ZERO;
    for (k, &(ra, rb)) in RANGES.iter().enumerate() {
        let (first, last) = expected(&frames, v.timescale, ra, rb);
        let cut = Time::new(frames[first].1, v.timescale);
        let mut n = 0;
        for (p, _) in out.packets.iter().zip(origins).filter(|(_, o)| o.segment == k) {
            let s = &a.samples[p.source_sample.unwrap()];
            // Where the source says this sound belongs, against where it is.
            let ideal = Time::new(s.pts, a.timescale) - cut + land;
            let off = Time::new(p.pts, a.timescale) - ideal;
            let off = if off.is_negative() { -off } else { off };
            worst = worst.max(off);
            n += 1;
        }
        assert!(n > 0);
        land = land + Time::new(frames[last].1 - frames[first].1 + 512, v.timescale);
    }
    assert!(
        worst <= Time::new(packet, a.timescale * 2),
        "worst A/V offset {} s, over half a packet",
        worst.seconds()
    );
    // As long as the video, within half a packet.
    let end = out.packets.last().map(|p| p.pts + p.duration as i64).unwrap();
    let video_end = land.rescale(a.timescale, outtake::Rounding::Nearest).value();
    assert!((end - video_end).abs() * 2 <= packet, "audio ends at {end}, video at {video_end}");
    // The pre-roll packet before the first is hidden by the edit list, nothing else.
    assert_eq!(out.packets.iter().filter(|p| p.pts < 0).count(), 1);
    eprintln!("worst A/V offset at a joint: {:.2} ms", worst.seconds() * 1000.0);
}

/// ffmpeg as the re-encoder: the asked frames (by presentation index) encoded with libx264
/// Baseline, no B-frames, into an MP4 whose samples and avcC are taken back.
struct Ffmpeg {
    path: PathBuf,
    dir: PathBuf,
    n: usize,
}

impl Reencoder for Ffmpeg {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        _: &mut dyn ByteSource,
        _: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error> {
        let order = shown(run.track);
        let index: Vec<usize> =
            run.frames.iter().map(|s| order.iter().position(|x| x.0 == *s).unwrap()).collect();
        let select: Vec<String> = index.iter().map(|i| format!("eq(n\\,{i})")).collect();
        self.n += 1;
        let out = self.dir.join(format!("run-{}.mp4", self.n));
        let h264 = matches!(run.track.codec, Codec::H264 { .. });
        let (codec, ext): (&[&str], &str) = if h264 {
            (&["libx264", "-profile:v", "baseline", "-bf", "0", "-g", "1000", "-crf", "12"], "mp4")
        } else {
            // No alt-ref (hidden) frames: one shown frame per packet, as the plan expects.
            (&["libvpx-vp9", "-crf", "10", "-b:v", "0", "-g", "1000", "-auto-alt-ref", "0"], "webm")
        };
        let out = out.with_extension(ext);
        let select = format!("select='{}'", select.join("+"));
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-i"])
            .arg(&self.path)
            .args(["-an", "-vf", &select, "-fps_mode", "passthrough", "-c:v"])
            .args(codec)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        let info = open(&out);
        let t = &info.tracks[0];
        assert_eq!(t.samples.len(), run.frames.len());
        let description = match &t.codec {
            Codec::H264 { avcc } => Some(avcc.clone()),
            _ => None,
        };
        let bytes = std::fs::read(&out).unwrap();
        let frames = run
            .frames
            .iter()
            .zip(&t.samples)
            .map(|(&sample, s)| EncodedFrame {
                sample,
                data: bytes[s.offset as usize..(s.offset + s.size as u64) as usize].to_vec(),
                key: s.keyframe,
            })
            .collect();
        Ok(EncodedRun { frames, description })
    }
}

fn hashes(path: &Path) -> Vec<String> {
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

#[test]
fn a_render_decodes_cleanly_with_copied_frames_bit_exact() {
    let Some(path) = bframes() else { return };
    let o = render_with_ffmpeg(&path, &RANGES, "mp4");
    // The MP4 has one edit list entry per track (MSE takes no more).
    let info = open(&path);
    let moov = std::fs::read(&o).unwrap();
    let elst = moov.windows(4).filter(|w| w == b"elst").count();
    assert_eq!(elst, info.tracks.len());
    for w in moov.windows(12).filter(|w| &w[..4] == b"elst") {
        assert_eq!(u32::from_be_bytes([w[8], w[9], w[10], w[11]]), 1, "a single-entry edit list");
    }
}

#[test]
fn matroska_joints_carry_parameter_sets_in_band() {
    // H.264 with B-frames in Matroska: one CodecPrivate, the encoder's SPS/PPS in-band.
    let Some(path) = fixtures().map(|d| d.join("bframes.mkv")) else { return };
    render_with_ffmpeg(&path, &RANGES, "mkv");
}

#[test]
fn webm_joints_vp9_and_opus() {
    let Some(path) = fixtures().map(|d| d.join("vp9.webm")) else { return };
    render_with_ffmpeg(&path, &RANGES, "webm");
}

/// Renders `ranges` of `path` with ffmpeg as the re-encoder; checks that ffmpeg decodes it
/// without a message, the exact frame count, and copied frames bit-identical to the source's.
fn render_with_ffmpeg(path: &Path, ranges: &[(i64, i64)], ext: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-out");
    let name = path.file_name().unwrap().to_string_lossy().replace('.', "-");
    let mut ff = Ffmpeg { path: path.to_path_buf(), dir: dir.join(&name), n: 0 };
    std::fs::create_dir_all(&ff.dir).unwrap();
    let mut f = std::fs::File::open(path).unwrap();
    let mut bytes = Vec::new();
    let done = render::run_now(render::render(
        &timeline(ranges),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut ff,
        &mut bytes,
        &mut |_| {},
    ))
    .unwrap();
    let o = dir.join(format!("{name}-three-ranges.{ext}"));
    std::fs::write(&o, bytes).unwrap();
    let errs = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&o)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    let errs = String::from_utf8_lossy(&errs.stderr);
    assert_eq!(errs, "", "{name}: ffmpeg decodes it without a message");
    let info = open(path);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let frames = shown(v);
    let src = hashes(path);
    let got = hashes(&o);
    let (mut total, mut at, mut same, mut planned) = (0, 0, 0, 0);
    for (k, &(a, b)) in ranges.iter().enumerate() {
        let (first, last) = expected(&frames, v.timescale, a, b);
        let n = last - first + 1;
        total += n;
        planned += done.segments[k].plan.main().unwrap().frames_copied as usize;
        same += (0..n).filter(|&i| got.get(at + i) == Some(&src[first + i])).count();
        at += n;
    }
    assert_eq!(got.len(), total, "{name}: exact frame count");
    assert_eq!(same, planned, "{name}: frames identical to the source = frames planned as copied");
    eprintln!("{name}: {total} frames, {same} bit-identical to the source");
    o
}

#[test]
fn a_segment_the_audio_does_not_cover_is_refused_not_filled_from_elsewhere() {
    if !have_ffmpeg() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-out");
    std::fs::create_dir_all(&dir).unwrap();
    // Two seconds of video, one of sound.
    let path = dir.join("short-audio.mp4");
    let st = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=2"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1"])
        .args(["-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-c:a", "aac"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(st.success());
    let mut f = std::fs::File::open(&path).unwrap();
    let mut out = Vec::new();
    // [0.5, 1.5) has sound only in its first half: the next segment's sound must not fill it.
    let e = render::run_now(render::render(
        &timeline(&[(500, 1_500), (0, 500)]),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut Stamp { runs: Vec::new() },
        &mut out,
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(outtake::Coded::code(&e), "ERR_UNSUPPORTED_CODEC");
    assert!(e.to_string().contains("segment 0: the source's audio ends before"), "{e}");
    // Starting where there is no sound at all is refused too.
    let e = render::run_now(render::render(
        &timeline(&[(1_200, 1_800), (0, 500)]),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut Stamp { runs: Vec::new() },
        &mut out,
        &mut |_| {},
    ))
    .unwrap_err();
    assert!(e.to_string().contains("segment 0: the source's audio does not reach"), "{e}");
    // Within the sound, the same source renders.
    render::run_now(render::render(
        &timeline(&[(500, 900), (0, 500)]),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut Stamp { runs: Vec::new() },
        &mut out,
        &mut |_| {},
    ))
    .unwrap();
}

#[test]
fn timeline_errors_name_the_segment() {
    let Some(path) = bframes() else { return };
    let mut f = std::fs::File::open(&path).unwrap();
    let run = |tl: &Timeline, f: &mut std::fs::File| {
        render::prepare(tl, &mut [Input::new("a", f)], &Options::default()).unwrap_err()
    };
    let e = run(&Timeline::default(), &mut f);
    assert_eq!(outtake::Coded::code(&e), "ERR_TIMELINE");
    let mut tl = timeline(&[(0, 1_000)]);
    tl.segments.push(Segment::new("b", t(0), None));
    let e = run(&tl, &mut f);
    assert!(e.to_string().contains("segment 1: no source \"b\""), "{e}");
    let e = run(&timeline(&[(0, 1_000), (5_000, 6_000)]), &mut f);
    assert_eq!(outtake::Coded::code(&e), "ERR_CUT_RANGE");
    assert!(e.to_string().contains("segment 1:"), "{e}");
    let mut tl = timeline(&[(0, 1_000)]);
    tl.segments[0].speed = Time::new(2, 1);
    assert!(run(&tl, &mut f).to_string().contains("speed 2"));
}

/// A clip of generated video and a tone, x264 with B-frames and `refs` reference frames (which
/// changes its SPS), cached under target/.
fn clip(name: &str, video: &str, refs: &str) -> Option<PathBuf> {
    if !have_ffmpeg() {
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-out");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", video])
            .args(["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=3"])
            .args(["-c:v", "libx264", "-g", "30", "-bf", "3", "-refs", refs, "-c:a", "aac"])
            .args(["-shortest"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(st.success());
    }
    Some(path)
}

#[test]
fn segments_of_two_sources_join_with_each_ones_parameter_sets() {
    let Some(a) = clip("source-a.mp4", "testsrc2=size=320x240:rate=30:duration=3", "2") else {
        return;
    };
    let Some(b) = clip("source-b.mp4", "smptehdbars=size=320x240:rate=30:duration=3", "4") else {
        return;
    };
    let (ia, ib) = (open(&a), open(&b));
    let avcc = |i: &MediaInfo| match &i.tracks[0].codec {
        Codec::H264 { avcc } => avcc.clone(),
        _ => panic!("H.264"),
    };
    assert_ne!(avcc(&ia), avcc(&ib), "the two sources' parameter sets differ");
    let tl = Timeline {
        segments: vec![
            Segment::new("a", t(417), Some(t(1_317))),
            Segment::new("b", t(1_617), Some(t(2_517))),
            Segment::new("a", t(1_817), Some(t(2_517))),
        ],
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-out/two");
    std::fs::create_dir_all(&dir).unwrap();
    let (mut fa, mut fb) = (std::fs::File::open(&a).unwrap(), std::fs::File::open(&b).unwrap());
    let mut bytes = Vec::new();
    // The re-encoder reads whichever source a run comes from.
    struct Two(Ffmpeg, Ffmpeg);
    impl Reencoder for Two {
        type Error = media::MediaError;
        async fn check(
            &mut self,
            _: usize,
            _: &MediaInfo,
            _: &media::CutPlan,
        ) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn reencode(
            &mut self,
            run: &Run<'_>,
            src: &mut dyn ByteSource,
            tick: &mut dyn FnMut(f64),
        ) -> Result<EncodedRun, Self::Error> {
            match run.source {
                0 => self.0.reencode(run, src, tick).await,
                _ => self.1.reencode(run, src, tick).await,
            }
        }
    }
    let mut two = Two(
        Ffmpeg { path: a.clone(), dir: dir.join("a"), n: 0 },
        Ffmpeg { path: b.clone(), dir: dir.join("b"), n: 0 },
    );
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let done = render::run_now(render::render(
        &tl,
        &mut [Input::new("a", &mut fa), Input::new("b", &mut fb)],
        &Options::default(),
        &mut two,
        &mut bytes,
        &mut |_| {},
    ))
    .unwrap();
    let o = dir.join("two-sources.mp4");
    std::fs::write(&o, &bytes).unwrap();
    let errs = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&o)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&errs.stderr), "", "ffmpeg decodes it without a message");
    let got = hashes(&o);
    let (mut total, mut at, mut same, mut planned) = (0, 0, 0, 0);
    for (k, seg) in tl.segments.iter().enumerate() {
        let (path, info) = if seg.source == "a" { (&a, &ia) } else { (&b, &ib) };
        let v = &info.tracks[0];
        let frames = shown(v);
        let ms = |x: Time| (x.seconds() * 1000.0).round() as i64;
        let (first, last) = expected(&frames, v.timescale, ms(seg.start), ms(seg.end.unwrap()));
        let n = last - first + 1;
        let src = hashes(path);
        total += n;
        planned += done.segments[k].plan.main().unwrap().frames_copied as usize;
        same += (0..n).filter(|&i| got.get(at + i) == Some(&src[first + i])).count();
        at += n;
    }
    assert_eq!(got.len(), total, "exact frame count");
    assert_eq!(same, planned, "frames identical to their source = frames planned as copied");
    // Source b's first copied packet carries b's SPS/PPS in-band; a's after b carry a's again.
    let mut f = std::fs::File::open(&a).unwrap();
    let mut g = std::fs::File::open(&b).unwrap();
    let l = render::run_now(render::layout(
        &tl,
        &mut [Input::new("a", &mut f), Input::new("b", &mut g)],
        &Options::default(),
        &mut Stamp { runs: Vec::new() },
        &mut |_| {},
    ))
    .unwrap();
    let sets = |i: &MediaInfo| media::codec::avcc_parameter_sets(&avcc(i)).unwrap();
    let prefixes: Vec<Vec<u8>> = l.joined.tracks[0]
        .packets
        .iter()
        .filter_map(|p| match &p.data {
            PacketData::Prefixed { prefix, .. } => Some(prefix.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        prefixes,
        vec![sets(&ia), sets(&ib), sets(&ia)],
        "each source's sets where it starts"
    );
    eprintln!("two sources: {total} frames, {same} copied bit-exact");
}

#[test]
fn sources_of_another_size_are_refused_named() {
    let Some(a) = clip("source-a.mp4", "testsrc2=size=320x240:rate=30:duration=3", "2") else {
        return;
    };
    let Some(c) = clip("source-c.mp4", "testsrc2=size=160x120:rate=30:duration=3", "2") else {
        return;
    };
    let (mut fa, mut fc) = (std::fs::File::open(&a).unwrap(), std::fs::File::open(&c).unwrap());
    let tl = Timeline {
        segments: vec![
            Segment::new("a", t(0), Some(t(1_000))),
            Segment::new("c", t(0), Some(t(1_000))),
        ],
    };
    let e = render::run_now(render::layout(
        &tl,
        &mut [Input::new("a", &mut fa), Input::new("c", &mut fc)],
        &Options::default(),
        &mut Stamp { runs: Vec::new() },
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(outtake::Coded::code(&e), "ERR_UNSUPPORTED_CODEC");
    assert!(e.to_string().contains("segment 1: its video is avc1"), "{e}");
    assert!(e.to_string().contains("160x120"), "{e}");
}
