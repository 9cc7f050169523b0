//! Shot changes (hard cuts) from small gray frames: how much each frame differs from the one
//! before once motion is allowed for, judged against its neighbours (an adaptive threshold), with
//! flashes told apart from cuts and off-cadence keyframes taken as a hint. Plain Rust: the browser
//! feeds WebCodecs frames scaled down, the tests feed ffmpeg's `format=gray` output.

use crate::media::Track;
use crate::Time;

/// Block side (pixels) of the motion search, and how far (pixels) a block may move between
/// frames. At the 64-pixel-wide frames the browser feeds, 4 pixels is 1/16 of the width a frame:
/// a fast pan, not a cut.
const BLOCK: usize = 8;
const REACH: isize = 4;

/// Neighbours on each side whose mean change is the baseline a cut must stand out from.
const WINDOW: usize = 2;
/// A cut changes at least `RATIO` times its neighbours' mean, and at least `FLOOR` gray levels
/// per pixel (after motion): below that, a steady shot's noise or a slow fade.
const RATIO: f32 = 3.0;
const FLOOR: f32 = 9.0;
/// Where the encoder put a keyframe off its cadence (its own scene-cut detection), the bar is
/// lower, never gone: the pixels must still show a change.
const HINT_RATIO: f32 = 2.0;
const HINT_FLOOR: f32 = 6.0;
/// A flash: within this many frames the picture comes back to what it was before.
const FLASH_FRAMES: usize = 5;
/// Shots shorter than this (frames) are merged: two candidates this close keep the stronger.
const MIN_SHOT: usize = 8;

/// Feeds frames of one size in presentation order; [`ShotDetector::finish`] gives the cuts.
pub struct ShotDetector {
    width: usize,
    height: usize,
    prev: Option<Vec<u8>>,
    /// Per frame: its time, its change from the frame before (0 for the first), the hint.
    frames: Vec<(Time, f32, bool)>,
    /// Candidates whose flash test is still open: (frame, the frame before it).
    open: Vec<(usize, Vec<u8>)>,
    /// Candidate frames that turned out to be a flash, with the frame the picture came back at.
    flashes: Vec<(usize, usize)>,
}

impl ShotDetector {
    /// Frames will be `width × height` bytes of luma, rows packed.
    pub fn new(width: usize, height: usize) -> ShotDetector {
        ShotDetector {
            width: width.max(1),
            height: height.max(1),
            prev: None,
            frames: Vec::new(),
            open: Vec::new(),
            flashes: Vec::new(),
        }
    }

    /// One frame (`width × height` luma bytes; a shorter slice is padded with black) shown at
    /// `time`; `hint` when the encoder made it a keyframe off its cadence ([`off_cadence`]).
    pub fn push(&mut self, luma: &[u8], time: Time, hint: bool) {
        let n = self.width * self.height;
        let mut frame = luma[..luma.len().min(n)].to_vec();
        frame.resize(n, 0);
        let i = self.frames.len();
        let change = self.prev.as_ref().map_or(0.0, |p| self.change(p, &frame));
        // The flash test of the candidates still open: does this frame look like before?
        let mut k = 0;
        while k < self.open.len() {
            let (c, before) = &self.open[k];
            let cut = self.frames[*c].1;
            let back = self.change(before, &frame);
            if back < FLOOR && back * 3.0 < cut {
                self.flashes.push((*c, i));
                self.open.remove(k);
            } else if i >= c + FLASH_FRAMES {
                self.open.remove(k);
            } else {
                k += 1;
            }
        }
        let floor = if hint { HINT_FLOOR } else { FLOOR };
        if let Some(p) = self.prev.take() {
            if change >= floor && self.open.len() < FLASH_FRAMES {
                self.open.push((i, p));
            }
        }
        self.frames.push((time, change, hint));
        self.prev = Some(frame);
    }

    /// Mean absolute difference per pixel from `a` to `b`, each block of `b` matched where it
    /// fits `a` best within `REACH` pixels: a pan or a moving object costs little, a new
    /// picture a lot.
    fn change(&self, a: &[u8], b: &[u8]) -> f32 {
        let (w, h) = (self.width, self.height);
        let mut total = 0u64;
        for by in (0..h).step_by(BLOCK) {
            for bx in (0..w).step_by(BLOCK) {
                let (bw, bh) = (BLOCK.min(w - bx), BLOCK.min(h - by));
                // Still first: most blocks of a shot barely move, and a low first best lets
                // every other offset stop early.
                let mut best = (0..bh)
                    .map(|y| {
                        let (ra, rb) =
                            (&a[(by + y) * w + bx..][..bw], &b[(by + y) * w + bx..][..bw]);
                        ra.iter().zip(rb).map(|(&p, &q)| p.abs_diff(q) as u64).sum::<u64>()
                    })
                    .sum::<u64>();
                for dy in -REACH..=REACH {
                    let y0 = by as isize + dy;
                    if y0 < 0 || y0 as usize + bh > h {
                        continue;
                    }
                    for dx in -REACH..=REACH {
                        let x0 = bx as isize + dx;
                        if x0 < 0 || x0 as usize + bw > w {
                            continue;
                        }
                        let (x0, y0) = (x0 as usize, y0 as usize);
                        let mut sad = 0u64;
                        for y in 0..bh {
                            let ra = &a[(y0 + y) * w + x0..][..bw];
                            let rb = &b[(by + y) * w + bx..][..bw];
                            sad +=
                                ra.iter().zip(rb).map(|(&p, &q)| p.abs_diff(q) as u64).sum::<u64>();
                            if sad >= best {
                                break;
                            }
                        }
                        best = best.min(sad);
                    }
                }
                total += best;
            }
        }
        total as f32 / (w * h) as f32
    }

    /// The presentation times of the first frames of every shot but the first.
    pub fn finish(self) -> Vec<Time> {
        let f = &self.frames;
        let flashed = |i: usize| self.flashes.iter().any(|&(a, b)| a <= i && i <= b);
        let mean = |r: std::ops::Range<usize>| {
            let n = r.len().max(1) as f32;
            r.map(|k| f[k].1).sum::<f32>() / n
        };
        // (frame, strength) of each accepted cut.
        let mut cuts: Vec<(usize, f32)> = Vec::new();
        for i in 1..f.len() {
            let (_, change, hint) = f[i];
            let (ratio, floor) = if hint { (HINT_RATIO, HINT_FLOOR) } else { (RATIO, FLOOR) };
            if change < floor || flashed(i) {
                continue;
            }
            let before = mean(i.saturating_sub(WINDOW).max(1)..i);
            let after = mean(i + 1..(i + 1 + WINDOW).min(f.len()));
            let sides = match (i > 1, i + 1 < f.len()) {
                (true, true) => (before + after) / 2.0,
                (true, false) => before,
                (false, true) => after,
                (false, false) => 0.0,
            };
            // A steady shot changes by well under a gray level: keep the ratio finite.
            let strength = change / sides.max(1.0);
            let peak = f[i - 1].1 <= change && f.get(i + 1).is_none_or(|n| n.1 <= change);
            if strength < ratio || !peak {
                continue;
            }
            match cuts.last_mut() {
                Some(last) if i - last.0 < MIN_SHOT => {
                    if strength > last.1 {
                        *last = (i, strength);
                    }
                }
                _ => cuts.push((i, strength)),
            }
        }
        cuts.into_iter().map(|(i, _)| f[i].0).collect()
    }
}

/// Which frames (presentation order, `keyframe` flags) are keyframes off the encoder's regular
/// cadence: sooner after the keyframe before them than the usual distance (the most common one,
/// seen at least twice). An encoder puts those where it saw a scene change.
pub fn off_cadence(keyframe: &[bool]) -> Vec<bool> {
    let keys: Vec<usize> = (0..keyframe.len()).filter(|&i| keyframe[i]).collect();
    let gaps: Vec<usize> = keys.windows(2).map(|w| w[1] - w[0]).collect();
    let mut counted: Vec<(usize, usize)> = Vec::new();
    for &g in &gaps {
        match counted.iter_mut().find(|c| c.0 == g) {
            Some(c) => c.1 += 1,
            None => counted.push((g, 1)),
        }
    }
    let cadence = counted.iter().filter(|c| c.1 >= 2).max_by_key(|c| (c.1, c.0)).map(|c| c.0);
    let mut out = vec![false; keyframe.len()];
    if let Some(cadence) = cadence {
        for (w, g) in keys.windows(2).zip(gaps) {
            out[w[1]] = g < cadence;
        }
    }
    out
}

/// A frame of a video track as the detector takes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    /// Index into the track's samples (decode order).
    pub sample: usize,
    /// From the first presented frame, as `probe`'s keyframe times count.
    pub time: Time,
    /// A keyframe off the encoder's cadence.
    pub hint: bool,
}

/// The presented frames of `track` (edit-list hidden ones left out) in presentation order.
pub fn shown(track: &Track) -> Vec<Shown> {
    let order: Vec<usize> =
        track.presentation_order().into_iter().filter(|&k| track.samples[k].pts >= 0).collect();
    let keys: Vec<bool> = order.iter().map(|&k| track.samples[k].keyframe).collect();
    let first = order.first().map_or(0, |&k| track.samples[k].pts);
    order
        .iter()
        .zip(off_cadence(&keys))
        .map(|(&k, hint)| Shown {
            sample: k,
            time: Time::new(track.samples[k].pts - first, track.timescale),
            hint,
        })
        .collect()
}

/// How a decoded picture's first plane holds its pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pixels {
    /// One byte of luma a pixel (I420, NV12, I444 and their alpha forms).
    Luma8,
    /// Two bytes of luma a pixel, little-endian, `bits` of them used (I420P10, …).
    Luma16 { bits: u32 },
    /// Four bytes a pixel: R, G, B, A (or X).
    Rgba,
    /// Four bytes a pixel: B, G, R, A (or X).
    Bgra,
}

/// Full-range luma of `plane` (`stride` bytes a row) averaged down to `out_w × out_h`: each
/// output pixel is the mean of up to 8 × 8 points spread over its box, so that a 1080p frame
/// costs a few hundred thousand reads, not two million.
pub fn downscale(
    plane: &[u8],
    pixels: Pixels,
    (width, height, stride): (usize, usize, usize),
    (out_w, out_h): (usize, usize),
) -> Vec<u8> {
    let mut out = vec![0u8; out_w * out_h];
    let bytes = match pixels {
        Pixels::Luma8 => 1,
        Pixels::Luma16 { .. } => 2,
        Pixels::Rgba | Pixels::Bgra => 4,
    };
    let value = |p: &[u8]| -> u32 {
        match pixels {
            Pixels::Luma8 => p[0] as u32,
            Pixels::Luma16 { bits } => {
                (u16::from_le_bytes([p[0], p[1]]) as u32) >> bits.saturating_sub(8)
            }
            Pixels::Rgba | Pixels::Bgra => {
                let (r, b) = if pixels == Pixels::Rgba { (p[0], p[2]) } else { (p[2], p[0]) };
                (77 * r as u32 + 150 * p[1] as u32 + 29 * b as u32 + 128) >> 8
            }
        }
    };
    if width == 0 || height == 0 {
        return out;
    }
    let span = |o: usize, n: usize, size: usize| {
        let (a, b) = (o * size / n, ((o + 1) * size / n).max(o * size / n + 1).min(size));
        (a, b, (b - a).div_ceil(8).max(1))
    };
    for oy in 0..out_h {
        let (y0, y1, sy) = span(oy, out_h, height);
        for ox in 0..out_w {
            let (x0, x1, sx) = span(ox, out_w, width);
            let (mut sum, mut n) = (0u32, 0u32);
            for y in (y0..y1).step_by(sy) {
                // One slice a row, read in steps: no bounds check per point.
                let row =
                    plane.get(y * stride + x0 * bytes..y * stride + x1 * bytes).unwrap_or(&[]);
                for p in row.chunks_exact(bytes).step_by(sx) {
                    sum += value(p);
                    n += 1;
                }
            }
            out[oy * out_w + ox] = (sum + n / 2).checked_div(n).unwrap_or(0).min(255) as u8;
        }
    }
    out
}

/// Limited-range (video) luma, 16–235, stretched to 0–255 in place: what ffmpeg's `format=gray`
/// gives, so that the thresholds mean the same in the browser as in the native tests.
pub fn full_range(luma: &mut [u8]) {
    for y in luma {
        *y = ((y.saturating_sub(16) as u32 * 255 + 109) / 219).min(255) as u8;
    }
}

/// Full-range luma (BT.601 weights) of packed RGBA pixels: what ffmpeg's `format=gray` gives
/// for the same picture, so that native tests and the browser see the same levels.
pub fn luma_of_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32 + 128) >> 8) as u8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: u8) -> Vec<u8> {
        vec![v; 64 * 36]
    }

    fn detect(frames: &[Vec<u8>], hints: &[usize]) -> Vec<i64> {
        let mut d = ShotDetector::new(64, 36);
        for (i, f) in frames.iter().enumerate() {
            d.push(f, Time::new(i as i64, 25), hints.contains(&i));
        }
        d.finish().into_iter().map(|t| t.value()).collect()
    }

    #[test]
    fn a_cut_between_flat_pictures_is_found_on_its_frame() {
        let frames: Vec<_> = (0..40).map(|i| flat(if i < 20 { 40 } else { 200 })).collect();
        assert_eq!(detect(&frames, &[]), vec![20]);
    }

    #[test]
    fn a_flash_is_no_cut() {
        let frames: Vec<_> =
            (0..40).map(|i| flat(if (20..23).contains(&i) { 255 } else { 60 })).collect();
        assert_eq!(detect(&frames, &[]), Vec::<i64>::new());
    }

    #[test]
    fn a_hint_lowers_the_bar_but_does_not_decide() {
        // A 7-level step: under the plain floor, over the hinted one.
        let frames: Vec<_> = (0..40).map(|i| flat(if i < 20 { 100 } else { 107 })).collect();
        assert_eq!(detect(&frames, &[]), Vec::<i64>::new());
        assert_eq!(detect(&frames, &[20]), vec![20]);
        // A hint on a frame that does not change is no cut.
        assert_eq!(detect(&frames, &[10]), Vec::<i64>::new());
    }

    #[test]
    fn keyframes_off_the_cadence_are_hints() {
        let mut k = vec![false; 200];
        for i in [0, 50, 100, 130, 180] {
            k[i] = true;
        }
        let hints: Vec<usize> = (0..200).filter(|&i| off_cadence(&k)[i]).collect();
        assert_eq!(hints, vec![130]);
        // Without a cadence seen twice, no hints.
        assert!(off_cadence(&[true, false, true, true]).iter().all(|h| !h));
    }

    #[test]
    fn downscale_averages_boxes() {
        let plane: Vec<u8> = (0..16).map(|i| if i % 4 < 2 { 0 } else { 200 }).collect();
        assert_eq!(downscale(&plane, Pixels::Luma8, (4, 4, 4), (2, 2)), vec![0, 200, 0, 200]);
        // 10-bit: 800 of 1023 is 200 of 255; BGRA white is 255.
        let wide: Vec<u8> = [800u16; 4].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(downscale(&wide, Pixels::Luma16 { bits: 10 }, (2, 2, 4), (1, 1)), vec![200]);
        assert_eq!(downscale(&[255; 16], Pixels::Bgra, (2, 2, 8), (1, 1)), vec![255]);
        // A big box is sampled, not read whole, and still averages it.
        let big: Vec<u8> =
            (0..1920 * 1080).map(|i| if (i % 1920) < 960 { 10 } else { 250 }).collect();
        assert_eq!(downscale(&big, Pixels::Luma8, (1920, 1080, 1920), (2, 1)), vec![10, 250]);
        let mut video = [16, 235, 126, 0, 255];
        full_range(&mut video);
        assert_eq!(video, [0, 255, 128, 0, 255]);
        assert_eq!(luma_of_rgba(&[255, 255, 255, 255, 0, 0, 0, 255]), vec![255, 0]);
    }
}
