//! `outtake captions …`: caption files from the command line. `convert` reads a caption file
//! (WebVTT or SRT, told by content) and writes it as WebVTT, SRT or TextTrack JSON; `lint`, `fix`
//! and `retime` live in [`super::caption_rules`]. Every command reads and names formats through
//! [`super::caption_io`].

use std::io::Write;

use super::caption_io::{format_of_path, note_lines, read_captions};
use super::input::InputLimit;
use super::{caption_rules, write_out, write_to, Args, CliError};
use crate::captions::detect::{write_captions, Format, Note};
use crate::captions::textrack_json::write_textrack_json;
use crate::captions::Diagnostic;

pub const HELP: &str = "\
outtake captions convert IN [--to vtt|srt|json] [-o OUT] [--max-input-bytes N]
    Reads the caption file IN (WebVTT or SRT, told by content; `-` reads standard input) and
    writes it as WebVTT, SRT, or JSON shaped like the browser's TextTrack (cues with startTime,
    endTime, text, align, line, position, …, regions, and the diagnostics): as --to says, else
    as OUT's extension (.vtt, .srt, .json) names, else WebVTT.
    Writes to OUT, or to standard output.
    What the reader skipped or repaired, and what the target format cannot hold, is reported on
    standard error as `FILE:LINE:COLUMN: warning: …`; a file that is not captions at all fails.
";

/// Runs `outtake captions ARGS…`.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("lint") => return caption_rules::lint_cmd(&args[1..], out),
        Some("fix") => return caption_rules::fix_cmd(&args[1..], out),
        Some("retime") => return caption_rules::retime_cmd(&args[1..], out),
        _ => {}
    }
    let mut a = Args::new(args, &["to", "output", super::input::OPTION], &[])?;
    if a.help {
        write_out(out, HELP)?;
        return write_out(out, caption_rules::HELP);
    }
    match a.command()?.as_str() {
        "convert" => convert(&mut a, out),
        other => Err(CliError::usage(format!(
            "unknown captions command '{other}' (see `outtake captions --help`)"
        ))),
    }
}

/// An output format of `convert`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Caption(Format),
    Json,
}

impl Target {
    /// What `-o PATH` names when `--to` is not given: `.json`, `.vtt`, `.srt`, else WebVTT.
    fn of_path(path: &str) -> Target {
        let ext = std::path::Path::new(path).extension();
        if ext.is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            return Target::Json;
        }
        Target::Caption(format_of_path(path).unwrap_or(Format::Vtt))
    }

    fn parse(s: &str) -> Result<Target, CliError> {
        match s {
            "json" => Ok(Target::Json),
            other => Format::parse(other).map(Target::Caption).ok_or_else(|| {
                CliError::usage(format!("--to: expected vtt, srt or json, got {other}"))
            }),
        }
    }
}

fn convert(a: &mut Args, out: &mut dyn Write) -> Result<(), CliError> {
    let input = a.positional("IN")?;
    let output = a.option("output");
    let target = match a.option("to") {
        Some(to) => Target::parse(&to)?,
        None => Target::of_path(output.as_deref().unwrap_or("-")),
    };
    let limit = InputLimit::from_args(a)?;
    a.finish()?;
    let (captions, notes, _) = read_captions(&input, limit)?;
    warn(&input, &notes);
    let dest = output.as_deref();
    match target {
        Target::Caption(format) => {
            let (text, dropped) = write_captions(&captions, format);
            warn(dest.unwrap_or("-"), &dropped);
            write_to(dest, out, |w| w.write_all(text.as_bytes()))
        }
        Target::Json => {
            let diags: Vec<Diagnostic> = notes
                .into_iter()
                .map(|n| Diagnostic { line: n.line, column: n.column, message: n.message })
                .collect();
            // Streamed: the JSON of a million cues is several times the captions' size.
            write_to(dest, out, |w| {
                write_textrack_json(&captions, &diags, true, &mut *w)?;
                w.write_all(b"\n")
            })
        }
    }
}

fn warn(file: &str, notes: &[Note]) {
    for line in note_lines(file, "warning", notes) {
        eprintln!("{line}");
    }
}
