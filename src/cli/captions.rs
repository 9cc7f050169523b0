//! `outtake captions …`: caption files from the command line. `convert` reads a caption file
//! (WebVTT or SRT, told by content) and writes it as WebVTT, SRT or TextTrack JSON; `lint`, `fix`
//! and `retime` live in [`super::caption_rules`]. Every command reads files through [`read_captions`].

use std::io::Write;

use super::{caption_rules, write_out, Args, CliError};
use crate::captions::detect::{parse_captions_bytes, write_captions, Format, Note};
use crate::captions::{textrack_json_string, Captions, Diagnostic};

pub const HELP: &str = "\
outtake captions convert IN [--to vtt|srt|json] [-o OUT]
    Reads the caption file IN (WebVTT or SRT, told by content; `-` reads standard input) and
    writes it as WebVTT (the default), SRT, or JSON shaped like the browser's TextTrack (cues
    with startTime, endTime, text, align, line, position, …, regions, and the diagnostics).
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
    let mut a = Args::new(args, &["to", "output"], &[])?;
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
    let target = Target::parse(&a.option("to").unwrap_or_else(|| "vtt".into()))?;
    let output = a.option("output");
    a.finish()?;
    let (captions, notes, _) = read_captions(&input)?;
    warn(&input, &notes);
    let text = match target {
        Target::Caption(format) => {
            let (text, dropped) = write_captions(&captions, format);
            warn(output.as_deref().unwrap_or("-"), &dropped);
            text
        }
        Target::Json => {
            let diags: Vec<Diagnostic> = notes
                .into_iter()
                .map(|n| Diagnostic { line: n.line, column: n.column, message: n.message })
                .collect();
            textrack_json_string(&captions, &diags, true) + "\n"
        }
    };
    match output.as_deref() {
        None | Some("-") => write_out(out, &text),
        Some(path) => std::fs::write(path, text).map_err(|e| CliError::io(path, e)),
    }
}

fn warn(file: &str, notes: &[Note]) {
    for n in notes {
        eprintln!("{file}:{}:{}: warning: {}", n.line, n.column, n.message);
    }
}

/// Reads and parses a caption file (`-`: standard input), WebVTT or SRT by content; errors name
/// the file and the place.
pub fn read_captions(path: &str) -> Result<(Captions, Vec<Note>, Format), CliError> {
    let bytes = if path == "-" {
        let mut bytes = vec![];
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| CliError::io("stdin", e))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| CliError::io(path, e))?
    };
    parse_captions_bytes(&bytes, None, false).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{path}:{}", err.message);
        err
    })
}
