//! Captions in a timeline: the caption-track convention survives OTIO export and import (and
//! the Python reference loads it), and caption diffs are word-level and survive shifts.

mod common;

use outtake::remix::caption_diff::{caption_track, cue_marker, words};
use outtake::remix::{
    apply, arrangement, diff_timelines, export_otio, import_otio, Composable, DiffOptions,
    ExportOptions, Timeline,
};
use outtake::Time;

fn ms(v: i64) -> Time {
    Time::from_millis(v)
}

/// Cues of `(text, start_ms)`; each word lasts 300 ms.
fn timeline(cues: &[(&str, i64)]) -> Timeline {
    let mut t = Timeline::new("captions");
    let mut tr = caption_track("Captions");
    for (text, start) in cues {
        let ws: Vec<(String, Time, Time)> = text
            .split(' ')
            .enumerate()
            .map(|(k, w)| {
                (w.to_string(), ms(start + 300 * k as i64), ms(start + 300 * (k as i64 + 1)))
            })
            .collect();
        let end = ws.last().map(|w| w.2).unwrap_or(ms(*start));
        tr.base.markers.push(cue_marker(text, ms(*start), end, &ws, 24.0));
    }
    t.tracks.children.push(Composable::Track(tr));
    t
}

fn kinds(t: &Timeline, u: &Timeline) -> Vec<(String, String)> {
    diff_timelines(t, u, &DiffOptions::default())
        .changes
        .iter()
        .map(|c| (c.kind.to_string(), c.summary.clone()))
        .collect()
}

#[test]
fn caption_track_survives_otio() {
    let t = timeline(&[("Hello there world", 1000), ("second cue", 3000)]);
    let text = export_otio(&t, &ExportOptions { target: Some("0.18".into()) }).unwrap();
    let back = import_otio(&text).unwrap();
    let tr = back.track_list().next().unwrap();
    assert_eq!(words(tr), words(t.track_list().next().unwrap()));
    assert_eq!(words(tr)[1].start, ms(1300));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("captions.otio");
    std::fs::write(&path, &text).unwrap();
    let p = path.display().to_string();
    common::python("otio_equiv.py", &[p.clone(), p]);
}

#[test]
fn word_level_changes_survive_shifts() {
    let a = timeline(&[
        ("the quick brown fox", 0),
        ("jumps over", 2000),
        ("the lazy dog", 4000),
        ("and runs away", 6000),
    ]);
    // Everything one second later; one word reworded, one added; cue 3 split.
    let b = timeline(&[
        ("the quick red fox", 1000),
        ("jumps right over", 3000),
        ("the lazy", 5000),
        ("dog", 5600),
        ("and runs away", 7000),
    ]);
    let got = kinds(&a, &b);
    let ks: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(ks.iter().filter(|k| **k == "text").count(), 2, "{got:#?}");
    assert!(
        got.iter().any(|(k, s)| k == "text" && s.contains("\"brown\" reworded to \"red\"")),
        "{got:#?}"
    );
    assert!(got.iter().any(|(k, s)| k == "text" && s.contains("\"right\" added")), "{got:#?}");
    assert!(got.iter().any(|(k, s)| k == "retime" && s.contains("shifted by")), "{got:#?}");
    assert!(got.iter().any(|(k, _)| k == "split"), "{got:#?}");
    // Words after the insertion are not reported one by one.
    assert!(got.len() <= 6, "{got:#?}");
    let m = timeline(&[
        ("the quick brown fox jumps over", 0),
        ("the lazy dog", 4000),
        ("and runs away", 6000),
    ]);
    assert!(kinds(&a, &m).iter().any(|(k, _)| k == "merge"));
    assert!(diff_timelines(&a, &a, &DiffOptions::default()).changes.is_empty());
    assert_eq!(
        arrangement(
            &apply(&a, &diff_timelines(&a, &b, &DiffOptions::default()), &DiffOptions::default())
                .unwrap()
        ),
        arrangement(&b)
    );
}

/// A re-cut moves stretches of dialogue by different amounts: each stretch is one change, not a
/// change per word; a word whose own length changed is still reported alone.
#[test]
fn words_moved_together_are_one_change() {
    let a = timeline(&[
        ("one two three four", 0),
        ("five six seven eight", 2000),
        ("nine ten eleven twelve", 4000),
        ("and the rest", 8000),
    ]);
    let b = timeline(&[
        ("one two three four", 0),
        ("five six seven eight", 2500),
        ("nine ten eleven twelve", 5000),
        ("and the rest", 8000),
    ]);
    let got = kinds(&a, &b);
    let retimes: Vec<&str> =
        got.iter().filter(|(k, _)| k == "retime").map(|(_, s)| s.as_str()).collect();
    assert_eq!(retimes.len(), 2, "{got:#?}");
    assert!(
        retimes.iter().any(|s| s.contains("\"five six seven eight\" (4 words) shifted by")),
        "{got:#?}"
    );
    assert!(
        retimes.iter().any(|s| s.contains("\"nine ten eleven twelve\" (4 words) shifted by")),
        "{got:#?}"
    );
    assert_eq!(
        arrangement(
            &apply(&a, &diff_timelines(&a, &b, &DiffOptions::default()), &DiffOptions::default())
                .unwrap()
        ),
        arrangement(&b)
    );

    // One word stretched inside a moved stretch: the stretch is cut there.
    let mut c = timeline(&[
        ("one two three four", 0),
        ("five six seven eight", 2500),
        ("nine ten eleven twelve", 5000),
        ("and the rest", 8000),
    ]);
    if let outtake::remix::Composable::Track(tr) = &mut c.tracks.children[0] {
        let ws: Vec<(String, Time, Time)> = ["five", "six", "seven", "eight"]
            .iter()
            .enumerate()
            .map(|(k, w)| {
                (
                    w.to_string(),
                    ms(2500 + 300 * k as i64),
                    ms(2500 + 300 * k as i64 + if k == 1 { 500 } else { 300 }),
                )
            })
            .collect();
        tr.base.markers[1] = cue_marker("five six seven eight", ms(2500), ms(3700), &ws, 24.0);
    }
    let got = kinds(&a, &c);
    let retimes: Vec<&str> =
        got.iter().filter(|(k, _)| k == "retime").map(|(_, s)| s.as_str()).collect();
    assert!(retimes.iter().any(|s| s.contains("caption word \"six\" retimed")), "{got:#?}");
    assert!(
        retimes.iter().any(
            |s| s.contains("\"seven eight nine ten") || s.contains("\"seven eight\" (2 words)")
        ),
        "{got:#?}"
    );
}
