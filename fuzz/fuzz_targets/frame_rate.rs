//! Frame-rate parsing and frame-grid arithmetic on whatever rate parses.
#![no_main]
use libfuzzer_sys::fuzz_target;
use outtake::{FrameGrid, Rate, Rounding, Time};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rate, rest) = text.split_once(' ').unwrap_or((&text, "0"));
    if let Ok(rate) = Rate::parse(rate) {
        let grid = FrameGrid::new(rate);
        let ms: i64 = rest.trim().parse().unwrap_or(0);
        let t = Time::from_millis(ms);
        for r in [Rounding::Floor, Rounding::Ceil, Rounding::Nearest] {
            let f = grid.frame_at(t, r);
            let _ = grid.time_of(f);
        }
    }
});
