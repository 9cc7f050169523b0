//! Where a cue may end near shot changes: the out-time window around each cut (from `before`
//! frames ahead of it to `after` frames past it, except the frame `gap` ahead of it, where an
//! out-time belongs), indexed so that the nearest allowed out-time is a binary search away
//! however densely the cuts fall.

/// The out-time windows of sorted, distinct cuts, in frame numbers of one grid.
pub(crate) struct OutWindows {
    cuts: Vec<i64>,
    before: i64,
    after: i64,
    gap: i64,
    /// Frames some window reaches (its gap frame included), merged into disjoint sorted spans.
    spans: Vec<(i64, i64)>,
    /// The gap frames that no window covers, sorted: the allowed out-times inside `spans`.
    open_gaps: Vec<i64>,
    /// For each cut, where an end moved to its gap frame settles when each window it lands in
    /// sends it on to that window's gap frame; `None` when that goes round in a circle.
    settles: Vec<Option<i64>>,
}

impl OutWindows {
    /// `cuts` sorted and distinct; `before`, `after` and `gap` in frames.
    pub fn new(cuts: Vec<i64>, before: i64, after: i64, gap: i64) -> OutWindows {
        let mut w = OutWindows {
            cuts,
            before,
            after,
            gap,
            spans: Vec::new(),
            open_gaps: Vec::new(),
            settles: Vec::new(),
        };
        for &c in &w.cuts {
            let (lo, hi) = (c.saturating_sub(before), c.saturating_add(after));
            match w.spans.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => w.spans.push((lo, hi)),
            }
        }
        w.open_gaps = w.cuts.iter().map(|&c| w.gap_of(c)).filter(|&g| w.is_open(g)).collect();
        w.settles = w.settle_all();
        w
    }

    fn gap_of(&self, cut: i64) -> i64 {
        cut.saturating_sub(self.gap)
    }

    /// The first cut (in time order) whose window holds `frame`. At most two cuts need a look:
    /// those whose windows reach `frame` are consecutive, and only one has it as its gap frame.
    pub fn first_holding(&self, frame: i64) -> Option<usize> {
        let lo = self.cuts.partition_point(|&c| c < frame.saturating_sub(self.after));
        let hi = self.cuts.partition_point(|&c| c <= frame.saturating_add(self.before));
        (lo..hi).find(|&i| self.cuts.get(i).is_some_and(|&c| self.gap_of(c) != frame))
    }

    pub fn is_open(&self, frame: i64) -> bool {
        self.first_holding(frame).is_none()
    }

    /// The first frame at or after `frame` that no window holds.
    pub fn open_at_or_after(&self, frame: i64) -> i64 {
        let k = self.spans.partition_point(|s| s.1 < frame);
        match self.spans.get(k) {
            Some(&(lo, hi)) if lo <= frame => {
                let g = self.open_gaps.partition_point(|&g| g < frame);
                match self.open_gaps.get(g) {
                    Some(&g) if g <= hi => g,
                    _ => hi.saturating_add(1),
                }
            }
            _ => frame,
        }
    }

    /// Where an end at `frame` settles when every window it lands in sends it to that window's
    /// gap frame (first window first); `None` when that goes round in a circle.
    pub fn settle_from(&self, frame: i64) -> Option<i64> {
        match self.first_holding(frame) {
            None => Some(frame),
            Some(i) => self.settles.get(i).copied().flatten(),
        }
    }

    /// `settles` for every cut at once: each cut leads to one other (or to an open gap frame),
    /// so following each chain once and recording where it ends is linear in the cuts.
    fn settle_all(&self) -> Vec<Option<i64>> {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let n = self.cuts.len();
        let mut settles = vec![None; n];
        let mut state = vec![NEW; n];
        let mut path = Vec::new();
        for start in 0..n {
            if state[start] != NEW {
                continue;
            }
            let mut i = start;
            let end = loop {
                state[i] = ON_PATH;
                path.push(i);
                let g = self.gap_of(self.cuts[i]);
                match self.first_holding(g) {
                    None => break Some(g),
                    Some(j) if state[j] == NEW => i = j,
                    Some(j) if state[j] == ON_PATH => break None,
                    Some(j) => break settles[j],
                }
            };
            for p in path.drain(..) {
                settles[p] = end;
                state[p] = DONE;
            }
        }
        settles
    }
}
