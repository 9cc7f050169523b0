//! Diffs of real timelines: the El Fuente remix, the screening EDL against its OTIO, every pair
//! of shared timelines replayed with `apply`, and the composition of diffs.

mod common;

use outtake::remix::{
    apply, arrangement, diff_timelines, import_edl, import_otio, ChangeKind as K,
    ChangeTarget as T, DiffOptions, EdlOptions, Identity, Timeline,
};

fn load(rel: &str) -> Option<Timeline> {
    Some(import_otio(&common::read(rel)?).unwrap())
}

fn kinds(d: &outtake::remix::Diff, target: T, kind: K) -> Vec<String> {
    d.changes
        .iter()
        .filter(|c| c.target == target && c.kind == kind)
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn el_fuente_remix_is_trims_dissolves_and_an_overlay_track() {
    let (Some(a), Some(b)) = (
        load("open-content/ElFuente_4096x2160_60fps_10bit_420.otio"),
        load("open-content/ElFuente_4096x2160_60fps_10bit_420_remix1.otio"),
    ) else {
        return;
    };
    let opts = DiffOptions::default();
    let d = diff_timelines(&a, &b, &opts);
    print!("{}", d.summary());
    let mut trimmed: Vec<String> = d
        .changes
        .iter()
        .filter(|c| c.target == T::Clip && matches!(c.kind, K::TrimHead | K::TrimTail))
        .map(|c| c.name.clone())
        .collect();
    trimmed.dedup();
    assert_eq!(trimmed, ["BoxingPractice", "FoodMarket2", "Narrator", "RitualDanceShot", "Tango"]);
    assert_eq!(kinds(&d, T::Transition, K::Insert).len(), 4);
    assert_eq!(kinds(&d, T::Track, K::Insert).len(), 1);
    for k in [K::Insert, K::Remove, K::Move, K::SwapMedia, K::Speed] {
        assert!(kinds(&d, T::Clip, k).is_empty(), "unexpected clip {k}");
    }
    let narrator: Vec<&str> =
        d.changes.iter().filter(|c| c.name == "Narrator").map(|c| c.summary.as_str()).collect();
    assert_eq!(
        narrator,
        ["'Narrator' lost 50 frames at its head", "'Narrator' lost 50 frames at its tail"]
    );
    assert_eq!(arrangement(&apply(&a, &d, &opts).unwrap()), arrangement(&b));
    // The JSON form names every change.
    let j = d.to_json();
    assert!(j["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"].is_string() && c["path"].is_string()));
}

#[test]
fn screening_edl_and_otio_have_the_same_clips() {
    let (Some(otio), Some(edl)) =
        (load("core/screening_example.otio"), common::read("cmx3600/screening_example.edl"))
    else {
        return;
    };
    let edl = import_edl(&edl, &EdlOptions::default()).unwrap();
    let opts = DiffOptions { identity: Identity::Media, ..Default::default() };
    let d = diff_timelines(&otio, &edl, &opts);
    let clip_changes: Vec<&str> =
        d.edits().filter(|c| c.target == T::Clip).map(|c| c.summary.as_str()).collect();
    assert!(clip_changes.is_empty(), "{clip_changes:?}");
}

#[test]
fn premiere_pair_is_two_different_cuts() {
    // NOTE: despite the shared README, core/premiere_example.otio (8 tracks of .mov clips at
    // 30 fps) and cmx3600/premiere_example.edl (two EXR clips at 24 fps) are different edits;
    // the diff must say so and still replay exactly.
    let (Some(otio), Some(edl)) =
        (load("core/premiere_example.otio"), common::read("cmx3600/premiere_example.edl"))
    else {
        return;
    };
    let edl = import_edl(&edl, &EdlOptions::default()).unwrap();
    let opts = DiffOptions { identity: Identity::Media, ..Default::default() };
    let d = diff_timelines(&otio, &edl, &opts);
    assert!(d.edits().any(|c| c.target == T::Clip && c.kind == K::Insert));
    assert_eq!(arrangement(&apply(&otio, &d, &opts).unwrap()), arrangement(&edl));
}

fn all_timelines() -> Option<Vec<(String, Timeline)>> {
    let files = common::otio_files()?;
    Some(
        files
            .iter()
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    import_otio(&std::fs::read_to_string(p).unwrap()).unwrap(),
                )
            })
            .collect(),
    )
}

#[test]
fn every_pair_replays_and_diffs_compose() {
    let Some(ts) = all_timelines() else { return };
    for identity in [Identity::Uid, Identity::Media, Identity::Name] {
        let opts = DiffOptions { identity, ..Default::default() };
        for (na, a) in &ts {
            assert!(diff_timelines(a, a, &opts).changes.is_empty(), "{na} differs from itself");
            for (nb, b) in &ts {
                let d = diff_timelines(a, b, &opts);
                let replay = apply(a, &d, &opts).unwrap();
                assert_eq!(arrangement(&replay), arrangement(b), "{na} -> {nb} ({identity:?})");
            }
        }
        // Composition, over a ring of timelines: a→b then b→c has the effect of a→c.
        for k in 0..ts.len() {
            let (a, b, c) = (&ts[k].1, &ts[(k + 1) % ts.len()].1, &ts[(k + 5) % ts.len()].1);
            let ab = apply(a, &diff_timelines(a, b, &opts), &opts).unwrap();
            let abc = apply(&ab, &diff_timelines(b, c, &opts), &opts).unwrap();
            let ac = apply(a, &diff_timelines(a, c, &opts), &opts).unwrap();
            assert_eq!(arrangement(&abc), arrangement(&ac));
            assert_eq!(arrangement(&ac), arrangement(c));
        }
    }
}
