//! Fuzzes the SRT reader (lenient and strict) and checks that what it reads writes and reads
//! back to the same captions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::captions::srt::{parse_srt, write_srt, SrtOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_srt(text, SrtOptions { strict: true });
    if let Ok((captions, _)) = parse_srt(text, SrtOptions::default()) {
        let (out, _) = write_srt(&captions);
        let (again, _) = parse_srt(&out, SrtOptions::default()).expect("written SRT must parse");
        assert_eq!(again, captions);
    }
});
