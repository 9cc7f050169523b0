//! The native CLI as users run it: help, version, exit statuses and one-line errors.

use std::process::Command;

fn outtake(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_outtake")).args(args).output().expect("run outtake");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn help_and_version() {
    let (status, out, _) = outtake(&["--help"]);
    assert_eq!(status, 0);
    assert!(out.contains("USAGE:") && out.contains("outtake <area> <command>"), "{out}");
    let (status, out, _) = outtake(&["--version"]);
    assert_eq!(status, 0);
    assert_eq!(out, format!("outtake {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn time_snap_is_exact() {
    let (status, out, err) = outtake(&["time", "snap", "1.0", "--fps", "29.97", "--round", "ceil"]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "frame 30 at 0:00:01.001 (1001/1000 s)\n");
    let (_, out, _) = outtake(&["time", "snap", "1.0", "--fps=25"]);
    assert_eq!(out, "frame 25 at 0:00:01.000 (1/1 s)\n");
}

#[test]
fn bad_usage_is_one_line_and_non_zero() {
    for (args, status, needle) in [
        (&[][..], 2, "ERR_USAGE: no area given"),
        (&["nope"][..], 2, "ERR_USAGE: unknown area 'nope'"),
        (&["time", "snap", "1", "--fps"][..], 2, "--fps needs a value"),
        (&["time", "snap", "1", "--fps", "0"][..], 1, "ERR_FRAME_RATE"),
        (&["time", "snap", "x", "--fps", "25"][..], 2, "SECONDS: not a number"),
        (&["time", "snap", "1", "--fps", "25", "--bogus"][..], 2, "unknown option '--bogus'"),
        (&["time", "snap", "1", "2", "--fps", "25"][..], 2, "unexpected argument '2'"),
        (&["time", "snap", "1e300", "--fps", "25"][..], 1, "ERR_TIME_RANGE"),
    ] {
        let (got, _, err) = outtake(args);
        assert_eq!(got, status, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("outtake: ") && err.contains(needle), "{args:?}: {err}");
    }
}
