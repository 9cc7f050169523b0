//! Parsers never panic or hang on broken input: real files truncated at many offsets and with
//! flipped bytes either fail with a typed error or give a consistent result; arbitrary bytes too.

mod media_support;

use media_support::*;
use outtake::media::{plan_cut, probe, MediaError, MediaInfo};
use outtake::Coded;
use outtake::Time;
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

/// A box: size, kind, body.
fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

/// A full box: version 0, flags 0, then `body`.
fn full(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    bx(kind, &[&[0u8; 4][..], body].concat())
}

fn be(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

const FRAMES: u32 = 125;

/// A progressive MP4 of one VP9 track: 125 frames of 10 bytes at 25 fps (timescale 12800),
/// a keyframe every 25, and the decode-time table `stts` as (count, delta) runs.
fn vp9_mp4(stts: &[(u32, u32)]) -> Vec<u8> {
    vp9_file(stts, None)
}

/// The same frames in one fragment, with these durations (the sample tables in moov empty).
fn vp9_fragmented(durations: &[u32]) -> Vec<u8> {
    vp9_file(&[], Some(durations))
}

fn vp9_file(stts: &[(u32, u32)], fragment: Option<&[u32]>) -> Vec<u8> {
    let identity = [0x1_0000u32, 0, 0, 0, 0x1_0000, 0, 0, 0, 0x4000_0000];
    let moov = |chunk_at: u32| {
        let mvhd = full(
            b"mvhd",
            &[
                be(&[0, 0, 1000, 5000, 0x1_0000]),
                vec![1, 0],
                vec![0; 10],
                be(&identity),
                vec![0; 24],
                be(&[2]),
            ]
            .concat(),
        );
        let tkhd = full(
            b"tkhd",
            &[be(&[0, 0, 1, 0, 5000, 0, 0, 0, 0]), be(&identity), be(&[64 << 16, 48 << 16])]
                .concat(),
        );
        let mdhd =
            full(b"mdhd", &[be(&[0, 0, 12800, FRAMES * 512]), vec![0x55, 0xc4, 0, 0]].concat());
        let hdlr = full(b"hdlr", &[be(&[0]), b"vide".to_vec(), vec![0; 13]].concat());
        let vpcc = [1u8, 0, 0, 0, 0, 10, 0x80, 1, 1, 1, 0, 0];
        let entry = outtake::media::mp4::visual_entry(b"vp09", 64, 48, b"vpcC", &vpcc);
        let runs: Vec<u32> = stts.iter().flat_map(|&(n, d)| [n, d]).collect();
        let frames = if fragment.is_some() { 0 } else { FRAMES };
        let keys: &[u32] = if fragment.is_some() { &[0] } else { &[5, 1, 26, 51, 76, 101] };
        let stbl = bx(
            b"stbl",
            &[
                full(b"stsd", &[be(&[1]), entry].concat()),
                full(b"stts", &be(&[&[stts.len() as u32][..], &runs].concat())),
                full(b"stss", &be(keys)),
                full(b"stsz", &be(&[10, frames])),
                full(b"stsc", &be(&[1, 1, frames, 1])),
                full(b"stco", &be(&[1, chunk_at])),
            ]
            .concat(),
        );
        let mdia = bx(b"mdia", &[mdhd, hdlr, bx(b"minf", &stbl)].concat());
        let mvex = bx(b"mvex", &full(b"trex", &be(&[1, 1, 0, 0, 0])));
        let mvex = if fragment.is_some() { mvex } else { Vec::new() };
        bx(b"moov", &[mvhd, bx(b"trak", &[tkhd, mdia].concat()), mvex].concat())
    };
    let ftyp = bx(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
    let mdat = bx(b"mdat", &vec![0x55; FRAMES as usize * 10]);
    let Some(durations) = fragment else {
        let chunk_at = (ftyp.len() + moov(0).len() + 8) as u32;
        return [ftyp, moov(chunk_at), mdat].concat();
    };
    // Data offset (from the moof's start) and flags (keyframes every 25) of each sample.
    let moof = |data_at: u32| {
        let samples: Vec<u32> = (0..FRAMES)
            .flat_map(|k| [durations[k as usize], 10, if k % 25 == 0 { 0 } else { 0x1_0000 }])
            .collect();
        let trun = full(b"trun", &[be(&[FRAMES, data_at]), be(&samples)].concat());
        let trun = [&trun[..8], &[0, 0, 0x07, 0x01], &trun[12..]].concat(); // flags 0x701
        let traf =
            bx(b"traf", &[full(b"tfhd", &be(&[1])), full(b"tfdt", &be(&[0])), trun].concat());
        bx(b"moof", &[full(b"mfhd", &be(&[1])), traf].concat())
    };
    let data_at = (moof(0).len() + 8) as u32;
    [ftyp, moov(0), moof(data_at), mdat].concat()
}

#[test]
fn zero_durations_that_make_decode_times_collide_are_corrupt() {
    // Legal: every sample lasts one frame, or the last lasts 0 (its duration unknown).
    for stts in [&[(125, 512)][..], &[(124, 512), (1, 0)]] {
        let mut bytes = vp9_mp4(stts);
        let info = probe(&mut bytes).unwrap_or_else(|e| panic!("{stts:?}: {e}"));
        let v = &info.tracks[0];
        assert_eq!(v.samples.len(), 125, "{stts:?}");
        assert_eq!(v.samples.iter().filter(|s| s.keyframe).count(), 5, "{stts:?}");
        assert!(v.samples.windows(2).all(|w| w[0].dts < w[1].dts), "{stts:?}");
        let plan = plan_cut(&info, Time::new(1, 1), Time::new(2, 1)).unwrap();
        assert_eq!(plan.tracks[0].first_frame_index, 25, "{stts:?}");
    }
    // All 0, or one 0 in the middle: samples share a decode time and cannot be ordered.
    for (stts, sample) in [(&[(125, 0)][..], 0), (&[(60, 512), (1, 0), (64, 512)], 60)] {
        let mut bytes = vp9_mp4(stts);
        let e = probe(&mut bytes).unwrap_err();
        assert_eq!(e.code(), "ERR_MP4_CORRUPT", "{e}");
        let msg = e.to_string();
        assert!(msg.starts_with("moov/trak[0]/mdia/minf/stbl/stts at byte "), "{msg}");
        assert!(msg.contains(&format!("samples {sample} and {}", sample + 1)), "{msg}");
        assert!(msg.contains("sample durations of 0 make presentation times collide"), "{msg}");
    }
}

#[test]
fn zero_durations_in_fragments_are_corrupt_too() {
    let mut ok: Vec<u32> = vec![512; FRAMES as usize];
    ok[124] = 0;
    let mut bytes = vp9_fragmented(&ok);
    let info = probe(&mut bytes).unwrap();
    assert_eq!(info.tracks[0].samples.len(), 125);
    assert_eq!(info.tracks[0].samples.iter().filter(|s| s.keyframe).count(), 5);
    let plan = plan_cut(&info, Time::new(1, 1), Time::new(2, 1)).unwrap();
    assert_eq!(plan.tracks[0].first_frame_index, 25);
    let mut bad = ok.clone();
    bad[60] = 0;
    for (durations, sample) in [(vec![0; FRAMES as usize], 0), (bad, 60)] {
        let mut bytes = vp9_fragmented(&durations);
        let e = probe(&mut bytes).unwrap_err();
        assert_eq!(e.code(), "ERR_MP4_CORRUPT", "{e}");
        let msg = e.to_string();
        assert!(msg.contains("/traf[0]/trun[0] at byte "), "{msg}");
        assert!(msg.contains(&format!("samples {sample} and {}", sample + 1)), "{msg}");
        assert!(msg.contains("sample durations of 0 make presentation times collide"), "{msg}");
    }
}

#[test]
fn stts_and_stsz_must_count_the_same_samples() {
    for (stts, described) in [(&[(100, 512)][..], 100), (&[(100, 512), (26, 512)], 126)] {
        let mut bytes = vp9_mp4(stts);
        let e = probe(&mut bytes).unwrap_err();
        assert_eq!(e.code(), "ERR_MP4_CORRUPT", "{e}");
        let msg = e.to_string();
        assert!(msg.starts_with("moov/trak[0]/mdia/minf/stbl/stts at byte "), "{msg}");
        assert!(msg.contains(&format!("stts describes {described} samples, stsz 125")), "{msg}");
    }
}

#[test]
fn media_plan_reports_zero_durations_as_corrupt() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/robust");
    std::fs::create_dir_all(&dir).unwrap();
    let run = |name: &str, stts: &[(u32, u32)]| {
        let path = dir.join(name);
        std::fs::write(&path, vp9_mp4(stts)).unwrap();
        let args = ["media", "plan", path.to_str().unwrap(), "--start", "1", "--end", "2"];
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_outtake")).args(args).output();
        let o = o.unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        (o.status.code(), text)
    };
    let (code, out) = run("stts-ok.mp4", &[(124, 512), (1, 0)]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run("stts-zero.mp4", &[(125, 0)]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("ERR_MP4_CORRUPT"), "{out}");
    assert!(out.contains("moov/trak[0]/mdia/minf/stbl/stts"), "{out}");
}

#[test]
fn a_missing_required_box_is_named_by_its_path() {
    for (kind, path) in [
        (b"tkhd", "moov/trak[0]/tkhd"),
        (b"mdhd", "moov/trak[0]/mdia/mdhd"),
        (b"stbl", "moov/trak[0]/mdia/minf/stbl"),
        (b"stsd", "moov/trak[0]/mdia/minf/stbl/stsd"),
    ] {
        let mut bytes = vp9_mp4(&[(125, 512)]);
        let at = bytes.windows(4).position(|w| w == kind).unwrap();
        bytes[at..at + 4].copy_from_slice(b"skip");
        let e = probe(&mut bytes).unwrap_err();
        assert_eq!(e.code(), "ERR_MP4_CORRUPT", "{e}");
        let msg = e.to_string();
        assert!(msg.starts_with(&format!("{path} at byte ")) && msg.ends_with("missing"), "{msg}");
    }
}

#[test]
fn media_probe_says_when_a_track_has_no_keyframes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/robust");
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = vp9_mp4(&[(125, 512)]);
    // An empty sync-sample table: no frame is a keyframe (an absent one would make all of them).
    let at = bytes.windows(4).position(|w| w == b"stss").unwrap();
    bytes[at + 8..at + 12].copy_from_slice(&0u32.to_be_bytes());
    let path = dir.join("no-keyframes.mp4");
    std::fs::write(&path, &bytes).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_outtake"))
        .args(["media", "probe", path.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("125 frames, no keyframes"),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.contains("keyframes at"), "{out}");
}

/// Found by the render_timeline fuzz target: two tracks with one ID probed as two tracks, and a
/// render then mixed their packets (an audio track lost in the output).
#[test]
fn two_tracks_with_one_id_are_corrupt() {
    let Some(path) = fixture("two-audio.mp4") else { return };
    let mut bytes = std::fs::read(path).unwrap();
    // The third tkhd (track 3) takes the second's ID, 2.
    let at = bytes.windows(4).enumerate().filter(|(_, w)| w == b"tkhd").nth(2).unwrap().0;
    let id_at = at + if bytes[at + 4] == 1 { 24 } else { 16 };
    assert_eq!(bytes[id_at..id_at + 4], 3u32.to_be_bytes());
    bytes[id_at..id_at + 4].copy_from_slice(&2u32.to_be_bytes());
    let err = probe(&mut bytes.as_slice()).unwrap_err();
    assert_eq!(err.code(), "ERR_MP4_CORRUPT");
    let msg = err.to_string();
    assert!(
        msg.contains("moov/trak[2]/tkhd") && msg.contains("track ID 2 is used by an earlier track"),
        "{msg}"
    );
}
