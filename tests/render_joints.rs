//! The render pipeline's joints, natively, with a stand-in re-encoder: the plan of every in- and
//! out-point (which frames are copied, which re-encoded), decode and presentation times across
//! joints, audio placed against the source's own A/V relation, H.264 parameter sets where they
//! change, and the typed refusals (a segment without sound, bad timelines). Sources of another
//! size or codec: `render_mixed.rs`.

mod media_support;
mod render_support;

use media_support::*;
use outtake::media::{self, Codec, PacketData, TrackKind};
use outtake::render::{self, Input, Options, Segment, Timeline};
use outtake::Time;
use render_support::*;
use std::path::Path;
use std::process::Command;

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
