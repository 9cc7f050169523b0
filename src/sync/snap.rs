//! Per-cue refinement: each dialogue cue's start moves to the nearest speech onset, and its end
//! to the nearest speech offset, within a window. A cue never crosses a neighbour, never comes
//! to overlap one, and keeps a minimum duration; a cue that cannot snap under those rules stays.

/// Speech runs shorter than this are clicks or breaths, and pauses shorter than this are between
/// words of one sentence: neither makes an onset.
const MIN_SPEECH_STEPS: usize = 5;
const MIN_PAUSE_STEPS: usize = 20;

/// How far a start or end may move to reach speech, in ms (3σ of hand-timing jitter).
pub const WINDOW_MS: i64 = 400;
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

/// The value in `points` nearest `t` within [`WINDOW_MS`], if any.
fn nearest(points: &[i64], t: i64) -> Option<i64> {
    let i = points.partition_point(|&p| p < t);
    [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter_map(|k| points.get(k).copied())
        .filter(|p| (p - t).abs() <= WINDOW_MS)
        .min_by_key(|p| (p - t).abs())
}

/// Snaps `cues` (start, end in ms, in time order) to `speech` utterances; `snappable[i]` is false
/// for cues that must stay (non-dialogue). Returns how many cues moved.
pub fn snap(cues: &mut [(i64, i64)], snappable: &[bool], speech: &[(i64, i64)]) -> usize {
    let onsets: Vec<i64> = speech.iter().map(|u| u.0).collect();
    let offsets: Vec<i64> = speech.iter().map(|u| u.1).collect();
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
        let shift = match nearest(&onsets, s) {
            Some(o) if (o - s).abs() >= DEAD_ZONE_MS => o - s,
            _ => 0,
        };
        let (ns, mut ne) = (s + shift, e + shift);
        if let Some(off) = nearest(&offsets, ne) {
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
    fn snaps_to_speech_within_the_window_only() {
        let speech = [(1000, 2000), (5000, 6000)];
        let mut cues = [(1150, 2100), (3000, 4000), (4700, 5900)];
        let n = snap(&mut cues, &[true, true, true], &speech);
        assert_eq!(n, 2);
        assert_eq!(cues, [(1000, 2000), (3000, 4000), (5000, 6000)]);
    }

    #[test]
    fn small_moves_and_non_dialogue_are_left_alone() {
        let speech = [(1000, 2000), (5000, 6000)];
        let mut cues = [(1020, 1990), (4800, 5800)];
        assert_eq!(snap(&mut cues, &[true, false], &speech), 0);
        assert_eq!(cues, [(1020, 1990), (4800, 5800)]);
    }

    #[test]
    fn never_overlaps_a_neighbour_nor_shrinks_below_the_minimum() {
        let speech = [(900, 1300)];
        // Snapping the second cue to 900 would put it over the first.
        let mut cues = [(0, 1000), (1200, 2500)];
        snap(&mut cues, &[false, true], &speech);
        assert!(cues[1].0 >= cues[0].1);
        let mut short = [(0, 500), (2000, 2800)];
        let speech = [(2300, 2400)];
        snap(&mut short, &[true, true], &speech);
        assert!(short[1].1 - short[1].0 >= 500);
    }
}
