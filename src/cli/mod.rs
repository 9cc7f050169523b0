//! The native command line: `outtake <area> <command> …`. Each area (captions, remix, media)
//! has its own module with a `run(args, out)`; this one dispatches and owns the small argument
//! reader they share, so that every subcommand reports bad usage the same way.

pub mod args;
pub mod caption_io;
pub mod caption_rules;
pub mod captions;
pub mod input;
pub mod media;
pub mod remix;
#[cfg(not(target_arch = "wasm32"))]
pub mod sync;

use std::io::Write;

pub use args::Args;

/// A failed command: printed as `outtake: CODE: message` on stderr, exit status `status`.
#[derive(Debug)]
pub struct CliError {
    pub code: &'static str,
    pub message: String,
    pub status: i32,
}

impl CliError {
    /// Bad usage (unknown flag, missing argument): exit status 2.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError { code: "ERR_USAGE", message: message.into(), status: 2 }
    }

    /// A file could not be read or written.
    pub fn io(path: &str, err: std::io::Error) -> CliError {
        CliError { code: "ERR_IO", message: format!("{path}: {err}"), status: 1 }
    }
}

impl<E: crate::Coded> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError { code: e.code(), message: e.to_string(), status: 1 }
    }
}

pub const HELP: &str = "\
outtake — trim, remix and caption video; the native CLI of the outtake toolkit

USAGE:
    outtake [--help | --version]
    outtake <area> <command> [options]

AREAS:
    captions   caption files: convert (WebVTT, SRT, JSON), lint and fix against timing rules,
               retime through an edit list
    media      probe MP4/WebM files, plan frame-exact cuts, trim by copying: `outtake media --help`
    time       exact media time: `outtake time snap SECONDS --fps RATE [--round floor|ceil|nearest]`
    remix      timelines: `outtake remix diff|blame|merge|convert …` (OTIO JSON, CMX 3600 EDL)
    sync       re-time captions to the speech in audio/video or to reference captions:
               `outtake sync --subs IN --audio AUDIO [-o OUT] [--report REPORT.json]`

Run `outtake <area> --help` for an area's commands.
";

/// Runs the CLI on `args` (without the program name); returns the exit status.
pub fn main(args: Vec<String>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "outtake: {}: {}", e.code, e.message);
            e.status
        }
    }
}

fn dispatch(args: Vec<String>, out: &mut dyn Write) -> Result<(), CliError> {
    let mut it = args.into_iter();
    let Some(area) = it.next() else {
        let _ = out.write_all(HELP.as_bytes());
        return Err(CliError::usage("no area given"));
    };
    let rest: Vec<String> = it.collect();
    match area.as_str() {
        "-h" | "--help" | "help" => write_out(out, HELP),
        "-V" | "--version" => write_out(out, &format!("outtake {}\n", crate::VERSION)),
        "captions" => captions::run(&rest, out),
        "time" => time_cmd(&rest, out),
        "remix" => remix::run(&rest, out),
        "media" => media::run(&rest, out),
        #[cfg(not(target_arch = "wasm32"))]
        "sync" => sync::run(&rest, out),
        other => Err(CliError::usage(format!("unknown area '{other}' (see `outtake --help`)"))),
    }
}

pub(crate) fn write_out(out: &mut dyn Write, s: &str) -> Result<(), CliError> {
    out.write_all(s.as_bytes()).map_err(|e| CliError::io("stdout", e))
}

/// Runs `write` on the file `path` (`None` or `-`: on `out`), buffered, so that large output is
/// written as it is made instead of being built whole first.
pub(crate) fn write_to(
    path: Option<&str>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    match path {
        None | Some("-") => {
            let mut w = std::io::BufWriter::new(out);
            write(&mut w).and_then(|()| w.flush()).map_err(|e| CliError::io("stdout", e))
        }
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| CliError::io(path, e))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w).and_then(|()| w.flush()).map_err(|e| CliError::io(path, e))
        }
    }
}

const TIME_HELP: &str = "\
outtake time snap SECONDS --fps RATE [--round floor|ceil|nearest]
    Prints the frame index and the exact time of the frame boundary nearest SECONDS
    (RATE: 25, 29.97, 30000/1001, …; rounding defaults to nearest).
";

fn time_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["fps", "round"], &[])?;
    if a.help {
        return write_out(out, TIME_HELP);
    }
    match a.command()?.as_str() {
        "snap" => {
            let secs = a.positional("SECONDS")?;
            let secs: f64 = secs
                .parse()
                .map_err(|_| CliError::usage(format!("SECONDS: not a number: {secs}")))?;
            let rate = crate::Rate::parse(&a.required("fps")?)?;
            let rounding = match a.option("round") {
                None => crate::Rounding::Nearest,
                Some(r) => crate::Rounding::parse(&r).ok_or_else(|| {
                    CliError::usage(format!("--round: expected floor, ceil or nearest, got {r}"))
                })?,
            };
            a.finish()?;
            let t = crate::Time::from_user_seconds(secs)?;
            let grid = crate::FrameGrid::new(rate);
            let frame = grid.frame_at(t, rounding);
            let at = grid.time_of(frame).reduced();
            write_out(out, &format!("frame {frame} at {at} ({}/{} s)\n", at.value(), at.scale()))
        }
        other => Err(CliError::usage(format!("unknown time command '{other}'"))),
    }
}
