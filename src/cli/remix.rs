//! `outtake remix …`: diff, blame, merge and convert timelines (OTIO JSON or CMX 3600 EDL in,
//! OTIO JSON out). Every failure is one line on stderr and a non-zero exit status.

use super::input::{read_string, InputLimit, OPTION as MAX_INPUT};
use super::{write_out, write_to, Args, CliError};
use crate::remix::{self, Chain, DiffOptions, EdlOptions, ExportOptions, Identity, Timeline};
use std::io::Write;

pub const HELP: &str = "\
outtake remix diff A B [--json] [--identity uid|media|name] [--rate FPS]
    The changes from timeline A to timeline B (.otio or .edl), one line each, or as JSON.
outtake remix blame CHAIN NODE [--json]
    Which remix introduced and last changed each clip and caption word of NODE in CHAIN (a chain
    JSON file); NODE may be an id prefix.
outtake remix merge BASE OURS THEIRS -o OUT [--identity …] [--target 0.18]
    Three-way merge into OUT (.otio); conflicts are listed and the exit status is 1.
outtake remix convert IN -o OUT [--rate FPS] [--ignore-mismatch] [--target 0.18]
    Reads IN (.otio, or .edl at --rate frames per second, 24 by default) and writes OTIO JSON.

Every command reads at most --max-input-bytes N per input file (256M by default; K, M, G
suffixes are 1024-based) and fails with ERR_INPUT_TOO_LARGE past it.
";

fn read_file(path: &str, a: &Args) -> Result<String, CliError> {
    read_string(path, InputLimit::from_args(a)?)
}

/// Writes `t` as OTIO JSON to `path` (`-`: standard output) as it is made.
fn write_otio(path: &str, t: &Timeline, a: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let w = remix::otio_writer(&export_options(a))?;
    write_to(Some(path), out, |o| w.write(t, o))
}

fn with_path(path: &str, e: remix::RemixError) -> CliError {
    let c: CliError = e.into();
    CliError { message: format!("{path}: {}", c.message), ..c }
}

/// Reads a timeline from .otio or .edl (by extension).
fn load(path: &str, a: &Args) -> Result<Timeline, CliError> {
    let text = read_file(path, a)?;
    if path.to_ascii_lowercase().ends_with(".edl") {
        let rate = match a.option("rate") {
            None => 24.0,
            Some(r) => crate::Rate::parse(&r)?.fps(),
        };
        let opts = EdlOptions { rate, ignore_timecode_mismatch: a.flag("ignore-mismatch") };
        remix::import_edl(&text, &opts).map_err(|e| with_path(path, e))
    } else {
        remix::import_otio(&text).map_err(|e| with_path(path, e))
    }
}

fn diff_options(a: &Args) -> Result<DiffOptions, CliError> {
    let identity = match a.option("identity").as_deref() {
        None | Some("uid") => Identity::Uid,
        Some("media") => Identity::Media,
        Some("name") => Identity::Name,
        Some(other) => {
            return Err(CliError::usage(format!(
                "--identity: expected uid, media or name, got {other}"
            )))
        }
    };
    Ok(DiffOptions { identity, ..Default::default() })
}

fn export_options(a: &Args) -> ExportOptions {
    ExportOptions { target: a.option("target") }
}

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(
        args,
        &["identity", "rate", "output", "target", MAX_INPUT],
        &["json", "ignore-mismatch"],
    )?;
    if a.help {
        return write_out(out, HELP);
    }
    match a.command()?.as_str() {
        "diff" => {
            let (pa, pb) = (a.positional("A")?, a.positional("B")?);
            a.finish()?;
            let opts = diff_options(&a)?;
            let d = remix::diff_timelines(&load(&pa, &a)?, &load(&pb, &a)?, &opts);
            if a.flag("json") {
                write_out(out, &format!("{}\n", d.to_json()))
            } else if d.changes.is_empty() {
                write_out(out, "no changes\n")
            } else {
                write_out(out, &d.summary())
            }
        }
        "blame" => {
            let (pc, node) = (a.positional("CHAIN")?, a.positional("NODE")?);
            a.finish()?;
            let chain = Chain::from_json(&read_file(&pc, &a)?).map_err(|e| with_path(&pc, e))?;
            let matches: Vec<&str> = chain
                .nodes
                .iter()
                .map(|n| n.id.as_str())
                .filter(|id| id.starts_with(node.as_str()))
                .collect();
            let id = match matches.as_slice() {
                [one] => one.to_string(),
                [] => {
                    return Err(CliError::usage(format!("NODE: no node id starts with '{node}'")))
                }
                _ => {
                    return Err(CliError::usage(format!(
                        "NODE: '{node}' matches {} nodes",
                        matches.len()
                    )))
                }
            };
            let b = remix::blame(&chain, &id, &diff_options(&a)?)?;
            if a.flag("json") {
                write_out(out, &format!("{}\n", b.to_json()))
            } else {
                write_out(out, &b.summary())
            }
        }
        "merge" => {
            let (pb, po, pt) =
                (a.positional("BASE")?, a.positional("OURS")?, a.positional("THEIRS")?);
            a.finish()?;
            let dest = a.required("output")?;
            let opts = diff_options(&a)?;
            let m = remix::merge(&load(&pb, &a)?, &load(&po, &a)?, &load(&pt, &a)?, &opts)?;
            write_otio(&dest, &m.timeline, &a, out)?;
            if m.conflicts.is_empty() {
                return write_out(out, &format!("merged into {dest} without conflicts\n"));
            }
            if a.flag("json") {
                write_out(
                    out,
                    &format!(
                        "{}\n",
                        serde_json::Value::Array(m.conflicts.iter().map(|c| c.to_json()).collect())
                    ),
                )?;
            } else {
                for c in &m.conflicts {
                    write_out(
                        out,
                        &format!(
                            "conflict on '{}': ours {}; theirs {}\n",
                            c.name, c.ours, c.theirs
                        ),
                    )?;
                }
            }
            Err(CliError {
                code: "ERR_MERGE_CONFLICT",
                message: format!(
                    "{} conflicts; ours kept where they clash, written to {dest}",
                    m.conflicts.len()
                ),
                status: 1,
            })
        }
        "convert" => {
            let src = a.positional("IN")?;
            a.finish()?;
            let dest = a.required("output")?;
            let t = load(&src, &a)?;
            write_otio(&dest, &t, &a, out)
        }
        other => Err(CliError::usage(format!(
            "unknown remix command '{other}' (see `outtake remix --help`)"
        ))),
    }
}
