//! `outtake captions lint|fix|retime`: the timing rules and re-timing on caption files.
//! Input is WebVTT or SRT, told by content, not by file name; output is the format the output
//! path's extension names (`.vtt`, `.srt`), else the input's.

use super::caption_io::{format_of_path, note_lines, read_captions};
use super::input::{read_string, InputLimit, OPTION as MAX_INPUT};
use super::{write_out, Args, CliError};
use crate::captions::detect::{write_captions, Format, Note};
use crate::captions::retime::retime_with_report;
use crate::captions::rules::{fix, lint, LintContext, Profile};
use crate::captions::Captions;
use crate::edit_list::EditList;
use crate::time::{Rate, Time};
use std::io::Write;

pub const HELP: &str = "\
outtake captions lint IN --profile P [--fps F] [--shots FILE] [--speech FILE] [--json]
    Checks IN against a profile; exits 1 when anything is found: a violation, or a repair
    the reader had to make to read IN.
outtake captions fix IN --profile P [--fps F] [--shots FILE] [--speech FILE] -o OUT
    Repairs what can be repaired without changing meaning and writes OUT.
outtake captions retime IN --edits EDITS.json -o OUT
    Maps every cue through an edit list (cut, reorder, speed) to output time.

OUT is written as WebVTT or SRT as its extension (.vtt, .srt) says, else as IN is.

P is a built-in profile (netflix-en-adult, netflix-en-children, bbc, dcmp) or a JSON file.
F defaults to the profile's reference rate (else 25). --shots lists shot changes in seconds,
one per line or as a JSON array; --speech lists speech spans, `START END` per line or as a
JSON array of pairs (fixes then keep every cue on its speech).

Every command reads at most --max-input-bytes N per input file (256M by default; K, M, G
suffixes are 1024-based) and fails with ERR_INPUT_TOO_LARGE past it.
";

/// A side file (profile, shot changes, speech, edit list), within the input limit.
fn read(path: &str, limit: InputLimit) -> Result<String, CliError> {
    read_string(path, limit)
}

/// Writes captions to `path` in the format its extension names, else `input` (the format read),
/// reporting on stdout what the format could not hold.
fn save(
    path: &str,
    captions: &Captions,
    input: Format,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (text, dropped) = write_captions(captions, format_of_path(path).unwrap_or(input));
    for line in note_lines(path, "warning", &dropped) {
        write_out(out, &format!("{line}\n"))?;
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
    let profile = Profile::from_json(&read(p, InputLimit::default())?).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{p}: {}", err.message);
        err
    })?;
    Ok(profile)
}

/// Shot changes in seconds: a JSON array, or one number per line.
fn load_shots(path: &str, limit: InputLimit) -> Result<Vec<Time>, CliError> {
    let text = read(path, limit)?;
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
    secs.into_iter().map(|s| Time::from_user_seconds(s).map_err(|e| bad(e.to_string()))).collect()
}

/// Speech spans in seconds: a JSON array of `[start, end]` pairs, or `start end` per line.
fn load_speech(path: &str, limit: InputLimit) -> Result<Vec<(Time, Time)>, CliError> {
    let text = read(path, limit)?;
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
    let at = |s: f64| Time::from_user_seconds(s).map_err(|e| bad(e.to_string()));
    pairs.into_iter().map(|(a, b)| Ok((at(a)?, at(b)?))).collect()
}

fn context(a: &Args, profile: &Profile, limit: InputLimit) -> Result<LintContext, CliError> {
    let rate = match a.option("fps") {
        Some(f) => Rate::parse(&f).map_err(|e| CliError::usage(format!("--fps: {e}")))?,
        None => Rate::new(profile.reference_fps.unwrap_or(25), 1)?,
    };
    let mut ctx = LintContext::new(rate);
    if let Some(shots) = a.option("shots") {
        ctx.shot_changes = load_shots(&shots, limit)?;
    }
    if let Some(speech) = a.option("speech") {
        ctx.speech = Some(load_speech(&speech, limit)?);
    }
    Ok(ctx)
}

fn report_read(path: &str, diags: &[Note], out: &mut dyn Write) -> Result<(), CliError> {
    for line in note_lines(path, "repaired", diags) {
        write_out(out, &format!("{line}\n"))?;
    }
    Ok(())
}

/// `outtake captions lint IN --profile P [--fps F] [--shots FILE] [--speech FILE] [--json]`.
pub fn lint_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["profile", "fps", "shots", "speech", MAX_INPUT], &["json"])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let profile = load_profile(&a.required("profile")?)?;
    a.finish()?;
    let limit = InputLimit::from_args(&a)?;
    let ctx = context(&a, &profile, limit)?;
    let (caps, diags, _) = read_captions(&input, limit)?;
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
    if violations.is_empty() && diags.is_empty() {
        return Ok(());
    }
    // A file the reader had to repair is not clean, even when the repaired captions break no
    // rule: the help promises exit 1 when anything is found.
    let fixable = violations.iter().filter(|v| v.fixable).count();
    let mut message =
        format!("{} violation(s) of {}, {fixable} fixable", violations.len(), profile.name);
    if !diags.is_empty() {
        message.push_str(&format!("; {} note(s) from reading {input}", diags.len()));
    }
    Err(CliError { code: "ERR_LINT", message, status: 1 })
}

/// `outtake captions fix IN --profile P [--fps F] [--shots FILE] [--speech FILE] -o OUT`.
pub fn fix_cmd(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["profile", "fps", "shots", "speech", "output", MAX_INPUT], &[])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let profile = load_profile(&a.required("profile")?)?;
    let output = a.required("output")?;
    a.finish()?;
    let limit = InputLimit::from_args(&a)?;
    let ctx = context(&a, &profile, limit)?;
    let (caps, diags, format) = read_captions(&input, limit)?;
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
    let mut a = Args::new(args, &["edits", "output", MAX_INPUT], &[])?;
    if a.help {
        return write_out(out, HELP);
    }
    let input = a.positional("IN")?;
    let edits_path = a.required("edits")?;
    let output = a.required("output")?;
    a.finish()?;
    let limit = InputLimit::from_args(&a)?;
    let edits = EditList::from_json(&read(&edits_path, limit)?).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("{edits_path}: {}", err.message);
        err
    })?;
    let (caps, diags, format) = read_captions(&input, limit)?;
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
