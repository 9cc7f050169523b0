//! How long a two-hour programme takes: the detector over 2 h of 48 kHz PCM fed in chunks, and
//! the aligner over a 2-hour track with 1,500 cues and two splits. Ignored by default (minutes in
//! a debug build); run with `cargo test --release --test sync_perf -- --ignored --nocapture`.

mod sync_support;

use outtake::sync::{sync, SpeechDetector, SyncOptions, Target};
use std::time::Instant;
use sync_support::*;

#[test]
#[ignore]
fn two_hours() {
    let rate = 48_000usize;
    let secs = 2 * 3600;
    let mut rng = Rng::new(1);
    let mut d = SpeechDetector::new(rate as u32, 1);
    let chunk: Vec<f32> = (0..rate).map(|_| ((rng.next_f64() - 0.5) * 0.05) as f32).collect();
    let t = Instant::now();
    for _ in 0..secs {
        d.push(&chunk);
    }
    let a = d.finish();
    let vad = t.elapsed().as_secs_f64();
    eprintln!(
        "detector: {secs} s of 48 kHz in {vad:.1} s ({:.0}× real time), track {} steps",
        secs as f64 / vad,
        a.probability.len()
    );
    assert_eq!(a.probability.len(), secs * 100);
    // The VAD alone: 16 kHz input needs no resampling.
    let mut d = SpeechDetector::new(16_000, 1);
    let chunk16 = &chunk[..16_000];
    let t = Instant::now();
    for _ in 0..secs {
        d.push(chunk16);
    }
    let _ = d.finish();
    let vad16 = t.elapsed().as_secs_f64();
    eprintln!("detector at 16 kHz (no resampling): {:.0}× real time", secs as f64 / vad16);

    let truth = truth_spans(2, 1_500, 60_000);
    let len = truth.last().unwrap().1 + 10_000;
    let activity = synthetic_activity(&truth, len, 3);
    let caps = desync(&captions_at(&truth), |i, t| match i {
        0..=499 => t + 2_000,
        500..=999 => t - 4_000,
        _ => t + 7_000,
    });
    let t = Instant::now();
    let (out, r) = sync(&caps, Target::Speech(&activity), &SyncOptions::default()).unwrap();
    let align = t.elapsed().as_secs_f64();
    let (a100, a400) = accuracy(&out, &truth);
    eprintln!(
        "aligner: {} s of track, 1,500 cues in {align:.1} s; {:.0}%/{:.0}% within 100/400 ms, \
         splits {:?}, timings {:?}",
        len / 1000,
        a100 * 100.0,
        a400 * 100.0,
        r.splits,
        r.timings
    );
}
