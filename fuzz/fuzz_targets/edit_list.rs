//! The edit-list JSON reader: any bytes give a list or an error naming the place, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(list) = outtake::edit_list::EditList::from_json(&text) {
        // What parsed must measure without overflow panics.
        let _ = list.output_duration();
        let _ = list.output_starts();
    }
});
