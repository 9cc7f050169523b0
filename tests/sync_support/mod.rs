//! Shared by the sync tests: deterministic randomness, captions from truth spans, desyncs,
//! accuracy against truth, and real speech from espeak-ng with its truth from the synthesis.
#![allow(dead_code)]

use outtake::captions::{Captions, Cue};
use outtake::sync::{SpeechActivity, SpeechDetector};
use outtake::{Rounding, Time};
use std::process::Command;

/// A small deterministic generator (PCG-style LCG), so every case is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_f64() * (hi - lo) as f64) as i64
    }
    pub fn gauss(&mut self) -> f64 {
        let (u, v) = (self.next_f64().max(1e-12), self.next_f64());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Truth spans (ms) of a programme with `n` lines: durations 0.8–3.5 s, gaps 0.3–2.5 s, and a
/// long scene without dialogue every so often.
pub fn truth_spans(seed: u64, n: usize, lead_ms: i64) -> Vec<(i64, i64)> {
    let mut rng = Rng::new(seed);
    let mut t = lead_ms;
    (0..n)
        .map(|i| {
            let len = rng.range(800, 3500);
            let span = (t, t + len);
            t += len + rng.range(300, 2500) + if i % 9 == 8 { rng.range(8_000, 20_000) } else { 0 };
            span
        })
        .collect()
}

pub const LINES: &[&str] = &[
    "Where were you last night?",
    "I waited at the station until the last train left.",
    "You never called.",
    "The phone was dead, and the shop on the corner was closed.",
    "That is not an answer.",
    "Then ask me something else.",
    "Who was the man in the grey coat?",
    "A friend of my brother, nothing more.",
    "He followed you home.",
    "He lives two streets away from us.",
    "I found the letter in your desk this morning.",
    "You had no right to read it.",
    "Tell me the truth, just this once.",
    "The truth is that I was afraid.",
    "Afraid of what, exactly?",
    "Of losing the house, the garden, all of it.",
    "We could have talked about it.",
    "We never talk about anything that matters.",
    "Let us go for a walk by the river.",
    "It is raining again.",
    "Then bring the big umbrella.",
    "The children will be home soon.",
    "Make some tea, and we will start again.",
    "Fine, but this time you listen to me first.",
];

/// Cues at `spans` (ms) with dialogue text.
pub fn captions_at(spans: &[(i64, i64)]) -> Captions {
    let cues = spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| Cue::new(ms(s), ms(e), LINES[i % LINES.len()]))
        .collect();
    Captions { cues, ..Captions::default() }
}

pub fn ms(v: i64) -> Time {
    Time::from_millis(v)
}

pub fn to_ms(t: Time) -> i64 {
    t.millis(Rounding::Nearest)
}

/// Every cue time mapped through `f` (start, end in ms).
pub fn desync(c: &Captions, f: impl Fn(usize, i64) -> i64) -> Captions {
    let mut out = c.clone();
    for (i, cue) in out.cues.iter_mut().enumerate() {
        cue.start = ms(f(i, to_ms(cue.start)));
        cue.end = ms(f(i, to_ms(cue.end)));
    }
    out
}

/// Fractions of cue starts within 100 ms and within 400 ms of `truth` (ms), over the cues of
/// `got` (same order).
pub fn accuracy(got: &Captions, truth: &[(i64, i64)]) -> (f64, f64) {
    let n = truth.len() as f64;
    let near = |tol: i64| {
        got.cues.iter().zip(truth).filter(|(c, t)| (to_ms(c.start) - t.0).abs() <= tol).count()
            as f64
            / n
    };
    (near(100), near(400))
}

/// A speech track that follows `spans` (ms) the way a VAD does: soft edges 30 ms late, with
/// dips inside and false alarms outside, from `seed`.
pub fn synthetic_activity(spans: &[(i64, i64)], len_ms: i64, seed: u64) -> SpeechActivity {
    let mut rng = Rng::new(seed);
    let steps = (len_ms / 10) as usize;
    let mut p = vec![0.0f32; steps];
    for v in p.iter_mut() {
        *v = (rng.next_f64() * 0.2) as f32;
    }
    for &(s, e) in spans {
        for i in ((s + 30) / 10).max(0)..((e + 30) / 10).min(steps as i64) {
            p[i as usize] = (0.7 + rng.next_f64() * 0.3) as f32;
        }
    }
    // Short dips (between words) and false alarms (breath, noise).
    for _ in 0..steps / 600 {
        let at = rng.range(0, steps as i64 - 10) as usize;
        let v = if p[at] > 0.5 { 0.1 } else { 0.8 };
        p[at..at + 6].fill(v);
    }
    SpeechActivity { probability: p }
}

/// espeak-ng speech of `text` at 22,050 Hz with its leading and trailing silence trimmed, so
/// the truth is where the samples are placed.
pub fn speak(text: &str, voice: &str, speed: u32) -> Vec<f32> {
    // Tests run in parallel threads: each call gets a file of its own, and espeak-ng runs one
    // at a time.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "outtake-sync-{}-{n}-{voice}-{speed}-{}.wav",
        std::process::id(),
        hash(text)
    ));
    let ok = Command::new("espeak-ng")
        .args(["-v", voice, "-s", &speed.to_string(), "-w"])
        .arg(&path)
        .arg(text)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "espeak-ng is needed (scripts/setup.sh --test installs it)");
    let bytes = std::fs::read(&path).expect("espeak-ng wrote the file");
    let _ = std::fs::remove_file(&path);
    let pcm = wav_pcm16(&bytes);
    let loud = |s: &f32| s.abs() > 0.01;
    let a = pcm.iter().position(loud).unwrap_or(0);
    let b = pcm.iter().rposition(loud).map_or(pcm.len(), |i| i + 1);
    pcm[a..b].to_vec()
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(1469598103934665603u64, |h, b| (h ^ b as u64).wrapping_mul(1099511628211))
}

/// The 16-bit mono samples of a canonical WAV file.
pub fn wav_pcm16(bytes: &[u8]) -> Vec<f32> {
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let id = &bytes[i..i + 4];
        let len = u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]);
        let body = i + 8;
        if id == b"data" {
            let end = (body + len as usize).min(bytes.len());
            return bytes[body..end]
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32768.0)
                .collect();
        }
        i = body + len as usize + (len as usize & 1);
    }
    panic!("no data chunk")
}

/// Writes 16-bit mono PCM as a WAV file.
pub fn write_wav(path: &std::path::Path, pcm: &[f32], rate: u32) {
    let mut out = Vec::with_capacity(44 + pcm.len() * 2);
    let data = (pcm.len() * 2) as u32;
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in pcm {
        out.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes());
    }
    std::fs::write(path, out).expect("write wav");
}

pub const RATE: u32 = 22_050;

/// A programme of real speech: lines spoken by alternating voices and speeds, placed at gaps
/// from `seed` over a faint noise floor. Returns the PCM (22,050 Hz) and the truth spans (ms).
pub fn programme(
    seed: u64,
    n: usize,
    lead_ms: i64,
    voices: &[(&str, u32)],
) -> (Vec<f32>, Vec<(i64, i64)>) {
    let mut rng = Rng::new(seed);
    let mut pcm: Vec<f32> = Vec::new();
    let mut truth = Vec::new();
    let at = |ms: i64| (ms * RATE as i64 / 1000) as usize;
    let mut t = lead_ms;
    for i in 0..n {
        let (voice, speed) = voices[i % voices.len()];
        let line = LINES[(i + seed as usize) % LINES.len()];
        let speech = speak(line, voice, speed);
        let start = at(t);
        pcm.resize(start, 0.0);
        pcm.extend_from_slice(&speech);
        let end_ms = t + (speech.len() as i64 * 1000) / RATE as i64;
        truth.push((t, end_ms));
        t = end_ms + rng.range(400, 2500) + if i % 9 == 8 { rng.range(8_000, 15_000) } else { 0 };
    }
    pcm.resize(at(t + 2000), 0.0);
    // A faint noise floor (about -50 dBFS), as room tone.
    for s in pcm.iter_mut() {
        *s += ((rng.next_f64() - 0.5) * 0.006) as f32;
    }
    (pcm, truth)
}

/// Runs the streaming detector over `pcm` in uneven chunks.
pub fn activity_of(pcm: &[f32], rate: u32) -> SpeechActivity {
    let mut d = SpeechDetector::new(rate, 1);
    let mut i = 0;
    let mut k = 0usize;
    while i < pcm.len() {
        let n = [997, 4096, 333, 2048][k % 4].min(pcm.len() - i);
        d.push(&pcm[i..i + n]);
        i += n;
        k += 1;
    }
    d.finish()
}
