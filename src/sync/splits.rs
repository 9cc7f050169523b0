//! Splits: stretches of cues shifted independently, where material was inserted into or removed
//! from the programme between cues. Dynamic programming over the dialogue cues picks one offset
//! per cue from a candidate set, paying a penalty for each change of offset, so that one cue
//! matching by chance cannot open a split (it would pay twice) while a real stretch can.

use super::correlate::Span;

/// What a change of offset costs, in steps of agreement (one step of speech under a cue scores
/// about +1): a split must win back about three seconds of well-placed speech.
const SPLIT_PENALTY: f32 = 300.0;
/// Offsets may drift by a step or three between neighbours at a small cost, which follows a
/// residual rate difference without calling it a split.
const DRIFT_STEPS: i64 = 3;
const DRIFT_PENALTY: f32 = 6.0;
/// How much of the silence after a cue counts against speech there.
const GAP_STEPS: i64 = 100;

/// Prefix sums of the audio track, reading 0 (no evidence) outside it.
pub struct Evidence {
    prefix: Vec<f64>,
}

impl Evidence {
    pub fn new(audio: &[f32]) -> Evidence {
        let mut prefix = Vec::with_capacity(audio.len() + 1);
        prefix.push(0.0);
        let mut acc = 0.0f64;
        for &v in audio {
            acc += v as f64;
            prefix.push(acc);
        }
        Evidence { prefix }
    }

    /// Σ audio[from..to], clipped to the track.
    pub fn sum(&self, from: i64, to: i64) -> f64 {
        let n = self.prefix.len() as i64 - 1;
        let (a, b) = (from.clamp(0, n), to.clamp(0, n));
        if b <= a {
            return 0.0;
        }
        self.prefix[b as usize] - self.prefix[a as usize]
    }
}

/// One offset per cue (steps), and the indices of the cues that start a new stretch.
pub struct Path {
    pub offsets: Vec<i64>,
    pub splits: Vec<usize>,
}

impl Path {
    /// The stretches of cues between splits, each sharing one offset, as index ranges.
    pub fn stretches(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let starts = std::iter::once(0).chain(self.splits.iter().copied());
        let ends = self.splits.iter().copied().chain(std::iter::once(self.offsets.len()));
        starts.zip(ends).filter(|(a, b)| a < b).map(|(a, b)| a..b)
    }
}

/// How well cue `i` fits at offset `d`: speech under it, silence in the gap after it.
fn fit(ev: &Evidence, spans: &[Span], i: usize, d: i64) -> f32 {
    let (s, e) = spans[i];
    let mut v = ev.sum(s + d, e + d);
    if let Some(&(next, _)) = spans.get(i + 1) {
        let gap_end = next.min(e + GAP_STEPS);
        v -= ev.sum(e + d, gap_end + d);
    }
    v as f32
}

/// Chooses the offsets; `candidates` are offsets in steps (any order, duplicates allowed).
pub fn align(ev: &Evidence, spans: &[Span], candidates: &[i64]) -> Path {
    let mut cand: Vec<i64> = candidates.to_vec();
    cand.sort_unstable();
    cand.dedup();
    cand.truncate(u16::MAX as usize);
    let n = spans.len();
    if n == 0 || cand.is_empty() {
        return Path { offsets: vec![0; n], splits: vec![] };
    }
    let d = cand.len();
    let mut value: Vec<f32> = (0..d).map(|j| fit(ev, spans, 0, cand[j])).collect();
    let mut back: Vec<u16> = Vec::with_capacity(n * d);
    back.extend((0..d).map(|j| j as u16));
    let mut next = vec![0.0f32; d];
    // Best value among candidates 0..=k, and where it is.
    let mut prefix_best: Vec<(f32, usize)> = vec![(0.0, 0); d];
    for i in 1..n {
        let mut best = (f32::NEG_INFINITY, 0usize);
        for (k, &v) in value.iter().enumerate() {
            if v > best.0 {
                best = (v, k);
            }
            prefix_best[k] = best;
        }
        // A cue may not start before the previous one ends: offset' ≤ offset + gap.
        let gap = spans[i].0 - spans[i - 1].1;
        let mut reach = 0usize;
        for j in 0..d {
            let mut choice = (value[j], j);
            for k in 1..=DRIFT_STEPS as usize {
                for jj in [j.checked_sub(k), Some(j + k).filter(|&x| x < d)].into_iter().flatten() {
                    let delta = cand[jj] - cand[j];
                    if delta.abs() == k as i64 && delta <= gap.max(0) {
                        let v = value[jj] - DRIFT_PENALTY * k as f32;
                        if v > choice.0 {
                            choice = (v, jj);
                        }
                    }
                }
            }
            while reach < d && cand[reach] <= cand[j] + gap {
                reach += 1;
            }
            if reach > 0 {
                let (v, k) = prefix_best[reach - 1];
                if v - SPLIT_PENALTY > choice.0 {
                    choice = (v - SPLIT_PENALTY, k);
                }
            }
            next[j] = choice.0 + fit(ev, spans, i, cand[j]);
            back.push(choice.1 as u16);
        }
        std::mem::swap(&mut value, &mut next);
    }
    let mut j = (0..d).max_by(|&a, &b| value[a].total_cmp(&value[b])).unwrap_or(0);
    let mut offsets = vec![0i64; n];
    for i in (0..n).rev() {
        offsets[i] = cand[j];
        j = back[i * d + j] as usize;
    }
    let splits = (1..n).filter(|&i| (offsets[i] - offsets[i - 1]).abs() > DRIFT_STEPS).collect();
    Path { offsets, splits }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(count: usize) -> Vec<Span> {
        (0..count as i64).map(|i| (i * 400 + 100, i * 400 + 300)).collect()
    }

    fn audio(spans: &[Span], offsets: &[i64], len: usize) -> Vec<f32> {
        let mut a = vec![-1.0f32; len];
        for (&(s, e), &d) in spans.iter().zip(offsets) {
            for i in s + d..e + d {
                a[i as usize] = 1.0;
            }
        }
        a
    }

    fn around(centres: &[i64]) -> Vec<i64> {
        centres.iter().flat_map(|&c| c - 50..=c + 50).collect()
    }

    #[test]
    fn finds_inserted_and_removed_material() {
        let sp = cues(30);
        // Material inserted before cue 10 (+1500 steps), removed before cue 20 (-200 steps).
        let truth: Vec<i64> = (0..30)
            .map(|i| {
                if i < 10 {
                    0
                } else if i < 20 {
                    1500
                } else {
                    1300
                }
            })
            .collect();
        let a = audio(&sp, &truth, 20_000);
        let path = align(&Evidence::new(&a), &sp, &around(&[0, 1500, 1300]));
        assert_eq!(path.offsets, truth);
        assert_eq!(path.splits, vec![10, 20]);
    }

    #[test]
    fn one_outlier_cue_opens_no_split() {
        let sp = cues(20);
        let mut truth = vec![0i64; 20];
        truth[7] = 900;
        let a = audio(&sp, &truth, 12_000);
        let path = align(&Evidence::new(&a), &sp, &around(&[0, 900]));
        assert!(path.splits.is_empty(), "{:?}", path.splits);
        assert_eq!(path.offsets[6], 0);
        assert_eq!(path.offsets[8], 0);
    }

    #[test]
    fn cues_never_cross_even_when_the_evidence_says_so() {
        let sp = cues(10);
        // The second half's speech sits 300 steps earlier than a gap of 200 steps allows.
        let truth: Vec<i64> = (0..10).map(|i| if i < 5 { 0 } else { -300 }).collect();
        let a = audio(&sp, &truth, 6_000);
        let path = align(&Evidence::new(&a), &sp, &around(&[0, -300]));
        for i in 1..10 {
            assert!(sp[i].0 + path.offsets[i] >= sp[i - 1].1 + path.offsets[i - 1]);
        }
    }
}
