//! The WebVTT writer against the parser: parse → write → parse is the identity on the caption
//! model, for every conformance file and for random captions with settings, regions, markup,
//! entities, STYLE and NOTE blocks; and neither parser panics on arbitrary input.

mod common;

use outtake::captions::*;
use outtake::Time;
use proptest::prelude::*;

fn reparse(captions: &Captions) -> Captions {
    let text = write_webvtt(captions);
    match parse_webvtt(&text) {
        Ok(p) => p.captions,
        Err(e) => panic!("writer output does not parse: {e}\n{text}"),
    }
}

#[test]
fn conformance_files_round_trip() {
    let Some(dir) = common::conformance::dir() else { return };
    let mut n = 0;
    for case in common::conformance::file_cases(&dir) {
        let Ok(parsed) = parse_webvtt(&String::from_utf8_lossy(&case.vtt)) else { continue };
        let written = write_webvtt(&parsed.captions);
        let again = parse_webvtt(&written).expect("written file parses");
        assert_eq!(
            again.captions, parsed.captions,
            "{}: model changed through\n{written}",
            case.name
        );
        assert!(
            again.diagnostics.is_empty(),
            "{}: writer output has skips: {:?}",
            case.name,
            again.diagnostics
        );
        assert_eq!(write_webvtt(&again.captions), written, "{}: writing is not stable", case.name);
        n += 1;
    }
    assert_eq!(n, 37, "every conformance file has a good signature");
}

fn percent() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..=100).prop_map(f64::from), (0.0f64..=100.0), Just(0.0), Just(100.0)]
}

fn line_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ,.!?'éü漢]{1,8}",
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("<i.loud>".to_string()),
        Just("</i>".to_string()),
        Just("<v Bob Smith>".to_string()),
        Just("</v>".to_string()),
        Just("<c.a.b>".to_string()),
        Just("</c>".to_string()),
        Just("<lang en-GB>".to_string()),
        Just("<ruby>漢<rt>kan</rt></ruby>".to_string()),
        Just("<00:00:01.500>".to_string()),
        Just("&amp;".to_string()),
        Just("&lt;&gt;".to_string()),
        Just("&nbsp;".to_string()),
        Just("&ClockwiseContourIntegral;".to_string()),
        Just("&#x1F600;".to_string()),
        Just("&".to_string()),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
}

fn text_block() -> impl Strategy<Value = String> {
    prop::collection::vec(line_text(), 0..4).prop_map(|l| l.join("\n"))
}

fn region() -> impl Strategy<Value = Region> {
    (
        prop_oneof![Just(String::new()), "[a-z][a-z0-9]{0,5}"],
        percent(),
        prop_oneof![(0u32..10).prop_map(f64::from), Just(4294967296.0), Just(1e34)],
        (percent(), percent()),
        (percent(), percent()),
        any::<bool>(),
    )
        .prop_map(|(id, width, lines, region_anchor, viewport_anchor, scroll_up)| Region {
            id,
            width,
            lines,
            region_anchor,
            viewport_anchor,
            scroll_up,
        })
}

fn settings(region_ids: Vec<String>) -> impl Strategy<Value = CueSettings> {
    let line = prop_oneof![
        Just(Line::Auto),
        (-20i32..20).prop_map(|n| Line::Number(n.into())),
        (-1e9f64..1e9).prop_map(|n| Line::Number(if n == 0.0 { 0.0 } else { n })),
        percent().prop_map(Line::Percent),
    ];
    let line_align =
        prop_oneof![Just(LineAlign::Start), Just(LineAlign::Center), Just(LineAlign::End)];
    let position_align = prop_oneof![
        Just(PositionAlign::Auto),
        Just(PositionAlign::LineLeft),
        Just(PositionAlign::Center),
        Just(PositionAlign::LineRight)
    ];
    let align = prop_oneof![
        Just(Align::Start),
        Just(Align::Center),
        Just(Align::End),
        Just(Align::Left),
        Just(Align::Right)
    ];
    let vertical = prop_oneof![Just(Vertical::Horizontal), Just(Vertical::Rl), Just(Vertical::Lr)];
    let region = if region_ids.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::of(prop::sample::select(region_ids)).boxed()
    };
    (
        vertical,
        line,
        line_align,
        prop::option::of(percent()),
        position_align,
        prop_oneof![Just(100.0), percent()],
        align,
        region,
    )
        .prop_map(
            |(vertical, line, line_align, position, position_align, size, align, region)| {
                CueSettings {
                    vertical,
                    // Alignments exist in the syntax only beside a value.
                    line_align: if line == Line::Auto { LineAlign::Start } else { line_align },
                    line,
                    position_align: if position.is_none() {
                        PositionAlign::Auto
                    } else {
                        position_align
                    },
                    position,
                    size,
                    align,
                    region,
                }
            },
        )
}

fn captions() -> impl Strategy<Value = Captions> {
    let header = prop_oneof![
        Just(String::new()),
        " [a-zA-Z0-9 :=-]{0,12}",
        "( [a-z]{1,5})?\nX-TIMESTAMP-MAP=MPEGTS:[0-9]{1,6},LOCAL:00:00:00\\.000",
    ];
    (header, prop::collection::vec(region(), 0..4)).prop_flat_map(|(header, regions)| {
        let ids: Vec<String> =
            regions.iter().map(|r| r.id.clone()).filter(|id| !id.is_empty()).collect();
        let cue = (
            prop_oneof![Just(String::new()), "[a-zA-Z0-9 _.-]{1,10}"],
            0i64..400_000_000,
            0i64..400_000_000,
            text_block(),
            settings(ids),
        )
            .prop_map(|(id, start, end, text, settings)| Cue {
                id,
                start: Time::from_millis(start),
                end: Time::from_millis(end),
                text,
                settings,
            });
        let block = (any::<bool>(), text_block(), 0usize..10);
        (
            Just(header),
            Just(regions),
            prop::collection::vec(cue, 0..8),
            prop::collection::vec(block, 0..4),
        )
            .prop_map(|(header, regions, cues, blocks)| {
                // STYLE blocks first (they only stand before the first cue), then NOTEs in cue order.
                let mut blocks: Vec<Block> = blocks
                    .into_iter()
                    .filter_map(|(style, text, at)| {
                        let kind = if style { BlockKind::Style } else { BlockKind::Note };
                        if style && text.is_empty() {
                            return None;
                        }
                        let before_cue = if style { 0 } else { at.min(cues.len()) };
                        Some(Block { kind, text, before_cue })
                    })
                    .collect();
                blocks.sort_by_key(|b| (b.before_cue, b.kind == BlockKind::Note));
                Captions { header, cues, regions, blocks }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn write_then_parse_is_identity(c in captions()) {
        let text = write_webvtt(&c);
        let parsed = parse_webvtt(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&parsed.captions, &c, "through\n{}", text);
        prop_assert!(parsed.diagnostics.is_empty(), "{:?}\n{}", parsed.diagnostics, text);
    }

    #[test]
    fn parser_never_panics_on_strings(s in "WEBVTT[ \t\n]((.|\n){0,400})") {
        if let Ok(p) = parse_webvtt(&s) {
            for cue in &p.captions.cues {
                let _ = plain_text(&parse_cue_text(&cue.text));
            }
            let _ = to_textrack_json(&p.captions, &p.diagnostics);
            let _ = parse_webvtt(&write_webvtt(&p.captions)).expect("writer output parses");
        }
    }

    #[test]
    fn parser_never_panics_on_vtt_shaped_input(
        lines in prop::collection::vec(prop_oneof![
            Just(String::new()),
            "[0-9:.]{0,14} *-->[ \t]*[0-9:.]{0,14}( [a-z]{1,9}:[a-z0-9%,.-]{0,8}){0,3}",
            "(REGION|STYLE|NOTE)[ \t]?",
            "[a-z]{1,14}:[a-z0-9%,.-]{0,10}",
            "[<>&;/.a-z0-9 #\t\r\0-]{0,20}",
        ], 0..40),
    ) {
        let s = format!("WEBVTT\n\n{}", lines.join("\n"));
        let p = parse_webvtt(&s).expect("signature is right");
        for cue in &p.captions.cues {
            let _ = parse_cue_text(&cue.text);
        }
        prop_assert_eq!(&parse_webvtt(&write_webvtt(&p.captions)).expect("writer output parses").captions, &p.captions);
    }

    #[test]
    fn cue_text_never_panics(s in "[<>&;#x./a-z0-9 \t\n:éü-]{0,200}") {
        let nodes = parse_cue_text(&s);
        let _ = plain_text(&nodes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let s = String::from_utf8_lossy(&b);
        let _ = parse_webvtt(&s);
        let _ = parse_cue_text(&s);
        let _ = parse_timestamp(&s);
    }
}

#[test]
fn huge_numbers_round_trip() {
    let digits = "9".repeat(400);
    let src =
        format!("WEBVTT\n\nREGION\nid:r\nlines:{digits}\n\n00:00.000 --> 00:01.000 region:r\nx\n");
    let parsed = parse_webvtt(&src).unwrap();
    assert_eq!(parsed.captions.regions[0].lines, f64::MAX);
    assert_eq!(reparse(&parsed.captions), parsed.captions);
}

/// A 10,000-cue file parsed and written back: run with `--release --ignored --nocapture`.
#[test]
#[ignore]
fn speed_10k_cues() {
    let mut src = String::from("WEBVTT\n\n");
    for i in 0..10_000u64 {
        let (s, e) = (i * 2000, i * 2000 + 1500);
        let t = |ms: u64| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        src.push_str(&format!(
            "{i}\n{} --> {} align:start line:85% position:10%\n<v Speaker {i}>Line {i} of the <i>captions</i> &amp; more\nsecond line of text\n\n",
            t(s),
            t(e)
        ));
    }
    let runs = 20;
    let t0 = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        let parsed = parse_webvtt(&src).unwrap();
        assert_eq!(parsed.captions.cues.len(), 10_000);
        bytes += write_webvtt(&parsed.captions).len();
    }
    let per = t0.elapsed() / runs;
    let t2 = std::time::Instant::now();
    for _ in 0..runs {
        bytes += parse_webvtt(&src).unwrap().captions.cues.len();
    }
    let per_parse = t2.elapsed() / runs;
    let t1 = std::time::Instant::now();
    for _ in 0..runs {
        let parsed = parse_webvtt(&src).unwrap();
        bytes +=
            textrack_json::textrack_json_string(&parsed.captions, &parsed.diagnostics, false).len();
    }
    let per_json = t1.elapsed() / runs;
    println!(
        "10k cues ({} kB): parse {:.2} ms, parse+write {:.2} ms, parse+TextTrack JSON {:.2} ms ({bytes} bytes out)",
        src.len() / 1024,
        per_parse.as_secs_f64() * 1e3,
        per.as_secs_f64() * 1e3,
        per_json.as_secs_f64() * 1e3
    );
}
