//! The cues of an SRT file as they are read, kept in the final vector, and the repair of their
//! timings in place once all are read (a missing side needs the cues after it).

use super::{Draft, Report, SrtError, REPAIRED_DURATION};
use crate::captions::model::Cue;
use crate::time::Time;

/// The cues read so far, with what repairing their timings needs beside each. A cue whose side
/// could not be read holds zero there until [`Drafts::repair_timings`].
#[derive(Default)]
pub(super) struct Drafts {
    pub(super) cues: Vec<Cue>,
    read: Vec<Read>,
    /// Why a side of cue `.0` could not be read: (cue, column, message); few, so kept apart.
    unreadable: Vec<(usize, usize, String)>,
}

/// How a cue's timing line read: its line (1-based), and which sides are as written.
struct Read {
    timing_line: usize,
    start: bool,
    end: bool,
}

impl Drafts {
    pub(super) fn push(&mut self, mut d: Draft) {
        if let Some((column, message)) = d.unreadable {
            self.unreadable.push((self.cues.len(), column, message));
        }
        self.read.push(Read {
            timing_line: d.timing_line,
            start: d.start.is_some(),
            end: d.end.is_some(),
        });
        d.text.shrink_to_fit();
        let (start, end) = (d.start.unwrap_or(Time::ZERO), d.end.unwrap_or(Time::ZERO));
        self.cues.push(Cue::new(start, end, d.text));
    }

    pub(super) fn extend(&mut self, d: Option<Draft>) {
        if let Some(d) = d {
            self.push(d);
        }
    }

    /// The last cue, back as a draft (text after a blank line joins it).
    pub(super) fn pop(&mut self) -> Option<Draft> {
        let cue = self.cues.pop()?;
        let read = self.read.pop()?;
        let k = self.cues.len();
        let unreadable = match self.unreadable.last() {
            Some((at, _, _)) if *at == k => self.unreadable.pop().map(|(_, c, m)| (c, m)),
            _ => None,
        };
        Some(Draft {
            start: read.start.then_some(cue.start),
            end: read.end.then_some(cue.end),
            timing_line: read.timing_line,
            unreadable,
            text: cue.text,
        })
    }

    /// Gives every cue a usable timing, saying what was repaired: a missing start follows the
    /// cue before; a missing or backward end becomes the next cue's start, or start + 2 s when
    /// that is sooner or there is none. Overlaps are reported, not repaired. In place, in order:
    /// the cues after `k` still hold their starts as read.
    pub(super) fn repair_timings(mut self, report: &mut Report) -> Result<Vec<Cue>, SrtError> {
        let mut latest_end: Option<Time> = None;
        let mut unreadable = self.unreadable.iter().peekable();
        for k in 0..self.cues.len() {
            let r = &self.read[k];
            let (read_start, read_end) =
                (r.start.then_some(self.cues[k].start), r.end.then_some(self.cues[k].end));
            let start = read_start
                .unwrap_or_else(|| k.checked_sub(1).map_or(Time::ZERO, |p| self.cues[p].end));
            let end = match read_end {
                Some(end) if end > start => end,
                _ => {
                    let fallback = start + REPAIRED_DURATION;
                    (k + 1..self.cues.len())
                        .filter(|&j| self.read[j].start)
                        .map(|j| self.cues[j].start)
                        .find(|&s| s > start)
                        .map_or(fallback, |s| s.min(fallback))
                }
            };
            let repaired = format!("{start} --> {end}");
            let why = unreadable.next_if(|(at, _, _)| *at == k);
            match (why, read_start, read_end) {
                (Some((_, column, message)), _, _) => report.repair(
                    r.timing_line,
                    *column,
                    "SRT_BAD_TIMING",
                    format!("{message}; timing repaired to {repaired}"),
                )?,
                (None, Some(s), Some(e)) if e <= s => report.repair(
                    r.timing_line,
                    1,
                    "SRT_EMPTY_TIMING",
                    format!(
                        "cue ends ({e}) before or when it starts ({s}); timing repaired to {repaired}"
                    ),
                )?,
                _ => {}
            }
            if let Some(prev_end) = latest_end.filter(|&e| start < e) {
                report.repair(
                    r.timing_line,
                    1,
                    "SRT_OVERLAP",
                    format!("cue starts at {start} before an earlier cue ends at {prev_end}"),
                )?;
            }
            latest_end = Some(latest_end.map_or(end, |e| e.max(end)));
            let cue = &mut self.cues[k];
            (cue.start, cue.end) = (start, end);
        }
        Ok(self.cues)
    }
}
