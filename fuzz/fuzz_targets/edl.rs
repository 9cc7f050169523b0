//! Fuzz target: the CMX 3600 EDL reader never panics, at any rate, strict or lenient.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::remix::{import_edl, EdlOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = import_edl(&text, &EdlOptions::default());
    let _ = import_edl(&text, &EdlOptions { rate: 25.0, ignore_timecode_mismatch: true });
});
