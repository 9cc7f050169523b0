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

/// Messy files of the kinds found in real subtitle collections. Each keeps every word of its
/// dialogue (lenient), says what it repaired, and is refused in strict mode where it repaired
/// anything but overlaps.
#[test]
fn the_lenient_reader_keeps_every_line_of_dialogue() {
    struct Case {
        what: &'static str,
        srt: &'static str,
        /// (start ms, end ms, text) of every cue read.
        cues: &'static [(i64, i64, &'static str)],
        codes: &'static [&'static str],
    }
    let cases = [
        Case {
            what: "text after a blank line inside a cue",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nFirst line\n\nsecond line\n\n2\n00:00:03,000 --> 00:00:04,000\nNext\n",
            cues: &[(1000, 2000, "First line\nsecond line"), (3000, 4000, "Next")],
            codes: &["SRT_TEXT_AFTER_BLANK"],
        },
        Case {
            what: "text after a whitespace-only line",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nFirst\n \t \nstill first\n",
            cues: &[(1000, 2000, "First\nstill first")],
            codes: &["SRT_TEXT_AFTER_BLANK"],
        },
        Case {
            what: "a number-only dialogue line before a cue with no blank line",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nHow many?\n42\n00:00:03,000 --> 00:00:04,000\nThat many.\n",
            cues: &[(1000, 2000, "How many?\n42"), (3000, 4000, "That many.")],
            codes: &["SRT_MISSING_BLANK_LINE", "SRT_CUE_NUMBER"],
        },
        Case {
            what: "a number-only dialogue line after a blank line",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nThe answer:\n\n42\n\n2\n00:00:03,000 --> 00:00:04,000\nYes.\n",
            cues: &[(1000, 2000, "The answer:\n42"), (3000, 4000, "Yes.")],
            codes: &["SRT_TEXT_AFTER_BLANK"],
        },
        Case {
            what: "a cue that ends when it starts",
            srt: "1\n00:00:01,000 --> 00:00:01,000\nBlink\n\n2\n00:00:01,500 --> 00:00:03,000\nAfter\n",
            cues: &[(1000, 1500, "Blink"), (1500, 3000, "After")],
            codes: &["SRT_EMPTY_TIMING"],
        },
        Case {
            what: "a cue that ends before it starts, the last one",
            srt: "1\n00:00:05,000 --> 00:00:04,000\nBackwards\n",
            cues: &[(5000, 7000, "Backwards")],
            codes: &["SRT_EMPTY_TIMING"],
        },
        Case {
            what: "seconds written as 60",
            srt: "1\n00:00:59,500 --> 00:00:60,000\nA minute\n",
            cues: &[(59500, 60000, "A minute")],
            codes: &["SRT_TIMESTAMP_FORM"],
        },
        Case {
            what: "minutes written as 60",
            srt: "1\n00:59:59,000 --> 00:60:01,000\nAn hour\n",
            cues: &[(3_599_000, 3_601_000, "An hour")],
            codes: &["SRT_TIMESTAMP_FORM"],
        },
        Case {
            what: "a `->` arrow",
            srt: "1\n00:00:01,000 -> 00:00:02,000\nShort arrow\n",
            cues: &[(1000, 2000, "Short arrow")],
            codes: &["SRT_TIMESTAMP_FORM"],
        },
        Case {
            what: "dialogue in angle brackets",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nHe said <sighs> fine </sighs>\n",
            cues: &[(1000, 2000, "He said &lt;sighs&gt; fine &lt;/sighs&gt;")],
            codes: &["SRT_UNKNOWN_TAG", "SRT_UNKNOWN_TAG"],
        },
        Case {
            what: "nested angle brackets",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nI said <<x>whisper> hello\n",
            cues: &[(1000, 2000, "I said &lt;&lt;x&gt;whisper&gt; hello")],
            codes: &["SRT_UNKNOWN_TAG"],
        },
        Case {
            what: "font colours, a line break tag and an ASS override",
            srt: "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color=\"#ffff00\">Top</font><br>and <I>more</I>\n",
            cues: &[(1000, 2000, "Top\nand <i>more</i>")],
            codes: &["SRT_ASS_TAG", "SRT_FONT_TAG", "SRT_FONT_TAG"],
        },
        Case {
            what: "a timing line that cannot be read",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:0x,000 --> 00:00:zz,000\nTwo\n\n3\n00:00:05,000 --> 00:00:06,000\nThree\n",
            cues: &[(1000, 2000, "One"), (2000, 4000, "Two"), (5000, 6000, "Three")],
            codes: &["SRT_BAD_TIMING"],
        },
        Case {
            what: "text before the first cue",
            srt: "Subtitles by someone\n\n1\n00:00:01,000 --> 00:00:02,000\nHello\n",
            cues: &[(1000, 2000, "Subtitles by someone\nHello")],
            codes: &["SRT_STRAY_TEXT"],
        },
        Case {
            what: "numbered from 0, blank lines doubled, no final newline",
            srt: "\n\n0\n00:00:01,000 --> 00:00:02,000\nA\n\n\n\n1\n00:00:03,000 --> 00:00:04,000\nB",
            cues: &[(1000, 2000, "A"), (3000, 4000, "B")],
            codes: &["SRT_CUE_NUMBER"],
        },
        Case {
            what: "dialogue that looks like a short arrow stays dialogue",
            srt: "1\n00:00:01,000 --> 00:00:02,000\n9:00 -> 10:00\nthen lunch\n",
            cues: &[(1000, 2000, "9:00 -&gt; 10:00\nthen lunch")],
            codes: &[],
        },
        Case {
            what: "stray arrow text after a blank line",
            srt: "1\n00:00:01,000 --> 00:00:02,000\nA\n\nleft --> right\n",
            cues: &[(1000, 2000, "A\nleft --&gt; right")],
            codes: &["SRT_TEXT_AFTER_BLANK"],
        },
    ];
    for case in &cases {
        let (caps, diags) = parse_srt(case.srt, SrtOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", case.what));
        let got: Vec<(i64, i64, &str)> = caps
            .cues
            .iter()
            .map(|c| {
                (
                    c.start.millis(outtake::Rounding::Nearest),
                    c.end.millis(outtake::Rounding::Nearest),
                    c.text.as_str(),
                )
            })
            .collect();
        assert_eq!(got, case.cues, "{}", case.what);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, case.codes, "{}: {diags:?}", case.what);
        let strict = parse_srt(case.srt, SrtOptions { strict: true });
        assert_eq!(
            strict.is_err(),
            !case.codes.is_empty(),
            "{}: strict gave {strict:?}",
            case.what
        );
        // What was read writes and reads back to the same, unless the writer says it cannot.
        let (out, write_diags) = write_srt(&caps);
        if write_diags.iter().all(|d| d.code != "SRT_AMBIGUOUS_TEXT") {
            assert_eq!(parse_srt(&out, SrtOptions::default()).unwrap().0, caps, "{}", case.what);
        }
    }
}

/// SRT has no escaping: text that spells SRT markup reads back as markup. The writer says so
/// instead of writing it silently (`I said <<x>whisper> hello` lost "whisper" this way).
#[test]
fn text_that_spells_markup_is_reported_on_write() {
    for text in ["a &lt;i&gt;literal&lt;/i&gt; tag", "line&lt;br&gt;break", "{\\an8} shown"] {
        let caps = Captions {
            cues: vec![Cue::new(Time::from_millis(0), Time::from_millis(1000), text)],
            ..Captions::default()
        };
        let (out, diags) = write_srt(&caps);
        let back = parse_srt(&out, SrtOptions::default()).unwrap().0;
        assert_ne!(back, caps, "{text}");
        assert!(diags.iter().any(|d| d.code == "SRT_AMBIGUOUS_TEXT"), "{text}: {diags:?}");
    }
}

/// A tag kept as text does not consume its `>`: finding the `>` again from every `<` would be
/// quadratic on `<a<a<a…>`.
#[test]
fn tags_kept_as_text_stay_linear() {
    let started = std::time::Instant::now();
    let text = format!("1\n00:00:01,000 --> 00:00:02,000\n{}>\n", "<a".repeat(200_000));
    let (caps, _) = parse_srt(&text, SrtOptions::default()).unwrap();
    assert_eq!(caps.cues[0].text.len(), "&lt;a".len() * 200_000 + "&gt;".len());
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
}
