//! Shared helpers of the media tests: the generated fixtures (cached by the generator script's
//! hash), the shared outside files, and ffprobe/ffmpeg output parsed into plain structs.
#![allow(dead_code)]

use outtake::media::{MediaInfo, TrackKind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

static GEN: Mutex<()> = Mutex::new(());

pub fn have_ffmpeg() -> bool {
    let ok = |c: &str| {
        Command::new(c).arg("-version").output().map(|o| o.status.success()).unwrap_or(false)
    };
    let have = ok("ffmpeg") && ok("ffprobe");
    if !have {
        eprintln!("SKIP: ffmpeg/ffprobe not found on PATH");
    }
    have
}

/// The directory of generated fixtures, generating it on first use.
pub fn fixtures() -> Option<PathBuf> {
    generated("make-media.sh", "media")
}

/// big.mp4 (over 4 GiB) of the scale tests, shared with tests/e2e/trim-scale.test.mjs.
pub fn scale_fixture() -> Option<PathBuf> {
    generated("make-scale.sh", "scale").map(|d| d.join("big.mp4"))
}

/// target/fixtures/<prefix>-<FNV-1a of the script>, made by tests/fixtures/<script> if absent.
fn generated(name: &str, prefix: &str) -> Option<PathBuf> {
    if !have_ffmpeg() {
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/fixtures").join(name);
    let text = std::fs::read(&script).ok()?;
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    let dir = root.join(format!("target/fixtures/{prefix}-{h:016x}"));
    let _g = GEN.lock().unwrap_or_else(|e| e.into_inner());
    if !dir.join(".done").exists() {
        let tmp = root.join(format!("target/fixtures/tmp-{h:016x}-{}", std::process::id()));
        let st =
            Command::new("bash").arg(&script).arg(&tmp).status().expect("run the fixture script");
        if !st.success() {
            let _ = std::fs::remove_dir_all(&tmp); // gigabytes, for the scale fixture
            panic!("{name} failed");
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&tmp, &dir).expect("move fixtures in place");
    }
    Some(dir)
}

pub fn fixture(name: &str) -> Option<PathBuf> {
    fixtures().map(|d| d.join(name))
}

/// A file of /work/shared/media, or None (with a message) when absent.
pub fn shared(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/media/mediabunny/"))
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIP: {} absent", p.display());
        None
    }
}

#[derive(Debug, Clone)]
pub struct Packet {
    pub stream: usize,
    /// pts/dts as exact rationals (value, time_base den), time_base num folded in.
    pub pts: Option<(i64, i64)>,
    pub dts: Option<(i64, i64)>,
    pub size: u64,
    pub pos: Option<u64>,
    pub key: bool,
}

#[derive(Debug, Clone)]
pub struct Stream {
    pub codec_type: String,
    pub codec_name: String,
    pub tb: (i64, i64),
    pub width: u64,
    pub height: u64,
    pub json: serde_json::Value,
}

pub fn ffprobe(path: &Path) -> (Vec<Stream>, Vec<Packet>) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_packets", "-show_streams", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ffprobe json");
    let tb = |s: &str| {
        let (a, b) = s.split_once('/').unwrap();
        (a.parse::<i64>().unwrap(), b.parse::<i64>().unwrap())
    };
    let streams: Vec<Stream> = v["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Stream {
            codec_type: s["codec_type"].as_str().unwrap_or("").into(),
            codec_name: s["codec_name"].as_str().unwrap_or("").into(),
            tb: tb(s["time_base"].as_str().unwrap()),
            width: s["width"].as_u64().unwrap_or(0),
            height: s["height"].as_u64().unwrap_or(0),
            json: s.clone(),
        })
        .collect();
    let packets = v["packets"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            let stream = p["stream_index"].as_u64().unwrap() as usize;
            let (n, d) = streams[stream].tb;
            let t = |k: &str| p[k].as_i64().map(|x| (x * n, d));
            Packet {
                stream,
                pts: t("pts"),
                dts: t("dts"),
                size: p["size"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0),
                pos: p["pos"].as_str().and_then(|s| s.parse().ok()),
                key: p["flags"].as_str().unwrap_or("").starts_with('K'),
            }
        })
        .collect();
    (streams, packets)
}

/// Presentation times (exact, as (value, den)) of the decoded video frames of stream `v`.
pub fn frame_times(path: &Path, v: usize) -> Vec<(i64, i64)> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            &format!("{v}"),
            "-show_frames",
            "-show_entries",
            "frame=pts,best_effort_timestamp",
            "-show_streams",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let tb = v["streams"][0]["time_base"].as_str().unwrap().to_string();
    let (n, d) = tb.split_once('/').unwrap();
    let (n, d): (i64, i64) = (n.parse().unwrap(), d.parse().unwrap());
    v["frames"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            f["pts"].as_i64().or(f["best_effort_timestamp"].as_i64()).map(|p| (p * n, d))
        })
        .collect()
}

/// a/b - c/d compared exactly: returns a/b - c/d as (num, den).
pub fn diff(a: (i64, i64), b: (i64, i64)) -> (i128, i128) {
    (a.0 as i128 * b.1 as i128 - b.0 as i128 * a.1 as i128, a.1 as i128 * b.1 as i128)
}

pub fn same(a: (i128, i128), b: (i128, i128)) -> bool {
    a.0 * b.1 == b.0 * a.1
}

pub fn open(path: &Path) -> MediaInfo {
    let mut f = std::fs::File::open(path).unwrap();
    // annex-b.mp4 is cut short on purpose (its last sample is incomplete).
    let partial = path.ends_with("annex-b.mp4");
    if partial {
        assert!(outtake::media::probe(&mut f).is_err(), "a truncated file fails the strict probe");
    }
    let r =
        if partial { outtake::media::probe_partial(&mut f) } else { outtake::media::probe(&mut f) };
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
                // Matroska packets are positioned at their block element, MP4 at the data.
                if info.container == outtake::media::Container::Mp4 {
                    assert_eq!(pos, s.offset, "{name}: position of packet {k}");
                } else {
                    assert!(
                        pos < s.offset && s.offset - pos < 64,
                        "{name}: position of packet {k}: {pos} vs {}",
                        s.offset
                    );
                }
            }
            assert_eq!(p.key, s.keyframe, "{name}: key flag of packet {k}");
            assert!(
                !s.decode_start || s.keyframe,
                "{name}: packet {k} starts decoding but is no sync sample"
            );
            let mine = (s.pts, track.timescale as i64);
            if let Some(pts) = p.pts {
                let d = diff(pts, mine);
                match offset {
                    None => offset = Some(d),
                    Some(o) => assert!(
                        same(o, d),
                        "{name}: pts of packet {k}: ffprobe {pts:?}, mine {mine:?}"
                    ),
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
        if let Some(r) = st.json["side_data_list"]
            .as_array()
            .and_then(|l| l.iter().find_map(|d| d["rotation"].as_i64()))
        {
            // ffmpeg counts counter-clockwise; the crate reports clockwise degrees.
            assert_eq!(track.rotation as i64, (-r).rem_euclid(360), "{name}: rotation");
        }
        if track.kind == TrackKind::Video {
            assert_eq!(
                (st.width as u32, st.height as u32),
                (track.width, track.height),
                "{name}: size"
            );
        }
    }
    info
}

/// A test that demuxes a file of ../shared/media (skipped when absent or without ffmpeg),
/// compares it with ffprobe, then runs `$check` on it.
#[allow(unused_macros)]
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

/// The same for a generated fixture.
#[allow(unused_macros)]
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

/// The shot-change clips and their truth.json (tests/fixtures/make-shots.sh).
pub fn shots_fixtures() -> Option<PathBuf> {
    generated("make-shots.sh", "shots")
}
