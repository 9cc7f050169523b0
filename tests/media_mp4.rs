//! MP4 demuxing checked against ffprobe: per track, the same packets in decode order with the
//! same sizes, byte positions, keyframe flags, and pts/dts that differ from ffprobe's by one
//! constant (ffmpeg and this crate may put the presentation origin differently).

#[macro_use]
mod media_support;

use media_support::*;
use outtake::media::{Codec, MediaInfo, TrackKind};

shared_test!(video_mp4, "video.mp4", |i| assert!(i
    .tracks
    .iter()
    .any(|t| t.codec_string.starts_with("avc1."))));
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
    assert_eq!(v.pixel_aspect.0, v.pixel_aspect.1 * 2);
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
    assert!(
        v.samples.iter().any(|s| s.keyframe && !s.decode_start),
        "open-GOP I-frames are not IDRs"
    );
});
gen_test!(gen_vfr, "vfr.mp4", |_| {});
gen_test!(gen_frag, "frag.mp4", |i| assert!(i.tracks[0].samples.len() >= 90));
gen_test!(gen_offset, "offset.mp4", |_| {});
gen_test!(gen_vp9_opus_mp4, "vp9.mp4", |i| {
    // Profile 0, 8 bits; the level is what ffmpeg wrote in vpcC.
    let s = &i.tracks[0].codec_string;
    assert!(s.starts_with("vp09.00.") && s.ends_with(".08"), "{s}");
    let a = &i.tracks[1];
    assert_eq!(a.codec_string, "opus");
    assert!(matches!(&a.codec, Codec::Opus { head } if !head.is_empty()));
    assert!(a.priming > 0, "Opus pre-skip");
});
gen_test!(gen_av1_mp4, "av1.mp4", |i| assert!(
    i.tracks[0].codec_string.starts_with("av01.0."),
    "{}",
    i.tracks[0].codec_string
));
