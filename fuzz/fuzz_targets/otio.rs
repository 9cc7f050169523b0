//! Fuzz target: the OTIO JSON reader and writer never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = outtake::remix::import_otio(text) {
            let _ = outtake::remix::export_otio(&t, &outtake::remix::ExportOptions::default());
            let _ = outtake::remix::export_otio(
                &t,
                &outtake::remix::ExportOptions { target: Some("0.18".into()) },
            );
        }
    }
});
