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

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(k, s)| (k.to_string(), s.to_string())).collect()
}

/// Words left where they were are no change, even when most words moved: no "retimed from
/// 0:00:02.300 to 0:00:02.300", no "shifted by 0:00:00.000".
#[test]
fn words_left_in_place_are_no_change() {
    let shifted = pairs(&[("retime", "captions shifted by 0:00:00.500")]);
    let a = timeline(&[("hello", 2300), ("one two three", 4000), ("four five six", 6000)]);
    let b = timeline(&[("hello", 2300), ("one two three", 4500), ("four five six", 6500)]);
    assert_eq!(kinds(&a, &b), shifted);
    let a = timeline(&[("hello there", 2300), ("one two three", 4000), ("four five six", 6000)]);
    let b = timeline(&[("hello there", 2300), ("one two three", 4500), ("four five six", 6500)]);
    assert_eq!(kinds(&a, &b), shifted);
}

/// A word that only got shorter says so, not "retimed from 0:00:02.300 to 0:00:02.300".
#[test]
fn a_word_that_only_ends_earlier_says_so() {
    let a = timeline(&[("one two three", 2000)]);
    let mut b = a.clone();
    if let Composable::Track(tr) = &mut b.tracks.children[0] {
        let ws: Vec<(String, Time, Time)> = vec![
            ("one".into(), ms(2000), ms(2300)),
            ("two".into(), ms(2300), ms(2500)),
            ("three".into(), ms(2600), ms(2900)),
        ];
        tr.base.markers[0] = cue_marker("one two three", ms(2000), ms(2900), &ws, 24.0);
    }
    assert_eq!(
        kinds(&a, &b),
        pairs(&[("retime", "caption word \"two\" now ends at 0:00:02.500 (was 0:00:02.600)")])
    );
}

/// The video from 0.45 s to 1.85 s is cut away: the first cue is clipped to 0.45 s and the
/// second moves 1.4 s earlier. Whether the clipped cue kept its words' old times or had them
/// squeezed to its new end, the words no longer on screen are removed, not retimed.
#[test]
fn words_whose_video_was_cut_away_are_removed() {
    let a = timeline(&[("one two three four", 0), ("five six", 2000)]);
    let kept: Vec<(String, Time, Time)> = ["one", "two", "three", "four"]
        .iter()
        .enumerate()
        .map(|(k, w)| (w.to_string(), ms(300 * k as i64), ms(300 * (k as i64 + 1))))
        .collect();
    let squeezed: Vec<(String, Time, Time)> =
        kept.iter().map(|(w, s, e)| (w.clone(), (*s).min(ms(450)), (*e).min(ms(450)))).collect();
    let want = pairs(&[
        ("text", "caption words \"three four\" removed from cue 1"),
        ("retime", "caption word \"two\" now ends at 0:00:00.450 (was 0:00:00.600)"),
        ("retime", "caption words \"five six\" (2 words) shifted by -0:00:01.400"),
    ]);
    for ws in [kept, squeezed] {
        let mut b = timeline(&[("one two three four", 0), ("five six", 600)]);
        if let Composable::Track(tr) = &mut b.tracks.children[0] {
            tr.base.markers[0] = cue_marker("one two three four", ms(0), ms(450), &ws, 24.0);
        }
        assert_eq!(kinds(&a, &b), want, "{ws:?}");
        let opts = DiffOptions::default();
        let replayed = apply(&a, &diff_timelines(&a, &b, &opts), &opts).unwrap();
        assert_eq!(arrangement(&replayed), arrangement(&b));
        assert_eq!(words(replayed.track_list().next().unwrap()).len(), 4);
    }
}
