//! Fuzzes the SRT reader (bytes in any encoding, lenient and strict) and checks that what it
//! reads writes and reads back to the same captions, unless the writer said it could not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::captions::srt::{parse_srt, parse_srt_bytes, write_srt, SrtOptions};

fuzz_target!(|data: &[u8]| {
    let _ = parse_srt_bytes(data, SrtOptions { strict: true });
    if let Ok((captions, _)) = parse_srt_bytes(data, SrtOptions::default()) {
        for cue in &captions.cues {
            assert!(cue.start < cue.end);
            assert!(!cue.text.contains("-->"));
        }
        let (out, diags) = write_srt(&captions);
        let (again, _) = parse_srt(&out, SrtOptions::default()).expect("written SRT must parse");
        if diags.iter().all(|d| d.code != "SRT_AMBIGUOUS_TEXT") {
            assert_eq!(again, captions);
        }
    }
});
