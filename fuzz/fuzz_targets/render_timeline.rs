//! Fuzzes a render from its timeline to its output. The input is one line of timeline JSON in the
//! form `render(timeline)` takes (`{"segments": [{"source", "start", "end", "speed"}],
//! "format"}`), read with the checks the wasm side makes, then the bytes of source "a" ("b" is
//! the same bytes, a second input). A stand-in re-encoder gives each frame to re-encode its own
//! source bytes. Whatever renders must probe back as the container asked for, with at least the
//! video frames the plans counted, every sample inside the output (RENDER_TIMELINE_OUT=path
//! keeps the output, to look at a finding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::media::{self, ByteSource, CutPlan, MediaError, MediaInfo, TrackKind};
use outtake::render::{self, EncodedFrame, EncodedRun, Input, Reencoder, Run, Segment, Timeline};
use outtake::Time;
use serde_json::Value;

/// Re-encodes by copying: each asked frame keeps its source bytes, the first made a keyframe.
struct Copying;

impl Reencoder for Copying {
    type Error = MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &CutPlan,
        _: Option<&render::Target>,
    ) -> Result<(), MediaError> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        src: &mut dyn ByteSource,
        _: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, MediaError> {
        let mut frames = Vec::new();
        for (k, &i) in run.frames.iter().enumerate() {
            let s = &run.track.samples[i];
            let mut data = vec![0; s.size as usize];
            src.read_at(s.offset, &mut data)?;
            frames.push(EncodedFrame { sample: i, data, key: k == 0 });
        }
        let description = match &run.track.codec {
            media::Codec::H264 { avcc } => Some(avcc.clone()),
            _ => None,
        };
        Ok(EncodedRun { frames, description })
    }
}

/// The timeline and output format, or `None` where the wasm side would refuse the arguments.
fn timeline(line: &str) -> Option<(Timeline, Option<media::Container>)> {
    let v: Value = serde_json::from_str(line).ok()?;
    let seconds = |v: &Value| v.as_f64().and_then(|x| Time::from_user_seconds(x).ok());
    let mut segments = Vec::new();
    for s in v.get("segments")?.as_array()? {
        let source = s.get("source")?.as_str()?.to_string();
        let start = seconds(s.get("start")?)?;
        let end = match s.get("end") {
            None | Some(Value::Null) => None,
            Some(e) => Some(seconds(e)?),
        };
        let speed = match s.get("speed") {
            None | Some(Value::Null) => Time::new(1, 1),
            Some(x) => Time::from_user_seconds(x.as_f64().filter(|x| *x > 0.0)?).ok()?,
        };
        segments.push(Segment { source, start, end, speed });
    }
    if segments.is_empty() {
        return None;
    }
    let format = match v.get("format").and_then(Value::as_str) {
        Some("mp4") => Some(media::Container::Mp4),
        Some("webm") => Some(media::Container::Webm),
        Some("matroska") => Some(media::Container::Matroska),
        _ => None,
    };
    Some((Timeline { segments }, format))
}

fuzz_target!(|data: &[u8]| {
    let Some(nl) = data.iter().position(|&b| b == b'\n') else { return };
    let Ok(line) = std::str::from_utf8(&data[..nl]) else { return };
    let Some((timeline, format)) = timeline(line) else { return };
    let media = &data[nl + 1..];
    let (mut a, mut b) = (media, media);
    let options = render::Options {
        format,
        undecodable_audio: render::UndecodableAudio::Copy,
        ..Default::default()
    };
    let mut out = Vec::new();
    let done = render::run_now(render::render(
        &timeline,
        &mut [Input::new("a", &mut a), Input::new("b", &mut b)],
        &options,
        &mut Copying,
        &mut out,
        &mut |p| assert!((0.0..=1.0).contains(&p), "progress {p}"),
    ));
    let Ok(done) = done else { return };
    if let Some(path) = std::env::var_os("RENDER_TIMELINE_OUT") {
        std::fs::write(path, &out).expect("the output written where RENDER_TIMELINE_OUT says");
    }
    assert_eq!(done.bytes, out.len() as u64, "bytes reported against bytes written");
    let info = media::probe(&mut out.as_slice()).expect("a rendered file probes");
    assert_eq!(info.container, done.container);
    for t in &info.tracks {
        for s in &t.samples {
            assert!(s.offset + s.size as u64 <= out.len() as u64);
        }
    }
    if done.has_video {
        let video = |s: &render::SegmentPlan| {
            s.plan.tracks.iter().find(|t| t.kind == TrackKind::Video).map(|t| t.frames_total)
        };
        let planned: u64 = done.segments.iter().filter_map(video).sum();
        let video = info.tracks.iter().find(|t| t.kind == TrackKind::Video).expect("video track");
        // NOTE: not equal: frames decoded but not shown (a B-frame's reference past an
        // out-point) are written too, hidden by the edit list, which the probe does not read
        // for the tail (see FUZZING.md).
        assert!(video.samples.len() as u64 >= planned, "fewer video frames written than planned");
    }
});
