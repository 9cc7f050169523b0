//! CMX 3600 EDL export of a timeline: one event per clip, on the video channel `V` and the audio
//! channels `A`, `A2`…, gaps as holes in the record timecode, clip names and media as the
//! `FROM CLIP NAME` / `FROM CLIP` comments that otio-cmx3600-adapter (and our importer) read back.
//!
//! What CMX 3600 cannot hold is refused, naming the item, rather than written wrong: a second
//! video track, nested tracks, transitions and speed changes (not written yet), and ranges off
//! the EDL's frame grid.

use super::error::RemixError;
use super::json::Json;
use super::model::*;
use crate::time::Rate;

/// How to write an EDL: its timecode rate (EDLs do not record one) and title.
#[derive(Clone, Debug)]
pub struct EdlExportOptions {
    /// The frame rate every timecode counts (its nominal rate for 29.97 and 59.94: non-drop).
    pub rate: Rate,
    /// The `TITLE:` line; the timeline's name when `None`.
    pub title: Option<String>,
}

/// Appends `s` as one line: an EDL is line-based, so line breaks in names become spaces.
fn push_line(out: &mut String, s: &str) {
    for c in s.trim().chars() {
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
}

/// `t` as whole frames of `rate`, or why not.
fn frames(t: &RationalTime, rate: Rate) -> Result<i64, String> {
    let (value, from) = (t.value(), t.rate());
    let f = value * rate.fps() / from;
    // NOTE: OTIO's floats (29.97002997… as a rate) make an exact frame a hair off a whole number.
    if (f - f.round()).abs() > 1e-6 || f.abs().partial_cmp(&1e12) != Some(std::cmp::Ordering::Less)
    {
        return Err(format!(
            "{value} frames at {from} fps is not a whole frame at {} fps",
            rate.fps()
        ));
    }
    Ok(f.round() as i64)
}

/// Appends ` HH:MM:SS:FF` at the rate's nominal (whole) frames per second.
// NOTE: digits pushed by hand rather than with format!: the package's size is budgeted.
fn timecode(out: &mut String, frames: i64, rate: Rate) -> Result<(), String> {
    let nominal = (rate.fps().round() as i64).max(1);
    let secs = frames / nominal;
    if !(0..100 * 3600).contains(&secs) || frames < 0 {
        return Err(format!("timecode {frames} frames is outside 00:00:00:00–99:59:59"));
    }
    for (i, v) in [secs / 3600, secs / 60 % 60, secs % 60, frames % nominal].into_iter().enumerate()
    {
        out.push(if i == 0 { ' ' } else { ':' });
        out.push(char::from(b'0' + (v / 10 % 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    }
    Ok(())
}

/// The reel an event names: the clip's own (`metadata.cmx_3600.reel`, as the importer keeps it),
/// else `AX` (an auxiliary source).
fn reel(clip: &Clip) -> &str {
    match clip.base.meta(&["cmx_3600", "reel"]) {
        Some(Json::Str(r)) if !r.is_empty() && !r.contains(char::is_whitespace) => r,
        _ => "AX",
    }
}

/// Writes `timeline` as a CMX 3600 EDL. Tracks with no clip (a caption track of markers) are
/// left out; the record timecode starts at the timeline's `global_start_time`, else 00:00:00:00.
pub fn export_edl(timeline: &Timeline, opts: &EdlExportOptions) -> Result<String, RemixError> {
    // Where the writer is (track, item): the error's path is made from it only on failure.
    let mut at = (None, None);
    write(timeline, opts, &mut at).map_err(|reason| {
        let path = match at {
            (None, _) => "global_start_time".to_string(),
            (Some(i), None) => format!("tracks.children[{i}]"),
            (Some(i), Some(j)) => format!("tracks.children[{i}].children[{j}]"),
        };
        RemixError::Export(format!("EDL {path}: {reason}"))
    })
}

fn write(
    timeline: &Timeline,
    opts: &EdlExportOptions,
    at: &mut (Option<usize>, Option<usize>),
) -> Result<String, String> {
    let rate = opts.rate;
    let title = opts.title.as_deref().or(timeline.name.as_deref()).unwrap_or("");
    let mut out = "TITLE: ".to_string();
    push_line(&mut out, title);
    out.push_str("\nFCM: NON-DROP FRAME\n");
    let start = match &timeline.global_start_time {
        Some(t) => frames(t, rate)?,
        None => 0,
    };
    let (mut event, mut videos, mut audios) = (0usize, 0usize, 0usize);
    for (i, child) in timeline.tracks.children.iter().enumerate() {
        *at = (Some(i), None);
        let Composable::Track(track) = child else {
            return Err("only tracks can be written (a nested stack is not)".into());
        };
        if !track.children.iter().any(|c| matches!(c, Composable::Clip(_))) {
            continue;
        }
        let channel = match track.kind.as_str() {
            "Video" if videos == 0 => {
                videos += 1;
                "V".to_string()
            }
            "Video" => {
                return Err(
                    "CMX 3600 has one video channel: a second video track cannot be written".into(),
                )
            }
            "Audio" => {
                audios += 1;
                if audios == 1 {
                    "A".to_string()
                } else {
                    format!("A{audios}")
                }
            }
            kind => return Err(format!("a track of kind '{kind}' has no EDL channel")),
        };
        let mut record = start;
        for (j, item) in track.children.iter().enumerate() {
            at.1 = Some(j);
            match item {
                Composable::Gap(g) => {
                    let Some(r) = &g.source_range else { continue };
                    record += frames(&r.duration, rate)?;
                }
                Composable::Clip(clip) => {
                    event += 1;
                    out.push('\n');
                    record = write_event(&mut out, clip, event, &channel, record, rate)?;
                }
                Composable::Transition(_) => {
                    return Err("transitions are not written to EDL yet".into())
                }
                Composable::Track(_) | Composable::Stack(_) => {
                    return Err("a nested track or stack cannot be written to an EDL".into())
                }
                Composable::Unknown(_) => {}
            }
        }
    }
    Ok(out)
}

/// Appends clip `clip` as event `n` on `channel` at `record` (frames); returns where it ends.
fn write_event(
    out: &mut String,
    clip: &Clip,
    n: usize,
    channel: &str,
    record: i64,
    rate: Rate,
) -> Result<i64, String> {
    if clip.base.effects.iter().any(|e| e.time_scalar.is_some_and(|s| s != 1.0)) {
        return Err("speed changes are not written to EDL yet".into());
    }
    let Some(range) = clip.trimmed_range_ref() else {
        return Err("a clip with neither a source range nor an available range".into());
    };
    let src_in = frames(&range.start_time, rate)?;
    let dur = frames(&range.duration, rate)?;
    if dur <= 0 {
        return Err("a clip of no duration".into());
    }
    // `001  AX       V     C        00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00`
    let pad = |out: &mut String, s: &str, w: usize| {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', w.saturating_sub(s.len()) + 1));
    };
    let number = n.to_string();
    pad(
        out,
        &format!("{}{number}", "00".get(..3usize.saturating_sub(number.len())).unwrap_or("")),
        4,
    );
    pad(out, reel(clip), 8);
    pad(out, channel, 5);
    out.push_str("C       ");
    for f in [src_in, src_in + dur, record, record + dur] {
        timecode(out, f, rate)?;
    }
    out.push('\n');
    let url = clip.media().and_then(|m| m.target_url.as_deref()).unwrap_or("");
    for (label, value) in [(" NAME: ", clip.base.name()), (": ", url)] {
        if !value.trim().is_empty() {
            out.push_str("* FROM CLIP");
            out.push_str(label);
            push_line(out, value);
            out.push('\n');
        }
    }
    Ok(record + dur)
}
