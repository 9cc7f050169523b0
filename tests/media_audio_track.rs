//! The audio track a browser sync decodes (`media::AudioTrack`), on real files against ffprobe:
//! the first audio track is the one taken, with its decoder setup, every packet in decode order
//! with the bytes ffprobe finds at its position, and times that run on without gaps.

mod media_support;

use media_support::*;
use outtake::media::{self, AudioTrack};
use std::path::Path;

fn check(path: &Path, codec: &str, rate: u32) {
    let mut file = std::fs::File::open(path).unwrap();
    let info = media::probe(&mut file).unwrap();
    let t = AudioTrack::first_of(info).expect("an audio track");
    assert_eq!(t.setup.codec_string, codec, "{}", path.display());
    assert_eq!(t.setup.sample_rate, rate);
    assert!(t.setup.decodable);
    let (streams, packets) = ffprobe(path);
    let first_audio = streams.iter().position(|s| s.codec_type == "audio").unwrap();
    let want: Vec<_> = packets.iter().filter(|p| p.stream == first_audio).collect();
    assert_eq!(t.len(), want.len(), "{}: packets", path.display());
    assert_eq!(t.bytes(), want.iter().map(|p| p.size).sum::<u64>());
    let mut buf = Vec::new();
    let mut expected_next: Option<i64> = None;
    for (i, p) in want.iter().enumerate() {
        let a = t.read(&mut file, i, &mut buf).unwrap();
        assert_eq!(buf.len() as u64, p.size, "packet {i}");
        if let Some(pos) = p.pos {
            // ffprobe's `pos` of a Matroska block is its header (track, timecode, flags: 4 bytes
            // here); the packet follows it.
            let mut at = vec![0; buf.len() + 8];
            let n = (file.metadata().unwrap().len() - pos).min(at.len() as u64) as usize;
            media::ByteSource::read_at(&mut file, pos, &mut at[..n]).unwrap();
            let found = (0..=8).any(|k| at.get(k..k + buf.len()) == Some(&buf[..]));
            assert!(found, "packet {i}: not the bytes at {pos}");
        }
        if let Some(next) = expected_next {
            // Times run on: each packet starts where the last ended (within a µs of rounding).
            assert!((a.timestamp_us - next).abs() <= 1, "packet {i} at {}", a.timestamp_us);
        }
        expected_next = Some(a.timestamp_us + a.duration_us);
    }
    assert!(t.duration_seconds() > 0.5);
}

#[test]
fn aac_in_mp4_is_the_first_audio_track_of_two() {
    let Some(f) = fixture("two-audio.mp4") else { return };
    check(&f, "mp4a.40.2", 48_000);
}

#[test]
fn opus_in_webm_and_matroska() {
    let Some(dir) = fixtures() else { return };
    for name in ["vp9.webm", "bframes.mkv"] {
        let f = dir.join(name);
        check(&f, "opus", 48_000);
        let mut file = std::fs::File::open(&f).unwrap();
        let t = AudioTrack::first_of(media::probe(&mut file).unwrap()).unwrap();
        assert!(t.setup.description.as_ref().unwrap().starts_with(b"OpusHead"), "{name}");
        assert!(t.priming_us > 0, "{name}: Opus pre-skip");
    }
}

#[test]
fn eac3_is_found_but_marked_undecodable_and_video_only_has_none() {
    let Some(f) = fixture("eac3.mp4") else { return };
    let mut file = std::fs::File::open(&f).unwrap();
    let t = AudioTrack::first_of(media::probe(&mut file).unwrap()).unwrap();
    assert_eq!(t.setup.codec_string, "ec-3");
    assert!(!t.setup.decodable);
    let Some(v) = fixture("vp9.mp4") else { return };
    let mut file = std::fs::File::open(&v).unwrap();
    let info = media::probe(&mut file).unwrap();
    if info.tracks.iter().all(|t| t.kind != media::TrackKind::Audio) {
        assert!(AudioTrack::first_of(info).is_none());
    }
}
