//! Flattening real timelines to the edit list: one segment per enabled clip of the first video
//! track, exact source times, speeds from time warps.

mod common;

use outtake::remix::{flatten, import_edl, import_otio, EdlOptions};
use outtake::Time;

#[test]
fn el_fuente_remix_flattens_to_its_clips() {
    let Some(text) = common::read("open-content/ElFuente_4096x2160_60fps_10bit_420_remix1.otio")
    else {
        return;
    };
    let e = flatten(&import_otio(&text).unwrap()).unwrap();
    assert_eq!(e.segments.len(), 5);
    assert!(e.segments[4]
        .source
        .as_deref()
        .unwrap()
        .ends_with("Tango_4096x2160_60fps_10bit_420.y4m"));
    assert_eq!((e.segments[1].start, e.segments[1].end), (Time::new(50, 60), Time::new(250, 60)));
    assert_eq!(e.frame_rate.map(|r| r.num), Some(60));
    // Total output = the track's clip durations (204+200+200+182+244 frames at 60 fps).
    assert_eq!(e.output_duration(), Time::new(1030, 60));
}

#[test]
fn speed_effects_become_segment_speeds() {
    let Some(text) = common::read("cmx3600/speed_effects_small.edl") else { return };
    let t = import_edl(&text, &EdlOptions::default()).unwrap();
    // The small file holds two freeze frames, which an edit list cannot express.
    let err = flatten(&t).unwrap_err();
    assert!(err.to_string().contains("speed 0"), "{err}");
    let mut t = t;
    for tr in t.track_list_mut() {
        tr.children.retain(|c| c.base().map(|b| b.speed() != 0.0).unwrap_or(true));
    }
    let e = flatten(&t).unwrap();
    let fast = e.segments.iter().find(|s| s.speed.num != s.speed.den).unwrap();
    // Z686_5A at 47.6 fps in a 24 fps cut: 36 record frames consume 71.4 source frames.
    assert_eq!((fast.speed.num, fast.speed.den), (119, 60));
    assert_eq!(fast.output_duration(), Time::new(36, 24));
}
