//! What the rules know besides the cue: the profile, the frame grid, the shot changes (with
//! their out-time windows indexed) and the speech, prepared once per file, with the frame
//! arithmetic the rules share.

use super::out_windows::OutWindows;
use super::profile::Profile;
use crate::time::{FrameGrid, Rate, Rounding, Time};

/// The profile and the facts about the video that the rules need, prepared once.
pub(crate) struct Env<'a> {
    pub profile: &'a Profile,
    pub grid: FrameGrid,
    /// Shot changes on the frame grid, sorted.
    pub cuts: Vec<Time>,
    pub speech: Option<Speech>,
    /// The out-time windows of `cuts`, when the profile has shot-change rules.
    windows: Option<OutWindows>,
}

impl<'a> Env<'a> {
    pub fn new(
        profile: &'a Profile,
        rate: Rate,
        shot_changes: &[Time],
        speech: Option<&[(Time, Time)]>,
    ) -> Env<'a> {
        let grid = FrameGrid::new(rate);
        let mut cuts: Vec<Time> =
            shot_changes.iter().map(|&c| grid.snap(c, Rounding::Nearest)).collect();
        crate::sort::sort(&mut cuts);
        cuts.dedup();
        let speech = speech.map(Speech::new);
        let mut env = Env { profile, grid, cuts, speech, windows: None };
        if let Some(sc) = &profile.shot_change {
            let frames = env.cuts.iter().map(|&c| env.grid.frame_at(c, Rounding::Nearest));
            env.windows = Some(OutWindows::new(
                frames.collect(),
                env.ref_frames(sc.out_before_frames),
                env.ref_frames(sc.out_after_frames),
                sc.out_gap_frames as i64,
            ));
        }
        env
    }

    /// `n` real frames as a duration.
    pub fn frames(&self, n: i64) -> Time {
        self.grid.time_of(n) - self.grid.origin
    }

    /// `n` frames of the profile's reference rate, at the real rate.
    pub fn ref_frames(&self, n: u32) -> i64 {
        self.profile.frames_at(n, self.grid.rate)
    }

    /// `k` frames before the frame boundary nearest `t`: gaps are counted between nearest
    /// boundaries (as [`FrameGrid::frames_between`] does), so targets must be too.
    pub fn frames_before(&self, t: Time, k: i64) -> Time {
        self.grid.time_of(self.grid.frame_at(t, Rounding::Nearest) - k)
    }

    pub fn floor(&self, t: Time) -> Time {
        self.grid.snap(t, Rounding::Floor)
    }

    pub fn ceil(&self, t: Time) -> Time {
        self.grid.snap(t, Rounding::Ceil)
    }

    pub fn min_gap(&self) -> i64 {
        self.profile.min_gap_frames.unwrap_or(0) as i64
    }

    /// The cuts within `frames` frames of `t` (either side), found by binary search so that
    /// long films with many cuts stay fast.
    pub fn cuts_near(&self, t: Time, frames: i64) -> &[Time] {
        let reach = self.frames(frames.saturating_add(1));
        let lo = self.cuts.partition_point(|&c| c < t - reach);
        let hi = self.cuts.partition_point(|&c| c <= t + reach);
        self.cuts.get(lo..hi).unwrap_or(&[])
    }

    /// Whether an out-time at `t` sits in a shot-change window, and which cut.
    pub fn out_window(&self, t: Time) -> Option<Time> {
        let w = self.windows.as_ref()?;
        let i = w.first_holding(self.grid.frame_at(t, Rounding::Nearest))?;
        self.cuts.get(i).copied()
    }

    /// The nearest out-time at or after `t` that no shot-change rule would move.
    pub fn legal_end_up(&self, t: Time) -> Time {
        let Some(w) = &self.windows else { return t };
        let frame = self.grid.frame_at(t, Rounding::Nearest);
        let open = w.open_at_or_after(frame);
        if open == frame {
            t
        } else {
            self.grid.time_of(open)
        }
    }

    /// Where an out-time at `t` settles when moved to the gap frame of each shot-change window
    /// it lands in (usually down, to the frames kept before the cut); `None` when those windows
    /// send it round in a circle.
    pub fn legal_end_down(&self, t: Time) -> Option<Time> {
        let Some(w) = &self.windows else { return Some(t) };
        let frame = self.grid.frame_at(t, Rounding::Nearest);
        match w.settle_from(frame)? {
            f if f == frame => Some(t),
            f => Some(self.grid.time_of(f)),
        }
    }
}

/// Speech spans sorted by start, with the latest end so far, so that the spans under a cue are
/// a binary search away rather than a scan of the whole film.
pub(crate) struct Speech {
    spans: Vec<(Time, Time)>,
    latest_end: Vec<Time>,
}

impl Speech {
    fn new(spans: &[(Time, Time)]) -> Speech {
        let mut spans = spans.to_vec();
        crate::sort::sort_by_key(&mut spans, |s| s.0);
        let mut latest: Option<Time> = None;
        let latest_end =
            spans.iter().map(|s| *latest.insert(latest.map_or(s.1, |l| l.max(s.1)))).collect();
        Speech { spans, latest_end }
    }

    /// The spans that overlap `[start, end)`: those starting before `end`, less those that end
    /// by `start` (found by the latest end, except spans inside an earlier, longer one).
    pub fn during(&self, start: Time, end: Time) -> impl Iterator<Item = (Time, Time)> + '_ {
        let hi = self.spans.partition_point(|s| s.0 < end);
        let lo = self.latest_end.get(..hi).map_or(0, |e| e.partition_point(|&m| m <= start));
        self.spans.get(lo..hi).unwrap_or(&[]).iter().copied().filter(move |s| s.1 > start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The walk the window index replaced, one window at a time with a scan of the cuts near
    /// each: slow when windows chain (a film with a cut every few frames), but plainly the rule.
    struct Walk<'a>(&'a Env<'a>);

    impl Walk<'_> {
        fn out_window(&self, t: Time) -> Option<Time> {
            let env = self.0;
            let sc = env.profile.shot_change.as_ref()?;
            let before = env.ref_frames(sc.out_before_frames);
            let after = env.ref_frames(sc.out_after_frames);
            let gap = sc.out_gap_frames as i64;
            env.cuts_near(t, before.max(after)).iter().copied().find(|&c| {
                let k = env.grid.frames_between(t, c);
                (0..=before).contains(&k) && k != gap || (-after..=-1).contains(&k)
            })
        }

        fn gap(&self) -> i64 {
            self.0.profile.shot_change.as_ref().map_or(0, |s| s.out_gap_frames as i64)
        }

        /// NOTE: the walk moves up every step, landing on a cut's gap frame or just past its
        /// window, so it settles within two steps a cut. The old code gave up after one step a
        /// cut, and so missed allowed ends past chained windows (cuts 0, 2, 14 and 22 frames with
        /// windows of 12 before, 2 after: from 0 it walks 2, 3, 5, 14, 22).
        fn up(&self, mut t: Time) -> Option<Time> {
            let env = self.0;
            for _ in 0..=2 * env.cuts.len() {
                let Some(c) = self.out_window(t) else { return Some(t) };
                let sc = env.profile.shot_change.as_ref()?;
                let before_cut = c - env.frames(self.gap());
                t = if before_cut >= t {
                    before_cut
                } else {
                    c + env.frames(env.ref_frames(sc.out_after_frames) + 1)
                };
            }
            None
        }

        fn down(&self, mut t: Time) -> Option<Time> {
            for _ in 0..=self.0.cuts.len() {
                let Some(c) = self.out_window(t) else { return Some(t) };
                t = c - self.0.frames(self.gap());
            }
            None
        }
    }

    fn profile(before: u32, after: u32, gap: u32, reference: Option<u32>) -> Profile {
        let reference = reference.map_or(String::new(), |r| format!(r#","referenceFps": {r}"#));
        Profile::from_json(&format!(
            r#"{{"name": "t", "shotChange": {{"inSnapBeforeFrames": 7,
                "inPullBeforeFrames": [8, 11], "inPullToFrames": 12,
                "outBeforeFrames": {before}, "outAfterFrames": {after},
                "outGapFrames": {gap}}}{reference}}}"#
        ))
        .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn speech_during_is_every_overlapping_span(
            spans in prop::collection::vec((0i64..2_000, -100i64..800), 0..40),
            cues in prop::collection::vec((-100i64..2_100, 0i64..600), 1..20),
        ) {
            let ms = Time::from_millis;
            let spans: Vec<(Time, Time)> = spans.into_iter().map(|(a, d)| (ms(a), ms(a + d))).collect();
            let speech = Speech::new(&spans);
            for (s, d) in cues {
                let (s, e) = (ms(s), ms(s + d));
                let mut got: Vec<_> = speech.during(s, e).collect();
                let mut want: Vec<_> = spans.iter().copied().filter(|&(a, b)| a < e && s < b).collect();
                got.sort();
                want.sort();
                prop_assert_eq!(got, want);
            }
        }

        #[test]
        fn window_index_agrees_with_the_walk(
            before in 0u32..16,
            after in 0u32..10,
            gap in 0u32..8,
            reference in prop::option::of(prop::sample::select(vec![24u32, 25, 30])),
            rate in prop::sample::select(vec![(24u32, 1u32), (25, 1), (30000, 1001), (60, 1)]),
            // Dense cuts, so that windows chain and overlap.
            cuts in prop::collection::vec(0i64..4_000, 0..48),
            times in prop::collection::vec(-500i64..4_500, 1..48),
        ) {
            let p = profile(before, after, gap, reference);
            let cuts: Vec<Time> = cuts.into_iter().map(Time::from_millis).collect();
            let env = Env::new(&p, Rate::new(rate.0, rate.1).unwrap(), &cuts, None);
            let walk = Walk(&env);
            for t in times.into_iter().map(Time::from_millis) {
                prop_assert_eq!(env.out_window(t), walk.out_window(t), "out_window({})", t);
                prop_assert_eq!(Some(env.legal_end_up(t)), walk.up(t), "legal_end_up({})", t);
                prop_assert_eq!(env.legal_end_down(t), walk.down(t), "legal_end_down({})", t);
            }
        }
    }
}
