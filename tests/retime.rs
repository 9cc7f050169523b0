//! Re-timing against the exact analytical mapping, on random edit lists and caption files.

use outtake::captions::retime::{retime, retime_with_report};
use outtake::captions::{Captions, Cue};
use outtake::edit_list::{EditList, Segment, Speed};
use outtake::{FrameGrid, Rate, Rounding, Time};
use proptest::prelude::*;

const SPEEDS: [(i64, i64); 6] = [(1, 1), (2, 1), (1, 2), (3, 2), (2, 3), (1, 3)];

fn edit_list() -> impl Strategy<Value = EditList> {
    prop::collection::vec((0i64..20_000, 1i64..6_000, 0usize..SPEEDS.len()), 1..8).prop_map(
        |segs| EditList {
            segments: segs
                .into_iter()
                .map(|(start, len, sp)| Segment {
                    source: None,
                    start: Time::from_millis(start),
                    end: Time::from_millis(start + len),
                    speed: Speed { num: SPEEDS[sp].0, den: SPEEDS[sp].1 },
                })
                .collect(),
            frame_rate: None,
        },
    )
}

/// Cues with distinct texts (so an output cue names its origin), overlapping at times.
fn captions() -> impl Strategy<Value = Captions> {
    prop::collection::vec((0i64..25_000, 1i64..4_000), 1..15).prop_map(|cues| Captions {
        cues: cues
            .into_iter()
            .enumerate()
            .map(|(i, (s, d))| {
                Cue::new(Time::from_millis(s), Time::from_millis(s + d), format!("cue {i}"))
            })
            .collect(),
        ..Captions::default()
    })
}

/// Output time of source instant `t` played by segment `k`.
fn forward(edits: &EditList, k: usize, t: Time) -> Time {
    let s = &edits.segments[k];
    edits.output_starts()[k] + (t - s.start).mul_ratio(s.speed.den, s.speed.num)
}

/// Source instant shown at output time `u`, if any segment plays then.
fn backward(edits: &EditList, u: Time) -> Option<Time> {
    let starts = edits.output_starts();
    edits.segments.iter().zip(starts).find_map(|(s, o)| {
        let len = s.output_duration();
        (u >= o && u < o + len).then(|| s.start + (u - o).mul_ratio(s.speed.num, s.speed.den))
    })
}

/// Sample instants of `[a, b)`: both ends' neighbourhoods and a few in between.
fn samples(a: Time, b: Time) -> Vec<Time> {
    let d = b - a;
    (0..8)
        .map(|k| a + d.mul_ratio(k, 8))
        .chain([b - Time::new(1, 1_000_000)])
        .filter(|t| *t >= a && *t < b)
        .collect()
}

proptest! {
    #[test]
    fn every_source_instant_lands_where_the_mapping_says(caps in captions(), edits in edit_list()) {
        let out = retime(&caps, &edits);
        for (ci, cue) in caps.cues.iter().enumerate() {
            for (k, s) in edits.segments.iter().enumerate() {
                let (a, b) = (cue.start.max(s.start), cue.end.min(s.end));
                if a >= b { continue; }
                for t in samples(a, b) {
                    let u = forward(&edits, k, t);
                    prop_assert!(
                        out.cues.iter().any(|o| o.text == cue.text && o.start <= u && u < o.end),
                        "cue {} instant {} (segment {}) should show at {}", ci, t, k, u
                    );
                }
            }
        }
    }

    #[test]
    fn nothing_extra_is_shown(caps in captions(), edits in edit_list()) {
        let (out, report) = retime_with_report(&caps, &edits, None);
        for o in &out.cues {
            prop_assert!(o.start < o.end);
            for u in samples(o.start, o.end) {
                let t = backward(&edits, u);
                prop_assert!(t.is_some(), "output {} shows {:?} outside every segment", u, o.text);
                let t = t.unwrap();
                prop_assert!(
                    caps.cues.iter().any(|c| c.text == o.text && c.start <= t && t < c.end),
                    "output {} shows {:?} but source {} is outside it", u, o.text, t
                );
            }
        }
        // Pieces of one cue that touch were joined.
        for (i, a) in out.cues.iter().enumerate() {
            for b in &out.cues[i + 1..] {
                prop_assert!(!(a.text == b.text && (a.end == b.start || b.end == a.start)), "unjoined pieces of {:?}", a.text);
            }
        }
        // Every input cue is either dropped or present, never both.
        for (i, c) in caps.cues.iter().enumerate() {
            let present = out.cues.iter().any(|o| o.text == c.text);
            prop_assert_eq!(present, !report.dropped.contains(&i));
        }
        prop_assert!(out.cues.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn frame_grid_landing(caps in captions(), mut edits in edit_list(), rate in prop::sample::select(vec![(24, 1), (25, 1), (30000, 1001), (60, 1)])) {
        let exact = retime(&caps, &edits);
        edits.frame_rate = Some(Rate::new(rate.0, rate.1).unwrap());
        let grid = FrameGrid::new(edits.frame_rate.unwrap());
        let snapped = retime(&caps, &edits);
        let half = grid.rate.frame_duration().mul_ratio(1, 2);
        for o in &snapped.cues {
            prop_assert!(o.start < o.end);
            prop_assert_eq!(grid.snap(o.start, Rounding::Floor), o.start);
            prop_assert_eq!(grid.snap(o.end, Rounding::Floor), o.end);
            // Each end lies within half a frame of an exact piece boundary of the same cue.
            let near = |t: Time| exact.cues.iter().filter(|e| e.text == o.text)
                .any(|e| (e.start - t).max(t - e.start) <= half || (e.end - t).max(t - e.end) <= half);
            prop_assert!(near(o.start) && near(o.end), "{:?} not within half a frame of {:?}", o, exact.cues);
        }
        // Snapping is monotonic: an output without overlaps stays without overlaps.
        let overlaps = |c: &Captions| c.cues.windows(2).any(|w| w[1].start < w[0].end)
            || c.cues.iter().enumerate().any(|(i, a)| c.cues[i + 1..].iter().any(|b| a.start < b.end && b.start < a.end));
        if !overlaps(&exact) {
            prop_assert!(!overlaps(&snapped));
        }
    }
}

#[test]
fn edit_list_json_end_to_end() {
    let edits = EditList::from_json(r#"{"frameRate": 25, "segments": [{"start": 10, "end": 20}, {"start": 0, "end": 5, "speed": 2}]}"#).unwrap();
    let caps = Captions {
        cues: vec![
            Cue::new(Time::from_millis(1_000), Time::from_millis(3_000), "early"),
            Cue::new(Time::from_millis(12_000), Time::from_millis(14_000), "late"),
        ],
        ..Captions::default()
    };
    let out = retime(&caps, &edits);
    let got: Vec<_> = out.cues.iter().map(|c| (c.text.as_str(), c.start, c.end)).collect();
    assert_eq!(
        got,
        vec![
            ("late", Time::from_millis(2_000), Time::from_millis(4_000)),
            // 10.5 s and 11.5 s are half-way between 25 fps frames: halves round up.
            ("early", Time::from_millis(10_520), Time::from_millis(11_520)),
        ]
    );
}
