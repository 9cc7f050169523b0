//! Fuzzes the WebVTT cue text tokenizer and tree builder (tags, classes, annotations, timestamps,
//! character references) and the plain-text walk over the tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::captions::{parse_cue_text, plain_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let nodes = parse_cue_text(&text);
    let _ = plain_text(&nodes);
});
