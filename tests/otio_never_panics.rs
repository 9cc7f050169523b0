//! The OTIO JSON reader never panics, whatever the input: random text, and real files with bytes
//! changed, cut short or nested absurdly deep; nor do diff, apply, merge and flatten on what it
//! accepts.

use outtake::remix::{export_otio, import_otio, ExportOptions};
use proptest::prelude::*;

const SAMPLE: &str = r#"{"OTIO_SCHEMA": "Timeline.1", "name": "t", "tracks": {"OTIO_SCHEMA": "Stack.1",
 "children": [{"OTIO_SCHEMA": "Track.1", "kind": "Video", "children": [
  {"OTIO_SCHEMA": "Clip.2", "name": "a", "media_references": {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", "target_url": "a.mov"}},
   "active_media_reference_key": "DEFAULT_MEDIA", "effects": [{"OTIO_SCHEMA": "LinearTimeWarp.1", "time_scalar": 2.0}],
   "markers": [{"OTIO_SCHEMA": "Marker.3", "color": {"OTIO_SCHEMA": "Color.1", "r": 1.0, "name": "x"}}],
   "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "value": 0, "rate": 24},
   "duration": {"OTIO_SCHEMA": "RationalTime.1", "value": 1e3, "rate": 24}}, "metadata": {"odd": [NaN, -Infinity, 1e308]}},
  {"OTIO_SCHEMA": "Transition.1", "in_offset": {"OTIO_SCHEMA": "RationalTime.1", "value": 1, "rate": 24}}]}]}}"#;

#[test]
fn the_sample_is_accepted() {
    // Otherwise `exercise` would never reach diff, merge and flatten.
    import_otio(SAMPLE).unwrap();
}

fn exercise(text: &str) {
    if let Ok(t) = import_otio(text) {
        // Everything downstream of the reader copes with whatever it accepted.
        if let Ok(base) = import_otio(SAMPLE) {
            let opts = outtake::remix::DiffOptions::default();
            let d = outtake::remix::diff_timelines(&base, &t, &opts);
            let _ = d.to_json();
            let _ = outtake::remix::apply(&base, &d, &opts);
            let _ = outtake::remix::diff_timelines(&t, &base, &opts);
            let _ = outtake::remix::merge(&base, &t, &base, &opts);
            let _ = outtake::remix::flatten(&t);
        }
        let _ = export_otio(&t, &ExportOptions::default());
        let _ = export_otio(&t, &ExportOptions { target: Some("0.18".into()) });
        for tr in t.track_list() {
            for c in &tr.children {
                let _ = c.duration();
            }
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import_otio(&deep).is_err());
    let mut stacks = String::from(r#"{"OTIO_SCHEMA": "Timeline.1", "tracks": "#);
    for _ in 0..300 {
        stacks.push_str(r#"{"OTIO_SCHEMA": "Stack.1", "children": ["#);
    }
    assert!(import_otio(&stacks).unwrap_err().to_string().contains("deeper"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        exercise(&s);
    }

    #[test]
    fn mutated_timeline_never_panics(pos in 0usize..SAMPLE.len(), cut in 0usize..SAMPLE.len(), b in any::<u8>()) {
        exercise(SAMPLE);
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes[pos] = b;
        exercise(&String::from_utf8_lossy(&bytes));
        exercise(&SAMPLE[..SAMPLE.char_indices().map(|(i, _)| i).take_while(|&i| i <= cut).last().unwrap_or(0)]);
    }
}
