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
        // Warnings on stderr are the JSON's diagnostics, one line each.
        let warnings = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains(": warning: "))
            .count();
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
