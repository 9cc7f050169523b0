//! Speech activity from PCM, streamed: down-mix, resample to 16 kHz, and run `earshot`'s neural
//! VAD, keeping only one probability per 10 ms step. PCM is never held beyond the resampler's few
//! dozen samples of history and one 16 ms VAD frame, so a 10-hour file costs 14 MB of track.

use earshot::Detector;

/// The activity track's step, in milliseconds.
pub const STEP_MS: i64 = 10;

/// The rate `earshot` runs at, and its frame (16 ms).
const VAD_RATE: u32 = 16_000;
const VAD_FRAME: usize = 256;
/// `earshot` scores a 768-sample window ending at the frame just fed: its centre is 384 samples
/// (24 ms) before the newest sample.
const WINDOW_CENTRE_MS: f64 = 24.0;

/// How much later than the synthesis truth `earshot`'s onsets come, beyond its window centre.
/// NOTE: measured, not guessed, by `tests/sync_speech.rs::earshot_onset_lag` on espeak-ng speech
/// (voices en-us, en-gb, en-us+f3, en-gb-x-rp, en-us+m3 at 125–195 words/min, 42 onsets, onset =
/// first step with p ≥ 0.5): with no compensation the median onset came 7 ms early (p10 15 ms
/// early, p90 50 ms late), so the track is moved 7 ms later.
pub const ONSET_LAG_MS: f64 = -7.0;

/// How much later than the truth speech *ends* read in the track: the same measurement found the
/// probability falling below 0.5 a median 69 ms after the synthesis stopped (p10 44 ms, p90
/// 104 ms), the VAD's hangover. Speech ends are moved this much earlier before snapping to them.
pub const OFFSET_LAG_MS: i64 = 69;

/// A speech probability in [0, 1] for each 10 ms step from time zero.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpeechActivity {
    pub probability: Vec<f32>,
}

impl SpeechActivity {
    /// The track's length in milliseconds.
    pub fn duration_ms(&self) -> i64 {
        self.probability.len() as i64 * STEP_MS
    }

    /// Runs of steps at or above `threshold`, as `(start, end)` step indices, end exclusive.
    pub fn segments(&self, threshold: f32) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, &p) in self.probability.iter().enumerate() {
            match (start, p >= threshold) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, self.probability.len()));
        }
        out
    }
}

/// Streams PCM into a [`SpeechActivity`]: feed interleaved chunks of any size, then `finish`.
pub struct SpeechDetector {
    channels: usize,
    resampler: Resampler,
    vad: Box<Detector>,
    frame: Vec<f32>,
    /// VAD frames scored so far, and the last score with its time (ms).
    frames: u64,
    last: Option<(f64, f32)>,
    /// Input frames (one sample per channel) taken, for the track's final length.
    input_frames: u64,
    rate: u32,
    track: Vec<f32>,
}

impl SpeechDetector {
    /// A detector for PCM at `sample_rate` Hz with `channels` interleaved channels (both ≥ 1).
    pub fn new(sample_rate: u32, channels: usize) -> SpeechDetector {
        let rate = sample_rate.max(1);
        SpeechDetector {
            channels: channels.max(1),
            resampler: Resampler::new(rate, VAD_RATE),
            vad: Detector::default_boxed(),
            frame: Vec::with_capacity(VAD_FRAME),
            frames: 0,
            last: None,
            input_frames: 0,
            rate,
            track: Vec::new(),
        }
    }

    /// Feeds interleaved samples in [-1, 1]; a trailing partial frame of channels is dropped.
    pub fn push(&mut self, interleaved: &[f32]) {
        let ch = self.channels;
        let scale = 1.0 / ch as f32;
        let mut mono = Vec::with_capacity(interleaved.len() / ch);
        for frame in interleaved.chunks_exact(ch) {
            let s: f32 = frame.iter().sum::<f32>() * scale;
            // NaN from a broken decoder becomes silence rather than poisoning the VAD state.
            mono.push(if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 });
        }
        self.input_frames += mono.len() as u64;
        let mut out = Vec::with_capacity(mono.len() * VAD_RATE as usize / self.rate as usize + 2);
        self.resampler.push(&mono, &mut out);
        self.feed_vad(&out);
    }

    fn feed_vad(&mut self, samples: &[f32]) {
        for &s in samples {
            self.frame.push(s.clamp(-1.0, 1.0));
            if self.frame.len() == VAD_FRAME {
                let p = self.vad.predict_f32(&self.frame).clamp(0.0, 1.0);
                self.frame.clear();
                self.frames += 1;
                let t = self.frames as f64 * 16.0 - WINDOW_CENTRE_MS - ONSET_LAG_MS;
                self.emit_until(t, p);
                self.last = Some((t, p));
            }
        }
    }

    /// Emits every step whose centre is at or before `t`, interpolating from the last score.
    fn emit_until(&mut self, t: f64, p: f32) {
        loop {
            let centre = (self.track.len() as i64 * STEP_MS) as f64 + STEP_MS as f64 / 2.0;
            if centre > t {
                break;
            }
            let v = match self.last {
                Some((t0, p0)) if t > t0 && centre > t0 => {
                    p0 + (p - p0) * ((centre - t0) / (t - t0)) as f32
                }
                Some((_, p0)) => p0,
                None => p,
            };
            self.track.push(v);
        }
    }

    /// Flushes the resampler and the VAD with silence and returns the track, one step per 10 ms
    /// of input.
    pub fn finish(mut self) -> SpeechActivity {
        let mut out = Vec::new();
        self.resampler.flush(&mut out);
        self.feed_vad(&out);
        let total_ms = self.input_frames as f64 * 1000.0 / self.rate as f64;
        let steps = (total_ms / STEP_MS as f64).ceil() as usize;
        // Enough silence for the window to move past the end of the input.
        let tail = vec![0.0; VAD_FRAME * 4];
        // Each round moves the VAD's clock 64 ms on, so this ends.
        while self.track.len() < steps {
            self.feed_vad(&tail);
        }
        self.track.truncate(steps);
        SpeechActivity { probability: self.track }
    }
}

/// A streaming windowed-sinc resampler at any pair of rates.
/// NOTE: hand-written rather than `rubato`: rubato's resamplers take fixed-size chunks and would
/// need a buffering layer of their own here, while the VAD needs neither phase precision nor a
/// flat passband; this is 70 lines with a bounded history of ±6 zero crossings.
struct Resampler {
    /// Output position n maps to input position n·step_num/step_den.
    step_num: u64,
    step_den: u64,
    half: usize,
    /// The kernel at each of PHASES + 1 fractional positions, 2·half taps each.
    table: Vec<f32>,
    history: Vec<f32>,
    /// Absolute input index of `history[0]`, and outputs made so far.
    base: u64,
    produced: u64,
    passthrough: bool,
}

const PHASES: usize = 256;
const ZERO_CROSSINGS: f64 = 6.0;

impl Resampler {
    fn new(from: u32, to: u32) -> Resampler {
        let g = gcd(from as u64, to as u64).max(1);
        // Cut-off just below the lower Nyquist, in cycles per input sample.
        let fc = 0.5 * (to as f64 / from as f64).min(1.0) * 0.9;
        let half = (ZERO_CROSSINGS / (2.0 * fc)).ceil() as usize;
        // Phase-major: the taps of one phase sit together, so the inner loop reads memory in
        // order (and vectorises). Row p holds the kernel at x = k + 1 - half - p/PHASES.
        let taps = 2 * half;
        let mut table = vec![0.0f32; (PHASES + 1) * taps];
        for p in 0..=PHASES {
            for k in 0..taps {
                let x = (k as f64 + 1.0 - half as f64) - p as f64 / PHASES as f64;
                let sinc = if x == 0.0 {
                    1.0
                } else {
                    let a = std::f64::consts::PI * 2.0 * fc * x;
                    a.sin() / a
                };
                // Blackman window over [-half, half].
                let w = (x / half as f64 + 1.0) * std::f64::consts::PI;
                let win = 0.42 - 0.5 * w.cos() + 0.08 * (2.0 * w).cos();
                table[p * taps + k] = (2.0 * fc * sinc * win) as f32;
            }
        }
        Resampler {
            step_num: from as u64 / g,
            step_den: to as u64 / g,
            half,
            table,
            // Leading silence stands in for the samples before time zero.
            history: vec![0.0; half],
            base: 0,
            produced: 0,
            passthrough: from == to,
        }
    }

    fn push(&mut self, input: &[f32], out: &mut Vec<f32>) {
        if self.passthrough {
            out.extend_from_slice(input);
            return;
        }
        self.history.extend_from_slice(input);
        self.drain(out);
    }

    fn flush(&mut self, out: &mut Vec<f32>) {
        if !self.passthrough {
            let pad = vec![0.0; self.half + 1];
            self.push(&pad, out);
        }
    }

    fn drain(&mut self, out: &mut Vec<f32>) {
        let half = self.half as u64;
        loop {
            let num = self.produced * self.step_num;
            // Position in the history (offset by the `half` samples of leading silence).
            let i0 = num / self.step_den + half;
            let frac = (num % self.step_den) as f64 / self.step_den as f64;
            if i0 + half >= self.base + self.history.len() as u64 {
                break;
            }
            let phase = (frac * PHASES as f64).round() as usize;
            // Taps k = 0..2·half at input i0 + k + 1 - half.
            let taps = 2 * self.half;
            let first = (i0 + 1 - half - self.base) as usize;
            let window = &self.history[first..first + taps];
            let row = &self.table[phase * taps..(phase + 1) * taps];
            out.push(dot(window, row));
            self.produced += 1;
        }
        // Keep only what the next output's taps can reach.
        let next = (self.produced * self.step_num) / self.step_den + half;
        let keep_from = next.saturating_sub(half).max(self.base);
        let drop = (keep_from - self.base) as usize;
        if drop > 4096 {
            self.history.drain(..drop);
            self.base = keep_from;
        }
    }
}

/// The dot product of two equally long slices.
/// NOTE: eight running sums rather than one: a single sum is a chain of dependent additions that
/// the compiler may not reorder (floating point), and at the crate's size-first opt-level nothing
/// vectorises it; eight independent lanes run about as fast as the VAD's own network, where the
/// single chain made resampling 48 kHz cost as much as detecting speech (measured in Chromium).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, hz: f64, secs: f64) -> Vec<f32> {
        let n = (rate as f64 * secs) as usize;
        (0..n)
            .map(|i| {
                (0.5 * (2.0 * std::f64::consts::PI * hz * i as f64 / rate as f64).sin()) as f32
            })
            .collect()
    }

    #[test]
    fn resampler_keeps_a_tone_and_its_length_at_any_chunking() {
        for rate in [8000, 22050, 44100, 48000] {
            let input = tone(rate, 440.0, 1.0);
            let mut r = Resampler::new(rate, VAD_RATE);
            let mut out = Vec::new();
            for chunk in input.chunks(333) {
                r.push(chunk, &mut out);
            }
            r.flush(&mut out);
            assert!((out.len() as i64 - 16_000).abs() <= 2, "{rate}: {} samples", out.len());
            let want = tone(VAD_RATE, 440.0, 1.0);
            let err: f32 = out[100..15_800]
                .iter()
                .zip(&want[100..15_800])
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(err < 0.02, "{rate}: max error {err}");
        }
    }

    #[test]
    fn resampler_removes_what_16_khz_cannot_hold() {
        let input = tone(48_000, 11_000.0, 0.5);
        let mut r = Resampler::new(48_000, VAD_RATE);
        let mut out = Vec::new();
        r.push(&input, &mut out);
        let peak = out[200..7000].iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(peak < 0.01, "alias at {peak}");
    }

    #[test]
    fn track_has_one_step_per_10_ms_and_silence_is_not_speech() {
        let mut d = SpeechDetector::new(44_100, 2);
        let silence = vec![0.0f32; 44_100 * 2 * 3];
        for chunk in silence.chunks(1001 * 2) {
            d.push(chunk);
        }
        let a = d.finish();
        assert_eq!(a.probability.len(), 300);
        assert!(a.probability.iter().all(|&p| p < 0.5));
        assert!(a.segments(0.5).is_empty());
    }

    #[test]
    fn segments_are_runs_above_the_threshold() {
        let a = SpeechActivity { probability: vec![0.0, 0.9, 0.8, 0.1, 0.6] };
        assert_eq!(a.segments(0.5), vec![(1, 3), (4, 5)]);
    }
}
