//! Random edit scripts applied to the real timelines are recovered by the diff: each script trims,
//! slips, speeds up, disables, re-links, removes, moves and inserts clips; the diff must name the
//! same operations on the same clips (ripples aside) in at least 99% of scripts, and replaying
//! the diff must always give the edited arrangement.

mod common;

use outtake::remix::json::Json;
use outtake::remix::{
    apply, arrangement, diff_timelines, import_otio, ChangeKind, ChangeTarget, Clip, Composable,
    DiffOptions, Effect, Identity, MediaReference, RationalTime, TimeRange, Timeline,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug)]
enum Op {
    TrimHead,
    TrimTail,
    Slip,
    Speed,
    Disable,
    SwapMedia,
    Remove,
}

/// Applies a script to the first track holding clips; returns the edited timeline and the
/// operations the diff should report as (kind, clip name).
fn edit(
    t: &Timeline,
    ops: &[(usize, Op)],
    mv: Option<(usize, usize)>,
    ins: Option<usize>,
    with_uids: bool,
) -> (Timeline, BTreeSet<(String, String)>) {
    let mut t = t.clone();
    let mut want = BTreeSet::new();
    let track = t
        .track_list_mut()
        .find(|tr| tr.children.iter().filter(|c| matches!(c, Composable::Clip(_))).count() >= 5)
        .unwrap();
    let clip_idx: Vec<usize> = track
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Composable::Clip(_)))
        .map(|(i, _)| i)
        .collect();
    let mut removed = BTreeSet::new();
    let mut used = BTreeSet::new();
    for &(k, op) in ops {
        let idx = clip_idx[k % clip_idx.len()];
        if !used.insert(idx) {
            continue;
        }
        let Composable::Clip(c) = &mut track.children[idx] else { unreachable!() };
        let name = c.base.name().to_string();
        let r = c.trimmed_range().unwrap();
        let (sv, dv, rate) = (r.start_time.value(), r.duration.value(), r.duration.rate());
        let d = (dv / 3.0).floor().max(1.0);
        let kind = match op {
            Op::TrimHead => {
                c.base.source_range = Some(TimeRange::new(
                    RationalTime::new(sv + d, r.start_time.rate()),
                    RationalTime::new(dv - d, rate),
                ));
                "trim_head"
            }
            Op::TrimTail => {
                c.base.source_range =
                    Some(TimeRange::new(r.start_time.clone(), RationalTime::new(dv - d, rate)));
                "trim_tail"
            }
            Op::Slip => {
                c.base.source_range = Some(TimeRange::new(
                    RationalTime::new(sv + d, r.start_time.rate()),
                    r.duration.clone(),
                ));
                "slip"
            }
            Op::Speed => {
                c.base.effects.push(Effect::linear_time_warp(2.0));
                "speed"
            }
            Op::Disable => {
                c.base.enabled = false;
                "disable"
            }
            Op::SwapMedia if with_uids => {
                *c.media_mut().unwrap() = MediaReference::external("replacement.mov", None);
                "swap_media"
            }
            Op::SwapMedia => continue,
            Op::Remove => {
                removed.insert(idx);
                "remove"
            }
        };
        want.insert((kind.to_string(), name));
    }
    let mut kids: Vec<Composable> = track
        .children
        .drain(..)
        .enumerate()
        .filter(|(i, _)| !removed.contains(i))
        .map(|(_, c)| c)
        .collect();
    if let Some((from, to)) = mv {
        let clips: Vec<usize> = kids
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                matches!(c, Composable::Clip(_))
                    && !used.contains(&clip_pos(&clip_idx, &removed, *i))
            })
            .map(|(i, _)| i)
            .collect();
        if clips.len() > 10 {
            let f = clips[from % clips.len()];
            let to = to % kids.len();
            if f.abs_diff(to) >= 4 {
                let item = kids.remove(f);
                if let Composable::Clip(c) = &item {
                    want.insert(("move".into(), c.base.name().into()));
                }
                kids.insert(to.min(kids.len()), item);
            }
        }
    }
    if let Some(at) = ins {
        let mut c = Clip::new(
            "Inserted",
            MediaReference::external("inserted.mov", None),
            Some(TimeRange::new(RationalTime::new(0.0, 24.0), RationalTime::new(48.0, 24.0))),
        );
        c.base.set_meta("outtake", "uid", Json::str("uid-new"));
        kids.insert(at % (kids.len() + 1), Composable::Clip(c));
        want.insert(("insert".into(), "Inserted".into()));
    }
    track.children = kids;
    (t, want)
}

/// The original child index of the clip now at `i` (to keep moved clips distinct from edited ones).
fn clip_pos(_clip_idx: &[usize], removed: &BTreeSet<usize>, i: usize) -> usize {
    let mut orig = 0;
    let mut seen = 0;
    loop {
        if !removed.contains(&orig) {
            if seen == i {
                return orig;
            }
            seen += 1;
        }
        orig += 1;
    }
}

fn with_uids(t: &Timeline) -> Timeline {
    let mut t = t.clone();
    let mut n = 0;
    for tr in t.track_list_mut() {
        for c in &mut tr.children {
            if let Composable::Clip(c) = c {
                n += 1;
                c.base.set_meta("outtake", "uid", Json::str(format!("uid-{n}")));
            }
        }
    }
    t
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::TrimHead),
        Just(Op::TrimTail),
        Just(Op::Slip),
        Just(Op::Speed),
        Just(Op::Disable),
        Just(Op::SwapMedia),
        Just(Op::Remove)
    ]
}

#[test]
fn random_edit_scripts_are_recovered() {
    let names = [
        "SolLevante_Animatics_ver1_H264.otio",
        "Meridian_UHD4k5994_HDR_P3PQ.otio",
        "STEM2_4k_ctm_ACES_239.otio",
    ];
    let mut timelines = vec![];
    for n in names {
        let Some(text) = common::read(&format!("open-content/{n}")) else { return };
        timelines.push(import_otio(&text).unwrap());
    }
    let (mut total, mut exact) = (0usize, 0usize);
    let mut misses = vec![];
    let mut kinds_seen: std::collections::BTreeMap<String, usize> = Default::default();
    for (ti, base) in timelines.iter().enumerate() {
        for uids in [true, false] {
            let a = if uids { with_uids(base) } else { base.clone() };
            let opts = DiffOptions {
                identity: if uids { Identity::Uid } else { Identity::Media },
                ..Default::default()
            };
            let mut runner = TestRunner::new(Config { cases: 100, ..Config::default() });
            let strat = (
                prop::collection::vec((0usize..1000, op_strategy()), 0..5),
                prop::option::of((0usize..1000, 0usize..1000)),
                prop::option::of(0usize..1000),
            );
            for _ in 0..100 {
                let (ops, mv, ins) = strat.new_tree(&mut runner).unwrap().current();
                let (b, want) = edit(&a, &ops, mv, ins, uids);
                let d = diff_timelines(&a, &b, &opts);
                assert_eq!(
                    arrangement(&apply(&a, &d, &opts).unwrap()),
                    arrangement(&b),
                    "replay of {ops:?} {mv:?} {ins:?}"
                );
                let got: BTreeSet<(String, String)> = d
                    .edits()
                    .filter(|c| c.target == ChangeTarget::Clip || c.kind == ChangeKind::Speed)
                    .map(|c| (c.kind.to_string(), c.name.clone()))
                    .collect();
                total += 1;
                for (k, _) in &want {
                    *kinds_seen.entry(k.clone()).or_default() += 1;
                }
                if got == want {
                    exact += 1;
                } else if misses.len() < 5 {
                    misses.push(format!("{} uids={uids}: want {want:?} got {got:?}", names[ti]));
                }
            }
        }
    }
    println!(
        "{exact}/{total} scripts recovered exactly; operations {kinds_seen:?}; misses: {misses:#?}"
    );
    // The scripts must really exercise every kind of operation.
    for k in [
        "trim_head",
        "trim_tail",
        "slip",
        "speed",
        "disable",
        "swap_media",
        "remove",
        "move",
        "insert",
    ] {
        assert!(
            kinds_seen.get(k).copied().unwrap_or(0) >= 10,
            "too few {k} in the scripts: {kinds_seen:?}"
        );
    }
    assert!(exact * 100 >= total * 99, "{exact}/{total} exact; {misses:#?}");
}
