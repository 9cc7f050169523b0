//! Size check: diffing two 1,000-clip / 10,000-cue timelines stays near-linear. The goal (10 ms
//! in wasm, release) is measured by the lead; here, in a debug build, a generous bound catches
//! anything quadratic, and the time is printed.

use outtake::remix::caption_diff::{caption_track, cue_marker};
use outtake::remix::{
    diff_timelines, ChangeKind, Clip, Composable, DiffOptions, ItemBase, MediaReference,
    RationalTime, TimeRange, Timeline, Track,
};
use outtake::Time;
use std::time::Instant;

fn big(edit: bool) -> Timeline {
    let mut t = Timeline::new("big");
    let mut v =
        Track { base: ItemBase::new("Track.1", "V1"), kind: "Video".into(), children: vec![] };
    for i in 0..1000i64 {
        let mut dur = 48 + (i * 7) % 100;
        let mut start = i * 1000;
        if edit && i % 50 == 0 {
            dur -= 10;
            start += 5;
        }
        let c = Clip::new(
            &format!("c{i}"),
            MediaReference::external(&format!("m{}.mov", i % 37), None),
            Some(TimeRange::new(
                RationalTime::frames(start, 24.0),
                RationalTime::frames(dur, 24.0),
            )),
        );
        v.children.push(Composable::Clip(c));
    }
    if edit {
        let c = v.children.remove(10);
        v.children.insert(900, c);
    }
    t.tracks.children.push(Composable::Track(v));
    let mut cap = caption_track("Captions");
    for i in 0..10_000i64 {
        let shift = if edit { 500 } else { 0 };
        let s = Time::from_millis(i * 2000 + shift);
        let text = if edit && i % 1000 == 3 {
            format!("changed words here {i}")
        } else {
            format!("some words here {i}")
        };
        let ws: Vec<(String, Time, Time)> = text
            .split(' ')
            .enumerate()
            .map(|(k, w)| {
                (
                    w.to_string(),
                    s + Time::from_millis(300 * k as i64),
                    s + Time::from_millis(300 * (k as i64 + 1)),
                )
            })
            .collect();
        cap.base.markers.push(cue_marker(&text, s, s + Time::from_millis(1200), &ws, 24.0));
    }
    t.tracks.children.push(Composable::Track(cap));
    t
}

#[test]
fn diff_of_big_timelines_is_fast() {
    let (a, b) = (big(false), big(true));
    let opts = DiffOptions::default();
    let t0 = Instant::now();
    let d = diff_timelines(&a, &b, &opts);
    let el = t0.elapsed();
    println!("diff 1,000 clips + 10,000 cues: {el:?} ({} changes)", d.changes.len());
    assert!(d.changes.iter().any(|c| c.kind == ChangeKind::Move && c.name == "c10"));
    assert_eq!(d.changes.iter().filter(|c| c.kind == ChangeKind::Text).count(), 10);
    assert!(el.as_millis() < 3000, "diff took {el:?}");
    let light = DiffOptions { summary_only: true, ..DiffOptions::default() };
    let t0 = Instant::now();
    let d2 = diff_timelines(&a, &b, &light);
    println!("diff 1,000 clips + 10,000 cues, summary only: {:?}", t0.elapsed());
    assert_eq!(d2.to_json(), d.to_json());
    // Clips alone (captions dropped).
    let strip = |t: &Timeline| {
        let mut t = t.clone();
        t.tracks.children.truncate(1);
        t
    };
    let (a1, b1) = (strip(&a), strip(&b));
    let t0 = Instant::now();
    let d = diff_timelines(&a1, &b1, &opts);
    println!("diff 1,000 clips: {:?} ({} changes)", t0.elapsed(), d.changes.len());
    assert_eq!(d.changes.iter().filter(|c| c.kind == ChangeKind::TrimTail).count(), 20);
}
