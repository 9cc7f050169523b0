//! Re-timing captions through an edit list: every cue is mapped from source time to output time.
//!
//! A cue is cut into its parts inside each segment; each part moves to where the segment plays
//! and stretches by the segment's speed. Parts that end up touching in the output (a jump cut
//! inside a sentence) join again; parts that land apart (segments reordered or repeated) become
//! separate cues. With an output frame rate, both ends round to the nearest frame boundary.

use super::model::{Captions, Cue};
use crate::edit_list::{EditList, Segment};
use crate::time::{FrameGrid, Rounding, Time};
use serde::Serialize;

/// What re-timing did to the cues, by their index in the input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RetimeReport {
    /// Cues with nothing left: wholly cut, or shorter than a frame after rounding.
    pub dropped: Vec<usize>,
    /// Cues that became several cues, with how many.
    pub split: Vec<(usize, usize)>,
    /// Cues that lost part of their time to a cut (but survive).
    pub clipped: Vec<usize>,
}

/// Maps every cue to output time; see the module docs. Segments of every source count: captions
/// are taken to belong to the one input (see [`retime_source`] for multi-source lists).
pub fn retime(captions: &Captions, edits: &EditList) -> Captions {
    retime_with_report(captions, edits, None).0
}

/// As [`retime`], for captions of the media named `source`: only segments whose `source` is that
/// name (or unnamed) carry its cues, while every segment still takes its place in the output.
pub fn retime_source(
    captions: &Captions,
    edits: &EditList,
    source: &str,
) -> (Captions, RetimeReport) {
    retime_with_report(captions, edits, Some(source))
}

/// [`retime`] with the report of dropped, split and clipped cues; `source` as in [`retime_source`].
pub fn retime_with_report(
    captions: &Captions,
    edits: &EditList,
    source: Option<&str>,
) -> (Captions, RetimeReport) {
    let grid = edits.frame_rate.map(FrameGrid::new);
    let starts = edits.output_starts();
    let mut report = RetimeReport::default();
    // (input index, cue in output time)
    let mut placed: Vec<(usize, Cue)> = Vec::new();
    for (index, cue) in captions.cues.iter().enumerate() {
        let mut pieces: Vec<(Time, Time)> = Vec::new();
        let mut kept = Time::ZERO;
        for (seg, &out_start) in edits.segments.iter().zip(&starts) {
            if let (Some(want), Some(have)) = (source, seg.source.as_deref()) {
                if want != have {
                    continue;
                }
            }
            let a = cue.start.max(seg.start);
            let b = cue.end.min(seg.end);
            if a >= b {
                continue;
            }
            kept = kept + (b - a);
            let mut from = to_output(seg, out_start, a);
            let mut to = to_output(seg, out_start, b);
            if let Some(g) = grid {
                from = g.snap(from, Rounding::Nearest);
                to = g.snap(to, Rounding::Nearest);
            }
            if from < to {
                pieces.push((from, to));
            }
        }
        crate::sort::sort(&mut pieces);
        let mut merged: Vec<(Time, Time)> = Vec::new();
        for (from, to) in pieces {
            match merged.last_mut() {
                // Pieces of one cue never overlap (segments never do in the output), so touching
                // is the only way two of them meet.
                Some(last) if last.1 >= from => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        if merged.is_empty() {
            report.dropped.push(index);
            continue;
        }
        if kept < cue.duration() {
            report.clipped.push(index);
        }
        if merged.len() > 1 {
            report.split.push((index, merged.len()));
        }
        for (k, (from, to)) in merged.into_iter().enumerate() {
            let mut out = cue.clone();
            out.start = from.reduced();
            out.end = to.reduced();
            if k > 0 && !cue.id.is_empty() {
                out.id = format!("{}-{}", cue.id, k + 1);
            }
            placed.push((index, out));
        }
    }
    // Output order is time order; ties keep input order.
    crate::sort::sort_by(&mut placed, |a, b| a.1.start.cmp(&b.1.start).then(a.0.cmp(&b.0)));
    let blocks = captions
        .blocks
        .iter()
        .map(|b| {
            let mut b = b.clone();
            // A block stays before the first cue that came from at or after its old place.
            b.before_cue =
                placed.iter().position(|(i, _)| *i >= b.before_cue).unwrap_or(placed.len());
            b
        })
        .collect();
    let cues = placed.into_iter().map(|(_, c)| c).collect();
    (
        Captions {
            header: captions.header.clone(),
            cues,
            regions: captions.regions.clone(),
            blocks,
        },
        report,
    )
}

/// Where source instant `t` (inside `seg`) plays in the output.
fn to_output(seg: &Segment, out_start: Time, t: Time) -> Time {
    out_start + (t - seg.start).mul_ratio(seg.speed.den, seg.speed.num)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit_list::Speed;
    use crate::time::Rate;

    fn seg(start: i64, end: i64) -> Segment {
        Segment {
            source: None,
            start: Time::from_millis(start),
            end: Time::from_millis(end),
            speed: Speed::NORMAL,
        }
    }

    fn caps(cues: &[(i64, i64, &str)]) -> Captions {
        Captions {
            cues: cues
                .iter()
                .map(|&(s, e, t)| Cue::new(Time::from_millis(s), Time::from_millis(e), t))
                .collect(),
            ..Captions::default()
        }
    }

    fn times(c: &Captions) -> Vec<(i64, i64, &str)> {
        c.cues
            .iter()
            .map(|c| {
                (
                    c.start.millis(Rounding::Nearest),
                    c.end.millis(Rounding::Nearest),
                    c.text.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn cut_clip_and_join() {
        let edits = EditList { segments: vec![seg(0, 2000), seg(5000, 9000)], frame_rate: None };
        let c = caps(&[
            (500, 1500, "a"),
            (2500, 4000, "gone"),
            (1500, 6000, "joined"),
            (8000, 10000, "clipped"),
        ]);
        let (out, report) = retime_with_report(&c, &edits, None);
        assert_eq!(
            times(&out),
            vec![(500, 1500, "a"), (1500, 3000, "joined"), (5000, 6000, "clipped")]
        );
        assert_eq!(report.dropped, vec![1]);
        assert_eq!(report.clipped, vec![2, 3]);
        assert_eq!(report.split, vec![]);
    }

    #[test]
    fn reordered_and_repeated_segments_split_cues() {
        let edits = EditList {
            segments: vec![seg(2000, 3000), seg(0, 1000), seg(2000, 3000)],
            frame_rate: None,
        };
        let c = caps(&[(500, 2500, "x")]);
        let (out, report) = retime_with_report(&c, &edits, None);
        // [2000,2500) plays at 0 and again at 2000; [500,1000) plays at 1500 and touches the repeat.
        assert_eq!(times(&out), vec![(0, 500, "x"), (1500, 2500, "x")]);
        assert_eq!(report.split, vec![(0, 2)]);
    }

    #[test]
    fn speed_and_frame_grid() {
        let mut s = seg(1000, 5000);
        s.speed = Speed { num: 2, den: 1 };
        let edits = EditList { segments: vec![s], frame_rate: Some(Rate::new(25, 1).unwrap()) };
        let c = caps(&[(1000, 2010, "fast"), (3000, 3030, "tiny")]);
        let (out, report) = retime_with_report(&c, &edits, None);
        // 1010 ms at 2x is 505 ms: rounds to 0.52 s (frame 13); 15 ms rounds to nothing.
        assert_eq!(times(&out), vec![(0, 520, "fast")]);
        assert_eq!(report.dropped, vec![1]);
    }

    #[test]
    fn other_sources_take_their_place_but_carry_nothing() {
        let mut other = seg(0, 1000);
        other.source = Some("b.mp4".into());
        let mut mine = seg(0, 1000);
        mine.source = Some("a.mp4".into());
        let edits = EditList { segments: vec![other, mine], frame_rate: None };
        let (out, _) = retime_source(&caps(&[(0, 500, "a")]), &edits, "a.mp4");
        assert_eq!(times(&out), vec![(1000, 1500, "a")]);
    }
}
