//! Parsers never panic or hang on broken input: real files truncated at many offsets and with
//! flipped bytes either fail with a typed error or give a consistent result; arbitrary bytes too.

mod media_support;

use media_support::*;
use outtake::media::{probe, MediaError, MediaInfo};
use outtake::Coded;
use proptest::prelude::*;

/// A consistent result: every sample lies inside the source.
fn check(len: u64, r: &Result<MediaInfo, MediaError>) {
    match r {
        Ok(info) => {
            for t in &info.tracks {
                for s in &t.samples {
                    assert!(s.offset + s.size as u64 <= len, "sample outside the source");
                    assert!(!s.decode_start || s.keyframe, "decoding starts only at sync samples");
                }
            }
        }
        Err(e) => {
            assert!(e.code().starts_with("ERR_"));
            assert!(!e.to_string().is_empty());
        }
    }
}

fn torture(bytes: &[u8], steps: usize) {
    let len = bytes.len();
    for k in 0..steps {
        let cut = len * k / steps;
        let mut cutv = bytes[..cut].to_vec();
        let r = probe(&mut cutv);
        check(cut as u64, &r);
        if cut > 0 && cut < len {
            if let Err(e) = &r {
                let msg = e.to_string();
                // Truncation errors name where they happened.
                if matches!(e, MediaError::Truncated { .. }) {
                    assert!(msg.contains("at byte"), "{msg}");
                }
            }
        }
    }
    let mut seed = 0x9e3779b97f4a7c15u64;
    for _ in 0..steps {
        let mut v = bytes.to_vec();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Flip bytes near the front, where the index usually is, most of the time.
            let range = if seed % 3 == 0 { len } else { len.min(4096) };
            let i = (seed >> 8) as usize % range.max(1);
            if let Some(b) = v.get_mut(i) {
                *b ^= (seed >> 32) as u8 | 1;
            }
        }
        let r = probe(&mut v);
        check(len as u64, &r);
    }
}

#[test]
fn truncated_and_flipped_shared_files() {
    for name in ["edts.mp4", "annex-b.mp4", "eac3.mp4", "frames.webm", "sar_2x1.mp4"] {
        let Some(p) = shared(name) else { continue };
        torture(&std::fs::read(p).unwrap(), 200);
    }
}

#[test]
fn truncated_and_flipped_generated_files() {
    let Some(dir) = fixtures() else { return };
    for name in ["bframes.mp4", "frag.mp4", "vp9.webm", "av1.webm"] {
        torture(&std::fs::read(dir.join(name)).unwrap(), 150);
    }
}

#[test]
fn truncated_moov_names_the_box() {
    let Some(p) = shared("edts.mp4") else { return };
    let bytes = std::fs::read(p).unwrap();
    let mut cut = bytes[..bytes.len() - 10].to_vec();
    let e = probe(&mut cut).unwrap_err();
    assert_eq!(e.code(), "ERR_MP4_TRUNCATED", "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut v = bytes.clone();
        check(v.len() as u64, &probe(&mut v));
    }

    #[test]
    fn mp4_like_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..1024), kind in 0usize..4) {
        let heads: [&[u8]; 4] = [b"\0\0\0\x18ftypisom", b"\0\0\x04\0moov\0\0\0\x6cmvhd", b"\0\0\x02\0moof\0\0\x01\xf0traf", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"];
        let mut v = heads[kind].to_vec();
        v.extend_from_slice(&tail);
        check(v.len() as u64, &probe(&mut v));
    }
}

#[test]
fn corrupt_sample_table_error_names_box_path_and_offset() {
    let Some(dir) = fixtures() else { return };
    let mut bytes = std::fs::read(dir.join("bframes.mp4")).unwrap();
    // The first stsz: its sample count (after version/flags and the constant size) made huge.
    let at = bytes.windows(4).position(|w| w == b"stsz").unwrap();
    let count_at = at + 4 + 4 + 4;
    bytes[count_at..count_at + 4].copy_from_slice(&0x0fff_ffffu32.to_be_bytes());
    let e = probe(&mut bytes).unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("moov/trak[0]/mdia/minf/stbl/stsz at byte "), "{msg}");
    let offset: u64 = msg["moov/trak[0]/mdia/minf/stbl/stsz at byte ".len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        offset as usize >= at && offset as usize <= count_at + 4,
        "offset {offset} inside the stsz at {at}"
    );
    assert_eq!(e.code(), "ERR_MP4_TRUNCATED");
}

#[test]
fn many_boxes_do_not_take_quadratic_time() {
    let Some(dir) = fixtures() else { return };
    let mut bytes = std::fs::read(dir.join("frag.mp4")).unwrap();
    // A moof whose traf (for track 1) holds 150 000 empty truns.
    let n = 150_000u32;
    let mut traf = Vec::new();
    traf.extend_from_slice(&16u32.to_be_bytes());
    traf.extend_from_slice(b"tfhd");
    traf.extend_from_slice(&0x0002_0000u32.to_be_bytes());
    traf.extend_from_slice(&1u32.to_be_bytes());
    for _ in 0..n {
        traf.extend_from_slice(&16u32.to_be_bytes());
        traf.extend_from_slice(b"trun");
        traf.extend_from_slice(&0u32.to_be_bytes());
        traf.extend_from_slice(&0u32.to_be_bytes());
    }
    let traf_len = (traf.len() + 8) as u32;
    let moof_len = traf_len + 8;
    bytes.extend_from_slice(&moof_len.to_be_bytes());
    bytes.extend_from_slice(b"moof");
    bytes.extend_from_slice(&traf_len.to_be_bytes());
    bytes.extend_from_slice(b"traf");
    bytes.extend_from_slice(&traf);
    let t = std::time::Instant::now();
    let r = probe(&mut bytes);
    assert!(r.is_ok(), "{:?}", r.err());
    assert!(t.elapsed().as_secs_f64() < 5.0, "probe took {:?}", t.elapsed());
}
