//! Renders whose re-encoder is ffmpeg, checked by ffmpeg: no decode message, the exact frame
//! count, and frames identical to the source = frames the plans copy; in MP4 (one edit list entry
//! per track), Matroska (H.264 parameter sets in-band) and WebM (VP9 + Opus), and from two
//! sources whose parameter sets differ.

mod media_support;
mod render_support;

use media_support::*;
use outtake::media::{self, ByteSource, Codec, MediaInfo, PacketData, TrackKind};
use outtake::render::{self, EncodedRun, Input, Options, Reencoder, Run, Segment, Timeline};
use outtake::Time;
use render_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

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
            _: Option<&outtake::render::Target>,
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
