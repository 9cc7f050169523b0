//! Three-way merge on a real timeline: disjoint edits merge cleanly (and either way round),
//! overlapping ones are reported as conflicts; the merge exports to OTIO that Python loads.

mod common;

use outtake::remix::caption_diff::{caption_track, cue_marker};
use outtake::remix::json::Json;
use outtake::remix::{
    arrangement, export_otio, import_otio, merge, Clip, Composable, DiffOptions, Effect,
    ExportOptions, MediaReference, RationalTime, TimeRange, Timeline,
};
use outtake::Time;

fn base() -> Option<Timeline> {
    let mut t =
        import_otio(&common::read("open-content/SolLevante_Animatics_ver1_H264.otio")?).unwrap();
    let mut cap = caption_track("Captions");
    for (i, text) in ["one two three", "four five", "six seven eight"].iter().enumerate() {
        let s = Time::from_millis(i as i64 * 2000);
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
        cap.base.markers.push(cue_marker(text, s, s + Time::from_millis(1500), &ws, 24.0));
    }
    t.tracks.children.push(Composable::Track(cap));
    Some(t)
}

fn clips(t: &mut Timeline) -> &mut Vec<Composable> {
    &mut t.track_list_mut().next().unwrap().children
}

fn with_clip(t: &mut Timeline, name: &str, f: impl FnOnce(&mut Clip)) {
    for c in clips(t) {
        if let Composable::Clip(c) = c {
            if c.base.name() == name {
                return f(c);
            }
        }
    }
    panic!("no clip {name}");
}

fn trim(t: &mut Timeline, name: &str, head: f64, tail: f64) {
    with_clip(t, name, |c| {
        let r = c.trimmed_range().unwrap();
        let rate = r.duration.rate();
        c.base.source_range = Some(TimeRange::new(
            RationalTime::new(r.start_time.value() + head, r.start_time.rate()),
            RationalTime::new(r.duration.value() - head - tail, rate),
        ));
    });
}

fn remove(t: &mut Timeline, name: &str) {
    clips(t).retain(|c| !matches!(c, Composable::Clip(c) if c.base.name() == name));
}

fn move_to(t: &mut Timeline, name: &str, to: usize) {
    let v = clips(t);
    let i =
        v.iter().position(|c| matches!(c, Composable::Clip(c) if c.base.name() == name)).unwrap();
    let c = v.remove(i);
    v.insert(to, c);
}

fn reword(t: &mut Timeline, cue: usize, text: &str) {
    let tr =
        t.track_list_mut().find(|t| outtake::remix::caption_diff::is_caption_track(t)).unwrap();
    let m = &mut tr.base.markers[cue];
    let s = m.marked_range.start();
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
    *m = cue_marker(text, s, s + Time::from_millis(1500), &ws, 24.0);
}

fn ours_edits(t: &mut Timeline) {
    trim(t, "C005", 6.0, 0.0);
    move_to(t, "C010", 40);
    with_clip(t, "C020", |c| c.base.enabled = false);
    reword(t, 0, "one too three");
}

fn theirs_edits(t: &mut Timeline) {
    trim(t, "C005", 0.0, 4.0);
    with_clip(t, "C030", |c| c.base.effects.push(Effect::linear_time_warp(2.0)));
    remove(t, "C040");
    let mut c = Clip::new(
        "New",
        MediaReference::external("new.mov", None),
        Some(TimeRange::new(RationalTime::new(0.0, 24.0), RationalTime::new(24.0, 24.0))),
    );
    c.base.set_meta("outtake", "uid", Json::str("new-1"));
    clips(t).insert(3, Composable::Clip(c));
    reword(t, 2, "six seven nine");
}

#[test]
fn disjoint_edits_merge_without_conflict() {
    let Some(b) = base() else { return };
    let (mut o, mut t) = (b.clone(), b.clone());
    ours_edits(&mut o);
    theirs_edits(&mut t);
    let mut expected = b.clone();
    theirs_edits(&mut expected);
    ours_edits(&mut expected);
    let opts = DiffOptions::default();
    let m = merge(&b, &o, &t, &opts).unwrap();
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(arrangement(&m.timeline), arrangement(&expected));
    let swapped = merge(&b, &t, &o, &opts).unwrap();
    assert!(swapped.conflicts.is_empty());
    assert_eq!(arrangement(&swapped.timeline), arrangement(&expected));
    // The merge is a valid OTIO file for the reference implementation.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("merged.otio");
    std::fs::write(
        &path,
        export_otio(&m.timeline, &ExportOptions { target: Some("0.18".into()) }).unwrap(),
    )
    .unwrap();
    let p = path.display().to_string();
    common::python("otio_equiv.py", &[p.clone(), p]);
}

#[test]
fn overlapping_edits_are_reported() {
    let Some(b) = base() else { return };
    let (mut o, mut t) = (b.clone(), b.clone());
    trim(&mut o, "C005", 6.0, 0.0);
    trim(&mut t, "C005", 12.0, 0.0);
    remove(&mut o, "C007");
    trim(&mut t, "C007", 0.0, 3.0);
    move_to(&mut o, "C012", 30);
    move_to(&mut t, "C012", 50);
    reword(&mut o, 1, "four fife");
    reword(&mut t, 1, "for five");
    with_clip(&mut t, "C009", |c| c.base.enabled = false); // disjoint: merges
    let m = merge(&b, &o, &t, &DiffOptions::default()).unwrap();
    let mut names: Vec<&str> = m.conflicts.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["C005", "C007", "C012", "four five"], "{:#?}", m.conflicts);
    // Ours is kept where they conflict; the disjoint change is in.
    let mut expected = o.clone();
    with_clip(&mut expected, "C009", |c| c.base.enabled = false);
    assert_eq!(arrangement(&m.timeline), arrangement(&expected));
}
