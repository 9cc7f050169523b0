//! `outtake captions lint|fix|retime`: the timing rules and re-timing on caption files.
//! Input is WebVTT or SRT, told by content, not by file name; output keeps the input's format.

use super::{write_out, Args, CliError};
use crate::captions::detect::{write_captions, Format, Note};
use crate::captions::retime::retime_with_report;
use crate::captions::rules::{fix, lint, LintContext, Profile};
use crate::captions::Captions;
use crate::edit_list::EditList;
use crate::time::{Rate, Rounding, Time};
use std::io::Write;

pub const HELP: &str = "\
outtake captions lint IN --profile P [--fps F] [--shots FILE] [--speech FILE] [--json]
    Checks IN against a profile; exits 1 when anything is found.
outtake captions fix IN --profile P [--fps F] [--shots FILE] [--speech FILE] -o OUT
    Repairs what can be repaired without changing meaning and writes OUT.
outtake captions retime IN --edits EDITS.json -o OUT
    Maps every cue through an edit list (cut, reorder, speed) to output time.

P is a built-in profile (netflix-en-adult, netflix-en-children, bbc, dcmp) or a JSON file.
F defaults to the profile's reference rate (else 25). --shots lists shot changes in seconds,
one per line or as a JSON array; --speech lists speech spans, `START END` per line or as a
JSON array of pairs (fixes then keep every cue on its speech).
";

/// Runs `lint`, `fix` or `retime` from `args` (the command first).
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") => write_out(out, HELP),
        Some("lint") => lint_cmd(&args[1..], out),
        Some("fix") => fix_cmd(&args[1..], out),
        Some("retime") => retime_cmd(&args[1..], out),
        Some(other) => {
            Err(CliError::usage(format!("unknown captions command '{other}' (lint, fix, retime)")))
        }
    }
}

fn read(path: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))
}

/// Reads a caption file, WebVTT or SRT by content, with what the reader repaired.
pub fn load_captions(path: &str) -> Result<(Captions, Format, Vec<Note>), CliError> {
    let (captions, notes, format) = super::captions::read_captions(path)?;
    Ok((captions, format, notes))
}

/// Writes captions in `format`, reporting on stdout what the format could not hold.
fn save(
    path: &str,
    captions: &Captions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (text, dropped) = write_captions(captions, format);
    for d in dropped {
        write_out(out, &format!("{path}:{}: warning {}: {}\n", d.line, d.code, d.message))?;
    }
    std::fs::write(path, text).map_err(|e| CliError::io(path, e))
}

pub(crate) fn load_profile(p: &str) -> Result<Profile, CliError> {
    if let Some(profile) = Profile::built_in(p) {
        return Ok(profile);
    }
    if !std::path::Path::new(p).exists() {
        return Err(CliError::usage(format!(
            "--profile: '{p}' is neither a built-in profile ({}) nor a file",
            Profile::built_in_names().join(", ")
        )));
    }
    let profile = Profile::from_json(&read(p)?).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{p}: {}", err.message);
        err
    })?;
    Ok(profile)
}

/// Shot changes in seconds: a JSON array, or one number per line.
fn load_shots(path: &str) -> Result<Vec<Time>, CliError> {
    let text = read(path)?;
    let bad = |what: String| CliError::usage(format!("--shots {path}: {what}"));
    let secs: Vec<f64> = if text.trim_start().starts_with('[') {
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                l.trim().parse::<f64>().map_err(|_| bad(format!("line {}: not a number", i + 1)))
            })
            .collect::<Result<_, _>>()?
    };
    secs.into_iter()
        .map(|s| {
            Time::from_seconds(s, 1_000_000, Rounding::Nearest).map_err(|e| bad(e.to_string()))
        })
        .collect()
}

/// Speech spans in seconds: a JSON array of `[start, end]` pairs, or `start end` per line.
fn load_speech(path: &str) -> Result<Vec<(Time, Time)>, CliError> {
    let text = read(path)?;
    let bad = |what: String| CliError::usage(format!("--speech {path}: {what}"));
    let pairs: Vec<(f64, f64)> = if text.trim_start().starts_with('[') {
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?
    } else {
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let nums: Vec<f64> = l.split_whitespace().filter_map(|n| n.parse().ok()).collect();
            match nums.as_slice() {
                [a, b] => out.push((*a, *b)),
                _ => return Err(bad(format!("line {}: expected two numbers", i + 1))),
            }
        }
        out
    };
    let at = |s: f64| {
        Time::from_seconds(s, 1_000_000, Rounding::Nearest).map_err(|e| bad(e.to_string()))
    };
    pairs.into_iter().map(|(a, b)| Ok((at(a)?, at(b)?))).collect()
}

fn context(a: &Args, profile: &Profile) -> Result<LintContext, CliError> {
    let rate = match a.option("fps") {
        Some(f) => Rate::parse(&f).map_err(|e| CliError::usage(format!("--fps: {e}")))?,
        None => Rate::new(profile.reference_fps.unwrap_or(25), 1)?,
    };
    let mut ctx = LintContext::new(rate);
    if let Some(shots) = a.option("shots") {
        ctx.shot_changes = load_shots(&shots)?;
    }
    if let Some(speech) = a.option("speech") {
        ctx.speech = Some(load_speech(&speech)?);
    }
    Ok(ctx)
}

fn report_read(path: &str, diags: &[Note], out: &mut dyn Write) -> Result<(), CliError> {
    for d in diags {
        write_out(
            out,
            &format!("{path}:{}:{}: repaired {}: {}\n", d.line, d.column, d.code, d.message),
        )?;
    }
    Ok(())
}

/// `outtake captions lint IN --profile P [--fps F] [--shots FILE] [--speech FILE] [--json]`.
pub fn lint_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["profile", "fps", "shots", "speech"], &["json"])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let profile = load_profile(&a.required("profile")?)?;
    a.finish()?;
    let ctx = context(&a, &profile)?;
    let (caps, _, diags) = load_captions(&input)?;
    let violations = lint(&caps, &profile, &ctx);
    if a.flag("json") {
        let json = serde_json::json!({ "file": input, "profile": profile.name, "read": diags, "violations": violations });
        write_out(out, &format!("{json}\n"))?;
    } else {
        report_read(&input, &diags, out)?;
        for v in &violations {
            let fixable = if v.fixable { " (fixable)" } else { "" };
            write_out(
                out,
                &format!("{input}: cue {}: {}: {}{fixable}\n", v.cue_index + 1, v.rule, v.message),
            )?;
        }
    }
    if violations.is_empty() {
        return Ok(());
    }
    let fixable = violations.iter().filter(|v| v.fixable).count();
    Err(CliError {
        code: "ERR_LINT",
        message: format!(
            "{} violation(s) of {}, {fixable} fixable",
            violations.len(),
            profile.name
        ),
        status: 1,
    })
}

/// `outtake captions fix IN --profile P [--fps F] [--shots FILE] [--speech FILE] -o OUT`.
pub fn fix_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["profile", "fps", "shots", "speech", "output"], &[])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let profile = load_profile(&a.required("profile")?)?;
    let output = a.required("output")?;
    a.finish()?;
    let ctx = context(&a, &profile)?;
    let (caps, format, diags) = load_captions(&input)?;
    report_read(&input, &diags, out)?;
    let result = fix(&caps, &profile, &ctx);
    save(&output, &result.captions, format, out)?;
    for v in &result.remaining {
        write_out(
            out,
            &format!("{output}: cue {}: {}: {} (left)\n", v.cue_index + 1, v.rule, v.message),
        )?;
    }
    write_out(
        out,
        &format!(
            "{} fix(es) applied, {} violation(s) left\n",
            result.applied.len(),
            result.remaining.len()
        ),
    )
}

/// `outtake captions retime IN --edits EDITS.json -o OUT`.
pub fn retime_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["edits", "output"], &[])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let edits_path = a.required("edits")?;
    let output = a.required("output")?;
    a.finish()?;
    let edits = EditList::from_json(&read(&edits_path)?).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{edits_path}: {}", err.message);
        err
    })?;
    let (caps, format, diags) = load_captions(&input)?;
    report_read(&input, &diags, out)?;
    let (timed, report) = retime_with_report(&caps, &edits, None);
    save(&output, &timed, format, out)?;
    write_out(
        out,
        &format!(
            "{} cue(s) in, {} out; {} dropped, {} split, {} clipped\n",
            caps.cues.len(),
            timed.cues.len(),
            report.dropped.len(),
            report.split.len(),
            report.clipped.len()
        ),
    )
}
