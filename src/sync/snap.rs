//! Per-cue refinement: each dialogue cue's start moves to a speech onset, and its end to a speech
//! offset, within a window: the clearest edge, nearer ones preferred. A cue never crosses a neighbour, never comes
//! to overlap one, and keeps a minimum duration; a cue that cannot snap under those rules stays.

use super::splits::Evidence;

/// Speech runs shorter than this are clicks or breaths, and pauses shorter than this are between
/// words of one sentence: neither makes an onset.
const MIN_SPEECH_STEPS: usize = 5;
const MIN_PAUSE_STEPS: usize = 20;

/// How far a start or end may move to reach speech, in ms (3σ of hand-timing jitter).
pub const WINDOW_MS: i64 = 400;
/// How strongly nearer edges are preferred: about the spread of hand timing.
const PRIOR_MS: f64 = 200.0;

/// A speech edge: where (ms), and how much the probability rises or falls across it.
pub type Edge = (i64, f32);
/// Moves smaller than this are VAD noise, not timing error: the cue stays where it was.
pub const DEAD_ZONE_MS: i64 = 40;
/// A snapped cue keeps at least this much of its duration, or all of it when shorter.
const MIN_DURATION_MS: i64 = 500;

/// Speech runs from a probability track (10 ms steps), with word pauses closed: (start, end) in
/// ms, end exclusive.
pub fn utterances(probability: &[f32], step_ms: i64) -> Vec<(i64, i64)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, &p) in probability.iter().chain(std::iter::once(&0.0)).enumerate() {
        match (start, p >= 0.5) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                match runs.last_mut() {
                    Some(last) if s - last.1 < MIN_PAUSE_STEPS => last.1 = i,
                    _ => runs.push((s, i)),
                }
                start = None;
            }
            _ => {}
        }
    }
    runs.into_iter()
        .filter(|(s, e)| e - s >= MIN_SPEECH_STEPS)
        .map(|(s, e)| (s as i64 * step_ms, e as i64 * step_ms))
        .collect()
}

/// How long a stretch of track either side of a point is compared to call it an edge (150 ms), and
/// how much the mean probability must rise (or fall) across it.
const EDGE_STEPS: usize = 15;
const MIN_EDGE: f64 = 0.25;

/// Where speech starts and stops, in ms: the points where the mean probability over the next
/// [`EDGE_STEPS`] rises (falls) most against the one before, by at least [`MIN_EDGE`].
///
/// NOTE: read from the rise, not from crossings of 0.5: under music or loud noise the detector
/// stays above 0.5 through the pauses between sentences, so crossings merge several sentences
/// into one run and most onsets vanish, while the probability still dips there. (On the sync
/// corpus' jitter files at 5 dB of music, 58% of starts landed within 100 ms with crossings.)
pub fn edges(probability: &[f32], step_ms: i64) -> (Vec<Edge>, Vec<Edge>) {
    let h = EDGE_STEPS;
    let n = probability.len();
    let sums = Evidence::new(probability);
    let mean = |a: usize, b: usize| sums.sum(a as i64, b as i64) / (b - a) as f64;
    // rise[t]: mean of [t, t+h) less mean of [t-h, t).
    let rise: Vec<f64> = (0..n)
        .map(|t| if t < h || t + h > n { 0.0 } else { mean(t, t + h) - mean(t - h, t) })
        .collect();
    let extrema = |sign: f64| -> Vec<Edge> {
        let mut out = Vec::new();
        for t in h..n.saturating_sub(h) {
            let v = sign * rise[t];
            if v < MIN_EDGE {
                continue;
            }
            let lo = t.saturating_sub(h);
            let hi = (t + h).min(n - 1);
            // The first of equal maxima, so a flat top gives one edge.
            let peak = (lo..=hi).all(|k| sign * rise[k] < v || (sign * rise[k] == v && k >= t));
            if peak {
                out.push((t as i64 * step_ms, v as f32));
            }
        }
        out
    };
    (extrema(1.0), extrema(-1.0))
}

/// The edge in `points` (ms, strength; sorted by time) to move `t` to: within [`WINDOW_MS`], the
/// one whose strength, discounted by distance (a Gaussian of [`PRIOR_MS`]), is greatest. The
/// nearest edge alone would take a faint wobble next to the cue over the clear onset 200 ms away.
fn best(points: &[Edge], t: i64) -> Option<i64> {
    let from = points.partition_point(|p| p.0 < t - WINDOW_MS);
    let weight = |p: &Edge| {
        let d = (p.0 - t) as f64 / PRIOR_MS;
        p.1 as f64 * (-0.5 * d * d).exp()
    };
    points[from..]
        .iter()
        .take_while(|p| p.0 <= t + WINDOW_MS)
        .max_by(|a, b| weight(a).total_cmp(&weight(b)))
        .map(|p| p.0)
}

/// How the dialogue cues' starts sit against the speech onsets: (median, median absolute
/// deviation) of the signed distance from each start to the onset it would snap to, in ms, over
/// the cues that have one. Captions in sync sit at a constant distance (the detector's own lag,
/// which grows with noise); hand-timing jitter spreads them.
pub fn spread(cues: &[(i64, i64)], snappable: &[bool], onsets: &[Edge]) -> Option<(i64, i64)> {
    let mut d: Vec<i64> = cues
        .iter()
        .zip(snappable)
        .filter(|(_, &ok)| ok)
        .filter_map(|(c, _)| best(onsets, c.0).map(|o| o - c.0))
        .collect();
    if d.len() * 2 < snappable.iter().filter(|&&s| s).count() || d.is_empty() {
        return None;
    }
    d.sort_unstable();
    let median = d[d.len() / 2];
    let mut dev: Vec<i64> = d.iter().map(|x| (x - median).abs()).collect();
    dev.sort_unstable();
    Some((median, dev[dev.len() / 2]))
}

/// Snaps `cues` (start, end in ms, in time order) to speech `onsets` and `offsets` (ms, sorted by
/// time); `snappable[i]` is false for cues that must stay (non-dialogue). Returns how many cues moved.
pub fn snap(
    cues: &mut [(i64, i64)],
    snappable: &[bool],
    onsets: &[Edge],
    offsets: &[Edge],
) -> usize {
    let mut moved = 0;
    for i in 0..cues.len() {
        if !snappable.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (s, e) = cues[i];
        let prev_end = if i > 0 { Some(cues[i - 1].1) } else { None };
        let next_start = cues.get(i + 1).map(|c| c.0);
        // A cue that already overlaps a neighbour was meant to (two speakers): leave it be.
        if prev_end.is_some_and(|p| p > s) || next_start.is_some_and(|n| n < e) {
            continue;
        }
        let shift = match best(onsets, s) {
            Some(o) if (o - s).abs() >= DEAD_ZONE_MS => o - s,
            _ => 0,
        };
        let (ns, mut ne) = (s + shift, e + shift);
        if let Some(off) = best(offsets, ne) {
            if (off - ne).abs() >= DEAD_ZONE_MS {
                ne = off;
            }
        }
        let min_len = (e - s).min(MIN_DURATION_MS);
        let fits = prev_end.is_none_or(|p| ns >= p) && next_start.is_none_or(|n| ne <= n);
        if (ns, ne) != (s, e) && fits && ne - ns >= min_len {
            cues[i] = (ns, ne);
            moved += 1;
        } else if shift != 0 {
            // The end could not follow: move the start alone if that still fits.
            let fits = prev_end.is_none_or(|p| ns >= p) && e - ns >= min_len;
            if fits {
                cues[i] = (ns, e);
                moved += 1;
            }
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utterances_close_word_pauses_and_drop_clicks() {
        let mut p = vec![0.0f32; 300];
        p[10..50].fill(0.9); // speech
        p[60..100].fill(0.9); // 100 ms pause: same utterance
        p[150..152].fill(0.9); // click
        p[200..260].fill(0.9);
        assert_eq!(utterances(&p, 10), vec![(100, 1000), (2000, 2600)]);
    }

    #[test]
    fn edges_are_read_from_rises_even_above_one_half() {
        // Speech at 0.9 from 1 s to 3 s, music read as 0.6 around it, a dip to 0.6 at 2 s.
        let mut p = vec![0.6f32; 500];
        p[100..300].fill(0.95);
        p[200..215].fill(0.6);
        let (on, off) = edges(&p, 10);
        let at = |e: Vec<Edge>| e.iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(at(on), vec![1000, 2150]);
        assert_eq!(at(off), vec![2000, 3000]);
        // A flat track has none.
        assert_eq!(edges(&[0.7; 300], 10), (vec![], vec![]));
    }

    #[test]
    fn snaps_to_speech_within_the_window_only() {
        let (on, off) = ([(1000, 1.0), (5000, 1.0)], [(2000, 1.0), (6000, 1.0)]);
        let mut cues = [(1150, 2100), (3000, 4000), (4700, 5900)];
        let n = snap(&mut cues, &[true, true, true], &on, &off);
        assert_eq!(n, 2);
        assert_eq!(cues, [(1000, 2000), (3000, 4000), (5000, 6000)]);
    }

    #[test]
    fn a_clear_edge_beats_a_faint_nearer_one() {
        let on = [(1_050, 0.26), (1_250, 0.9)];
        let mut cues = [(1_000, 2_000)];
        snap(&mut cues, &[true], &on, &[]);
        assert_eq!(cues[0].0, 1_250);
    }

    #[test]
    fn small_moves_and_non_dialogue_are_left_alone() {
        let (on, off) = ([(1000, 1.0), (5000, 1.0)], [(2000, 1.0), (6000, 1.0)]);
        let mut cues = [(1020, 1990), (4800, 5800)];
        assert_eq!(snap(&mut cues, &[true, false], &on, &off), 0);
        assert_eq!(cues, [(1020, 1990), (4800, 5800)]);
    }

    #[test]
    fn never_overlaps_a_neighbour_nor_shrinks_below_the_minimum() {
        // Snapping the second cue to 900 would put it over the first.
        let mut cues = [(0, 1000), (1200, 2500)];
        snap(&mut cues, &[false, true], &[(900, 1.0)], &[(1300, 1.0)]);
        assert!(cues[1].0 >= cues[0].1);
        let mut short = [(0, 500), (2000, 2800)];
        snap(&mut short, &[true, true], &[(2300, 1.0)], &[(2400, 1.0)]);
        assert!(short[1].1 - short[1].0 >= 500);
    }
}
