//! Blame over a chain of remixes of a real timeline: each clip and caption word is traced to the
//! node that introduced it and the node that last changed it; ripples and shifts change nothing.

mod common;

use outtake::remix::caption_diff::{caption_track, cue_marker};
use outtake::remix::{
    blame, import_otio, Chain, Clip, Composable, DiffOptions, Effect, ItemBase, MediaReference,
    RationalTime, TimeRange, Timeline, Track,
};
use outtake::Time;
use serde_json::json;
use std::time::Instant;

fn cue(text: &str, s: i64) -> outtake::remix::Marker {
    let s = Time::from_millis(s);
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
    cue_marker(text, s, s + Time::from_millis(1500), &ws, 24.0)
}

fn clips(t: &mut Timeline) -> &mut Vec<Composable> {
    &mut t.track_list_mut().next().unwrap().children
}

fn clip<'a>(t: &'a mut Timeline, name: &str) -> &'a mut Clip {
    clips(t)
        .iter_mut()
        .find_map(|c| match c {
            Composable::Clip(c) if c.base.name() == name => Some(c),
            _ => None,
        })
        .unwrap()
}

fn trim_tail(t: &mut Timeline, name: &str, frames: f64) {
    let c = clip(t, name);
    let r = c.trimmed_range().unwrap();
    c.base.source_range = Some(TimeRange::new(
        r.start_time.clone(),
        RationalTime::new(r.duration.value() - frames, r.duration.rate()),
    ));
}

#[test]
fn blame_names_who_introduced_and_changed() {
    let Some(text) = common::read("open-content/SolLevante_Animatics_ver1_H264.otio") else {
        return;
    };
    let mut t0 = import_otio(&text).unwrap();
    let mut cap = caption_track("Captions");
    cap.base.markers = vec![cue("hello there", 0), cue("general kenobi", 2000)];
    t0.tracks.children.push(Composable::Track(cap));
    let mut chain = Chain::new();
    let n0 = chain.add(&[], "a", "t0", "import", t0.clone()).unwrap();
    let mut t1 = t0.clone();
    trim_tail(&mut t1, "C005", 5.0);
    let new = Clip::new(
        "New",
        MediaReference::external("new.mov", None),
        Some(TimeRange::new(RationalTime::new(0.0, 24.0), RationalTime::new(24.0, 24.0))),
    );
    clips(&mut t1).insert(2, Composable::Clip(new));
    let n1 = chain.add(&[&n0], "b", "t1", "trim and insert", t1.clone()).unwrap();
    let mut t2 = t1.clone();
    clip(&mut t2, "C030").base.effects.push(Effect::linear_time_warp(2.0));
    let c = clips(&mut t2).remove(12);
    clips(&mut t2).insert(40, c);
    {
        let tr = t2.track_list_mut().last().unwrap();
        tr.base.markers[1] = cue("general grievous", 2000);
    }
    let n2 = chain.add(&[&n1], "c", "t2", "speed, move, reword", t2.clone()).unwrap();
    let mut t3 = t2.clone();
    trim_tail(&mut t3, "C005", 2.0);
    let n3 = chain.add(&[&n2], "d", "t3", "trim again", t3).unwrap();

    let b = blame(&chain, &n3, &DiffOptions::default()).unwrap();
    // The same over the lineage held outside a chain (as the wasm bindings hold it).
    assert_eq!(
        outtake::remix::blame_lineage(&chain.lineage(&n3).unwrap(), &DiffOptions::default())
            .unwrap(),
        b
    );
    let origin = |name: &str| {
        let i = b.tracks[0].items.iter().find(|i| i.name == name).unwrap();
        (i.origin.introduced.clone(), i.origin.changed.clone())
    };
    assert_eq!(origin("C005"), (n0.clone(), n3.clone()));
    assert_eq!(origin("New"), (n1.clone(), n1.clone()));
    assert_eq!(origin("C030"), (n0.clone(), n2.clone()));
    assert_eq!(origin("C011"), (n0.clone(), n2.clone()), "moved clip");
    assert_eq!(origin("C020"), (n0.clone(), n0.clone()), "rippled only");
    let w = &b.tracks[1].words;
    let wo = |t: &str| {
        w.iter()
            .find(|x| x.text == t)
            .map(|x| (x.origin.introduced.clone(), x.origin.changed.clone()))
            .unwrap()
    };
    assert_eq!(wo("grievous"), (n2.clone(), n2.clone()));
    assert_eq!(wo("general"), (n0.clone(), n0.clone()));
    assert_eq!(b.tracks[0].items.len(), 64);
    assert!(b.summary().contains("'C005'"));
}

#[test]
fn blame_over_a_long_chain_is_fast() {
    let mut t = Timeline::new("big");
    let mut v =
        Track { base: ItemBase::new("Track.1", "V"), kind: "Video".into(), children: vec![] };
    for i in 0..1000i64 {
        v.children.push(Composable::Clip(Clip::new(
            &format!("c{i}"),
            MediaReference::external("m.mov", None),
            Some(TimeRange::new(
                RationalTime::frames(i * 100, 24.0),
                RationalTime::frames(50, 24.0),
            )),
        )));
    }
    t.tracks.children.push(Composable::Track(v));
    let mut chain = Chain::new();
    let mut last = chain.add(&[], "a", "0", "root", t.clone()).unwrap();
    for step in 1..100usize {
        let k = (step * 37) % 1000;
        if let Composable::Clip(c) = &mut clips(&mut t)[k] {
            c.base.source_range = Some(TimeRange::new(
                RationalTime::frames(k as i64 * 100, 24.0),
                RationalTime::frames(40, 24.0),
            ));
        }
        last = chain.add(&[&last], "a", &step.to_string(), "trim", t.clone()).unwrap();
    }
    let t0 = Instant::now();
    let b = blame(&chain, &last, &DiffOptions::default()).unwrap();
    println!("blame over 100 steps x 1,000 clips: {:?}", t0.elapsed());
    let changed =
        b.tracks[0].items.iter().filter(|i| i.origin.changed != i.origin.introduced).count();
    assert_eq!(changed, 99);
}

/// A word left where it was while most words moved keeps its "changed" origin, as the diff
/// reports no change for it.
#[test]
fn words_left_in_place_keep_their_blame() {
    let captions = |shift: i64| {
        let mut t = Timeline::new("captions");
        let mut cap = caption_track("Captions");
        cap.base.markers = vec![
            cue("hello", 2300),
            cue("one two three", 4000 + shift),
            cue("four five", 6000 + shift),
        ];
        t.tracks.children.push(Composable::Track(cap));
        t
    };
    let mut chain = Chain::new();
    let n0 = chain.add(&[], "a", "t0", "import", captions(0)).unwrap();
    let n1 = chain.add(&[&n0], "b", "t1", "later", captions(500)).unwrap();
    let b = blame(&chain, &n1, &DiffOptions::default()).unwrap();
    let changed = |t: &str| {
        b.tracks[0].words.iter().find(|w| w.text == t).map(|w| w.origin.changed.clone()).unwrap()
    };
    assert_eq!(changed("hello"), n0);
    assert_eq!(changed("one"), n0, "moved by the shift most words share");
    // The JSON form gives times as numbers of seconds (not "23/10").
    let words = &b.to_json()["tracks"][0]["words"];
    assert_eq!((&words[0]["start"], &words[0]["end"]), (&json!(2.3), &json!(2.6)));
    assert_eq!(words[1]["start"], json!(4.5));
}
