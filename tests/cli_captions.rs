//! `outtake captions convert` as users run it: the built binary's `--to json` output holds every
//! conformance assertion, `--to vtt` round-trips, and a file that is not captions fails in one line.

mod common;

use std::process::{Command, Output};

use common::conformance;

fn outtake(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outtake")).args(args).output().expect("run outtake")
}

#[test]
fn json_output_passes_the_conformance_assertions() {
    let Some(dir) = conformance::dir() else { return };
    let (mut passed, mut total, mut failures) = (0, 0, vec![]);
    for case in conformance::file_cases(&dir) {
        let out = outtake(&["captions", "convert", case.path.to_str().unwrap(), "--to", "json"]);
        assert!(out.status.success(), "{}: {}", case.name, String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        let missed = conformance::check(&json, &case.assertions);
        total += case.assertions.len();
        passed += case.assertions.len() - missed.len();
        failures.extend(missed.into_iter().map(|m| format!("{}: {m}", case.name)));
        // Warnings on stderr are the JSON's diagnostics, one line each, or counted on one line
        // once a code repeats more than ten times.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let warnings: usize = stderr
            .lines()
            .map(|l| match l.split_once(": … and ") {
                Some((_, rest)) => rest.split(' ').next().unwrap().parse().unwrap(),
                None => usize::from(l.contains(": warning ")),
            })
            .sum();
        assert_eq!(warnings, json["diagnostics"].as_array().map_or(0, Vec::len), "{}", case.name);
    }
    println!("cli file-parsing: {passed}/{total} assertions");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(total, 441);
}

#[test]
fn vtt_output_round_trips_through_a_file() {
    let Some(dir) = conformance::dir() else { return };
    let tmp = std::env::temp_dir().join(format!("outtake-cli-captions-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for case in conformance::file_cases(&dir) {
        let written = tmp.join(format!("{}.vtt", case.name));
        let out = outtake(&[
            "captions",
            "convert",
            case.path.to_str().unwrap(),
            "-o",
            written.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", case.name);
        assert!(out.stdout.is_empty());
        let original =
            outtake::captions::parse_webvtt(&String::from_utf8_lossy(&case.vtt)).unwrap();
        let again =
            outtake::captions::parse_webvtt(&std::fs::read_to_string(&written).unwrap()).unwrap();
        assert_eq!(again.captions, original.captions, "{}", case.name);
    }
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn files_that_are_not_captions_fail_in_one_line() {
    let tmp = std::env::temp_dir().join(format!("outtake-cli-notvtt-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let png = tmp.join("x.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let mp4 = tmp.join("x.mp4");
    std::fs::write(&mp4, b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41").unwrap();
    for path in [&png, &mp4] {
        let out = outtake(&["captions", "convert", path.to_str().unwrap(), "--to", "json"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("ERR_CAPTIONS_FORMAT") && err.contains(":1:1: not a caption file"),
            "{err}"
        );
    }
    let missing = outtake(&["captions", "convert", tmp.join("none.vtt").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ERR_IO"));
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn usage_errors() {
    for args in [
        &["captions"][..],
        &["captions", "convert"],
        &["captions", "convert", "a.vtt", "--to", "docx"],
        &["captions", "convert", "a.vtt", "--frob"],
        &["captions", "frob"],
    ] {
        let out = outtake(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("ERR_USAGE"), "{args:?}");
    }
    let help = outtake(&["captions", "--help"]);
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("convert IN"));
}

/// Every command that writes a caption file writes the format its `-o` extension names (`fix
/// -o out.vtt` once wrote SRT text into the `.vtt`); else `fix` and `retime` keep the input's
/// format and `convert` writes WebVTT; `convert --to` wins over the extension.
#[test]
fn output_extension_names_the_format() {
    use outtake::captions::detect::{parse_captions, Format};
    let tmp = std::env::temp_dir().join(format!("outtake-cli-out-format-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let path = |name: &str| tmp.join(name).to_str().unwrap().to_string();
    let srt = path("in.srt");
    std::fs::write(&srt, "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n\n2\n00:00:05,000 --> 00:00:07,000\nGeneral Kenobi.\n").unwrap();
    let vtt = path("in.vtt");
    std::fs::write(&vtt, "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello there.\n").unwrap();
    let edits = path("edits.json");
    std::fs::write(&edits, r#"{"frameRate": 25, "segments": [{"start": 0, "end": 10}]}"#).unwrap();
    let fix = |input: &str, out: &str| {
        vec!["captions", "fix", input, "--profile", "bbc", "--fps", "25", "-o", out]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let retime = |input: &str, out: &str| {
        ["captions", "retime", input, "--edits", &edits, "-o", out].map(String::from).to_vec()
    };
    let convert = |input: &str, out: &str, to: Option<&str>| {
        let mut v = ["captions", "convert", input, "-o", out].map(String::from).to_vec();
        v.extend(to.into_iter().flat_map(|t| ["--to".to_string(), t.to_string()]));
        v
    };
    let cases: Vec<(Vec<String>, String, Format)> = vec![
        (fix(&srt, &path("fixed.vtt")), path("fixed.vtt"), Format::Vtt),
        (fix(&vtt, &path("fixed.srt")), path("fixed.srt"), Format::Srt),
        (fix(&srt, &path("fixed.txt")), path("fixed.txt"), Format::Srt),
        (fix(&vtt, &path("fixed.VTT")), path("fixed.VTT"), Format::Vtt),
        (retime(&srt, &path("retimed.vtt")), path("retimed.vtt"), Format::Vtt),
        (retime(&vtt, &path("retimed.srt")), path("retimed.srt"), Format::Srt),
        (retime(&vtt, &path("retimed.txt")), path("retimed.txt"), Format::Vtt),
        (convert(&vtt, &path("conv.srt"), None), path("conv.srt"), Format::Srt),
        (convert(&srt, &path("conv.txt"), None), path("conv.txt"), Format::Vtt),
        (convert(&srt, &path("conv2.srt"), Some("vtt")), path("conv2.srt"), Format::Vtt),
    ];
    for (args, out, want) in cases {
        let run = outtake(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(run.status.success(), "{args:?}: {}", String::from_utf8_lossy(&run.stderr));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.starts_with("WEBVTT"), want == Format::Vtt, "{args:?}: {text}");
        let (captions, _, got) = parse_captions(&text, None, true).unwrap();
        assert_eq!(got, want, "{args:?}: {text}");
        assert!(!captions.cues.is_empty(), "{args:?}: {text}");
    }
    // `-o x.json` without --to is TextTrack JSON.
    let json = path("conv.json");
    assert!(outtake(&["captions", "convert", &srt, "-o", &json]).status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["cues"].as_array().map(Vec::len), Some(2));
    std::fs::remove_dir_all(&tmp).ok();
}
