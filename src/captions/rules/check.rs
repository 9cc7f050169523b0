//! The rules themselves: for one cue among its neighbours, what is wrong and, when it can be
//! mended without changing meaning, the mended cue. The linter reports these findings and the
//! fixer applies the repairs, so a violation is "fixable" exactly when the fixer would fix it.

use super::line_break::{fits, rebreak};
use super::plain::plain_text;
use super::profile::Profile;
use crate::captions::model::Cue;
use crate::time::{FrameGrid, Rate, Rounding, Time};

/// The profile and the facts about the video that the rules need, prepared once.
pub(crate) struct Env<'a> {
    pub profile: &'a Profile,
    pub grid: FrameGrid,
    /// Shot changes on the frame grid, sorted.
    pub cuts: Vec<Time>,
    pub speech: Option<&'a [(Time, Time)]>,
}

/// What is wrong with a cue, and the repair when there is one.
pub(crate) struct Finding {
    pub rule: &'static str,
    pub message: String,
    pub repair: Option<Repair>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Repair {
    pub start: Time,
    pub end: Time,
    pub text: Option<String>,
}

impl<'a> Env<'a> {
    pub fn new(
        profile: &'a Profile,
        rate: Rate,
        shot_changes: &[Time],
        speech: Option<&'a [(Time, Time)]>,
    ) -> Env<'a> {
        let grid = FrameGrid::new(rate);
        let mut cuts: Vec<Time> =
            shot_changes.iter().map(|&c| grid.snap(c, Rounding::Nearest)).collect();
        cuts.sort();
        cuts.dedup();
        Env { profile, grid, cuts, speech }
    }

    /// `n` real frames as a duration.
    fn frames(&self, n: i64) -> Time {
        self.grid.time_of(n) - self.grid.origin
    }

    /// `n` frames of the profile's reference rate, at the real rate.
    fn ref_frames(&self, n: u32) -> i64 {
        self.profile.frames_at(n, self.grid.rate)
    }

    /// `k` frames before the frame boundary nearest `t`: gaps are counted between nearest
    /// boundaries (as [`FrameGrid::frames_between`] does), so targets must be too.
    fn frames_before(&self, t: Time, k: i64) -> Time {
        self.grid.time_of(self.grid.frame_at(t, Rounding::Nearest) - k)
    }

    fn floor(&self, t: Time) -> Time {
        self.grid.snap(t, Rounding::Floor)
    }

    fn ceil(&self, t: Time) -> Time {
        self.grid.snap(t, Rounding::Ceil)
    }

    fn min_gap(&self) -> i64 {
        self.profile.min_gap_frames.unwrap_or(0) as i64
    }

    /// The cuts within `frames` frames of `t` (either side), found by binary search so that
    /// long films with many cuts stay fast.
    fn cuts_near(&self, t: Time, frames: i64) -> &[Time] {
        let reach = self.frames(frames.saturating_add(1));
        let lo = self.cuts.partition_point(|&c| c < t - reach);
        let hi = self.cuts.partition_point(|&c| c <= t + reach);
        self.cuts.get(lo..hi).unwrap_or(&[])
    }

    /// Whether an out-time at `t` sits in a shot-change window, and which cut.
    fn out_window(&self, t: Time) -> Option<Time> {
        let sc = self.profile.shot_change.as_ref()?;
        let before = self.ref_frames(sc.out_before_frames);
        let after = self.ref_frames(sc.out_after_frames);
        let gap = sc.out_gap_frames as i64;
        self.cuts_near(t, before.max(after)).iter().copied().find(|&c| {
            let k = self.grid.frames_between(t, c);
            (0..=before).contains(&k) && k != gap || (-after..=-1).contains(&k)
        })
    }

    fn out_gap(&self) -> i64 {
        self.profile.shot_change.as_ref().map_or(0, |s| s.out_gap_frames as i64)
    }

    /// The nearest out-time at or after `t` that no shot-change rule would move.
    fn legal_end_up(&self, mut t: Time) -> Option<Time> {
        for _ in 0..=self.cuts.len() {
            let Some(c) = self.out_window(t) else { return Some(t) };
            let sc = self.profile.shot_change.as_ref()?;
            let before_cut = c - self.frames(self.out_gap());
            t = if before_cut >= t {
                before_cut
            } else {
                c + self.frames(self.ref_frames(sc.out_after_frames) + 1)
            };
        }
        None
    }

    /// The nearest out-time at or before `t` that no shot-change rule would move.
    fn legal_end_down(&self, mut t: Time) -> Option<Time> {
        for _ in 0..=self.cuts.len() {
            let Some(c) = self.out_window(t) else { return Some(t) };
            t = c - self.frames(self.out_gap());
        }
        None
    }
}

/// How far a time may sit from where a rule wants it and still count as there: half a
/// millisecond, since SRT and WebVTT hold whole milliseconds and 24 fps frames are not.
const SLACK: Time = Time::new(1, 2000);

fn near(a: Time, b: Time) -> bool {
    (a - b).max(b - a) <= SLACK
}

/// Characters a reader reads (line breaks not counted) and words, for reading speed.
fn reading_load(text: &str) -> (usize, usize) {
    let plain = plain_text(text);
    (plain.chars().filter(|&c| c != '\n').count(), plain.split_whitespace().count())
}

/// The least duration `text` needs under the profile's reading-speed limits.
fn reading_time(profile: &Profile, text: &str) -> Option<Time> {
    let (chars, words) = reading_load(text);
    // NOTE: the limits are plain numbers from JSON; the float only turns them into whole ms.
    let by_chars = profile.max_chars_per_second.map(|cps| (chars as f64 * 1000.0 / cps).ceil());
    let by_words = profile.max_words_per_minute.map(|wpm| (words as f64 * 60_000.0 / wpm).ceil());
    let ms = match (by_chars, by_words) {
        (None, None) => return None,
        (a, b) => a.unwrap_or(0.0).max(b.unwrap_or(0.0)),
    };
    Some(Time::from_millis(ms.min(1e12) as i64))
}

/// Whether moving cue `i` to `[start, end)` keeps the fixer's promises: no new overlap, order
/// kept, start within the allowed shift of `origin`, and still on every speech span it was on.
fn valid(
    env: &Env,
    cues: &[Cue],
    i: usize,
    prev_end: Option<Time>,
    origin: Time,
    start: Time,
    end: Time,
) -> bool {
    let Some(cue) = cues.get(i) else { return false };
    if start >= end {
        return false;
    }
    if let Some(pe) = prev_end {
        // No new overlap, and an overlap already there never grows.
        if (cue.start >= pe && start < pe) || (cue.start < pe && start < cue.start) {
            return false;
        }
    }
    if let Some(next) = cues.get(i + 1) {
        if start > next.start
            || (cue.end <= next.start && end > next.start)
            || (cue.end > next.start && end > cue.end)
        {
            return false;
        }
    }
    if let Some(p) = i.checked_sub(1).and_then(|p| cues.get(p)) {
        if start < p.start {
            return false;
        }
    }
    let shift = env.frames(env.ref_frames(env.profile.max_start_shift_frames));
    if (start - origin).max(origin - start) > shift {
        return false;
    }
    if let Some(speech) = env.speech {
        for &(a, b) in speech {
            if a < cue.end && cue.start < b && !(a < end && start < b) {
                return false;
            }
        }
    }
    true
}

/// Every finding for cue `i` of `cues` (sorted by start), in the order the fixer applies them.
/// `prev_end` is the latest end among `cues[..i]` (callers keep it as they go, so that a whole
/// file is checked in linear time); `origin` is where the start may shift from.
pub(crate) fn check_cue(
    env: &Env,
    cues: &[Cue],
    i: usize,
    prev_end: Option<Time>,
    origin: Time,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(cue) = cues.get(i) else { return out };
    let p = env.profile;
    let next = cues.get(i + 1);
    // A repair that changes nothing is none: the fixer would loop on it.
    let times = |start: Time, end: Time| {
        let moves = start != cue.start || end != cue.end;
        (moves && valid(env, cues, i, prev_end, origin, start, end)).then(|| Repair {
            start: start.reduced(),
            end: end.reduced(),
            text: None,
        })
    };
    let mut push = |rule: &'static str, message: String, repair: Option<Repair>| {
        out.push(Finding { rule, message, repair })
    };
    let grid_start = env.grid.snap(cue.start, Rounding::Nearest);
    let grid_end = env.grid.snap(cue.end, Rounding::Nearest);

    if p.frame_grid && !(near(grid_start, cue.start) && near(grid_end, cue.end)) {
        let end = if grid_end > grid_start { grid_end } else { grid_start + env.frames(1) };
        push(
            "frame-grid",
            format!("{} --> {} is not on the {} fps frame grid", cue.start, cue.end, env.grid.rate),
            times(grid_start, end),
        );
    }

    // The room this cue may grow into: up to the next cue, less the minimum gap.
    let limit = next.map(|n| env.frames_before(n.start, env.min_gap()));

    if let Some(n) = next {
        if n.start < cue.end {
            // Clearing an overlap matters more than the shot-change nicety, so fall back to the
            // plain limit when the shot-change-friendly end would not leave a cue.
            let repair = limit.and_then(|l| {
                env.legal_end_down(l)
                    .and_then(|e| times(cue.start, e))
                    .or_else(|| times(cue.start, l))
            });
            push("overlap", format!("overlaps the next cue, which starts at {}", n.start), repair);
        }
    }

    if p.max_line_chars.is_some() || p.max_lines.is_some() {
        let plain = plain_text(&cue.text);
        let lines: Vec<&str> = plain.split('\n').collect();
        let fixed = || {
            rebreak(&cue.text, p.max_line_chars, p.max_lines)
                .filter(|t| *t != cue.text && fits(t, p.max_line_chars, p.max_lines))
                .map(|t| Repair { start: cue.start, end: cue.end, text: Some(t) })
        };
        if let Some(max) = p.max_line_chars {
            if let Some(long) =
                lines.iter().map(|l| l.chars().count()).max().filter(|&n| n > max as usize)
            {
                push(
                    "line-length",
                    format!("a line has {long} characters, more than {max}"),
                    fixed(),
                );
            }
        }
        if let Some(max) = p.max_lines {
            if lines.len() > max as usize {
                push("line-count", format!("{} lines, more than {max}", lines.len()), fixed());
            }
        }
    }

    if let Some(sc) = &p.shot_change {
        // In-time: the first cut after the start, or the last one at or before it.
        let at = env.cuts.partition_point(|&c| c <= cue.start);
        let after = env.cuts.get(at).copied();
        let on_cut = at > 0 && env.cuts.get(at - 1) == Some(&cue.start);
        let before =
            env.cuts.get(..at).and_then(|b| b.iter().rev().find(|&&c| c < cue.start)).copied();
        let mut target = None;
        if let (Some(c), false) = (after, on_cut) {
            let k = env.grid.frames_between(cue.start, c);
            if (1..=env.ref_frames(sc.in_snap_before_frames)).contains(&k) {
                target =
                    Some((c, format!("starts {k} frames before a shot change at {c}; snap to it")));
            } else if (env.ref_frames(sc.in_pull_before_frames.0)
                ..=env.ref_frames(sc.in_pull_before_frames.1))
                .contains(&k)
            {
                let to = env.ref_frames(sc.in_pull_to_frames);
                let pulled = c - env.frames(to);
                // Pulling back across another cut would make the cue cross that one instead.
                let crosses = before.is_some_and(|b| b >= pulled);
                let message = format!(
                    "starts {k} frames before a shot change at {c}; move to {to} frames before it"
                );
                if crosses {
                    push("shot-change", message, None);
                } else {
                    target = Some((pulled, message));
                }
            }
        }
        if let (None, Some(c), false) = (&target, before, on_cut) {
            let k = env.grid.frames_between(c, cue.start);
            if (1..=env.ref_frames(sc.in_snap_after_frames)).contains(&k) {
                target =
                    Some((c, format!("starts {k} frames after a shot change at {c}; snap to it")));
            }
        }
        if let Some((start, message)) = target {
            push("shot-change", message, times(start, cue.end));
        }
        if let Some(c) = env.out_window(cue.end) {
            let k = env.grid.frames_between(cue.end, c);
            let gap = sc.out_gap_frames;
            let end = c - env.frames(gap as i64);
            let where_ =
                if k >= 0 { format!("{k} frames before") } else { format!("{} frames after", -k) };
            // Cuts a few frames apart can leave no end that suits both: then it stays unfixed.
            let repair =
                env.legal_end_down(end).filter(|&e| e == end).and_then(|e| times(cue.start, e));
            push(
                "shot-change",
                format!("ends {where_} a shot change at {c}; end {gap} frames before it"),
                repair,
            );
        }
    }

    let dur = cue.duration();
    if let Some(max) = p.max_duration {
        if dur > max + SLACK {
            let repair =
                env.legal_end_down(env.floor(cue.start + max)).and_then(|e| times(cue.start, e));
            push("max-duration", format!("lasts {dur}, more than {max}"), repair);
        }
    }

    if let (Some(n), Some(min_gap)) = (next, p.min_gap_frames) {
        let gap = env.grid.frames_between(cue.end, n.start);
        if n.start >= cue.end && gap < min_gap as i64 {
            let repair = limit.and_then(|l| {
                env.legal_end_down(l)
                    .and_then(|e| times(cue.start, e))
                    .or_else(|| times(cue.start, l))
            });
            push(
                "min-gap",
                format!("{gap} frames before the next cue, fewer than {min_gap}"),
                repair,
            );
        }
    }

    if let (Some(n), Some(ch)) = (next, &p.chaining) {
        let gap = env.grid.frames_between(cue.end, n.start);
        let close = ch.close_to_frames as i64;
        if gap > close && gap <= env.ref_frames(ch.max_gap_frames) {
            let end = env.frames_before(n.start, close);
            let legal = env.out_window(end).is_none();
            let short_enough = p.max_duration.is_none_or(|m| end - cue.start <= m);
            let repair = if legal && short_enough { times(cue.start, end) } else { None };
            push(
                "chaining",
                format!("gap of {gap} frames to the next cue should close to {close}"),
                repair,
            );
        }
    }

    // Growing into free time, for minimum duration and reading speed: the end first; when the
    // next cue is too close, the start too, but only away from shot changes (whose rules place
    // starts exactly) and by less than the allowed shift (a frame is kept for grid snapping).
    let grow = |need: Time, move_start: bool| -> Option<Repair> {
        let fits = |start: Time, end: Time| {
            limit.is_none_or(|l| end <= l)
                && p.max_duration.is_none_or(|m| end - start <= m + SLACK)
        };
        if let Some(end) = env.legal_end_up(env.ceil(cue.start + need)) {
            if fits(cue.start, end) {
                return times(cue.start, end);
            }
        }
        if !move_start {
            return None;
        }
        let end = env.legal_end_down(limit?)?.max(cue.end);
        let budget = env.ref_frames(p.max_start_shift_frames) - 1;
        let start = env.floor(end - need);
        if budget <= 0 || cue.start - start > env.frames(budget) || !fits(start, end) {
            return None;
        }
        let reach_frames =
            budget + env.ref_frames(p.shot_change.as_ref().map_or(0, |s| s.in_pull_to_frames));
        if !env.cuts_near(cue.start, reach_frames).is_empty() {
            return None;
        }
        if prev_end.is_some_and(|pe| env.grid.frames_between(pe, start) < env.min_gap()) {
            return None;
        }
        times(start, end)
    };
    // One growth serves both rules, so that a start moves at most once for them.
    let reading = reading_time(p, &cue.text);
    let need = match (p.min_duration, reading) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    if let (Some(min), Some(need)) = (p.min_duration, need) {
        if dur + SLACK < min {
            // When both cannot be met, meeting the minimum duration alone (end only) still helps.
            push(
                "min-duration",
                format!("lasts {dur}, less than {min}"),
                grow(need, true).or_else(|| grow(min, false)),
            );
        }
    }
    if let (Some(read), Some(need)) = (reading, need) {
        if dur + SLACK < read {
            let (chars, words) = reading_load(&cue.text);
            let repair = grow(need, true).or_else(|| grow(read, false));
            push(
                "reading-speed",
                format!("{chars} characters / {words} words in {dur}: needs {read}"),
                repair,
            );
        }
    }

    if let (Some(tol), Some(speech)) = (p.speech_tolerance_ms, env.speech) {
        let tol = Time::from_millis(tol as i64);
        let on: Vec<&(Time, Time)> =
            speech.iter().filter(|(a, b)| *a < cue.end && cue.start < *b).collect();
        match (on.iter().map(|s| s.0).min(), on.iter().map(|s| s.1).max()) {
            (Some(first), Some(last)) => {
                if cue.start + tol < first {
                    push(
                        "speech-sync",
                        format!("starts more than {tol} before its speech at {first}"),
                        None,
                    );
                }
                if cue.end > last + tol {
                    push(
                        "speech-sync",
                        format!("ends more than {tol} after its speech at {last}"),
                        None,
                    );
                }
            }
            _ => push("speech-sync", "no speech while the cue shows".into(), None),
        }
    }
    out
}
