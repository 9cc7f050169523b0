//! The EDL reader never panics: random text, and a real EDL with bytes changed or cut short.

use outtake::remix::{import_edl, EdlOptions};
use proptest::prelude::*;

const SAMPLE: &str = "TITLE: x\nFCM: NON-DROP FRAME\n001  AX V     C        01:00:04:05 01:00:05:12 00:59:53:11 00:59:54:18\n* FROM CLIP NAME:  a.exr\n*ASC_SOP (0.1 0.2 0.3) (1.0 -0.0122 0.0305) (1.0 0.0 1.0)\n* LOC: 01:00:01:14 RED     FIX\n002  BL V     C        01:00:06:13 01:00:06:13 00:59:54:18 00:59:54:18\n002  AX V     D    010 01:00:06:13 01:00:08:15 00:59:54:18 00:59:56:20\nM2   Z682_156       000.0                01:00:10:21\n* * FREEZE FRAME\nSPLIT: AUDIO DELAY= 00:00:00:07\n003  AX AA/V  C        01:00:06:13 01:00:08:15 00:59:56:20 00:59:58:22\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_text_never_panics(s in "[0-9A-Z:;* \\n.]{0,300}", rate in prop_oneof![Just(24.0), Just(25.0), Just(29.97), Just(0.0), Just(f64::NAN)]) {
        let _ = import_edl(&s, &EdlOptions { rate, ignore_timecode_mismatch: false });
        let _ = import_edl(&s, &EdlOptions { rate, ignore_timecode_mismatch: true });
    }

    #[test]
    fn mutated_edl_never_panics(pos in 0usize..SAMPLE.len(), b in any::<u8>(), cut in 0usize..SAMPLE.len(), ignore: bool) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes[pos] = b;
        let opts = EdlOptions { rate: 24.0, ignore_timecode_mismatch: ignore };
        let _ = import_edl(&String::from_utf8_lossy(&bytes), &opts);
        let _ = import_edl(&String::from_utf8_lossy(&SAMPLE.as_bytes()[..cut]), &opts);
    }
}
