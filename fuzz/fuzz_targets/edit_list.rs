//! The edit-list JSON reader: any bytes give a list or an error naming the place, never a panic;
//! a list that parses measures without overflow, each segment starting where the last ended.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(list) = outtake::edit_list::EditList::from_json(&text) {
        let total = list.output_duration();
        let starts = list.output_starts();
        assert_eq!(starts.len(), list.segments.len());
        for (k, s) in list.segments.iter().enumerate() {
            assert!(s.start < s.end && !s.start.is_negative(), "segment {k}");
            let next = starts.get(k + 1).copied().unwrap_or(total);
            assert_eq!(
                starts[k] + s.output_duration(),
                next,
                "segment {k} ends where the next starts"
            );
        }
    }
});
