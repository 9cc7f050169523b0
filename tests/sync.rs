//! The aligner on synthetic speech tracks (fast, deterministic): each desync kind, abstention,
//! do-no-harm, non-dialogue cues, reference mode and bad input. Real speech is in sync_speech.rs.

mod sync_support;

use outtake::captions::{Captions, Cue};
use outtake::sync::{sync, SpeechActivity, SyncError, SyncOptions, SyncReport, Target};
use outtake::Coded;
use sync_support::*;

struct Case {
    truth: Vec<(i64, i64)>,
    activity: SpeechActivity,
}

/// A programme of `n` lines after `lead` ms, with a speech track that follows the truth.
fn case(seed: u64, n: usize, lead: i64) -> Case {
    let truth = truth_spans(seed, n, lead);
    let len = truth.last().map_or(0, |t| t.1) + 5_000;
    let activity = synthetic_activity(&truth, len, seed + 100);
    Case { truth, activity }
}

fn run(c: &Case, caps: &Captions) -> (Captions, SyncReport) {
    sync(caps, Target::Speech(&c.activity), &SyncOptions::default()).expect("sync")
}

fn assert_accurate(kind: &str, c: &Case, caps: &Captions) -> SyncReport {
    let (out, report) = run(c, caps);
    let (a100, a400) = accuracy(&out, &c.truth);
    eprintln!("{kind}: {:.0}%/{:.0}% within 100/400 ms; {report:?}", a100 * 100.0, a400 * 100.0);
    assert!(!report.abstained, "{kind}: abstained: {:?}", report.reason);
    assert!(a100 >= 0.95 && a400 >= 0.99, "{kind}: {a100} {a400}");
    report
}

#[test]
fn splits_removed_material() {
    let c = case(1, 40, 30_000);
    let truth = captions_at(&c.truth);
    let caps = desync(&truth, |i, t| if i >= 5 { t + 9_000 } else { t } + 2_000);
    let r = assert_accurate("split, removed before cue 5", &c, &caps);
    assert_eq!(r.splits.len(), 1);
}

#[test]
fn offsets_of_any_size_either_way() {
    let c = case(2, 30, 90_000);
    let truth = captions_at(&c.truth);
    for shift in [230i64, -870, 64_000, -81_500] {
        let r = assert_accurate(&format!("offset {shift}"), &c, &desync(&truth, |_, t| t + shift));
        assert_eq!(r.ratio, 1.0);
        assert!(r.splits.is_empty());
        assert!((r.segments[0].offset * 1000.0 + shift as f64).abs() <= 60.0, "{r:?}");
    }
}

#[test]
fn frame_rate_pairs() {
    let c = case(3, 36, 4_000);
    let truth = captions_at(&c.truth);
    let (f24, f30) = (24_000.0 / 1001.0, 30_000.0 / 1001.0);
    for (a, b) in [(30.0, 25.0), (f30, 25.0), (30.0, 24.0), (25.0, f24), (24.0, 25.0), (25.0, 30.0)]
    {
        let ratio: f64 = a / b;
        let caps = desync(&truth, |_, t| (t as f64 / ratio).round() as i64 - 700);
        let r = assert_accurate(&format!("ratio {a:.3}/{b:.3}"), &c, &caps);
        assert!((r.ratio - ratio).abs() < 0.001, "{a}/{b}: {}", r.ratio);
    }
}

#[test]
fn splits_inserted_material() {
    let c = case(4, 40, 2_000);
    let truth = captions_at(&c.truth);
    // Lines 9, 18 and 27 follow long scenes: two ad breaks inserted into the audio there.
    let caps = desync(&truth, |i, t| match i {
        0..=8 => t,
        9..=17 => t - 5_000,
        _ => t - 12_000,
    });
    let r = assert_accurate("splits, inserted before cues 9 and 18", &c, &caps);
    assert_eq!((r.splits.len(), r.ratio), (2, 1.0), "{:?}", r.splits);
}

#[test]
fn jitter_is_tightened() {
    let c = case(5, 40, 2_000);
    let truth = captions_at(&c.truth);
    let mut rng = Rng::new(9);
    let shifts: Vec<i64> = (0..40).map(|_| (rng.gauss() * 120.0) as i64).collect();
    let caps = desync(&truth, |i, t| t + shifts[i]);
    let (before, _) = accuracy(&caps, &c.truth);
    let r = assert_accurate("jitter", &c, &caps);
    assert!(r.cues_snapped > 0 && before < 0.8 && r.ratio == 1.0);
}

#[test]
fn in_sync_captions_are_left_alone() {
    let c = case(6, 40, 2_000);
    // Cue starts on the speech, as a VAD sees it (the synthetic track is 30 ms late).
    let spans: Vec<(i64, i64)> = c.truth.iter().map(|&(s, e)| (s + 30, e + 30)).collect();
    let caps = captions_at(&spans);
    let (out, r) = run(&c, &caps);
    assert!(r.already_in_sync, "{r:?}");
    assert_eq!(out, caps);
}

#[test]
fn another_programme_is_abstained_on() {
    let c = case(7, 40, 2_000);
    for seed in [8, 9, 10] {
        let other = captions_at(&truth_spans(seed, 40, 2_000));
        let (out, r) = run(&c, &other);
        eprintln!("another programme (seed {seed}): confidence {:.2}", r.confidence);
        assert!(r.abstained && r.reason.is_some(), "{r:?}");
        assert_eq!(out, other);
    }
}

#[test]
fn non_dialogue_cues_follow_their_neighbours_unsnapped() {
    let c = case(11, 20, 2_000);
    let mut truth = captions_at(&c.truth);
    let e8 = to_ms(truth.cues[8].end);
    truth.cues.insert(9, Cue::new(ms(e8 + 2_000), ms(e8 + 4_000), "[MUSIC]"));
    truth.cues.insert(0, Cue::new(ms(0), ms(1_500), "♪ theme tune ♪"));
    let caps = desync(&truth, |_, t| t + 3_000);
    let (out, r) = run(&c, &caps);
    assert_eq!(r.cues_skipped_non_dialogue, 2);
    for k in [0, 10] {
        // Same duration, moved by its neighbour's shift, text untouched.
        let d = |x: &Cue| to_ms(x.end) - to_ms(x.start);
        assert_eq!(d(&out.cues[k]), d(&caps.cues[k]));
        let moved = to_ms(out.cues[k].start) - to_ms(caps.cues[k].start);
        let nb = if k == 0 { 1 } else { k - 1 };
        let nb_moved = to_ms(out.cues[nb].start) - to_ms(caps.cues[nb].start);
        assert_eq!(moved, nb_moved, "cue {k}");
        assert_eq!(out.cues[k].text, caps.cues[k].text);
    }
}

#[test]
fn reference_mode_aligns_to_another_caption_file() {
    let c = case(12, 30, 5_000);
    let reference = captions_at(&c.truth);
    let caps = desync(&reference, |i, t| if i < 12 { t + 4_000 } else { t + 9_000 });
    let (out, r) = sync(&caps, Target::Reference(&reference), &SyncOptions::default()).unwrap();
    assert!(!r.abstained, "{r:?}");
    let (a100, _) = accuracy(&out, &c.truth);
    assert_eq!(a100, 1.0, "{r:?}");
    let unrelated = captions_at(&truth_spans(13, 30, 5_000));
    let (_, r) = sync(&unrelated, Target::Reference(&reference), &SyncOptions::default()).unwrap();
    assert!(r.abstained, "{r:?}");
}

#[test]
fn cue_text_ids_and_settings_are_untouched() {
    let c = case(14, 12, 2_000);
    let mut caps = desync(&captions_at(&c.truth), |_, t| t + 1_500);
    caps.cues[3].id = "three".into();
    caps.cues[3].settings.position = Some(20.0);
    let (out, _) = run(&c, &caps);
    for (a, b) in out.cues.iter().zip(&caps.cues) {
        assert_eq!((&a.id, &a.text, &a.settings), (&b.id, &b.text, &b.settings));
    }
}

#[test]
fn bad_input_is_a_typed_error_or_a_reasoned_abstention() {
    let c = case(15, 20, 2_000);
    let empty = Captions::default();
    let e = sync(&empty, Target::Speech(&c.activity), &SyncOptions::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_SYNC_EMPTY_CAPTIONS");
    let caps = captions_at(&c.truth);
    let e = sync(&caps, Target::Reference(&empty), &SyncOptions::default()).unwrap_err();
    assert!(matches!(e, SyncError::EmptyReference));
    // Silence, music only (no speech found), audio far shorter than the captions, and captions
    // with no dialogue: each abstains with a reason and returns the input.
    let silence = SpeechActivity { probability: vec![0.05; 30_000] };
    let short = SpeechActivity { probability: c.activity.probability[..2_000].to_vec() };
    let mut music = caps.clone();
    for cue in &mut music.cues {
        cue.text = "♪ ♪".into();
    }
    for (name, caps, activity) in
        [("silence", &caps, &silence), ("short", &caps, &short), ("music", &music, &c.activity)]
    {
        let (out, r) = sync(caps, Target::Speech(activity), &SyncOptions::default()).unwrap();
        assert!(r.abstained && r.reason.is_some(), "{name}: {r:?}");
        assert_eq!(&out, caps);
    }
    let s = SpeechActivity::default();
    let (_, r) = sync(&caps, Target::Speech(&s), &SyncOptions::default()).unwrap();
    assert!(r.abstained);
    // A cue a year away is damage: refused before any track is allocated.
    let mut far = caps.clone();
    far.cues[3].end = ms(365 * 24 * 3_600_000);
    let e = sync(&far, Target::Speech(&c.activity), &SyncOptions::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_SYNC_TOO_LONG");
    assert!(e.to_string().contains("8760 hours"), "{e}");
}

#[test]
fn a_timing_profile_is_applied_after_syncing() {
    let c = case(16, 20, 2_000);
    let caps = desync(&captions_at(&c.truth), |_, t| t - 1_200);
    let opts = SyncOptions {
        profile: outtake::captions::rules::Profile::built_in("netflix-en-adult"),
        ..SyncOptions::default()
    };
    let (out, r) = sync(&caps, Target::Speech(&c.activity), &opts).unwrap();
    assert!(!r.abstained);
    // Netflix: no cue shorter than 5/6 s.
    assert!(out.cues.iter().all(|c| to_ms(c.end) - to_ms(c.start) >= 833), "{out:?}");
}
