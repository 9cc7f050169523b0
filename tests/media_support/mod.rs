//! Shared helpers of the media tests: the generated fixtures (cached by the generator script's
//! hash), the shared outside files, and ffprobe/ffmpeg output parsed into plain structs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

static GEN: Mutex<()> = Mutex::new(());

pub fn have_ffmpeg() -> bool {
    let ok = |c: &str| Command::new(c).arg("-version").output().map(|o| o.status.success()).unwrap_or(false);
    let have = ok("ffmpeg") && ok("ffprobe");
    if !have {
        eprintln!("SKIP: ffmpeg/ffprobe not found on PATH");
    }
    have
}

/// The directory of generated fixtures, generating it on first use.
pub fn fixtures() -> Option<PathBuf> {
    if !have_ffmpeg() {
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/fixtures/make-media.sh");
    let text = std::fs::read(&script).ok()?;
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    let dir = root.join(format!("target/fixtures/media-{h:016x}"));
    let _g = GEN.lock().unwrap_or_else(|e| e.into_inner());
    if !dir.join(".done").exists() {
        let tmp = root.join(format!("target/fixtures/tmp-{h:016x}-{}", std::process::id()));
        let st = Command::new("bash").arg(&script).arg(&tmp).status().expect("run make-media.sh");
        assert!(st.success(), "make-media.sh failed");
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
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/media/mediabunny/")).join(name);
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
        .args(["-v", "error", "-select_streams", &format!("{v}"), "-show_frames", "-show_entries", "frame=pts,best_effort_timestamp", "-show_streams", "-of", "json"])
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
        .filter_map(|f| f["pts"].as_i64().or(f["best_effort_timestamp"].as_i64()).map(|p| (p * n, d)))
        .collect()
}

/// a/b - c/d compared exactly: returns a/b - c/d as (num, den).
pub fn diff(a: (i64, i64), b: (i64, i64)) -> (i128, i128) {
    (a.0 as i128 * b.1 as i128 - b.0 as i128 * a.1 as i128, a.1 as i128 * b.1 as i128)
}

pub fn same(a: (i128, i128), b: (i128, i128)) -> bool {
    a.0 * b.1 == b.0 * a.1
}
