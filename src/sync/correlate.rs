//! Global offset and frame-rate ratio: FFT cross-correlation of the speech track against the
//! captions' on/off track, over every offset at once (no bounded search), for each frame-rate
//! ratio between two of the common rates, refined continuously when one clearly beats 1.

use rustfft::algorithm::Radix4;
use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftDirection};

/// The frame rates captions are commonly timed at; every ratio between two of them is tried.
const RATES: [f64; 5] = [24_000.0 / 1001.0, 24.0, 25.0, 30_000.0 / 1001.0, 30.0];

/// A ratio other than 1 must beat 1's normalised score by this factor and margin: a false
/// rescale damages every cue, so 1 wins ties and near-ties.
const RATIO_FACTOR: f64 = 1.03;
const RATIO_MARGIN: f64 = 0.005;

impl Fit {
    /// How far the peak at `offset` (within ±`NEAR` steps) stands above the best score farther
    /// than `radius` steps from it, in standard deviations of the scores there. Captions that
    /// match the speech have one peak that no other offset comes near, whatever the noise under
    /// the speech; another programme's captions, placed as well as they can be, peak no higher
    /// than many other offsets.
    ///
    /// `echo` is the caption track's own normalised autocorrelation by lag ([`echo`]): where
    /// the captions resemble themselves shifted (a programme that repeats, a looped recording),
    /// the speech matches them there too, so that much of the peak is expected of a rival and
    /// is taken from it before the comparison.
    pub fn standout(&self, offset: i64, radius: usize, echo: &[f32]) -> f64 {
        const NEAR: usize = 10;
        if self.scores.is_empty() {
            return 0.0;
        }
        let centre = (offset - self.first).clamp(0, self.scores.len() as i64 - 1) as usize;
        let near = centre.saturating_sub(NEAR)..=(centre + NEAR).min(self.scores.len() - 1);
        let peak = self.scores[near].iter().copied().fold(f32::MIN, f32::max) as f64;
        let far = || self.scores.iter().enumerate().filter(|(i, _)| i.abs_diff(centre) > radius);
        let (mut n, mut sum, mut sq) = (0.0f64, 0.0f64, 0.0f64);
        for (_, &v) in far() {
            n += 1.0;
            sum += v as f64;
            sq += v as f64 * v as f64;
        }
        let mean = sum / n.max(1.0);
        let sd = (sq / n.max(1.0) - mean * mean).max(0.0).sqrt();
        if n < 2.0 || sd == 0.0 {
            return 0.0;
        }
        let rival = far()
            .map(|(i, &v)| {
                let rho = echo.get(i.abs_diff(centre)).copied().unwrap_or(0.0) as f64;
                v as f64 - (peak - mean) * rho
            })
            .fold(f64::MIN, f64::max);
        (peak - rival) / sd
    }
}

/// Echoes below this share of the track's own peak are chance overlaps of any two caption
/// tracks, not repetition, and are ignored: counting them would lift another programme's
/// captions too.
const MIN_ECHO: f32 = 0.3;

/// The caption track of `spans` (at `ratio`) against itself: by lag in steps, the share of its
/// own peak it reaches shifted by that lag, above its mean; 0 where under [`MIN_ECHO`].
pub fn echo(spans: &[Span], ratio: f64) -> Vec<f32> {
    let (track, _) = caption_track(spans, ratio);
    let len = track.len();
    if len == 0 {
        return vec![];
    }
    let n = (2 * len).next_power_of_two().max(64);
    let fft = Radix4::new(n, FftDirection::Forward);
    let inverse = Radix4::new(n, FftDirection::Inverse);
    let mut spec = complex(&track, n);
    fft.process(&mut spec);
    for c in &mut spec {
        *c = Complex32::new(c.norm_sqr(), 0.0);
    }
    inverse.process(&mut spec);
    let auto: Vec<f32> = spec[..len].iter().map(|c| c.re).collect();
    let mean = auto.iter().skip(len / 100).copied().sum::<f32>() / (len - len / 100).max(1) as f32;
    let top = auto[0] - mean;
    if top <= 0.0 {
        return vec![0.0; len];
    }
    auto.iter()
        .map(|&v| {
            let rho = (v - mean) / top;
            if rho >= MIN_ECHO {
                rho
            } else {
                0.0
            }
        })
        .collect()
}

/// A caption span in 10 ms steps of caption time (start inclusive, end exclusive).
pub type Span = (i64, i64);

/// Every distinct ratio a/b between two of [`RATES`], 1 first.
pub fn candidate_ratios() -> Vec<f64> {
    let mut out = vec![1.0];
    for a in RATES {
        for b in RATES {
            let r = a / b;
            if out.iter().all(|&o: &f64| (o - r).abs() > 1e-9) {
                out.push(r);
            }
        }
    }
    out
}

/// The cross-correlation of one audio track against caption tracks at several ratios; the
/// audio's spectrum is computed once.
///
/// NOTE: one power-of-two `Radix4` FFT each way, not a planner (rustfft's, or realfft's real
/// FFT over it): a planner links every algorithm it might choose (Bluestein, Rader, mixed radix,
/// the prime butterflies), which measured 163 kB gzipped for sync in the package, over its size
/// budget. The lengths here are powers of two anyway; a complex FFT of real data costs about
/// twice a real one, a few FFTs per alignment.
pub struct Correlator {
    n: usize,
    audio_len: usize,
    spectrum: Vec<Complex32>,
    forward: Radix4<f32>,
    inverse: Radix4<f32>,
}

/// Real values as complex ones, zero-padded to `n`.
fn complex(values: &[f32], n: usize) -> Vec<Complex32> {
    let mut buf = vec![Complex32::new(0.0, 0.0); n];
    for (b, &v) in buf.iter_mut().zip(values) {
        b.re = v;
    }
    buf
}

/// The best offset at one ratio, with the correlation kept for finding split candidates.
pub struct Fit {
    pub ratio: f64,
    /// Steps added to the scaled caption time.
    pub offset: i64,
    /// Score per step of the caption track, in [-1, 1].
    pub normalised: f64,
    /// Raw correlation by offset: index `k` is offset `k - first`.
    pub scores: Vec<f32>,
    pub first: i64,
}

impl Correlator {
    /// `audio` holds one value per step, positive for speech and negative for silence;
    /// `max_caption_len` bounds the caption tracks to come (in steps).
    pub fn new(audio: &[f32], max_caption_len: usize) -> Correlator {
        let n = (audio.len() + max_caption_len + 1).next_power_of_two().max(64);
        let forward = Radix4::new(n, FftDirection::Forward);
        let inverse = Radix4::new(n, FftDirection::Inverse);
        let mut spectrum = complex(audio, n);
        forward.process(&mut spectrum);
        Correlator { n, audio_len: audio.len(), spectrum, forward, inverse }
    }

    /// Correlates the caption track made from `spans` scaled by `ratio`: the score of offset d is
    /// Σ c[i]·a[i + d], for every d from -(caption length) to the audio's length.
    pub fn fit(&mut self, spans: &[Span], ratio: f64) -> Fit {
        let (track, origin) = caption_track(spans, ratio);
        let len = track.len().min(self.n - self.audio_len);
        let mut spec = complex(&track[..len], self.n);
        self.forward.process(&mut spec);
        for (c, a) in spec.iter_mut().zip(&self.spectrum) {
            *c = *a * c.conj();
        }
        self.inverse.process(&mut spec);
        let buf: Vec<f32> = spec.iter().map(|c| c.re).collect();
        let scale = 1.0 / self.n as f32;
        // Offsets -(len-1) ..= audio_len-1 sit at the end then the start of the circular result.
        let before = len.saturating_sub(1);
        let first = -(before as i64);
        let mut scores = Vec::with_capacity(len + self.audio_len);
        scores.extend(buf[self.n - before..].iter().map(|v| v * scale));
        scores.extend(buf[..self.audio_len].iter().map(|v| v * scale));
        let (best, &value) =
            scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap_or((0, &0.0));
        Fit {
            ratio,
            // The track starts at `origin` steps of scaled time.
            offset: best as i64 + first - origin,
            normalised: value as f64 / len.max(1) as f64,
            scores,
            first: first - origin,
        }
    }

    /// The ratio and offset that fit best: 1 unless another ratio clearly beats it, and then
    /// refined by golden-section search around that ratio.
    pub fn best(&mut self, spans: &[Span], try_ratios: bool) -> Fit {
        let unit = self.fit(spans, 1.0);
        if !try_ratios {
            return unit;
        }
        let mut best: Option<Fit> = None;
        for r in candidate_ratios().into_iter().skip(1) {
            let f = self.fit(spans, r);
            if best.as_ref().is_none_or(|b| f.normalised > b.normalised) {
                best = Some(f);
            }
        }
        match best {
            Some(b) if b.normalised > unit.normalised * RATIO_FACTOR + RATIO_MARGIN => {
                self.refine(spans, b)
            }
            _ => unit,
        }
    }

    fn refine(&mut self, spans: &[Span], fit: Fit) -> Fit {
        // ±0.3% around the rate pair: wider than any pair's neighbour distance would reach.
        let (mut lo, mut hi) = (fit.ratio * 0.997, fit.ratio * 1.003);
        let g = 0.618_034;
        let mut best = fit;
        let mut x1 = hi - g * (hi - lo);
        let mut x2 = lo + g * (hi - lo);
        let mut f1 = self.fit(spans, x1);
        let mut f2 = self.fit(spans, x2);
        for _ in 0..10 {
            if f1.normalised >= f2.normalised {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - g * (hi - lo);
                f1 = self.fit(spans, x1);
            } else {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + g * (hi - lo);
                f2 = self.fit(spans, x2);
            }
        }
        for f in [f1, f2] {
            if f.normalised > best.normalised {
                best = f;
            }
        }
        best
    }
}

/// How far around a cue the silence counts: a short gap says "no speech here", while the middle
/// of a long gap (a scene without dialogue, or where material was cut) says little, and weighing
/// it would pull stretches on either side of a split towards one offset.
const GAP_STEPS: i64 = 100;

/// +1 inside a cue, -1 within [`GAP_STEPS`] of one, 0 elsewhere, from the first cue's scaled start
/// to the last one's end; returns the track and the scaled step it starts at.
pub fn caption_track(spans: &[Span], ratio: f64) -> (Vec<f32>, i64) {
    let scaled: Vec<Span> = spans.iter().map(|&(s, e)| scale_span((s, e), ratio)).collect();
    let start = scaled.iter().map(|s| s.0).min().unwrap_or(0);
    let end = scaled.iter().map(|s| s.1).max().unwrap_or(0);
    let len = (end - start).max(0);
    let mut track = vec![0.0f32; len as usize];
    for &(s, e) in &scaled {
        let (a, b) = ((s - start - GAP_STEPS).max(0), (e - start + GAP_STEPS).min(len));
        for v in &mut track[a as usize..b as usize] {
            *v = -1.0;
        }
    }
    for (s, e) in scaled {
        for v in &mut track[(s - start) as usize..(e - start) as usize] {
            *v = 1.0;
        }
    }
    (track, start)
}

/// A span in caption steps, scaled by `ratio` about time zero.
pub fn scale_span((s, e): Span, ratio: f64) -> Span {
    let s2 = (s as f64 * ratio).round() as i64;
    let e2 = ((e as f64 * ratio).round() as i64).max(s2 + 1);
    (s2, e2)
}

/// Local maxima of a fit's scores, highest first, at least `radius` steps apart: the offsets
/// that stretches of the captions may each have (splits).
pub fn peaks(fit: &Fit, count: usize, radius: usize) -> Vec<i64> {
    let s = &fit.scores;
    let mut order: Vec<usize> = (0..s.len())
        .filter(|&i| (i == 0 || s[i] >= s[i - 1]) && (i + 1 == s.len() || s[i] > s[i + 1]))
        .collect();
    crate::sort::sort_by(&mut order, |&a, &b| s[b].total_cmp(&s[a]));
    let mut out: Vec<usize> = Vec::new();
    for i in order {
        if out.iter().all(|&o| o.abs_diff(i) > radius) {
            out.push(i);
            if out.len() == count {
                break;
            }
        }
    }
    out.into_iter().map(|i| i as i64 + fit.first).collect()
}

#[cfg(test)]
mod tests_support {
    use super::*;
    /// Speech where the spans say, shifted by `shift` steps and scaled by `ratio`.
    pub fn audio_for(spans: &[Span], ratio: f64, shift: i64, len: usize) -> Vec<f32> {
        let mut a = vec![-1.0f32; len];
        for &sp in spans {
            let (s, e) = scale_span(sp, ratio);
            for i in (s + shift).max(0)..(e + shift).min(len as i64) {
                a[i as usize] = 1.0;
            }
        }
        a
    }

    /// Irregular cues up to `until` steps, as dialogue is.
    pub fn spans(until: i64) -> Vec<Span> {
        let mut out = vec![];
        let mut t = 300i64;
        let mut seed = 7u64;
        while t < until {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = 80 + (seed >> 33) as i64 % 300;
            let gap = 30 + (seed >> 45) as i64 % 250;
            out.push((t, t + len));
            t += len + gap;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;

    #[test]
    fn finds_offsets_of_any_size_either_way() {
        let sp = spans(20_000);
        for shift in [0i64, 37, -4_210, 9_000, -12_500] {
            // Captions run from 3 s to 200 s; put them inside an audio track 10 minutes long.
            let base = 15_000;
            let audio = audio_for(&sp, 1.0, base + shift, 60_000);
            let mut c = Correlator::new(&audio, 40_000);
            let fit = c.best(&sp, false);
            assert_eq!(fit.offset, base + shift);
        }
    }

    #[test]
    fn finds_every_rate_pair_and_never_rescales_without_cause() {
        for r in candidate_ratios() {
            // Long enough for the ratio to drift the captions by a second or more (24/23.976 needs
            // 200 s), and no longer, for speed.
            let until = ((100.0 / (r - 1.0).abs()) as i64).clamp(8_000, 20_000);
            let sp = spans(until);
            let len = (until as f64 * 1.3) as usize + 600;
            let audio = audio_for(&sp, r, 500, len);
            let mut c = Correlator::new(&audio, len);
            let fit = c.best(&sp, true);
            assert!((fit.ratio - r).abs() < 2e-4, "ratio {r}: got {}", fit.ratio);
            if r == 1.0 {
                assert_eq!(fit.ratio, 1.0);
                assert_eq!(fit.offset, 500);
            }
        }
    }

    #[test]
    fn peaks_are_apart_and_best_first() {
        let fit = Fit {
            ratio: 1.0,
            offset: 0,
            normalised: 0.0,
            scores: vec![0.0, 1.0, 0.5, 0.9, 0.0, 3.0, 0.0],
            first: -2,
        };
        assert_eq!(peaks(&fit, 3, 1), vec![3, -1, 1]);
    }
}
