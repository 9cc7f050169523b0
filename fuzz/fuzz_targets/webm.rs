//! Fuzzes the WebM/Matroska demuxer: any bytes give a typed error or a sample table inside the
//! input. Inputs not starting with the EBML magic get it prepended, so the EBML path is reached.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = vec![0x1a, 0x45, 0xdf, 0xa3];
    bytes.extend_from_slice(data);
    let mut src = bytes.as_slice();
    if let Ok(info) = outtake::media::probe(&mut src) {
        for t in &info.tracks {
            for s in &t.samples {
                assert!(s.offset + s.size as u64 <= bytes.len() as u64);
            }
        }
    }
});
