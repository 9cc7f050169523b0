//! Fuzzes the WebVTT file parser, and the writer through it: any input either fails on its
//! signature or parses, and what the writer makes of the result parses back to the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::captions::{parse_webvtt, to_textrack_json, write_webvtt};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = parse_webvtt(&text) {
        let _ = to_textrack_json(&parsed.captions, &parsed.diagnostics);
        let written = write_webvtt(&parsed.captions);
        let again = parse_webvtt(&written).expect("writer output has a signature");
        assert_eq!(again.captions, parsed.captions, "write → parse changed the model");
    }
});
