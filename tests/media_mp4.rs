//! MP4 demuxing checked against ffprobe: per track, the same packets in decode order with the
//! same sizes, byte positions, keyframe flags, and pts/dts that differ from ffprobe's by one
//! constant (ffmpeg and this crate may put the presentation origin differently).

mod media_support;

use media_support::*;
use outtake::media::{probe, Codec, MediaInfo, TrackKind};
use std::path::Path;

fn open(path: &Path) -> MediaInfo {
    let mut f = std::fs::File::open(path).unwrap();
    // annex-b.mp4 is cut short on purpose (its last sample is incomplete).
    let partial = path.ends_with("annex-b.mp4");
    if partial {
        assert!(probe(&mut f).is_err(), "a truncated file fails the strict probe");
    }
    let r = if partial { outtake::media::probe_partial(&mut f) } else { probe(&mut f) };
    r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares every track with ffprobe's packets; returns the info for further checks.
pub fn compare(path: &Path) -> MediaInfo {
    let info = open(path);
    let (streams, packets) = ffprobe(path);
    assert_eq!(streams.len(), info.tracks.len(), "{}: track count", path.display());
    for (si, track) in info.tracks.iter().enumerate() {
        let ps: Vec<&Packet> = packets.iter().filter(|p| p.stream == si).collect();
        let name = format!("{} track {}", path.display(), track.id);
        if path.ends_with("annex-b.mp4") {
            // ffprobe also returns the incomplete last packet.
            assert_eq!(ps.len(), track.samples.len() + 1, "{name}: packet count");
        } else {
            assert_eq!(ps.len(), track.samples.len(), "{name}: packet count");
        }
        let mut offset: Option<(i128, i128)> = None;
        // NOTE: ffmpeg moves pts (not dts) forward when composition offsets are negative, so
        // pts and dts each get their own constant.
        let mut dts_offset: Option<(i128, i128)> = None;
        for (k, (p, s)) in ps.iter().zip(&track.samples).enumerate() {
            assert_eq!(p.size, s.size as u64, "{name}: size of packet {k}");
            if let Some(pos) = p.pos {
                assert_eq!(pos, s.offset, "{name}: position of packet {k}");
            }
            assert_eq!(p.key, s.keyframe, "{name}: key flag of packet {k}");
            let mine = (s.pts, track.timescale as i64);
            if let Some(pts) = p.pts {
                let d = diff(pts, mine);
                match offset {
                    None => offset = Some(d),
                    Some(o) => assert!(same(o, d), "{name}: pts of packet {k}: ffprobe {pts:?}, mine {mine:?}"),
                }
            }
            if let Some(dts) = p.dts {
                let d = diff(dts, (s.dts, track.timescale as i64));
                match dts_offset {
                    None => dts_offset = Some(d),
                    Some(o) => assert!(same(o, d), "{name}: dts of packet {k}"),
                }
            }
        }
        let st = &streams[si];
        if let Some(r) = st.json["side_data_list"].as_array().and_then(|l| l.iter().find_map(|d| d["rotation"].as_i64())) {
            // ffmpeg counts counter-clockwise; the crate reports clockwise degrees.
            assert_eq!(track.rotation as i64, (-r).rem_euclid(360), "{name}: rotation");
        }
        if track.kind == TrackKind::Video {
            assert_eq!((st.width as u32, st.height as u32), (track.width, track.height), "{name}: size");
        }
    }
    info
}

macro_rules! shared_test {
    ($name:ident, $file:expr, $check:expr) => {
        #[test]
        fn $name() {
            let Some(p) = shared($file) else { return };
            if !have_ffmpeg() {
                return;
            }
            let info = compare(&p);
            let check: fn(&MediaInfo) = $check;
            check(&info);
        }
    };
}

shared_test!(video_mp4, "video.mp4", |i| assert!(i.tracks.iter().any(|t| t.codec_string.starts_with("avc1."))));
shared_test!(edts, "edts.mp4", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    let first = v.samples.iter().map(|s| s.pts).filter(|&p| p >= 0).min().unwrap();
    assert_eq!(first, 0, "the edit list puts the first presented frame at 0");
});
shared_test!(cursed_vfr, "cursed-vfr.mp4", |_| {});
shared_test!(rotate, "rotate-buck-bunny.mp4", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert_ne!(v.rotation, 0);
});
shared_test!(sar, "sar_2x1.mp4", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert_eq!(v.pixel_aspect.0 * 1, v.pixel_aspect.1 * 2);
});
shared_test!(multi_aac, "multiple-aac-tracks.mp4", |i| {
    assert!(i.tracks.iter().filter(|t| matches!(t.codec, Codec::Aac { .. })).count() >= 2);
});
shared_test!(annex_b, "annex-b.mp4", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert!(v.annex_b);
    assert!(v.codec_string.starts_with("avc1."), "{}", v.codec_string);
});
shared_test!(hevc, "video-h265.mp4", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert!(matches!(v.codec, Codec::Hevc { .. }));
    assert!(!v.codec.webcodecs_decodable());
    assert!(v.codec_string.starts_with("hvc1.") || v.codec_string.starts_with("hev1."));
});
shared_test!(eac3, "eac3.mp4", |i| {
    assert!(i.tracks.iter().any(|t| t.codec == Codec::Eac3 && !t.codec.webcodecs_decodable()));
});

macro_rules! gen_test {
    ($name:ident, $file:expr, $check:expr) => {
        #[test]
        fn $name() {
            let Some(p) = fixture($file) else { return };
            let info = compare(&p);
            let check: fn(&MediaInfo) = $check;
            check(&info);
        }
    };
}

gen_test!(gen_bframes, "bframes.mp4", |i| {
    let v = &i.tracks[0];
    assert_eq!(v.codec_string, "avc1.64000d");
    assert!(v.samples.iter().filter(|s| s.keyframe).all(|s| s.decode_start));
    let a = &i.tracks[1];
    assert_eq!(a.codec_string, "mp4a.40.2");
    assert_eq!(a.priming, 1024);
});
gen_test!(gen_opengop, "opengop.mp4", |i| {
    let v = &i.tracks[0];
    assert!(v.samples[0].decode_start);
    assert!(v.samples.iter().any(|s| s.keyframe && !s.decode_start), "open-GOP I-frames are not IDRs");
});
gen_test!(gen_vfr, "vfr.mp4", |_| {});
gen_test!(gen_frag, "frag.mp4", |i| assert!(i.tracks[0].samples.len() >= 90));
gen_test!(gen_offset, "offset.mp4", |_| {});
