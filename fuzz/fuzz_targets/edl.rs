//! Fuzz target: the CMX 3600 EDL reader never panics, at any rate, strict or lenient; a timeline
//! it reads exports as OTIO that reads back as the same arrangement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::remix::{
    arrangement, export_otio, import_edl, import_otio, EdlOptions, ExportOptions,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = import_edl(&text, &EdlOptions::default());
    if let Ok(t) = import_edl(&text, &EdlOptions { rate: 25.0, ignore_timecode_mismatch: true }) {
        if let Ok(out) = export_otio(&t, &ExportOptions::default()) {
            let back = import_otio(&out).expect("exported OTIO reads back");
            assert_eq!(arrangement(&back), arrangement(&t), "EDL → OTIO → import changed it");
        }
    }
});
