//! Speech detectors compared on the sync corpus's VAD grid (issue #10): one espeak-ng track in
//! four languages over white, pink, brown noise and music at 0–20 dB, with the synthesis truth.
//! Per detector and condition: frame F1 (10 ms grid), onset and offset lag, speed.
//!
//!     python3 scripts/sync_corpus.py --seed 1 --out target/sync-corpus
//!     CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo run --release --example vad_compare -- \
//!         target/sync-corpus/vad
//!
//! The candidates are dev-dependencies: the package never carries the losers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every detector is read on one 10 ms grid.
const STEP: f64 = 0.01;
/// Onsets and offsets are matched to a detected edge within this distance.
const MATCH_WINDOW: f64 = 0.5;
/// Detected runs: gaps up to 200 ms bridged, runs under 60 ms dropped (the same for every
/// detector), before onsets and offsets are read.
const BRIDGE: f64 = 0.2;
const MIN_RUN: f64 = 0.06;

struct Truth {
    length: f64,
    speech: Vec<(f64, f64)>,
    files: Vec<(String, String, Option<f64>)>,
}

fn read_truth(dir: &Path) -> Result<Truth, String> {
    let path = dir.join("truth.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let num = |v: &serde_json::Value| {
        v.as_f64().ok_or_else(|| format!("{}: not a number", path.display()))
    };
    let speech = v["speech"]
        .as_array()
        .ok_or("truth.json: no speech")?
        .iter()
        .map(|s| Ok((num(&s[0])?, num(&s[1])?)))
        .collect::<Result<Vec<_>, String>>()?;
    let files = v["files"]
        .as_array()
        .ok_or("truth.json: no files")?
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_string(),
                f["bed"].as_str().unwrap_or_default().to_string(),
                f["snr_db"].as_f64(),
            )
        })
        .collect();
    Ok(Truth { length: num(&v["length"])?, speech, files })
}

fn read_wav(path: &Path) -> Result<(Vec<i16>, u32), String> {
    let mut r = hound::WavReader::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let spec = r.spec();
    if spec.channels != 1 || spec.bits_per_sample != 16 {
        return Err(format!("{}: want 16-bit mono", path.display()));
    }
    let samples = r
        .samples::<i16>()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((samples, spec.sample_rate))
}

/// A detector's output: one decision per frame of `frame` seconds, frame k covering
/// [k·frame, (k+1)·frame).
struct Decisions {
    frame: f64,
    speech: Vec<bool>,
}

impl Decisions {
    fn on_grid(&self, n: usize) -> Vec<bool> {
        (0..n)
            .map(|i| {
                let k = ((i as f64 + 0.5) * STEP / self.frame) as usize;
                self.speech.get(k).copied().unwrap_or(false)
            })
            .collect()
    }
}

trait Detector {
    fn name(&self) -> &'static str;
    /// Which copy of the grid it reads: 16 kHz or 48 kHz.
    fn rate(&self) -> u32;
    fn run(&self, pcm: &[i16]) -> Decisions;
}

/// earshot 1.x: the small neural network, 16 ms frames at 16 kHz, score ≥ 0.5.
struct Earshot1;
impl Detector for Earshot1 {
    fn name(&self) -> &'static str {
        "earshot 1.2 (neural)"
    }
    fn rate(&self) -> u32 {
        16_000
    }
    fn run(&self, pcm: &[i16]) -> Decisions {
        let mut d = earshot::Detector::default();
        let speech = pcm.chunks_exact(256).map(|f| d.predict_i16(f) >= 0.5).collect();
        Decisions { frame: 256.0 / 16_000.0, speech }
    }
}

/// earshot 0.1: the port of the WebRTC VAD (Gaussian mixtures), 10 ms frames at 16 kHz.
struct Earshot01(&'static str, earshot01::VoiceActivityProfile);
impl Detector for Earshot01 {
    fn name(&self) -> &'static str {
        self.0
    }
    fn rate(&self) -> u32 {
        16_000
    }
    fn run(&self, pcm: &[i16]) -> Decisions {
        let mut d = earshot01::VoiceActivityDetector::new(self.1.clone());
        let speech = pcm.chunks_exact(160).map(|f| d.predict_16khz(f).unwrap_or(false)).collect();
        Decisions { frame: 0.01, speech }
    }
}

/// nnnoiseless (RNNoise): its voice probability, 10 ms frames at 48 kHz, ≥ 0.5.
struct Rnnoise;
impl Detector for Rnnoise {
    fn name(&self) -> &'static str {
        "nnnoiseless 0.5 (RNNoise VAD)"
    }
    fn rate(&self) -> u32 {
        48_000
    }
    fn run(&self, pcm: &[i16]) -> Decisions {
        let mut d = nnnoiseless::DenoiseState::new();
        let mut out = [0f32; nnnoiseless::DenoiseState::FRAME_SIZE];
        let mut buf = [0f32; nnnoiseless::DenoiseState::FRAME_SIZE];
        let speech = pcm
            .chunks_exact(nnnoiseless::DenoiseState::FRAME_SIZE)
            .map(|f| {
                for (b, s) in buf.iter_mut().zip(f) {
                    *b = *s as f32;
                }
                d.process_frame(&mut out, &buf) >= 0.5
            })
            .collect();
        Decisions { frame: 0.01, speech }
    }
}

/// Baseline: 10 ms frame energy 9 dB over the file's 10th-percentile frame.
struct Energy;
impl Detector for Energy {
    fn name(&self) -> &'static str {
        "energy (10th percentile + 9 dB)"
    }
    fn rate(&self) -> u32 {
        16_000
    }
    fn run(&self, pcm: &[i16]) -> Decisions {
        let db: Vec<f64> = pcm
            .chunks_exact(160)
            .map(|f| {
                let e = f.iter().map(|&s| (s as f64).powi(2)).sum::<f64>() / 160.0;
                10.0 * (e + 1.0).log10()
            })
            .collect();
        let mut sorted = db.clone();
        sorted.sort_by(f64::total_cmp);
        let floor = sorted.get(sorted.len() / 10).copied().unwrap_or(0.0);
        Decisions { frame: 0.01, speech: db.iter().map(|&e| e > floor + 9.0).collect() }
    }
}

/// Runs of speech after bridging short gaps and dropping short runs, as (start, end) seconds.
fn runs(grid: &[bool]) -> Vec<(f64, f64)> {
    let mut raw: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < grid.len() {
        if grid[i] {
            let s = i;
            while i < grid.len() && grid[i] {
                i += 1;
            }
            raw.push((s, i));
        }
        i += 1;
    }
    let bridge = (BRIDGE / STEP).round() as usize;
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in raw {
        match merged.last_mut() {
            Some(last) if r.0 - last.1 <= bridge => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    let min = (MIN_RUN / STEP).round() as usize;
    merged
        .into_iter()
        .filter(|r| r.1 - r.0 >= min)
        .map(|(a, b)| (a as f64 * STEP, b as f64 * STEP))
        .collect()
}

/// Signed lags (detected − true) of the nearest detected edge within the window; misses are left out.
fn lags(truth: &[f64], detected: &[f64]) -> Vec<f64> {
    truth
        .iter()
        .filter_map(|&t| {
            detected
                .iter()
                .map(|&d| d - t)
                .filter(|l| l.abs() <= MATCH_WINDOW)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        })
        .collect()
}

#[derive(Default, Clone)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    onsets: Vec<f64>,
    offsets: Vec<f64>,
    edges: usize,
    audio_s: f64,
    cpu_s: f64,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.onsets.extend(&o.onsets);
        self.offsets.extend(&o.offsets);
        self.edges += o.edges;
        self.audio_s += o.audio_s;
        self.cpu_s += o.cpu_s;
    }
    fn f1(&self) -> f64 {
        2.0 * self.tp as f64 / (2 * self.tp + self.fp + self.fn_).max(1) as f64
    }
}

fn stats(xs: &[f64]) -> String {
    if xs.is_empty() {
        return "—".into();
    }
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let mean = s.iter().sum::<f64>() / s.len() as f64;
    format!("{:+.0} / {:+.0}", mean * 1000.0, s[s.len() / 2] * 1000.0)
}

fn score(truth: &Truth, dec: &Decisions, audio_s: f64, cpu_s: f64) -> Score {
    let n = (truth.length / STEP).floor() as usize;
    let got = dec.on_grid(n);
    let mut want = vec![false; n];
    for &(a, b) in &truth.speech {
        for w in want.iter_mut().take(((b / STEP) as usize).min(n)).skip((a / STEP) as usize) {
            *w = true;
        }
    }
    let mut s = Score { audio_s, cpu_s, ..Score::default() };
    for (g, w) in got.iter().zip(&want) {
        match (g, w) {
            (true, true) => s.tp += 1,
            (true, false) => s.fp += 1,
            (false, true) => s.fn_ += 1,
            _ => {}
        }
    }
    // Onsets after at least 300 ms without speech, offsets before as much: the edges a caption
    // start or end is snapped to.
    let mut on = Vec::new();
    let mut off = Vec::new();
    for (i, &(a, b)) in truth.speech.iter().enumerate() {
        if i == 0 || a - truth.speech[i - 1].1 >= 0.3 {
            on.push(a);
        }
        if i + 1 == truth.speech.len() || truth.speech[i + 1].0 - b >= 0.3 {
            off.push(b);
        }
    }
    let r = runs(&got);
    s.onsets = lags(&on, &r.iter().map(|r| r.0).collect::<Vec<_>>());
    s.offsets = lags(&off, &r.iter().map(|r| r.1).collect::<Vec<_>>());
    s.edges = on.len() + off.len();
    s
}

/// CPU time of this thread in seconds, so that speed does not depend on what else the machine
/// runs (Linux; wall time elsewhere).
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn main() -> Result<(), String> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or("target/sync-corpus/vad".into()));
    let truth = read_truth(&dir)?;
    let detectors: Vec<Box<dyn Detector>> = vec![
        Box::new(Earshot1),
        Box::new(Earshot01(
            "earshot 0.1 (WebRTC port), QUALITY",
            earshot01::VoiceActivityProfile::QUALITY,
        )),
        Box::new(Earshot01(
            "earshot 0.1 (WebRTC port), VERY_AGGRESSIVE",
            earshot01::VoiceActivityProfile::VERY_AGGRESSIVE,
        )),
        Box::new(Rnnoise),
        Box::new(Energy),
    ];
    // detector → condition → score; conditions keyed "bed snr".
    let mut all: BTreeMap<usize, BTreeMap<(String, i64), Score>> = BTreeMap::new();
    for (name, bed, snr) in &truth.files {
        let mut pcm_by_rate = BTreeMap::new();
        for rate in [16_000u32, 48_000] {
            let file = dir.join(format!("{name}.{}k.wav", rate / 1000));
            let (pcm, sr) = read_wav(&file)?;
            if sr != rate {
                return Err(format!("{}: {sr} Hz, want {rate}", file.display()));
            }
            pcm_by_rate.insert(rate, pcm);
        }
        for (k, d) in detectors.iter().enumerate() {
            let pcm = &pcm_by_rate[&d.rate()];
            let wall = Instant::now();
            let t0 = cpu_seconds(wall);
            let dec = d.run(pcm);
            let cpu = cpu_seconds(wall) - t0;
            let s = score(&truth, &dec, pcm.len() as f64 / d.rate() as f64, cpu);
            let key = (bed.clone(), snr.map_or(99, |v| v as i64));
            all.entry(k).or_default().insert(key, s);
        }
    }
    let snrs: Vec<i64> = {
        let mut v: Vec<i64> = truth.files.iter().filter_map(|f| f.2.map(|s| s as i64)).collect();
        v.sort();
        v.dedup();
        v
    };
    let beds: Vec<String> = {
        let mut v: Vec<String> =
            truth.files.iter().filter(|f| f.2.is_some()).map(|f| f.1.clone()).collect();
        v.dedup();
        v
    };
    println!("Frame F1 (10 ms grid), by bed and SNR:\n");
    let mut head = vec!["detector".to_string(), "clean".into()];
    for b in &beds {
        head.push(format!("{b} {}–{} dB", snrs[0], snrs[snrs.len() - 1]));
    }
    for s in &snrs {
        head.push(format!("all beds {s} dB"));
    }
    println!("| {} |", head.join(" | "));
    println!("|{}", " --- |".repeat(head.len()));
    for (k, d) in detectors.iter().enumerate() {
        let m = &all[&k];
        let mut row = vec![d.name().to_string()];
        row.push(m.get(&("clean".into(), 99)).map_or("—".into(), |s| format!("{:.3}", s.f1())));
        for b in &beds {
            let f1s: Vec<f64> =
                snrs.iter().filter_map(|s| m.get(&(b.clone(), *s))).map(Score::f1).collect();
            let lo = f1s.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = f1s.iter().copied().fold(0.0, f64::max);
            row.push(format!("{lo:.2}–{hi:.2}"));
        }
        for s in &snrs {
            let mut t = Score::default();
            for b in &beds {
                if let Some(x) = m.get(&(b.clone(), *s)) {
                    t.add(x);
                }
            }
            row.push(format!("{:.3}", t.f1()));
        }
        println!("| {} |", row.join(" | "));
    }
    println!(
        "\nOnset and offset lags (detected − true, ms, mean / median) over all noisy conditions, \
         edges found within ±{MATCH_WINDOW} s, and speed:\n"
    );
    println!("| detector | F1 all noisy | onset lag | offset lag | edges found | × real time |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (k, d) in detectors.iter().enumerate() {
        let mut t = Score::default();
        for ((bed, _), s) in &all[&k] {
            if bed != "clean" {
                t.add(s);
            }
        }
        let found = t.onsets.len() + t.offsets.len();
        println!(
            "| {} | {:.3} | {} | {} | {:.0}% | {:.0}× |",
            d.name(),
            t.f1(),
            stats(&t.onsets),
            stats(&t.offsets),
            100.0 * found as f64 / t.edges.max(1) as f64,
            t.audio_s / t.cpu_s.max(1e-9)
        );
    }
    println!("\nPer condition (F1, onset lag mean/median ms):\n");
    println!(
        "| condition | {} |",
        detectors.iter().map(|d| d.name()).collect::<Vec<_>>().join(" | ")
    );
    println!("|{}", " --- |".repeat(detectors.len() + 1));
    for (bed, snr) in all[&0].keys() {
        let label = if *snr == 99 { bed.clone() } else { format!("{bed} {snr} dB") };
        let cells: Vec<String> = (0..detectors.len())
            .map(|k| {
                let s = &all[&k][&(bed.clone(), *snr)];
                format!("{:.3}, {}", s.f1(), stats(&s.onsets))
            })
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
    Ok(())
}
