//! Property tests on synthetic sample tables: planning any range of any (even nonsensical) table
//! never panics and accounts for every shown frame once; muxing the planned output never panics,
//! and what the muxers write reads back with the same packets.

use outtake::media::{
    mp4, output_tracks, plan_cut, probe, Action, Codec, Container, Depends, MediaInfo, PacketData,
    Sample, Track, TrackKind,
};
use outtake::Time;
use proptest::prelude::*;

const SOURCE_LEN: usize = 1 << 16;

fn entry_webm(number: u8, video: bool) -> Vec<u8> {
    // TrackNumber, TrackType, CodecID.
    let mut e = vec![0xD7, 0x81, number, 0x83, 0x81, if video { 1 } else { 2 }, 0x86];
    let id: &[u8] = if video { b"V_VP9" } else { b"A_OPUS" };
    e.push(0x80 | id.len() as u8);
    e.extend_from_slice(id);
    e
}

prop_compose! {
    fn track(video: bool, webm: bool)(
        scale in prop::sample::select(vec![1000u32, 15360, 48000, 90000]),
        frames in prop::collection::vec((1u32..3000, 0u8..3, any::<bool>(), any::<bool>(), 1u32..400), 1..50),
    ) -> Track {
        let mut t = Track::new(if video { 1 } else { 2 }, if video { TrackKind::Video } else { TrackKind::Audio }, scale);
        let mut dts = 0i64;
        let mut off = 0u64;
        for (k, &(dur, reorder, key, idr, size)) in frames.iter().enumerate() {
            let keyframe = key || k == 0;
            t.samples.push(Sample {
                dts,
                pts: dts + if video { reorder as i64 * dur as i64 } else { 0 },
                duration: dur,
                offset: off % (SOURCE_LEN as u64 - 512),
                size,
                keyframe,
                decode_start: keyframe && (idr || k == 0),
                depends: Depends::default(),
                description: 0,
                discard_padding_ns: 0,
                addition: None,
            });
            dts += dur as i64;
            off += size as u64;
        }
        if webm {
            t.codec = if video { Codec::Vp9 { vpcc: vec![] } } else { Codec::Opus { head: vec![] } };
            t.codec_id = if video { "V_VP9".into() } else { "A_OPUS".into() };
            t.descriptions = vec![entry_webm(t.id as u8, video)];
        } else {
            t.codec = if video { Codec::H264 { avcc: vec![1, 0x64, 0, 0x1f, 0xff, 0xe0, 0] } } else { Codec::Aac { asc: vec![0x12, 0x10] } };
            t.codec_id = if video { "avc1".into() } else { "mp4a".into() };
            t.descriptions = vec![mp4::avc1_entry(320, 240, &[1, 0x64, 0, 0x1f, 0xff, 0xe0, 0])];
        }
        t
    }
}

fn info(container: Container, tracks: Vec<Track>) -> MediaInfo {
    let duration = tracks.iter().map(|t| t.end()).max().unwrap_or(Time::ZERO);
    MediaInfo { container, duration, tracks }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn planning_and_muxing_never_panic(
        webm in any::<bool>(),
        v in track(true, false),
        a in track(false, false),
        with_audio in any::<bool>(),
        s in 0i64..4000,
        len in 1i64..4000,
    ) {
        let container = if webm { Container::Webm } else { Container::Mp4 };
        let mut tracks = vec![v];
        if with_audio {
            tracks.push(a);
        }
        if webm {
            for t in &mut tracks {
                let video = t.kind == TrackKind::Video;
                t.codec_id = if video { "V_VP9".into() } else { "A_OPUS".into() };
                t.descriptions = vec![entry_webm(t.id as u8, video)];
            }
        }
        let info = info(container, tracks);
        let (start, end) = (Time::new(s, 1000), Time::new(s + len, 1000));
        let Ok(plan) = plan_cut(&info, start, end) else { return Ok(()) };
        for tp in &plan.tracks {
            let shown = tp.packets.iter().filter(|p| p.action != Action::Hidden).count() as u64;
            if tp.kind == TrackKind::Video {
                prop_assert_eq!(shown, tp.frames_total);
                prop_assert_eq!(tp.frames_copied + tp.frames_reencoded, tp.frames_total);
                let mut samples: Vec<usize> = tp.packets.iter().map(|p| p.sample).collect();
                samples.sort();
                samples.dedup();
                prop_assert_eq!(samples.len(), tp.packets.len(), "each source sample at most once");
            }
        }
        let mut out_tracks = output_tracks(&info, &plan);
        for t in &mut out_tracks {
            for i in t.pending() {
                t.fill(i, vec![0, 0, 0, 1, 0x65], true, 0).unwrap();
            }
        }
        let mut src = vec![0u8; SOURCE_LEN];
        let mut out = Vec::new();
        let written = if webm {
            outtake::media::webm::write_webm(&out_tracks, &mut src, &mut out)
        } else {
            mp4::write_mp4(&out_tracks, &mut src, &mut out)
        };
        if let Ok(n) = written {
            prop_assert_eq!(n, out.len() as u64);
            // What was written reads back: the same packets per track, in decode order.
            let back = probe(&mut out).map_err(|e| TestCaseError::fail(format!("written file does not read back: {e}")))?;
            for t in &out_tracks {
                let b = back.tracks.iter().find(|b| b.id == t.track.id).unwrap();
                let sizes: Vec<u32> = t.packets.iter().map(|p| p.data.size().unwrap()).collect();
                let back_sizes: Vec<u32> = b.samples.iter().map(|s| s.size).collect();
                prop_assert_eq!(sizes, back_sizes);
            }
        }
        let _ = PacketData::Pending;
    }
}
