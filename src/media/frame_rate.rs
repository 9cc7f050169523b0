//! A video track's frame rate, read from its presentation timestamps: the nominal rate an editor
//! would name (`30000/1001`, `25`), the average over the whole track, and whether frames come at
//! a steady pace. Containers rarely state a rate (MP4 never does), so the timestamps are the truth.

use super::{Track, TrackKind};
use crate::time::Rate;

/// What [`frame_rate`] finds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameRate {
    /// The rate of the track's usual frame duration, as an exact fraction: the broadcast rates
    /// (`24000/1001`, `25`, `30000/1001`, …) when the timestamps fit one, else the simplest
    /// fraction within their rounding.
    pub nominal: Rate,
    /// Frames per second over the track: presented frames divided by the time they cover.
    pub average: f64,
    /// Some frame is held longer or shorter than the nominal duration by more than the
    /// timestamps' rounding (dropped frames, screen recordings, phone cameras).
    pub variable: bool,
}

/// The frame rate of a video track, or None for other tracks and tracks of fewer than two
/// presented frames with no usable duration.
pub fn frame_rate(track: &Track) -> Option<FrameRate> {
    if track.kind != TrackKind::Video || track.timescale == 0 {
        return None;
    }
    let mut pts: Vec<i64> = track.samples.iter().filter(|s| s.pts >= 0).map(|s| s.pts).collect();
    pts.sort_unstable();
    pts.dedup();
    let scale = track.timescale as f64;
    let end = track.end().value();
    let frames = pts.len();
    let first = *pts.first()?;
    let span = (end - first) as f64;
    let average = if span > 0.0 { frames as f64 * scale / span } else { 0.0 };
    let deltas: Vec<i64> = pts.windows(2).map(|w| w[1] - w[0]).collect();
    if deltas.is_empty() {
        if span <= 0.0 {
            return None;
        }
        // One frame: its own duration is all there is to go by.
        let nominal = nominal_rate(scale / span, 1.0 / span).ok()?;
        return Some(FrameRate { nominal, average, variable: false });
    }
    let mut sorted = deltas.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    // Timestamps rounded to whole ticks move each frame duration by up to one tick; the usual
    // duration is the mean of the durations within that of the median.
    let usual: Vec<i64> = sorted.iter().copied().filter(|d| (d - median).abs() <= 1).collect();
    let usual_sum: i64 = usual.iter().sum();
    let fps = usual.len() as f64 * scale / usual_sum as f64;
    let nominal = nominal_rate(fps, 1.5 / usual_sum as f64).ok()?;
    let frame = scale * nominal.den as f64 / nominal.num as f64;
    let variable = deltas.iter().any(|&d| (d as f64 - frame).abs() > 1.0 + frame * 1e-3);
    Some(FrameRate { nominal, average, variable })
}

/// `fps` as an exact rate: a whole or NTSC (`n·1000/1001`) rate when one is within the relative
/// tolerance `tol` (the nearer of the two when both are), else the simplest fraction within it.
fn nominal_rate(fps: f64, tol: f64) -> Result<Rate, crate::time::TimeError> {
    let tol = tol.max(1e-6);
    let whole = fps.round().max(1.0);
    let ntsc = (fps * 1.001).round().max(1.0);
    let candidates = [(whole as u32, 1), (ntsc as u32 * 1000, 1001)];
    let off = |(n, d): (u32, u32)| (fps - n as f64 / d as f64).abs() / fps;
    let best = candidates.into_iter().min_by(|a, b| off(*a).total_cmp(&off(*b)));
    if let Some(best) = best.filter(|c| off(*c) <= tol) {
        return Rate::new(best.0, best.1);
    }
    // Continued-fraction convergents: the first one close enough is the simplest fraction.
    let (mut h0, mut h1, mut k0, mut k1) = (0u64, 1u64, 1u64, 0u64);
    let mut x = fps;
    loop {
        let a = x.floor();
        let (h2, k2) = (a as u64 * h1 + h0, a as u64 * k1 + k0);
        if h2 > u32::MAX as u64 || k2 > u32::MAX as u64 {
            break;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if (fps - h1 as f64 / k1 as f64).abs() / fps <= tol || x - a < 1e-9 {
            break;
        }
        x = 1.0 / (x - a);
    }
    Rate::new(h1 as u32, k1 as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::Sample;

    fn track(timescale: u32, pts: &[i64], last: u32) -> Track {
        let mut t = Track::new(1, TrackKind::Video, timescale);
        for (i, &p) in pts.iter().enumerate() {
            let duration = pts.get(i + 1).map_or(last, |n| (n - p) as u32);
            t.samples.push(Sample {
                dts: p,
                pts: p,
                duration,
                offset: 0,
                size: 1,
                keyframe: i == 0,
                decode_start: i == 0,
                depends: Default::default(),
                description: 0,
                discard_padding_ns: 0,
                addition: None,
            });
        }
        t
    }

    fn steady(timescale: u32, num: i64, den: i64, n: i64) -> Track {
        // Frame i at i·den/num seconds, rounded to the nearest tick.
        let pts: Vec<i64> =
            (0..n).map(|i| (i * den * timescale as i64 * 2 + num) / (2 * num)).collect();
        track(timescale, &pts, (den * timescale as i64 / num) as u32)
    }

    #[test]
    fn ntsc_in_millisecond_ticks_is_30000_1001() {
        let r = frame_rate(&steady(1000, 30000, 1001, 300)).unwrap();
        assert_eq!(r.nominal, Rate::new(30000, 1001).unwrap());
        assert!(!r.variable);
        assert!((r.average - 29.97).abs() < 0.01, "{}", r.average);
    }

    #[test]
    fn whole_rates_in_any_timescale() {
        for (scale, fps) in [(1000, 30), (12800, 25), (90000, 24), (15360, 60), (1000, 25)] {
            let r = frame_rate(&steady(scale, fps, 1, 100)).unwrap();
            assert_eq!(r.nominal, Rate::new(fps as u32, 1).unwrap(), "{scale} {fps}");
            assert!(!r.variable, "{scale} {fps}");
        }
    }

    #[test]
    fn a_dropped_frame_makes_it_variable_and_keeps_the_nominal_rate() {
        let mut t = steady(12800, 25, 1, 50);
        t.samples.remove(20);
        let r = frame_rate(&t).unwrap();
        assert_eq!(r.nominal, Rate::new(25, 1).unwrap());
        assert!(r.variable);
        assert!(r.average < 25.0);
    }

    #[test]
    fn an_odd_rate_is_the_simplest_fraction() {
        // 29.25 fps (117/4) at 90 kHz: 3076.9 ticks a frame.
        let r = frame_rate(&steady(90000, 117, 4, 200)).unwrap();
        assert_eq!(r.nominal, Rate::new(117, 4).unwrap());
    }

    #[test]
    fn audio_and_empty_tracks_have_none() {
        assert_eq!(frame_rate(&Track::new(1, TrackKind::Audio, 48000)), None);
        assert_eq!(frame_rate(&track(1000, &[], 0)), None);
        // One frame of 40 ms: 25 fps.
        assert_eq!(frame_rate(&track(1000, &[0], 40)).unwrap().nominal, Rate::new(25, 1).unwrap());
    }
}
