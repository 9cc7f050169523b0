//! Frame-rate parsing and frame-grid arithmetic on whatever rate parses: a time floors to a frame
//! that starts at or before it and ceils to one that starts at or after it, and a frame's start
//! time maps back to that frame (within ±10^12 ms, where nothing saturates).
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
            let at = grid.time_of(f);
            if ms.unsigned_abs() < 1_000_000_000_000 {
                match r {
                    Rounding::Floor => assert!(at <= t, "floor of {t} is frame {f} at {at}"),
                    Rounding::Ceil => assert!(at >= t, "ceil of {t} is frame {f} at {at}"),
                    _ => {}
                }
                assert_eq!(grid.frame_at(at, Rounding::Floor), f, "frame {f} starts at {at}");
            }
        }
    }
});
