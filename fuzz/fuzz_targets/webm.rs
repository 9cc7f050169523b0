//! Fuzzes the WebM/Matroska demuxer: any bytes give a typed error or a sample table inside the
//! input. Inputs not starting with the EBML magic get it prepended, so the EBML path is reached
//! (real files, the seeds among them, are read as they are).
#![no_main]

use libfuzzer_sys::fuzz_target;

const MAGIC: [u8; 4] = [0x1a, 0x45, 0xdf, 0xa3];

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(&MAGIC) { data.to_vec() } else { [&MAGIC, data].concat() };
    let mut src = bytes.as_slice();
    if let Ok(info) = outtake::media::probe(&mut src) {
        for t in &info.tracks {
            for s in &t.samples {
                assert!(s.offset + s.size as u64 <= bytes.len() as u64);
                if let Some((_, at, size)) = s.addition {
                    assert!(at + size as u64 <= bytes.len() as u64);
                }
            }
        }
    }
    let mut src = bytes.as_slice();
    let _ = outtake::media::probe_partial(&mut src);
});
