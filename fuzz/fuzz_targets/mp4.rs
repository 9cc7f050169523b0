//! Fuzzes the MP4 demuxer: any bytes give a typed error or a sample table inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut src = data;
    if let Ok(info) = outtake::media::probe(&mut src) {
        for t in &info.tracks {
            for s in &t.samples {
                assert!(s.offset + s.size as u64 <= data.len() as u64);
            }
        }
    }
    let mut src = data;
    let _ = outtake::media::probe_partial(&mut src);
});
