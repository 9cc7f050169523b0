//! Memory in proportion to input (issue #13, item 6): each path the CLI reads large input on
//! runs once on generated input of a few tens of MB, and its peak resident memory (the child's
//! own `ru_maxrss`, from `wait4`) must stay within 4× the input plus a constant.
#![cfg(unix)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run costs besides its input: the binary itself, the allocator's arenas, buffers.
const BASE_KB: u64 = 32 * 1024;

struct Run {
    status: i32,
    peak_kb: u64,
    stderr: String,
}

/// Runs the CLI with `args`, standard input from `stdin` (else none), and measures its peak.
fn run(args: &[&str], stdin: Option<File>, dir: &Path) -> Run {
    let err_path = dir.join(format!("stderr-{}", args.join("_").replace('/', "_").len()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_outtake"))
        .args(args)
        .stdin(stdin.map_or(Stdio::null(), Stdio::from))
        .stdout(Stdio::null())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .expect("run outtake");
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: the pid is our own child, not yet waited for; status and usage are valid out
    // pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    // Reaped by wait4 already: nothing is left for Child to wait for.
    let _ = child.stdin.take();
    let status = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    Run { status, peak_kb: usage.ru_maxrss as u64, stderr }
}

fn assert_proportional(what: &str, r: &Run, input_bytes: u64) {
    let limit_kb = 4 * input_bytes / 1024 + BASE_KB;
    println!(
        "{what}: input {:.1} MB, peak {:.1} MB ({:.2}× input), limit {:.1} MB",
        input_bytes as f64 / 1e6,
        r.peak_kb as f64 * 1024.0 / 1e6,
        r.peak_kb as f64 * 1024.0 / input_bytes as f64,
        limit_kb as f64 * 1024.0 / 1e6
    );
    assert!(r.peak_kb <= limit_kb, "{what}: peak {} kB > {limit_kb} kB", r.peak_kb);
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("outtake-scale-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().len()
}

fn srt_time(ms: u64) -> String {
    format!("{:02}:{:02}:{:02},{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// An SRT file of `n` two-line cues (~100 bytes each).
fn write_srt(path: &Path, n: u64) {
    let mut w = BufWriter::new(File::create(path).unwrap());
    for i in 0..n {
        let s = i * 2000;
        writeln!(
            w,
            "{}\n{} --> {}\nSome words that cue {i} says,\nand a second line.\n",
            i + 1,
            srt_time(s),
            srt_time(s + 1500)
        )
        .unwrap();
    }
}

#[test]
fn json_of_many_cues_is_streamed() {
    let dir = tmp("json");
    let input = dir.join("many.srt");
    write_srt(&input, 200_000);
    let out = dir.join("many.json");
    let r = run(
        &["captions", "convert", input.to_str().unwrap(), "-o", out.to_str().unwrap()],
        None,
        &dir,
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    // The JSON is several times the SRT: it must not be held whole.
    assert!(size(&out) > 3 * size(&input));
    assert_proportional("captions convert --to json", &r, size(&input));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lint_of_one_giant_line() {
    let dir = tmp("lint");
    let input = dir.join("long.srt");
    let mut w = BufWriter::new(File::create(&input).unwrap());
    write!(w, "1\n00:00:01,000 --> 00:00:05,000\n").unwrap();
    for _ in 0..4_000_000 {
        w.write_all(b"word ").unwrap();
    }
    w.write_all(b"\n\n").unwrap();
    drop(w);
    let r = run(&["captions", "lint", input.to_str().unwrap(), "--profile", "bbc"], None, &dir);
    // Violations found (line length, reading speed): exit 1, not a crash.
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("ERR_LINT"), "{}", r.stderr);
    assert_proportional("captions lint (one 20 MB line)", &r, size(&input));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn endless_input_is_refused_at_the_limit() {
    let dir = tmp("zero");
    let limit = 8u64 << 20;
    let flag = format!("--max-input-bytes={limit}");
    // A device that never ends, by name and as standard input.
    let r = run(&["captions", "convert", "/dev/zero", &flag], None, &dir);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("ERR_INPUT_TOO_LARGE: /dev/zero is larger than the input limit of 8388608 bytes; --max-input-bytes N raises it"),
        "{}",
        r.stderr
    );
    assert_proportional("captions convert /dev/zero", &r, limit);
    let r = run(&["captions", "convert", "-", &flag], Some(File::open("/dev/zero").unwrap()), &dir);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("ERR_INPUT_TOO_LARGE: standard input is larger"), "{}", r.stderr);
    assert_proportional("captions convert - < /dev/zero", &r, limit);
    // The default limit holds too (256 MiB, read in well under a second).
    let r = run(&["remix", "convert", "/dev/zero", "-o", "/dev/null"], None, &dir);
    assert!(r.stderr.contains("ERR_INPUT_TOO_LARGE"), "{}", r.stderr);
    assert_proportional("remix convert /dev/zero", &r, 256 << 20);
    let _ = std::fs::remove_dir_all(&dir);
}
