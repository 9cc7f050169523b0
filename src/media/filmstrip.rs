//! Which frames a filmstrip shows and what must be decoded for them: evenly spaced times (a
//! count, or an interval), each shown by the frame on screen then, or by the nearest keyframe
//! when only keyframes may be decoded. The decoding itself is the browser's.

use super::Track;
use crate::shots::{shown, Shown};
use crate::Time;

/// How the thumbnails are spaced over the track.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Spacing {
    /// This many, the first at 0 and one every `duration / count`.
    Count(u32),
    /// One at 0 and one every this long while inside the track.
    Every(Time),
}

/// What to decode for a filmstrip.
#[derive(Clone, Debug, PartialEq)]
pub struct Filmstrip {
    /// The frame each thumbnail shows, in thumbnail order (a frame may serve several).
    pub picks: Vec<Shown>,
    /// Decode-order sample ranges (inclusive), each starting at a decode-start keyframe, fed in
    /// order with the decoder flushed after each: everything the picks need and nothing more.
    pub runs: Vec<(usize, usize)>,
}

/// The most thumbnails one call makes: past it a filmstrip is a decode of the whole file.
pub const MAX_THUMBNAILS: u64 = 10_000;

/// Plans the filmstrip of `track`; `keyframes_only` picks the keyframe nearest each time and
/// decodes each alone. `None` when an interval would make more than [`MAX_THUMBNAILS`].
pub fn plan_filmstrip(track: &Track, spacing: Spacing, keyframes_only: bool) -> Option<Filmstrip> {
    let frames = shown(track);
    let Some(last) = frames.last() else {
        return Some(Filmstrip { picks: Vec::new(), runs: Vec::new() });
    };
    let end = last.time + Time::new(track.samples[last.sample].duration as i64, track.timescale);
    let times: Vec<Time> = match spacing {
        Spacing::Count(n) => (0..n as i64).map(|k| end.mul_ratio(k, n as i64)).collect(),
        Spacing::Every(step) => {
            let times: Vec<Time> = (0..=MAX_THUMBNAILS as i64)
                .map(|k| step.mul_ratio(k, 1))
                .take_while(|&t| t < end)
                .collect();
            if times.len() as u64 > MAX_THUMBNAILS {
                return None;
            }
            times
        }
    };
    let start_of = |k: usize| track.samples[k].decode_start;
    let keys: Vec<Shown> = frames.iter().copied().filter(|f| start_of(f.sample)).collect();
    let picks: Vec<Shown> = times
        .iter()
        .filter_map(|&t| {
            if keyframes_only {
                // The nearer of the keyframes either side of `t`.
                let n = keys.partition_point(|k| k.time <= t);
                let after = keys.get(n).copied();
                let before = n.checked_sub(1).and_then(|i| keys.get(i)).copied();
                match (before, after) {
                    (Some(b), Some(a)) => Some(if a.time - t < t - b.time { a } else { b }),
                    (b, a) => b.or(a),
                }
            } else {
                // The frame on screen at `t`: the last one starting at or before it.
                let n = frames.partition_point(|f| f.time <= t);
                frames.get(n.saturating_sub(1)).copied()
            }
        })
        .collect();
    // Marked, not sorted: decode order is sample order, and a sort would cost the package a copy
    // of the standard library's sort.
    let mut marked = vec![false; track.samples.len()];
    picks.iter().for_each(|p| marked[p.sample] = true);
    let wanted = (0..marked.len()).filter(|&k| marked[k]);
    // The decode-start keyframe at or before each sample, in decode order.
    let mut start = 0;
    let starts: Vec<usize> = (0..track.samples.len())
        .map(|k| {
            if start_of(k) {
                start = k;
            }
            start
        })
        .collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for s in wanted {
        let from = if keyframes_only { s } else { starts[s] };
        match runs.last_mut() {
            // A pick inside (or right after) the run before: the decode goes on through it.
            Some(r) if !keyframes_only && from <= r.1 + 1 => r.1 = r.1.max(s),
            _ => runs.push((from, s)),
        }
    }
    Some(Filmstrip { picks, runs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{Sample, TrackKind};

    /// 100 frames at 25 fps, keyframes every 25 and at 60, no reordering.
    fn track() -> Track {
        let mut t = Track::new(1, TrackKind::Video, 25);
        t.samples = (0..100)
            .map(|i| {
                let key = i % 25 == 0 || i == 60;
                Sample {
                    dts: i,
                    pts: i,
                    duration: 1,
                    offset: 0,
                    size: 1,
                    keyframe: key,
                    decode_start: key,
                    depends: Default::default(),
                    description: 0,
                    discard_padding_ns: 0,
                    addition: None,
                }
            })
            .collect();
        t
    }

    fn samples(f: &Filmstrip) -> Vec<usize> {
        f.picks.iter().map(|p| p.sample).collect()
    }

    #[test]
    fn count_is_evenly_spaced_from_the_first_frame() {
        let f = plan_filmstrip(&track(), Spacing::Count(4), false).unwrap();
        assert_eq!(samples(&f), vec![0, 25, 50, 75]);
        assert_eq!(f.runs, vec![(0, 0), (25, 25), (50, 50), (75, 75)]);
        let f = plan_filmstrip(&track(), Spacing::Count(3), false).unwrap();
        // 0, 33.3, 66.7 frames: the frames on screen then, each decoded from its keyframe.
        assert_eq!(samples(&f), vec![0, 33, 66]);
        assert_eq!(f.runs, vec![(0, 0), (25, 33), (60, 66)]);
    }

    #[test]
    fn interval_stops_inside_the_track() {
        let f = plan_filmstrip(&track(), Spacing::Every(Time::new(3, 2)), false).unwrap();
        assert_eq!(samples(&f), vec![0, 37, 75]);
        assert_eq!(plan_filmstrip(&track(), Spacing::Every(Time::new(1, 10_000)), false), None);
    }

    #[test]
    fn keyframes_only_takes_the_nearest_and_decodes_it_alone() {
        let f = plan_filmstrip(&track(), Spacing::Count(3), true).unwrap();
        assert_eq!(samples(&f), vec![0, 25, 60]);
        assert_eq!(f.runs, vec![(0, 0), (25, 25), (60, 60)]);
    }
}
