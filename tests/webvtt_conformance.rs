//! The WebVTT parser against web-platform-tests' parsing suite: every file-parsing assertion on
//! the TextTrack JSON view, and every cue-text tree in html5lib format.

mod common;

use common::conformance;
use outtake::captions::{parse_cue_text, parse_webvtt, to_textrack_json};

#[test]
fn webvtt_conformance() {
    let Some(dir) = conformance::dir() else { return };
    let mut failures = vec![];

    let files = conformance::file_cases(&dir);
    let (mut passed, mut total) = (0, 0);
    for case in &files {
        let text = String::from_utf8_lossy(&case.vtt);
        let json = match parse_webvtt(&text) {
            Ok(parsed) => to_textrack_json(&parsed.captions, &parsed.diagnostics),
            // A rejected file has no cues, as the TextTrack of a failed load.
            Err(_) => serde_json::json!({ "cues": [], "regions": [] }),
        };
        let missed = conformance::check(&json, &case.assertions);
        total += case.assertions.len();
        passed += case.assertions.len() - missed.len();
        failures.extend(missed.into_iter().map(|m| format!("{}: {m}", case.name)));
    }

    let trees = conformance::cue_text_cases(&dir);
    let mut trees_passed = 0;
    for (file, text, expected) in &trees {
        let parsed = parse_webvtt(&conformance::cue_text_file(text)).expect("signature is right");
        let cue_text = parsed.captions.cues.first().map_or("", |c| c.text.as_str());
        let got = conformance::html5lib(&parse_cue_text(cue_text));
        if got == expected.trim_end_matches('\n') {
            trees_passed += 1;
        } else {
            failures.push(format!("{file}: {text:?}\n  expected:\n{expected}\n  got:\n{got}"));
        }
    }

    println!(
        "file-parsing: {passed}/{total} assertions over {} files, cue-text: {trees_passed}/{} trees",
        files.len(),
        trees.len()
    );
    assert!(failures.is_empty(), "{} misses:\n{}", failures.len(), failures.join("\n"));
    // The suite as shipped: guard against a silently shrunk data set.
    assert_eq!((total, files.len(), trees.len()), (441, 37, 77));
}
