//! Soft captions in a render's output, read back by outside readers: ffmpeg for WebM
//! (`D_WEBVTT/SUBTITLES`), mkvextract for Matroska (`S_TEXT/WEBVTT`), and our own demuxer plus
//! ffprobe for MP4 (`wvtt`; mp4box.js checks it in the browser test). The cues must be the
//! captions re-timed through the timeline as its frames land: cut cues gone, clipped cues
//! clipped, a repeated range's cues repeated, overlaps kept, markup, ids and settings kept.

mod media_support;
mod render_support;

use media_support::*;
use outtake::captions::retime::retime;
use outtake::captions::{parse_webvtt, settings_text, Captions};
use outtake::edit_list::{EditList, Segment as Edit, Speed};
use outtake::media::{self, TextCue, TrackKind};
use outtake::render::{self, Input, Options, SoftCaptions};
use outtake::{Rounding, Time};
use render_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const VTT: &str = "WEBVTT

STYLE
::cue(b) { color: yellow }

00:00:00.500 --> 00:00:01.200
<i>clipped</i> head

gone
00:00:03.000 --> 00:00:03.500
fully outside every segment

c
00:00:01.300 --> 00:00:02.000 align:start line:0
<v Ann>repeated</v> &amp; kept

00:00:01.500 --> 00:00:02.500
<b>overlaps</b> c
";

fn captions() -> Captions {
    parse_webvtt(VTT).unwrap().captions
}

/// The edit list of `ranges` as the frames of `path` land: each segment from its first shown
/// frame to the end of its last, worked out here from the sample table.
fn frames_edits(path: &Path, ranges: &[(i64, i64)]) -> EditList {
    let info = open(path);
    let v = info.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let frames = shown(v);
    let origin = frames[0].1;
    let at = |k: usize| Time::new(frames[k].1 - origin, v.timescale);
    let segments = ranges
        .iter()
        .map(|&(a, b)| {
            let (first, last) = expected(&frames, v.timescale, a, b);
            let end = if last + 1 < frames.len() {
                at(last + 1)
            } else {
                at(last) + Time::new(v.samples[frames[last].0].duration as i64, v.timescale)
            };
            Edit { source: None, start: at(first), end, speed: Speed::NORMAL }
        })
        .collect();
    EditList { segments, frame_rate: None }
}

fn render_to(path: &Path, ranges: &[(i64, i64)], ext: &str, language: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-captions");
    let name = path.file_name().unwrap().to_string_lossy().replace('.', "-");
    let mut ff = Ffmpeg { path: path.to_path_buf(), dir: dir.join(&name), n: 0 };
    std::fs::create_dir_all(&ff.dir).unwrap();
    let mut f = std::fs::File::open(path).unwrap();
    let mut bytes = Vec::new();
    let soft = SoftCaptions {
        captions: captions(),
        language: language.into(),
        label: Some("Captions".into()),
        source: None,
    };
    let format = Some(match ext {
        "mp4" => media::Container::Mp4,
        "webm" => media::Container::Webm,
        _ => media::Container::Matroska,
    });
    let options = Options { format, captions: Some(soft), ..Options::default() };
    let done = render::run_now(render::render(
        &timeline(ranges),
        &mut [Input::new("a", &mut f)],
        &options,
        &mut ff,
        &mut bytes,
        &mut |_| {},
    ))
    .unwrap();
    let report = done.captions.unwrap();
    assert_eq!(report.dropped, vec![1], "the cue outside every segment is gone");
    let o = dir.join(format!("{name}.{ext}"));
    std::fs::write(&o, bytes).unwrap();
    o
}

/// What the track must hold: the captions re-timed (the captions engine) through the frames'
/// edit list, in milliseconds.
fn want(path: &Path, ranges: &[(i64, i64)]) -> Vec<(i64, i64, String, String, String)> {
    rows(&retime(&captions(), &frames_edits(path, ranges)))
}

fn from_vtt(text: &str) -> Vec<(i64, i64, String, String, String)> {
    rows(&parse_webvtt(text).unwrap_or_else(|e| panic!("{e}: {text}")).captions)
}

/// Each cue as (start ms, end ms, id, settings, text).
fn rows(c: &Captions) -> Vec<(i64, i64, String, String, String)> {
    c.cues
        .iter()
        .map(|c| {
            (
                c.start.millis(Rounding::Nearest),
                c.end.millis(Rounding::Nearest),
                c.id.clone(),
                settings_text(c),
                c.text.clone(),
            )
        })
        .collect()
}

fn from_track(cues: &[TextCue]) -> Vec<(i64, i64, String, String, String)> {
    cues.iter()
        .map(|c| {
            (
                c.start.millis(Rounding::Nearest),
                c.end.millis(Rounding::Nearest),
                c.id.clone(),
                c.settings.clone(),
                c.text.clone(),
            )
        })
        .collect()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

fn check_expectations(want: &[(i64, i64, String, String, String)]) {
    // The clipped head shows twice (the first and second segments hold part of it), the cue
    // with an id in all three (its pieces in the second and third touch, so join): the second
    // piece gets an id of its own.
    assert_eq!(want.iter().filter(|c| c.4.contains("clipped")).count(), 2, "{want:?}");
    assert_eq!(want.iter().filter(|c| c.4.contains("repeated")).count(), 2, "{want:?}");
    assert!(want.iter().all(|c| !c.4.contains("outside")));
    assert!(want.iter().any(|c| c.2 == "c" && c.3 == "line:0 align:start"));
}

#[test]
fn webm_captions_read_by_ffmpeg() {
    let Some(path) = fixtures().map(|d| d.join("vp9.webm")) else { return };
    let o = render_to(&path, &RANGES, "webm", "en");
    let out = Command::new("ffmpeg")
        // Copied, not decoded (the decoder drops markup); -copyts: ffmpeg would move every
        // stream by the Opus pre-roll, which starts before 0.
        .args(["-v", "error", "-copyts", "-i"])
        .arg(&o)
        .args(["-map", "0:s", "-c:s", "copy", "-f", "webvtt", "-"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let got = from_vtt(&String::from_utf8_lossy(&out.stdout));
    let want = want(&path, &RANGES);
    check_expectations(&want);
    assert_eq!(sorted(got), sorted(want));
    let (streams, _) = ffprobe(&o);
    assert!(streams.iter().any(|s| s.codec_type == "subtitle"), "{streams:?}");
}

#[test]
fn matroska_captions_read_by_mkvextract() {
    let Some(path) = fixtures().map(|d| d.join("bframes.mkv")) else { return };
    if Command::new("mkvextract").arg("--version").output().is_err() {
        eprintln!("SKIP: mkvextract not found (Debian's mkvtoolnix)");
        return;
    }
    let o = render_to(&path, &RANGES, "mkv", "pt-BR");
    let vtt = o.with_extension("vtt");
    let st = Command::new("mkvextract")
        .arg(&o)
        .arg("tracks")
        .arg(format!("2:{}", vtt.display()))
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stdout));
    let text = std::fs::read_to_string(&vtt).unwrap();
    assert!(text.contains("::cue(b) { color: yellow }"), "the header's STYLE block: {text}");
    let want = want(&path, &RANGES);
    check_expectations(&want);
    assert_eq!(sorted(from_vtt(&text)), sorted(want));
    let info = String::from_utf8_lossy(&Command::new("mkvinfo").arg(&o).output().unwrap().stdout)
        .to_string();
    assert!(info.contains("Language: por") && info.contains("pt-BR"), "{info}");
}

#[test]
fn mp4_captions_tile_the_track_and_read_back() {
    let Some(path) = bframes() else { return };
    let o = render_to(&path, &RANGES, "mp4", "en");
    let mut f = std::fs::File::open(&o).unwrap();
    let info = media::probe(&mut f).unwrap();
    let t = info.tracks.iter().find(|t| t.codec_id == "wvtt").expect("a wvtt track");
    // Samples tile the track from 0 with no gap.
    let mut at = 0;
    for s in &t.samples {
        assert_eq!(s.pts, at, "no gap, no overlap");
        at += s.duration as i64;
    }
    let shown = frames_edits(&path, &RANGES).output_duration();
    // To the end of the output: the video's, or the audio's last whole packet past it.
    let end = Time::new(at, t.timescale);
    assert!(end >= shown && end - shown < Time::from_millis(50), "{end:?} {shown:?}");
    let got = from_track(&media::read_text_track(&info, &mut f).unwrap());
    let want = want(&path, &RANGES);
    check_expectations(&want);
    assert_eq!(sorted(got), sorted(want));
    let (streams, _) = ffprobe(&o);
    // ffmpeg 5.1 does not decode wvtt, but sees the track and its language.
    let s = streams.iter().find(|s| s.json["codec_tag_string"] == "wvtt").expect("ffprobe sees it");
    assert_eq!(s.json["tags"]["language"], "eng");
}

#[test]
fn landed_edits_are_the_frames() {
    let Some(path) = bframes() else { return };
    let mut f = std::fs::File::open(&path).unwrap();
    let prepared =
        render::prepare(&timeline(&RANGES), &mut [Input::new("a", &mut f)], &Options::default())
            .unwrap();
    let mut landed = render::landed_edits(&prepared).unwrap();
    // Each segment is named by its input's index, which re-timing matches the captions' source to.
    for s in &mut landed.segments {
        assert_eq!(s.source.take().as_deref(), Some("0"));
    }
    assert_eq!(landed, frames_edits(&path, &RANGES));
}

#[test]
fn text_tracks_read_back_through_our_demuxers() {
    let ms = Time::from_millis;
    let cue = |a: i64, b: i64, id: &str, settings: &str, text: &str| TextCue {
        start: ms(a),
        end: ms(b),
        id: id.into(),
        settings: settings.into(),
        text: text.into(),
    };
    // Overlapping, touching, identical twins, an empty text, a cue past a 16-bit block offset.
    let cues = vec![
        cue(0, 1000, "a", "", "<b>one</b>\nline two"),
        cue(500, 1500, "", "align:start", "two"),
        cue(1500, 2000, "", "", "two"),
        cue(1500, 2000, "", "", "two"),
        cue(2500, 2600, "e", "line:0", ""),
        cue(40_000, 41_001, "", "", "late"),
    ];
    for container in [media::Container::Mp4, media::Container::Webm, media::Container::Matroska] {
        let spec = media::TextTrackSpec {
            id: 1,
            header: "WEBVTT".into(),
            language: "und".into(),
            label: None,
        };
        let track = media::text_track(&cues, &spec, container, 15360, ms(45_000));
        let mut out = Vec::new();
        media::write(&[track], container, &mut &[][..], &mut out).unwrap();
        let mut src = out.as_slice();
        let info = media::probe(&mut src).unwrap();
        let back = media::read_text_track(&info, &mut src).unwrap();
        assert_eq!(sorted(from_track(&back)), sorted(from_track(&cues)), "{container:?}");
    }
}

/// Captions are one source's: a cameo from another source shows none of them, and naming the
/// other source as the captions' own moves them there.
#[test]
fn captions_stay_with_their_own_source() {
    let Some(path) = bframes() else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-captions/own");
    std::fs::create_dir_all(&dir).unwrap();
    let ranges = [(400, 1400); 3];
    let starts = frames_edits(&path, &ranges).output_starts();
    let segment_of = |at: Time| starts.iter().rposition(|&s| s <= at).unwrap();
    // Segments 0 and 2 are source "a", segment 1 is the cameo "b" (the same file, another id).
    for (own, with_cues) in [(None, vec![0, 2]), (Some(1), vec![1])] {
        let mut ff = Ffmpeg { path: path.clone(), dir: dir.clone(), n: 0 };
        let (mut fa, mut fb) =
            (std::fs::File::open(&path).unwrap(), std::fs::File::open(&path).unwrap());
        let segments = ["a", "b", "a"]
            .iter()
            .map(|id| {
                render::Segment::new(*id, Time::from_millis(400), Some(Time::from_millis(1400)))
            })
            .collect();
        let mut soft = SoftCaptions::new(captions());
        soft.source = own;
        let options = Options {
            format: Some(media::Container::Mp4),
            captions: Some(soft),
            ..Options::default()
        };
        let mut bytes = Vec::new();
        render::run_now(render::render(
            &render::Timeline { segments },
            &mut [Input::new("a", &mut fa), Input::new("b", &mut fb)],
            &options,
            &mut ff,
            &mut bytes,
            &mut |_| {},
        ))
        .unwrap();
        let mut src = bytes.as_slice();
        let info = media::probe(&mut src).unwrap();
        let cues = media::read_text_track(&info, &mut src).unwrap();
        let mut shown: Vec<usize> = cues.iter().map(|c| segment_of(c.start)).collect();
        shown.dedup();
        assert_eq!(shown, with_cues, "captions of input {own:?}: {cues:?}");
    }
}
