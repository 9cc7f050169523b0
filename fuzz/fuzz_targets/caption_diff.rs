//! Fuzzes the caption-word diff on two caption tracks written as text: a line `START END text…`
//! is a cue (times in ms, END after START), a line `+ WORD START END` lists a timed word of the
//! cue above, a line `rate R` sets the frame rate of the markers, and a line `===` ends the old
//! track. Checked: the alignment is a common subsequence; the text changes replayed on the old
//! words give the new words; the diff applied to the old timeline gives the new captions; a diff
//! with no changes is one of tracks with the same words; a caption track keeps its words through
//! OTIO.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::remix::caption_diff::{align, caption_track, cue_marker, is_caption_track, words};
use outtake::remix::{
    apply, diff_timelines, export_otio, import_otio, ChangeKind, Composable, DiffOptions,
    ExportOptions, Marker, Timeline,
};
use outtake::Time;

/// Milliseconds within ±10^10 (four months): the diff's arithmetic, not overflow, is fuzzed here.
fn ms(s: &str) -> Option<Time> {
    s.parse::<i64>().ok().filter(|v| v.abs() < 10_000_000_000).map(Time::from_millis)
}

/// Words with their start and end.
type Words = Vec<(String, Time, Time)>;

fn track(text: &str, rate: &mut f64) -> Timeline {
    let mut cues: Vec<(String, Time, Time, Words)> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["rate", r] => {
                if let Ok(r) = r.parse::<f64>() {
                    if r.is_finite() && (0.001..=100_000.0).contains(&r) {
                        *rate = r;
                    }
                }
            }
            ["+", w, s, e] => {
                if let (Some(cue), Some(s), Some(e)) = (cues.last_mut(), ms(s), ms(e)) {
                    cue.3.push((w.to_string(), s, e));
                }
            }
            [s, e, rest @ ..] => {
                // A cue ends after it starts (what every caption reader gives).
                if let (Some(s), Some(e)) = (ms(s), ms(e).filter(|e| ms(s).is_some_and(|s| s < *e)))
                {
                    cues.push((rest.join(" "), s, e, Vec::new()));
                }
            }
            _ => {}
        }
    }
    let mut cap = caption_track("Captions");
    cap.base.markers =
        cues.iter().map(|(t, s, e, ws)| cue_marker(t, *s, *e, ws, *rate)).collect::<Vec<Marker>>();
    let mut t = Timeline::new("captions");
    t.tracks.children.push(Composable::Track(cap));
    t
}

fn texts(t: &Timeline) -> Words {
    let cap = t.track_list().find(|t| is_caption_track(t)).expect("a caption track");
    words(cap).iter().map(|w| (w.text.to_string(), w.start, w.end)).collect()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (ta, tb) = text.split_once("\n===\n").unwrap_or((&text, ""));
    let mut rate = 25.0;
    let a = track(ta, &mut rate);
    let b = track(tb, &mut rate);
    let (wa, wb) = (texts(&a), texts(&b));

    let (sa, sb): (Vec<&str>, Vec<&str>) =
        (wa.iter().map(|w| w.0.as_str()).collect(), wb.iter().map(|w| w.0.as_str()).collect());
    let pairs = align(&sa, &sb);
    assert!(pairs.iter().all(|&(i, j)| sa[i] == sb[j]), "aligned words differ");
    assert!(pairs.windows(2).all(|p| p[0].0 < p[1].0 && p[0].1 < p[1].1), "alignment not rising");

    let opts = DiffOptions::default();
    let diff = diff_timelines(&a, &b, &opts);
    // The text changes, replayed on the old words in order, give the new words.
    let mut out: Vec<&str> = Vec::new();
    let mut cursor = 0usize;
    for c in diff.changes.iter().filter(|c| c.kind == ChangeKind::Text) {
        let at = c.details["word"].as_u64().expect("word index") as usize;
        let (from, to) = (c.details["from"].as_str().unwrap(), c.details["to"].as_str().unwrap());
        assert!(at >= cursor && at <= sa.len(), "text change at word {at} out of order");
        out.extend(&sa[cursor..at]);
        let n = if from.is_empty() { 0 } else { from.split(' ').count() };
        assert_eq!(sa[at..at + n].join(" "), from, "'from' is not the old words at {at}");
        out.extend(to.split(' ').filter(|w| !w.is_empty()));
        cursor = at + n;
    }
    out.extend(&sa[cursor..]);
    assert_eq!(out, sb, "text changes replayed do not give the new words");

    let applied = apply(&a, &diff, &opts).expect("a diff of a applies to a");
    assert_eq!(texts(&applied), wb, "the diff applied does not give the new captions");
    if diff.changes.is_empty() {
        assert_eq!(wa, wb, "no change reported between different words");
    }

    // The OTIO round trip keeps the words; after it, writing is a fixpoint and no change.
    let otio = export_otio(&a, &ExportOptions::default()).expect("a caption timeline exports");
    let back = import_otio(&otio).expect("exported OTIO imports");
    assert_eq!(texts(&back), wa, "OTIO round trip changed the words");
    let again = export_otio(&back, &ExportOptions::default()).expect("it exports again");
    assert_eq!(again, otio, "OTIO export → import → export changed the text");
    let d = diff_timelines(&back, &import_otio(&again).unwrap(), &opts);
    assert!(d.changes.is_empty(), "OTIO round trip is a change: {:?}", d.changes);
});
