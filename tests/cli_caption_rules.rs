//! The `outtake captions lint|fix|retime` commands, run as the built binary.

use std::path::PathBuf;
use std::process::Command;

/// A scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("outtake-cli-rules-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn outtake(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_outtake")).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const SRT: &str = "1\r\n00:00:01,000 --> 00:00:01,300\r\nToo short.\r\n\r\n2\r\n00:00:05,000 --> 00:00:06,000\r\nI told you already, we are not going to the party tonight\r\n\r\n";

#[test]
fn lint_reports_and_exits_1() {
    let s = Scratch::new("lint");
    let input = s.file("in.srt", SRT);
    let (code, out, err) =
        outtake(&["captions", "lint", &input, "--profile", "netflix-en-adult", "--fps", "24"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("cue 1: min-duration"), "{out}");
    assert!(out.contains("cue 2: line-length"), "{out}");
    assert!(err.contains("ERR_LINT"), "{err}");
    let (code, out, _) =
        outtake(&["captions", "lint", &input, "--profile", "netflix-en-adult", "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["profile"], "netflix-en-adult");
    assert!(v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["rule"] == "reading-speed" && x["cue_index"] == 1));
}

#[test]
fn fix_writes_a_file_that_lints_clean_of_fixable_violations() {
    let s = Scratch::new("fix");
    let input = s.file("in.srt", SRT);
    let output = s.path("out.srt");
    let (code, out, err) = outtake(&[
        "captions",
        "fix",
        &input,
        "--profile",
        "netflix-en-adult",
        "--fps",
        "24",
        "-o",
        &output,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let fixed = std::fs::read_to_string(&output).unwrap();
    assert!(
        fixed.contains("I told you already,\nwe are not going to the party tonight"),
        "{fixed}"
    );
    let (_, out, _) = outtake(&[
        "captions",
        "lint",
        &output,
        "--profile",
        "netflix-en-adult",
        "--fps",
        "24",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(v["violations"].as_array().unwrap().iter().all(|x| x["fixable"] == false), "{out}");
}

#[test]
fn custom_profile_file_and_its_errors() {
    let s = Scratch::new("profile");
    let input = s.file("in.srt", SRT);
    let good = s.file("p.json", r#"{"name": "mine", "maxLineChars": 100}"#);
    let (code, out, err) = outtake(&["captions", "lint", &input, "--profile", &good]);
    assert_eq!(code, 0, "{out}{err}");
    let bad = s.file("bad.json", r#"{"name": "mine", "maxLines": "two"}"#);
    let (code, _, err) = outtake(&["captions", "lint", &input, "--profile", &bad]);
    assert_eq!(code, 1);
    assert!(err.contains("ERR_PROFILE") && err.contains("maxLines"), "{err}");
    let (code, _, err) = outtake(&["captions", "lint", &input, "--profile", "no-such-profile"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn retime_through_an_edit_list() {
    let s = Scratch::new("retime");
    let input = s.file("in.srt", "1\n00:00:01,000 --> 00:00:02,000\nkept\n\n2\n00:00:03,000 --> 00:00:04,000\ncut\n\n3\n00:00:10,000 --> 00:00:11,000\nmoved\n");
    let edits = s.file(
        "e.json",
        r#"{"frameRate": 25, "segments": [{"start": 10, "end": 12}, {"start": 0, "end": 2.5}]}"#,
    );
    let output = s.path("out.srt");
    let (code, out, err) =
        outtake(&["captions", "retime", &input, "--edits", &edits, "-o", &output]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("3 cue(s) in, 2 out; 1 dropped"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "1\n00:00:00,000 --> 00:00:01,000\nmoved\n\n2\n00:00:03,000 --> 00:00:04,000\nkept\n\n"
    );
}

#[test]
fn bad_input_is_reported_not_panicked() {
    let s = Scratch::new("bad");
    let input = s.file("in.srt", "this is not a caption file\n");
    let (code, _, err) = outtake(&["captions", "lint", &input, "--profile", "bbc"]);
    assert_eq!(code, 1);
    assert!(err.contains("ERR_CAPTIONS_FORMAT") && err.contains("in.srt:1:1"), "{err}");
    // WebVTT is read too: a clean file lints clean.
    let vtt = s.file("in.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nhi there\n");
    let (code, out, err) = outtake(&["captions", "lint", &vtt, "--profile", "bbc", "--fps", "25"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = outtake(&["captions", "fix", &input, "--profile", "bbc"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--output is required"), "{err}");
}

#[test]
fn shots_and_speech_files() {
    let s = Scratch::new("context");
    let input = s.file("in.srt", "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n");
    let shots = s.file("shots.txt", "1.1\n");
    let speech = s.file("speech.json", "[[4.0, 5.0]]");
    let (code, out, err) = outtake(&[
        "captions",
        "lint",
        &input,
        "--profile",
        "bbc",
        "--shots",
        &shots,
        "--speech",
        &speech,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("speech-sync: no speech while the cue shows"), "{out}");
    let (code, out, _) = outtake(&[
        "captions",
        "lint",
        &input,
        "--profile",
        "netflix-en-adult",
        "--fps",
        "24",
        "--shots",
        &shots,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("shot-change: starts 2 frames before a shot change"), "{out}");
    let bad = s.file("bad.txt", "1 2 3\n");
    let (code, _, err) =
        outtake(&["captions", "lint", &input, "--profile", "bbc", "--speech", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("line 1: expected two numbers"), "{err}");
}

/// A cue the lenient reader had to repair is kept by `fix` (never dropped and counted as
/// clean), and `lint` exits 1 for it as its help says, even when no rule is broken. 100k
/// repeated repairs print a dozen lines, not 100k.
#[test]
fn repairs_are_never_silent_and_never_lose_a_cue() {
    let s = Scratch::new("repairs");
    let backward = "1\n00:00:05,000 --> 00:00:04,000\nKeep me, I am dialogue.\n\n2\n00:00:08,000 --> 00:00:10,000\nAnd me too, please.\n";
    let input = s.file("in.srt", backward);
    let output = s.path("out.srt");
    let (code, out, err) =
        outtake(&["captions", "fix", &input, "--profile", "bbc", "--fps", "25", "-o", &output]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("repaired SRT_EMPTY_TIMING"), "{out}");
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(written.contains("Keep me, I am dialogue."), "{written}");
    assert!(written.contains("And me too, please."), "{written}");
    let (code, out, err) =
        outtake(&["captions", "lint", &input, "--profile", "bbc", "--fps", "25"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("ERR_LINT") && err.contains("note(s) from reading"), "{err}");

    let fonts: String = "<font color=red>x</font> ".repeat(50_000);
    let input = s.file("fonts.srt", &format!("1\n00:00:01,000 --> 00:00:03,000\n{fonts}\n"));
    let (code, out, err) = outtake(&["captions", "lint", &input, "--profile", "bbc"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.lines().count() < 20, "{} lines", out.lines().count());
    assert!(out.contains("… and 99990 more repaired SRT_FONT_TAG"), "{out}");
}
