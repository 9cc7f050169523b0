//! SRT reader and writer: robustness on arbitrary input, and write → parse identity on what SRT
//! can express.

use outtake::captions::rules::plain::encode_entities;
use outtake::captions::srt::{parse_srt, parse_srt_bytes, write_srt, SrtOptions, DIAGNOSTIC_CODES};
use outtake::captions::{Captions, Cue};
use outtake::Time;
use proptest::prelude::*;

/// Raw SRT-expressible text of one line: no blank line, no `<` that starts a tag, no `{\`.
fn raw_line() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-z0-9']{1,8}".prop_map(|s| s),
            Just(" ".to_string()),
            Just("& ".to_string()),
            Just("< ".to_string()),
            Just(">".to_string()),
            Just("-->".to_string()),
            Just("é".to_string()),
            Just(", ".to_string()),
            Just("{".to_string()),
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// A cue text line in canonical cue-text form: encoded text, optionally wrapped in i/b/u.
fn cue_line() -> impl Strategy<Value = String> {
    (raw_line(), prop::option::of(prop::sample::select(vec!["i", "b", "u"])), any::<bool>())
        .prop_map(|(raw, tag, digits_only)| {
            let text = if digits_only { "123".to_string() } else { encode_entities(&raw) };
            match tag {
                Some(t) => format!("<{t}>{text}</{t}>"),
                None => text,
            }
        })
}

fn captions() -> impl Strategy<Value = Captions> {
    prop::collection::vec(
        (0i64..5_000, 1i64..10_000, -3_000i64..0, prop::collection::vec(cue_line(), 0..4)),
        1..20,
    )
    .prop_map(|cues| {
        let mut at = 0i64;
        let cues = cues
            .into_iter()
            .map(|(gap, dur, back, lines)| {
                // Some cues start before the previous one ends: overlaps survive a round trip too.
                let start = (at + gap + if gap % 3 == 0 { back } else { 0 }).max(0);
                at = start + dur;
                Cue::new(Time::from_millis(start), Time::from_millis(start + dur), lines.join("\n"))
            })
            .collect();
        Captions { cues, ..Captions::default() }
    })
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = parse_srt(&s, SrtOptions::default());
        let _ = parse_srt(&s, SrtOptions { strict: true });
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_srt_bytes(&b, SrtOptions::default());
        let mut bom = vec![0xff, 0xfe];
        bom.extend(&b);
        let _ = parse_srt_bytes(&bom, SrtOptions::default());
    }

    #[test]
    fn srt_shaped_noise_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("1\n".to_string()), Just("00:00:01,000 --> 00:00:02,000\n".to_string()), Just("\n".to_string()),
        Just("\r\n".to_string()), Just("<i".to_string()), Just("{\\".to_string()), Just("}".to_string()),
        Just(">".to_string()), Just("-->".to_string()), Just("99:99".to_string()), Just("1:2.".to_string()),
        Just("&".to_string()), Just("\u{feff}".to_string()), "[a-z0-9:,. ]{0,6}",
    ], 0..40)) {
        let text = parts.concat();
        if let Ok((caps, diags)) = parse_srt(&text, SrtOptions::default()) {
            prop_assert!(!caps.cues.is_empty());
            for c in &caps.cues {
                prop_assert!(c.end > c.start);
                prop_assert!(!c.text.contains("-->"));
            }
            for d in &diags {
                prop_assert!(DIAGNOSTIC_CODES.contains(&d.code), "{}", d.code);
                prop_assert!(d.line >= 1 && d.column >= 1);
            }
            // What we read, we can write and read again to the same thing.
            let (out, write_diags) = write_srt(&caps);
            let (again, _) = parse_srt(&out, SrtOptions::default()).unwrap();
            if write_diags.iter().all(|d| d.code != "SRT_AMBIGUOUS_TEXT") {
                prop_assert_eq!(again, caps);
            }
        }
    }

    #[test]
    fn write_then_parse_is_identity(caps in captions()) {
        let (text, write_diags) = write_srt(&caps);
        prop_assert_eq!(write_diags, vec![]);
        let (back, diags) = parse_srt(&text, SrtOptions { strict: false }).unwrap();
        prop_assert!(diags.iter().all(|d| d.code == "SRT_OVERLAP"), "{:?}", diags);
        prop_assert_eq!(back, caps);
    }
}

#[test]
fn crlf_lf_and_cr_files_read_the_same() {
    let lf =
        "1\n00:00:01,000 --> 00:00:02,000\nOne\ntwo\n\n2\n00:00:03,000 --> 00:00:04,000\nThree\n";
    let a = parse_srt(lf, SrtOptions::default()).unwrap();
    let b = parse_srt(&lf.replace('\n', "\r\n"), SrtOptions::default()).unwrap();
    let c = parse_srt(&lf.replace('\n', "\r"), SrtOptions::default()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.0.cues[0].text, "One\ntwo");
}

#[test]
fn text_that_reads_as_timing_is_reported_on_write() {
    let (caps, _) = parse_srt(
        "00:00:01,000 --> 00:00:02,000\n{\\an8}00:00:03,000 --> 00:00:04,000\n",
        SrtOptions::default(),
    )
    .unwrap();
    assert_eq!(caps.cues.len(), 1);
    let (_, diags) = write_srt(&caps);
    assert_eq!(
        diags.iter().map(|d| (d.line, d.code)).collect::<Vec<_>>(),
        vec![(3, "SRT_AMBIGUOUS_TEXT")]
    );
}

#[test]
fn missing_blank_lines_and_numbers() {
    let (caps, diags) = parse_srt(
        "00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n",
        SrtOptions::default(),
    )
    .unwrap();
    assert_eq!(caps.cues.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), vec!["One", "Two"]);
    let codes: Vec<_> = diags.iter().map(|d| (d.line, d.code)).collect();
    assert_eq!(codes, vec![(1, "SRT_CUE_NUMBER"), (3, "SRT_MISSING_BLANK_LINE")]);
}

/// Unclosed tags and many cues must not make the reader quadratic (this ran for minutes once).
#[test]
fn pathological_input_stays_linear() {
    let started = std::time::Instant::now();
    let text = format!("1\n00:00:01,000 --> 00:00:02,000\n{}\n", "<a{\\".repeat(200_000));
    let (caps, _) = parse_srt(&text, SrtOptions::default()).unwrap();
    assert_eq!(caps.cues[0].text, "&lt;a{\\".repeat(200_000));
    let many: String = (0..20_000)
        .map(|i| {
            format!(
                "{}\n00:00:{:02},000 --> 00:00:{:02},500\n<font x>t</font>\n\n",
                i + 1,
                i % 60,
                i % 60
            )
        })
        .collect();
    let (caps, diags) = parse_srt(&many, SrtOptions::default()).unwrap();
    assert_eq!(caps.cues.len(), 20_000);
    assert!(diags.len() >= 40_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
}
