//! `outtake sync`: re-times a caption file to the speech in an audio or video file, or to a
//! reference caption file, and writes the captions and a JSON report. Abstaining is a success
//! (exit 0): the report says so and OUT holds the input unchanged.

use super::caption_io::{format_of_path, note_lines, read_captions};
use super::input::{InputLimit, OPTION as MAX_INPUT};
use super::{caption_rules, write_out, Args, CliError};
use crate::captions::detect::write_captions;
use crate::sync::decode::speech_activity_of_file;
use crate::sync::{sync, SyncOptions, Target};
use crate::time::Rate;
use std::io::Write;

pub const HELP: &str = "\
outtake sync --subs IN (--audio AUDIO | --reference REF) [-o OUT] [--report REPORT.json]
             [--profile P] [--fps F] [--no-snap] [--no-ratio] [--max-input-bytes N]
    Re-times the captions IN (WebVTT or SRT) to the speech in AUDIO (WAV, or MP4/WebM/Matroska
    with AAC, MP3, FLAC or Vorbis audio), or to the reference captions REF: global offset of any
    size, frame-rate ratio, splits where material was inserted or removed, and per-cue snapping
    to speech. Music, [sound] and (sound) cues move with their neighbours and are never snapped.
    When the fit is not good enough it abstains: OUT gets the input unchanged and the report
    says `\"abstained\": true` with the reason; the exit status is 0 either way.
    OUT is written in the format its extension names (.vtt, .srt), else the input's; without
    -o the captions go to standard output. The report (JSON) goes to REPORT, else to standard
    error as one line. --profile applies a timing profile afterwards (see `outtake captions`).
";

/// Runs `outtake sync ARGS…`.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let a = Args::new(
        args,
        &["subs", "audio", "reference", "output", "report", "profile", "fps", MAX_INPUT],
        &["no-snap", "no-ratio"],
    )?;
    if a.help {
        return write_out(out, HELP);
    }
    a.finish()?;
    let subs = a.required("subs")?;
    let limit = InputLimit::from_args(&a)?;
    let (captions, _, format) = read_captions(&subs, limit)?;
    let mut opts = SyncOptions {
        snap: !a.flag("no-snap"),
        frame_rate_ratios: !a.flag("no-ratio"),
        ..SyncOptions::default()
    };
    if let Some(p) = a.option("profile") {
        opts.profile = Some(caption_rules::load_profile(&p)?);
    }
    if let Some(f) = a.option("fps") {
        opts.frame_rate =
            Some(Rate::parse(&f).map_err(|e| CliError::usage(format!("--fps: {e}")))?);
    }
    let started = std::time::Instant::now();
    let (synced, report) = match (a.option("audio"), a.option("reference")) {
        (Some(_), Some(_)) => {
            return Err(CliError::usage("give --audio or --reference, not both"));
        }
        (None, None) => {
            return Err(CliError::usage("--audio AUDIO or --reference REF is required"))
        }
        (Some(audio), None) => {
            let activity = speech_activity_of_file(&audio)?;
            let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
            let (c, mut r) = sync(&captions, Target::Speech(&activity), &opts)?;
            // Decoding and detection run interleaved, packet by packet: one figure for both.
            r.timings.activity_ms = decode_ms;
            (c, r)
        }
        (None, Some(reference)) => {
            let (refs, _, _) = read_captions(&reference, limit)?;
            sync(&captions, Target::Reference(&refs), &opts)?
        }
    };
    let output = a.option("output");
    let out_format = output.as_deref().and_then(format_of_path).unwrap_or(format);
    let (text, dropped) = write_captions(&synced, out_format);
    for line in note_lines(output.as_deref().unwrap_or("-"), "warning", &dropped) {
        eprintln!("{line}");
    }
    match output.as_deref() {
        None | Some("-") => write_out(out, &text)?,
        Some(path) => std::fs::write(path, text).map_err(|e| CliError::io(path, e))?,
    }
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    match a.option("report") {
        Some(path) => std::fs::write(&path, json + "\n").map_err(|e| CliError::io(&path, e)),
        None => {
            eprintln!("{}", serde_json::to_string(&report).unwrap_or_default());
            Ok(())
        }
    }
}
