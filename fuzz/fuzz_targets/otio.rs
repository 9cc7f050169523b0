//! Fuzz target: the OTIO JSON reader and writer never panic, and what the writer makes of a
//! timeline reads back as the same arrangement with no change between the two.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::remix::{
    arrangement, diff_timelines, export_otio, import_otio, DiffOptions, ExportOptions,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = import_otio(text) {
            if let Ok(out) = export_otio(&t, &ExportOptions::default()) {
                let back = import_otio(&out).expect("exported OTIO reads back");
                assert_eq!(arrangement(&back), arrangement(&t), "export → import changed it");
                let d = diff_timelines(&t, &back, &DiffOptions::default());
                assert!(d.changes.is_empty(), "export → import is a change: {:?}", d.changes);
            }
            let _ = export_otio(&t, &ExportOptions { target: Some("0.18".into()) });
        }
    }
});
