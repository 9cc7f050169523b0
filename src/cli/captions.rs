//! `outtake captions …`: caption files from the command line. `convert` reads a caption file and
//! writes it as WebVTT or as TextTrack JSON; `run` dispatches so that more commands (lint, fix,
//! retime) and more formats slot in beside it.

use std::io::Write;

use super::{write_out, Args, CliError};
use crate::captions::{parse_webvtt_bytes, textrack_json_string, write_webvtt, ParsedVtt};

pub const HELP: &str = "\
outtake captions convert IN [--to vtt|json] [-o OUT]
    Reads the caption file IN (WebVTT; `-` reads standard input) and writes it as WebVTT (the
    default) or as JSON shaped like the browser's TextTrack (cues with startTime, endTime, text,
    align, line, position, …, regions, and the parser's diagnostics). Writes to OUT, or to
    standard output.
    What the parser skipped (a cue with bad timings, an unknown setting) is reported on standard
    error as `IN:LINE:COLUMN: warning: …`; a file that is not captions at all fails.
";

/// Runs `outtake captions ARGS…`.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["to", "output"], &[])?;
    if a.help {
        return write_out(out, HELP);
    }
    match a.command()?.as_str() {
        "convert" => convert(&mut a, out),
        other => Err(CliError::usage(format!("unknown captions command '{other}' (see `outtake captions --help`)"))),
    }
}

/// An output format of `convert`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Vtt,
    Json,
}

impl Target {
    fn parse(s: &str) -> Result<Target, CliError> {
        match s {
            "vtt" | "webvtt" => Ok(Target::Vtt),
            "json" => Ok(Target::Json),
            other => Err(CliError::usage(format!("--to: expected vtt or json, got {other}"))),
        }
    }
}

fn convert(a: &mut Args, out: &mut dyn Write) -> Result<(), CliError> {
    let input = a.positional("IN")?;
    let target = Target::parse(&a.option("to").unwrap_or_else(|| "vtt".into()))?;
    let output = a.option("output");
    a.finish()?;
    let parsed = read_captions(&input)?;
    for d in &parsed.diagnostics {
        eprintln!("{input}:{}:{}: warning: {}", d.line, d.column, d.message);
    }
    let text = render(&parsed, target);
    match output.as_deref() {
        None | Some("-") => write_out(out, &text),
        Some(path) => std::fs::write(path, text).map_err(|e| CliError::io(path, e)),
    }
}

/// Reads and parses a caption file; its bytes are decoded as UTF-8 the way the WebVTT spec does
/// (invalid sequences become U+FFFD), so a binary file fails on its signature.
fn read_captions(path: &str) -> Result<ParsedVtt, CliError> {
    let bytes = if path == "-" {
        let mut bytes = vec![];
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|e| CliError::io("stdin", e))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| CliError::io(path, e))?
    };
    parse_webvtt_bytes(&bytes).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{path}:{}", err.message);
        err
    })
}

fn render(parsed: &ParsedVtt, target: Target) -> String {
    match target {
        Target::Vtt => write_webvtt(&parsed.captions),
        Target::Json => textrack_json_string(&parsed.captions, &parsed.diagnostics, true) + "\n",
    }
}
