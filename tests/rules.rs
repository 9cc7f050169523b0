//! Timing rules: each rule on a small case, a generated 500-cue file, and the fixer's promises
//! (no new overlap, bounded start shift, idempotence, cues kept on their speech) on random files.

use outtake::captions::rules::{fix, lint, LintContext, Profile};
use outtake::captions::{Captions, Cue};
use outtake::{FrameGrid, Rate, Rounding, Time};
use proptest::prelude::*;

fn ms(v: i64) -> Time {
    Time::from_millis(v)
}

fn caps(cues: &[(i64, i64, &str)]) -> Captions {
    Captions {
        cues: cues.iter().map(|&(s, e, t)| Cue::new(ms(s), ms(e), t)).collect(),
        ..Captions::default()
    }
}

fn netflix() -> Profile {
    Profile::built_in("netflix-en-adult").unwrap()
}

fn ctx24() -> LintContext {
    LintContext::new(Rate::new(24, 1).unwrap())
}

/// Frames at 24 fps as a time.
fn f24(n: i64) -> Time {
    Time::new(n, 24)
}

fn rules_of(v: &[outtake::captions::rules::Violation]) -> Vec<(&'static str, usize, bool)> {
    v.iter().map(|v| (v.rule, v.cue_index, v.fixable)).collect()
}

#[test]
fn each_timing_rule_fires_and_is_fixed() {
    // On the 24 fps grid: 1 s = 24 frames.
    let c = Captions {
        cues: vec![
            Cue::new(f24(0), f24(10), "Short."), // min-duration: 10 frames < 20
            Cue::new(f24(30), f24(30 + 24 * 8), "Too long."), // max-duration: 8 s > 7 s
            Cue::new(f24(400), f24(440), "Gap of one frame"), // min-gap with the next
            Cue::new(f24(441), f24(480), "next"), // chaining gap of 6 frames to the next
            Cue::new(f24(486), f24(540), "And then."),
        ],
        ..Captions::default()
    };
    let v = lint(&c, &netflix(), &ctx24());
    let got = rules_of(&v);
    for want in [
        ("min-duration", 0, true),
        ("max-duration", 1, true),
        ("min-gap", 2, true),
        ("chaining", 3, true),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
    let r = fix(&c, &netflix(), &ctx24());
    assert_eq!(r.remaining.iter().filter(|v| v.fixable).count(), 0, "{:?}", r.remaining);
    let out = &r.captions.cues;
    assert_eq!(out[0].end, f24(28)); // grown to 5/6 s (20 frames), then chained to the next
    assert_eq!(out[1].end, f24(30 + 24 * 7)); // cut to 7 s
    assert_eq!(out[2].end, f24(439)); // 2 frames before the next
    assert_eq!(out[3].end, f24(484)); // chained: 2 frames before the next
    assert!(r.applied.len() >= 4);
}

#[test]
fn reading_speed_extends_into_free_time_only() {
    let text = "A line of forty characters, more or less";
    let c = caps(&[(0, 1000, text), (10_000, 11_000, "x"), (11_500, 12_000, text)]);
    let p = netflix();
    let v = lint(&c, &p, &ctx24());
    let speed: Vec<_> =
        v.iter().filter(|v| v.rule == "reading-speed").map(|v| (v.cue_index, v.fixable)).collect();
    // The first can grow to about 2.4 s (40 characters at 17 a second); the last has all the room.
    assert_eq!(speed, vec![(0, true), (2, true)]);
    let r = fix(&c, &p, &ctx24());
    // chars / 17 s, rounded up to the next frame.
    let frames = (text.chars().count() as i64 * 24 + 16) / 17;
    assert_eq!(r.captions.cues[0].end, Time::new(frames, 24));
    let tight = caps(&[(0, 1000, text), (1500, 3000, "x")]);
    let v = lint(&tight, &p, &ctx24());
    assert!(v.iter().any(|v| v.rule == "reading-speed" && v.cue_index == 0 && !v.fixable), "{v:?}");
}

#[test]
fn long_lines_are_rebroken_and_dialogue_left_alone() {
    let c = caps(&[
        (0, 5000, "I told you already, we are not going to the party tonight"),
        (6000, 9000, "- Are you coming to the party tonight with us?\n- No."),
        (10_000, 14_000, "one\ntwo\nthree"),
    ]);
    let v = lint(&c, &netflix(), &ctx24());
    assert!(rules_of(&v).contains(&("line-length", 0, true)));
    assert!(rules_of(&v).contains(&("line-length", 1, false)));
    assert!(rules_of(&v).contains(&("line-count", 2, true)));
    let r = fix(&c, &netflix(), &ctx24());
    assert_eq!(
        r.captions.cues[0].text,
        "I told you already,\nwe are not going to the party tonight"
    );
    assert_eq!(r.captions.cues[2].text, "one two three");
    let rebroken: Vec<_> = r
        .applied
        .iter()
        .filter_map(|f| f.text.as_deref().map(|t| (f.rule, f.cue_index, t)))
        .collect();
    assert_eq!(
        rebroken,
        vec![
            ("line-length", 0, r.captions.cues[0].text.as_str()),
            ("line-count", 2, "one two three")
        ]
    );
}

#[test]
fn shot_change_rules() {
    let mut ctx = ctx24();
    ctx.shot_changes = vec![f24(100), f24(300), f24(500)];
    let c = Captions {
        cues: vec![
            Cue::new(f24(95), f24(150), "snaps to the cut"), // 5 frames before 100
            Cue::new(f24(290), f24(350), "pulled to 12 before"), // 10 frames before 300
            Cue::new(f24(430), f24(497), "ends 3 before a cut"), // out 3 frames before 500
        ],
        ..Captions::default()
    };
    let v = lint(&c, &netflix(), &ctx);
    assert_eq!(v.iter().filter(|v| v.rule == "shot-change").count(), 3, "{v:?}");
    let r = fix(&c, &netflix(), &ctx);
    let out = &r.captions.cues;
    assert_eq!(out[0].start, f24(100));
    assert_eq!(out[1].start, f24(288));
    assert_eq!(out[2].end, f24(498));
    assert!(r.remaining.iter().all(|v| !v.fixable), "{:?}", r.remaining);
}

#[test]
fn overlaps_and_frame_grid() {
    let c = caps(&[(0, 3000, "first"), (2000, 4000, "second"), (5001, 7003, "off grid")]);
    let v = lint(&c, &netflix(), &ctx24());
    assert!(rules_of(&v).contains(&("overlap", 0, true)));
    assert!(rules_of(&v).contains(&("frame-grid", 2, true)));
    let r = fix(&c, &netflix(), &ctx24());
    assert_eq!(r.captions.cues[0].end, ms(2000) - f24(2));
    let grid = FrameGrid::new(Rate::new(24, 1).unwrap());
    for cue in &r.captions.cues {
        assert_eq!(grid.snap(cue.start, Rounding::Nearest), cue.start);
        assert_eq!(grid.snap(cue.end, Rounding::Nearest), cue.end);
    }
}

#[test]
fn bbc_words_per_minute_and_speech_sync() {
    let p = Profile::built_in("bbc").unwrap();
    let mut ctx = LintContext::new(Rate::new(25, 1).unwrap());
    ctx.speech = Some(vec![(ms(10_000), ms(12_000))]);
    // 8 words at 180 wpm need 2.667 s; the cue starts 2 s before its speech.
    let c = caps(&[(8_000, 10_400, "one two three four five six seven eight")]);
    let v = lint(&c, &p, &ctx);
    assert!(rules_of(&v).contains(&("reading-speed", 0, true)), "{v:?}");
    assert!(
        v.iter().any(|v| v.rule == "speech-sync" && v.message.contains("before its speech")),
        "{v:?}"
    );
}

#[test]
fn custom_profile_from_json() {
    let p = Profile::from_json(
        r#"{"name": "tight", "maxLineChars": 10, "maxLines": 1, "minGapFrames": 0}"#,
    )
    .unwrap();
    let c = caps(&[(0, 1000, "a very long line indeed")]);
    let v = lint(&c, &p, &ctx24());
    assert_eq!(rules_of(&v), vec![("line-length", 0, false)]);
}

/// A small deterministic generator (xorshift), so the 500-cue file is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "the", "a", "we", "you", "never", "really", "house", "went", "told", "and", "but", "because",
    "to", "of", "tonight", "remember", "what", "happened", "after", "dinner", "with", "your",
    "brother", "I", "think", "nobody", "knows", "where", "she", "is", "going", "now", "listen",
    "careful", "please", "in", "the", "car",
];

/// A sentence of `n` words with a capital and a full stop, maybe a comma in the middle.
fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut ws: Vec<String> =
        (0..n).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize].to_string()).collect();
    if n > 5 && rng.below(2) == 0 {
        ws[n / 2].push(',');
    }
    let mut s = ws.join(" ");
    if let Some(f) = s.get(..1) {
        s = f.to_uppercase() + &s[1..];
    }
    s + "."
}

/// A "real-looking" file: natural timing with deliberate violations of every kind.
fn real_looking(n: usize, seed: u64) -> (Captions, Vec<Time>) {
    let mut rng = Rng(seed);
    let mut cues = Vec::new();
    let mut cuts = Vec::new();
    let mut at = 2_000i64;
    for i in 0..n {
        let words = 2 + rng.below(14) as usize;
        let mut text = sentence(&mut rng, words);
        // Natural: about 15 characters per second, a pause of 0.2 to 2 s.
        let mut dur = (text.len() as i64 * 1000 / 15).max(900);
        let mut gap = 200 + rng.below(1800) as i64;
        match i % 10 {
            0 => dur = 300 + rng.below(400) as i64,    // too short
            1 => dur = 7_500 + rng.below(3000) as i64, // too long
            2 => gap = 40,                             // one frame apart
            3 => gap = 150 + rng.below(300) as i64,    // chaining
            4 => text = format!("{} {}", sentence(&mut rng, 8), sentence(&mut rng, 6)), // long line
            5 => dur = dur * 2 / 3,                    // too fast
            6 => gap = -(200 + rng.below(300) as i64), // overlaps the previous cue
            7 => text = format!("<i>{}</i>", sentence(&mut rng, 5)),
            _ => {}
        }
        let start = (at + gap).max(0) + rng.below(7) as i64; // off the frame grid, often
        if i % 13 == 0 {
            cuts.push(ms(start + 150));
        }
        if i % 17 == 0 {
            cuts.push(ms(start + dur - 60));
        }
        cues.push(Cue::new(ms(start), ms(start + dur), text));
        at = start + dur;
    }
    (Captions { cues, ..Captions::default() }, cuts)
}

fn overlapping_pairs(c: &Captions) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, a) in c.cues.iter().enumerate() {
        for (j, b) in c.cues.iter().enumerate().skip(i + 1) {
            if a.start < b.end && b.start < a.end {
                out.push((i, j));
            }
        }
    }
    out
}

#[test]
fn five_hundred_cue_file_is_fixed() {
    let (c, cuts) = real_looking(500, 0x5eed);
    let mut ctx = ctx24();
    ctx.shot_changes = cuts;
    let p = netflix();
    let before = lint(&c, &p, &ctx);
    let mut kinds: Vec<&str> = before.iter().map(|v| v.rule).collect();
    kinds.sort();
    kinds.dedup();
    println!("500 cues: {} violations before fixing, rules {kinds:?}", before.len());
    assert!(before.len() > 500, "only {} violations", before.len());
    for rule in [
        "min-duration",
        "max-duration",
        "min-gap",
        "chaining",
        "line-length",
        "reading-speed",
        "overlap",
        "frame-grid",
        "shot-change",
    ] {
        assert!(kinds.contains(&rule), "{rule} never fired");
    }
    let r = fix(&c, &p, &ctx);
    let fixable: Vec<_> = r.remaining.iter().filter(|v| v.fixable).collect();
    let mut left: Vec<(&str, usize)> = Vec::new();
    for v in &r.remaining {
        match left.iter_mut().find(|(k, _)| *k == v.rule) {
            Some(e) => e.1 += 1,
            None => left.push((v.rule, 1)),
        }
    }
    println!(
        "after: {} applied, {} remaining (none fixable): {left:?}",
        r.applied.len(),
        r.remaining.len()
    );
    assert!(fixable.is_empty(), "{fixable:?}");
    assert_eq!(overlapping_pairs(&r.captions), vec![]);
    assert_eq!(r.captions.cues.len(), 500);
    assert_eq!(fix(&r.captions, &p, &ctx).captions, r.captions);
    // Written as SRT (whole milliseconds, off the 24 fps grid by up to half a millisecond) and
    // read back, the file still has nothing fixable left.
    let (srt, _) = outtake::captions::srt::write_srt(&r.captions);
    let (back, _) = outtake::captions::srt::parse_srt(&srt, Default::default()).unwrap();
    let after = lint(&back, &p, &ctx);
    assert!(
        after.iter().all(|v| !v.fixable),
        "{:?}",
        after.iter().filter(|v| v.fixable).take(5).collect::<Vec<_>>()
    );
}

/// Lint and fix scale as (cues + cuts) × log(cuts): with a cut every two frames, every
/// shot-change window chains into the next, and a walk from window to window (what `fix` once
/// did for each cue) crosses the whole film; 1,000 cues over 15,000 cuts took 20 s to lint and
/// over 2 min to fix that way, in a release build.
#[test]
fn dense_shot_changes_stay_fast() {
    let (c, _) = real_looking(1_000, 0xc075);
    let film = c.cues.iter().map(|c| c.end).max().unwrap() + ms(5_000);
    let mut ctx = ctx24();
    ctx.shot_changes = (0..).map(|k| ms(80 * k + 3)).take_while(|&t| t < film).collect();
    assert!(ctx.shot_changes.len() > 25_000, "{} cuts", ctx.shot_changes.len());
    let p = netflix();
    let t = std::time::Instant::now();
    let v = lint(&c, &p, &ctx);
    let linted = t.elapsed();
    let r = fix(&c, &p, &ctx);
    let fixed = t.elapsed() - linted;
    println!(
        "{} cues, {} cuts: lint {linted:?} ({} violations), fix {fixed:?} ({} applied)",
        c.cues.len(),
        ctx.shot_changes.len(),
        v.len(),
        r.applied.len()
    );
    assert!(v.iter().any(|v| v.rule == "shot-change"));
    assert!(r.remaining.iter().all(|v| !v.fixable), "{:?}", r.remaining.first());
    assert_eq!(overlapping_pairs(&r.captions), vec![]);
    // Generous for a debug build on a busy machine: the linear work takes about a second.
    assert!(linted.as_secs_f64() + fixed.as_secs_f64() < 30.0, "{linted:?} + {fixed:?}");
}

/// Speech spans are found by binary search too: each cue checked against every span (what lint
/// and fix once did, several times a cue in fix) made cues times spans.
#[test]
fn many_speech_spans_stay_fast() {
    let (c, _) = real_looking(500, 0x5bee);
    let film = c.cues.iter().map(|c| c.end).max().unwrap() + ms(5_000);
    // A VAD's spans, 0.1 s of speech every 0.2 s, over ten times the captioned part of the film
    // (captions for its first tenth): each cue overlaps a few spans, and is tested against those
    // only.
    let speech: Vec<(Time, Time)> = (0..)
        .map(|k| (ms(200 * k), ms(200 * k + 100)))
        .take_while(|s| s.0 < film.mul_ratio(10, 1))
        .collect();
    assert!(speech.len() > 90_000, "{} spans", speech.len());
    let p = Profile::built_in("bbc").unwrap();
    let mut ctx = LintContext::new(Rate::new(25, 1).unwrap());
    ctx.speech = Some(speech);
    let t = std::time::Instant::now();
    let v = lint(&c, &p, &ctx);
    let linted = t.elapsed();
    let r = fix(&c, &p, &ctx);
    let fixed = t.elapsed() - linted;
    println!(
        "{} cues, {} spans: lint {linted:?}, fix {fixed:?}",
        c.cues.len(),
        ctx.speech.as_ref().unwrap().len()
    );
    assert!(!v.is_empty() && v.iter().all(|v| v.message != "no speech while the cue shows"));
    assert!(r.remaining.iter().all(|v| !v.fixable), "{:?}", r.remaining.first());
    // Generous for a debug build on a busy machine: the linear work takes about a second.
    assert!(linted.as_secs_f64() + fixed.as_secs_f64() < 10.0, "{linted:?} + {fixed:?}");
}

fn random_captions() -> impl Strategy<Value = (Captions, Vec<Time>, Vec<(Time, Time)>)> {
    sized_captions(1..40)
}

fn sized_captions(
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = (Captions, Vec<Time>, Vec<(Time, Time)>)> {
    (n, any::<u64>()).prop_map(|(n, seed)| {
        let (c, cuts) = real_looking(n, seed | 1);
        // Speech: each cue's span shrunk a little, as a VAD would find it.
        let speech = c
            .cues
            .iter()
            .map(|c| (c.start + ms(100), c.end.max(c.start + ms(200)) - ms(50)))
            .collect();
        (c, cuts, speech)
    })
}

fn sorted(c: &Captions) -> Captions {
    let mut c = c.clone();
    c.cues.sort_by_key(|c| c.start);
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fixer_keeps_its_promises(
        (c, cuts, speech) in prop_oneof![4 => random_captions(), 1 => sized_captions(200..600)],
        profile in prop::sample::select(vec!["netflix-en-adult", "netflix-en-children", "bbc", "dcmp"]),
        rate in prop::sample::select(vec![(24u32, 1u32), (25, 1), (30000, 1001)]),
        with_speech in any::<bool>(),
    ) {
        let p = Profile::built_in(profile).unwrap();
        let mut ctx = LintContext::new(Rate::new(rate.0, rate.1).unwrap());
        ctx.shot_changes = cuts;
        if with_speech {
            ctx.speech = Some(speech.clone());
        }
        let input = sorted(&c);
        let r = fix(&c, &p, &ctx);
        let out = &r.captions;
        prop_assert_eq!(out.cues.len(), input.cues.len());
        // No new overlap.
        let was = overlapping_pairs(&input);
        for pair in overlapping_pairs(out) {
            prop_assert!(was.contains(&pair), "fix created overlap {:?}", pair);
        }
        // Starts move by at most the allowed shift.
        let shift = Time::new(p.frames_at(p.max_start_shift_frames, ctx.frame_rate) * ctx.frame_rate.den as i64, ctx.frame_rate.num);
        for (a, b) in input.cues.iter().zip(&out.cues) {
            prop_assert!((a.start - b.start).max(b.start - a.start) <= shift, "start moved {} -> {}", a.start, b.start);
            prop_assert!(b.start < b.end);
        }
        // Cues stay on their speech.
        if with_speech {
            for (a, b) in input.cues.iter().zip(&out.cues) {
                for &(s, e) in &speech {
                    if s < a.end && a.start < e {
                        prop_assert!(s < b.end && b.start < e, "cue {:?} left its speech", b.text);
                    }
                }
            }
        }
        // Nothing fixable is left, and fixing again changes nothing.
        prop_assert!(r.remaining.iter().all(|v| !v.fixable), "{:?}", r.remaining.iter().filter(|v| v.fixable).collect::<Vec<_>>());
        let again = fix(out, &p, &ctx);
        prop_assert_eq!(&again.captions, out);
        prop_assert!(again.applied.is_empty());
    }

    #[test]
    fn lint_never_panics_on_odd_captions(
        cues in prop::collection::vec((-5_000i64..50_000, -1_000i64..9_000, "\\PC{0,80}"), 0..20),
        cuts in prop::collection::vec(-1_000i64..60_000, 0..10),
    ) {
        let c = Captions { cues: cues.into_iter().map(|(s, d, t)| Cue::new(ms(s), ms(s + d), t)).collect(), ..Captions::default() };
        let mut ctx = ctx24();
        ctx.shot_changes = cuts.into_iter().map(ms).collect();
        for name in Profile::built_in_names() {
            let p = Profile::built_in(name).unwrap();
            let _ = lint(&c, &p, &ctx);
            let r = fix(&c, &p, &ctx);
            prop_assert_eq!(r.captions.cues.len(), c.cues.len());
        }
    }
}
