//! WebM/Matroska demuxing checked against ffprobe (sizes, positions, key flags, timestamps up to
//! one constant per track), plus codec details of the shared files.

#[macro_use]
mod media_support;

use media_support::*;
use outtake::media::{Codec, MediaInfo, TrackKind};

shared_test!(frames, "frames.webm", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert_eq!(v.samples.iter().map(|s| s.pts).min(), Some(0));
});
shared_test!(transparency, "transparency.webm", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert!(matches!(v.codec, Codec::Vp9 { .. }));
    assert!(v.samples.iter().any(|s| s.addition.is_some()), "alpha kept as BlockAdditional");
});
shared_test!(annex_b_mkv, "annex-b-avc.mkv", |i| {
    let v = i.tracks.iter().find(|t| t.kind == TrackKind::Video).unwrap();
    assert!(matches!(v.codec, Codec::H264 { .. }));
    assert!(v.codec_string.starts_with("avc1."));
});
gen_test!(gen_vp9, "vp9.webm", |i| {
    assert_eq!(i.tracks[0].codec_string, "vp09.00.10.08");
    let a = &i.tracks[1];
    assert_eq!(a.codec_string, "opus");
    assert!(a.priming > 0, "Opus CodecDelay");
});
gen_test!(gen_vp8, "vp8.webm", |i| assert_eq!(i.tracks[0].codec_string, "vp8"));
gen_test!(gen_av1, "av1.webm", |i| assert!(
    i.tracks[0].codec_string.starts_with("av01.0."),
    "{}",
    i.tracks[0].codec_string
));
gen_test!(gen_mkv_bframes, "bframes.mkv", |i| {
    let v = &i.tracks[0];
    assert_eq!(v.codec_string, "avc1.64000d");
    assert!(v.samples.iter().any(|s| s.pts != s.dts), "reordered frames get decode times");
    assert!(v.samples.windows(2).all(|w| w[0].dts < w[1].dts));
    assert!(v.samples.iter().all(|s| s.dts <= s.pts));
});
