//! The rules themselves: for one cue among its neighbours, what is wrong and, when it can be
//! mended without changing meaning, the mended cue. The linter reports these findings and the
//! fixer applies the repairs, so a violation is "fixable" exactly when the fixer would fix it.

use super::env::Env;
use super::line_break::{fits, rebreak};
use super::plain::plain_text;
use super::profile::Profile;
use crate::captions::model::Cue;
use crate::time::{Rounding, Time};

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

/// One cue among its neighbours, as every rule sees it.
struct Ctx<'a> {
    env: &'a Env<'a>,
    cues: &'a [Cue],
    i: usize,
    cue: &'a Cue,
    next: Option<&'a Cue>,
    /// The latest end among the cues before this one.
    prev_end: Option<Time>,
    /// Where the start may shift from.
    origin: Time,
    /// The room this cue may grow into: up to the next cue, less the minimum gap.
    limit: Option<Time>,
}

impl Ctx<'_> {
    fn profile(&self) -> &Profile {
        self.env.profile
    }

    /// The cue moved to `[start, end)`, when that is a repair: it moves something and keeps
    /// the fixer's promises. A repair that changes nothing is none: the fixer would loop on it.
    fn times(&self, start: Time, end: Time) -> Option<Repair> {
        let moves = start != self.cue.start || end != self.cue.end;
        (moves && self.valid(start, end)).then(|| Repair {
            start: start.reduced(),
            end: end.reduced(),
            text: None,
        })
    }

    /// Whether moving the cue to `[start, end)` keeps the fixer's promises: no new overlap,
    /// order kept, start within the allowed shift of `origin`, and still on every speech span
    /// it was on.
    fn valid(&self, start: Time, end: Time) -> bool {
        let (env, cue) = (self.env, self.cue);
        if start >= end {
            return false;
        }
        if let Some(pe) = self.prev_end {
            // No new overlap, and an overlap already there never grows.
            if (cue.start >= pe && start < pe) || (cue.start < pe && start < cue.start) {
                return false;
            }
        }
        if let Some(next) = self.next {
            if start > next.start
                || (cue.end <= next.start && end > next.start)
                || (cue.end > next.start && end > cue.end)
            {
                return false;
            }
        }
        if let Some(p) = self.i.checked_sub(1).and_then(|p| self.cues.get(p)) {
            if start < p.start {
                return false;
            }
        }
        let shift = env.frames(env.ref_frames(env.profile.max_start_shift_frames));
        if (start - self.origin).max(self.origin - start) > shift {
            return false;
        }
        if let Some(speech) = &env.speech {
            if speech.during(cue.start, cue.end).any(|(a, b)| !(a < end && start < b)) {
                return false;
            }
        }
        true
    }

    /// An end moved down to `limit` (the next cue less the gap), clear of shot-change windows
    /// when that still leaves a cue, else at `limit` itself.
    fn end_at_limit(&self) -> Option<Repair> {
        let l = self.limit?;
        let start = self.cue.start;
        self.env
            .legal_end_down(l)
            .and_then(|e| self.times(start, e))
            .or_else(|| self.times(start, l))
    }
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
    let next = cues.get(i + 1);
    let limit = next.map(|n| env.frames_before(n.start, env.min_gap()));
    let cx = Ctx { env, cues, i, cue, next, prev_end, origin, limit };
    frame_grid(&cx, &mut out);
    overlap(&cx, &mut out);
    line_layout(&cx, &mut out);
    shot_change_in(&cx, &mut out);
    shot_change_out(&cx, &mut out);
    max_duration(&cx, &mut out);
    min_gap(&cx, &mut out);
    chaining(&cx, &mut out);
    min_duration_and_reading_speed(&cx, &mut out);
    speech_sync(&cx, &mut out);
    out
}

fn push(out: &mut Vec<Finding>, rule: &'static str, message: String, repair: Option<Repair>) {
    out.push(Finding { rule, message, repair });
}

fn frame_grid(cx: &Ctx, out: &mut Vec<Finding>) {
    let (env, cue) = (cx.env, cx.cue);
    let grid_start = env.grid.snap(cue.start, Rounding::Nearest);
    let grid_end = env.grid.snap(cue.end, Rounding::Nearest);
    if cx.profile().frame_grid && !(near(grid_start, cue.start) && near(grid_end, cue.end)) {
        let end = if grid_end > grid_start { grid_end } else { grid_start + env.frames(1) };
        push(
            out,
            "frame-grid",
            format!("{} --> {} is not on the {} fps frame grid", cue.start, cue.end, env.grid.rate),
            cx.times(grid_start, end),
        );
    }
}

fn overlap(cx: &Ctx, out: &mut Vec<Finding>) {
    let Some(n) = cx.next.filter(|n| n.start < cx.cue.end) else { return };
    // Clearing an overlap matters more than the shot-change nicety, so fall back to the plain
    // limit when the shot-change-friendly end would not leave a cue.
    push(
        out,
        "overlap",
        format!("overlaps the next cue, which starts at {}", n.start),
        cx.end_at_limit(),
    );
}

/// Line length and line count, both mended by re-breaking the text.
fn line_layout(cx: &Ctx, out: &mut Vec<Finding>) {
    let (p, cue) = (cx.profile(), cx.cue);
    if p.max_line_chars.is_none() && p.max_lines.is_none() {
        return;
    }
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
                out,
                "line-length",
                format!("a line has {long} characters, more than {max}"),
                fixed(),
            );
        }
    }
    if let Some(max) = p.max_lines {
        if lines.len() > max as usize {
            push(out, "line-count", format!("{} lines, more than {max}", lines.len()), fixed());
        }
    }
}

/// In-time near a shot change: snapped to a cut just after or just before, or pulled back to
/// the profile's distance before a cut.
fn shot_change_in(cx: &Ctx, out: &mut Vec<Finding>) {
    let Some(sc) = &cx.profile().shot_change else { return };
    let (env, cue) = (cx.env, cx.cue);
    // The first cut after the start, or the last one at or before it.
    let at = env.cuts.partition_point(|&c| c <= cue.start);
    let after = env.cuts.get(at).copied();
    let on_cut = at > 0 && env.cuts.get(at - 1) == Some(&cue.start);
    let before = env.cuts.get(..at).and_then(|b| b.iter().rev().find(|&&c| c < cue.start)).copied();
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
                push(out, "shot-change", message, None);
            } else {
                target = Some((pulled, message));
            }
        }
    }
    if let (None, Some(c), false) = (&target, before, on_cut) {
        let k = env.grid.frames_between(c, cue.start);
        if (1..=env.ref_frames(sc.in_snap_after_frames)).contains(&k) {
            target = Some((c, format!("starts {k} frames after a shot change at {c}; snap to it")));
        }
    }
    if let Some((start, message)) = target {
        push(out, "shot-change", message, cx.times(start, cue.end));
    }
}

/// Out-time in a shot change's window: moved to the profile's gap before the cut.
fn shot_change_out(cx: &Ctx, out: &mut Vec<Finding>) {
    let Some(sc) = &cx.profile().shot_change else { return };
    let (env, cue) = (cx.env, cx.cue);
    let Some(c) = env.out_window(cue.end) else { return };
    let k = env.grid.frames_between(cue.end, c);
    let gap = sc.out_gap_frames;
    let end = c - env.frames(gap as i64);
    let where_ = if k >= 0 { format!("{k} frames before") } else { format!("{} frames after", -k) };
    // Cuts a few frames apart can leave no end that suits both: then it stays unfixed.
    let repair = env.legal_end_down(end).filter(|&e| e == end).and_then(|e| cx.times(cue.start, e));
    push(
        out,
        "shot-change",
        format!("ends {where_} a shot change at {c}; end {gap} frames before it"),
        repair,
    );
}

fn max_duration(cx: &Ctx, out: &mut Vec<Finding>) {
    let (env, cue) = (cx.env, cx.cue);
    let Some(max) = cx.profile().max_duration else { return };
    let dur = cue.duration();
    if dur > max + SLACK {
        let repair =
            env.legal_end_down(env.floor(cue.start + max)).and_then(|e| cx.times(cue.start, e));
        push(out, "max-duration", format!("lasts {dur}, more than {max}"), repair);
    }
}

fn min_gap(cx: &Ctx, out: &mut Vec<Finding>) {
    let (Some(n), Some(min_gap)) = (cx.next, cx.profile().min_gap_frames) else { return };
    let gap = cx.env.grid.frames_between(cx.cue.end, n.start);
    if n.start >= cx.cue.end && gap < min_gap as i64 {
        push(
            out,
            "min-gap",
            format!("{gap} frames before the next cue, fewer than {min_gap}"),
            cx.end_at_limit(),
        );
    }
}

/// A small gap to the next cue closed to the profile's chaining distance.
fn chaining(cx: &Ctx, out: &mut Vec<Finding>) {
    let p = cx.profile();
    let (env, cue) = (cx.env, cx.cue);
    let (Some(n), Some(ch)) = (cx.next, &p.chaining) else { return };
    let gap = env.grid.frames_between(cue.end, n.start);
    let close = ch.close_to_frames as i64;
    if gap > close && gap <= env.ref_frames(ch.max_gap_frames) {
        let end = env.frames_before(n.start, close);
        let legal = env.out_window(end).is_none();
        let short_enough = p.max_duration.is_none_or(|m| end - cue.start <= m);
        let repair = if legal && short_enough { cx.times(cue.start, end) } else { None };
        push(
            out,
            "chaining",
            format!("gap of {gap} frames to the next cue should close to {close}"),
            repair,
        );
    }
}

/// The cue grown to last `need`: the end first; when the next cue is too close, the start too,
/// but only away from shot changes (whose rules place starts exactly) and by less than the
/// allowed shift (a frame is kept for grid snapping).
fn grow(cx: &Ctx, need: Time, move_start: bool) -> Option<Repair> {
    let (env, cue, p) = (cx.env, cx.cue, cx.profile());
    let fits = |start: Time, end: Time| {
        cx.limit.is_none_or(|l| end <= l) && p.max_duration.is_none_or(|m| end - start <= m + SLACK)
    };
    let end = env.legal_end_up(env.ceil(cue.start + need));
    if fits(cue.start, end) {
        return cx.times(cue.start, end);
    }
    if !move_start {
        return None;
    }
    let end = env.legal_end_down(cx.limit?)?.max(cue.end);
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
    if cx.prev_end.is_some_and(|pe| env.grid.frames_between(pe, start) < env.min_gap()) {
        return None;
    }
    cx.times(start, end)
}

/// Minimum duration and reading speed, grown into free time together.
fn min_duration_and_reading_speed(cx: &Ctx, out: &mut Vec<Finding>) {
    let (p, cue) = (cx.profile(), cx.cue);
    let dur = cue.duration();
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
                out,
                "min-duration",
                format!("lasts {dur}, less than {min}"),
                grow(cx, need, true).or_else(|| grow(cx, min, false)),
            );
        }
    }
    if let (Some(read), Some(need)) = (reading, need) {
        if dur + SLACK < read {
            let (chars, words) = reading_load(&cue.text);
            let repair = grow(cx, need, true).or_else(|| grow(cx, read, false));
            push(
                out,
                "reading-speed",
                format!("{chars} characters / {words} words in {dur}: needs {read}"),
                repair,
            );
        }
    }
}

fn speech_sync(cx: &Ctx, out: &mut Vec<Finding>) {
    let (Some(tol), Some(speech)) = (cx.profile().speech_tolerance_ms, &cx.env.speech) else {
        return;
    };
    let cue = cx.cue;
    let tol = Time::from_millis(tol as i64);
    let on: Vec<(Time, Time)> = speech.during(cue.start, cue.end).collect();
    match (on.iter().map(|s| s.0).min(), on.iter().map(|s| s.1).max()) {
        (Some(first), Some(last)) => {
            if cue.start + tol < first {
                push(
                    out,
                    "speech-sync",
                    format!("starts more than {tol} before its speech at {first}"),
                    None,
                );
            }
            if cue.end > last + tol {
                push(
                    out,
                    "speech-sync",
                    format!("ends more than {tol} after its speech at {last}"),
                    None,
                );
            }
        }
        _ => push(out, "speech-sync", "no speech while the cue shows".into(), None),
    }
}
