//! Bindings for captions: parse and serialize WebVTT/SRT, lint and fix against timing profiles,
//! re-time through an edit list. Captions cross the boundary as plain objects in the TextTrack
//! shape (see `captions::js_form`), through JSON text: V8's JSON is faster than walking objects.
//! Options and edit lists are read field by field (`args::Fields`).

use super::args::{self, Fields};
use super::data;
use super::error::{IntoJs, JsResult};
use super::json_to_js;
use crate::captions::detect::{parse_captions as parse_any, write_captions, Format, Note};
use crate::captions::js_form::{from_js_form, into_track_order, to_js_form};
use crate::captions::retime::retime_with_report;
use crate::captions::rules::fix::fix;
use crate::captions::rules::lint::{lint, LintContext, Violation};
use crate::captions::rules::profile::Profile;
use crate::captions::Captions;
use crate::edit_list::{EditList, SegmentSeconds};
use crate::time::Time;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

fn from_json(v: &Value) -> JsValue {
    json_to_js(&v.to_string())
}

/// `"vtt"` or `"srt"` (any case, or `"webvtt"`), and `"auto"` where `auto` is offered (reading).
fn format_arg(v: &JsValue, place: &str, auto: bool) -> JsResult<Option<Format>> {
    let names: &[&str] = if auto { &["vtt", "srt", "auto"] } else { &["vtt", "srt"] };
    let s = v.as_string();
    match s.as_deref() {
        Some("auto") if auto => Ok(None),
        Some(name) if Format::parse(name).is_some() => Ok(Format::parse(name)),
        _ => args::bad(
            place,
            format!("expected {}, got {}", args::or_list(names), args::describe(v)),
        ),
    }
}

/// Captions given as text (parsed, format detected) or as the object `parseCaptions` returns.
pub(super) fn captions_arg(v: &JsValue, place: &str) -> JsResult<Captions> {
    if let Some(text) = v.as_string() {
        let (c, _, _) = parse_any(&text, None, false).js()?;
        return Ok(into_track_order(c));
    }
    if !v.is_object() || js_sys::Array::is_array(v) || v.is_function() {
        return args::bad(
            place,
            format!(
                "expected caption text or a captions object from parseCaptions, got {}",
                args::describe(v)
            ),
        );
    }
    // NOTE: a captions object can hold 100,000 cues, and V8's JSON.stringify reads it several
    // times faster than a walk of Reflect.get calls across the boundary. JSON turns NaN into
    // null, so the core refuses null wherever a number goes, and the error is then told the
    // caller's own value at that place (`captions.cues[3].startTime: must be a finite number,
    // got NaN`), read back from the object.
    let text = data::json_text(v, place)?;
    from_js_form(&text).map_err(|e| {
        let path = e.place.strip_prefix("captions").unwrap_or(&e.place);
        data::data_error("ERR_INVALID_ARGUMENT", v, place, path, &e.reason)
    })
}

fn profile_arg(v: &JsValue) -> JsResult<Profile> {
    profile_at(v, "profile")
}

/// A built-in profile's name or a profile object, at `place`.
pub(super) fn profile_at(v: &JsValue, place: &str) -> JsResult<Profile> {
    if let Some(name) = v.as_string() {
        return Profile::built_in(&name).map_or_else(
            || {
                args::bad(
                    place,
                    format!(
                        "no built-in profile \"{name}\" (there are: {})",
                        Profile::built_in_names().join(", ")
                    ),
                )
            },
            Ok,
        );
    }
    if !v.is_object() || js_sys::Array::is_array(v) || v.is_function() {
        return args::bad(
            place,
            format!(
                "expected a built-in profile name or a profile object, got {}",
                args::describe(v)
            ),
        );
    }
    // A profile is a few dozen fields: walked, so that a NaN is refused where it stands.
    let json = data::plain(v, place)?;
    Profile::from_json(&json.to_string())
        .map_err(|e| data::data_error("ERR_PROFILE", v, place, &e.field, &e.message))
}

fn lint_context(opts: &JsValue) -> JsResult<LintContext> {
    let o = Fields::options(opts, "options", &["frameRate", "shotChanges", "speech"])?;
    let rate = o.required(
        "frameRate",
        "(the video's frame rate, e.g. 25 or \"30000/1001\")",
        super::time::rate_arg,
    )?;
    let mut ctx = LintContext::new(rate);
    ctx.shot_changes = o.list("shotChanges", args::seconds)?.unwrap_or_default();
    ctx.speech = o.list("speech", |v, place| {
        let pair = args::array(v, place)?;
        let [a, b] = pair.as_slice() else {
            return args::bad(
                place,
                format!("expected [start, end], got an array of {} items", pair.len()),
            );
        };
        let (a, b) =
            (args::seconds(a, &format!("{place}[0]"))?, args::seconds(b, &format!("{place}[1]"))?);
        if a >= b {
            return args::bad(place, "expected [start, end] with start < end");
        }
        Ok((a, b))
    })?;
    Ok(ctx)
}

/// An edit list `{segments: [{start, end, speed?, source?}], frameRate?}`, read field by field.
fn edits_arg(v: &JsValue, place: &str) -> JsResult<EditList> {
    let o = Fields::object(
        v,
        place,
        &["segments", "frameRate"],
        "an edit list {segments, frameRate?}",
    )?;
    let frame_rate = o.opt("frameRate", super::time::rate_arg)?;
    let segments =
        o.required("segments", "(an array of {start, end, speed?, source?})", |v, place| {
            args::array(v, place)?
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let s = Fields::object(
                        s,
                        &format!("{place}[{i}]"),
                        &["start", "end", "speed", "source"],
                        "a segment {start, end, speed?, source?}",
                    )?;
                    Ok(SegmentSeconds {
                        start: s.number("start")?,
                        end: s.number("end")?,
                        speed: s.opt_number("speed")?,
                        source: s.opt_string("source")?,
                    })
                })
                .collect::<JsResult<Vec<_>>>()
        })?;
    EditList::from_segments(&segments, frame_rate, &o.at("segments")).js()
}

fn notes_json(notes: &[Note]) -> Value {
    serde_json::to_value(notes).unwrap_or(Value::Null)
}

fn violations_json(vs: &[Violation]) -> Value {
    Value::Array(vs.iter().map(|v| json!({"rule": v.rule, "cue": v.cue_index, "message": v.message, "fixable": v.fixable})).collect())
}

/// Parses WebVTT (to the W3C algorithm) or SRT (leniently, each repair a diagnostic).
/// `options.format`: `"vtt"`, `"srt"` or `"auto"` (default); `options.strict`: refuse SRT that
/// needs repairs. Returns `{format, header, cues, regions, blocks, diagnostics}`, cues shaped as
/// the browser's `VTTCue` (times in seconds) in TextTrack order.
///
/// @example
/// ```js
/// const captions = await parseCaptions(await (await fetch('clip.srt')).text());
/// captions.cues[0].text; // "<i>Hello</i>"
/// ```
#[wasm_bindgen(js_name = parseCaptions)]
pub fn parse_captions(text: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let text = args::string(&text, "text")?;
    let o = Fields::options(&options_, "options", &["format", "strict"])?;
    let format = o.opt("format", |v, place| format_arg(v, place, true))?.flatten();
    let strict = o.bool("strict", false)?;
    let (captions, notes, format) = parse_any(&text, format, strict).js()?;
    Ok(json_to_js(&to_js_form(&into_track_order(captions), &notes, format)))
}

/// Writes captions as `"vtt"` or `"srt"`: `{text, warnings}`, the warnings naming what the format
/// cannot hold (SRT has no positions, regions, styles or voices).
#[wasm_bindgen(js_name = serializeCaptions)]
pub fn serialize_captions(captions: JsValue, format: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let format = format_arg(&format, "format", false)?.unwrap_or(Format::Vtt);
    let (text, warnings) = write_captions(&captions, format);
    Ok(from_json(&json!({"text": text, "warnings": notes_json(&warnings)})))
}

/// The names of the built-in timing profiles (`netflix-en-adult`, `bbc`, …) with their rules.
#[wasm_bindgen(js_name = captionProfiles)]
pub fn caption_profiles() -> JsResult<JsValue> {
    let list: Vec<Value> = Profile::built_in_names()
        .into_iter()
        .filter_map(|n| {
            Profile::built_in(n).map(
                |p| json!({"name": n, "profile": serde_json::to_value(p).unwrap_or(Value::Null)}),
            )
        })
        .collect();
    Ok(from_json(&Value::Array(list)))
}

/// Checks captions against a timing profile (a built-in name or a custom profile object).
/// `options.frameRate` is required; `options.shotChanges` (seconds) and `options.speech`
/// (`[start, end]` pairs) refine the checks. Returns `[{rule, cue, message, fixable}]`.
#[wasm_bindgen(js_name = lintCaptions)]
pub fn lint_captions(captions: JsValue, profile: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let profile = profile_arg(&profile)?;
    let ctx = lint_context(&options_)?;
    Ok(from_json(&violations_json(&lint(&captions, &profile, &ctx))))
}

/// Repairs what can be repaired without changing meaning; returns `{captions, applied,
/// remaining}`. Never creates an overlap; `remaining` lists what it could not fix.
#[wasm_bindgen(js_name = fixCaptions)]
pub fn fix_captions(captions: JsValue, profile: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let profile = profile_arg(&profile)?;
    let ctx = lint_context(&options_)?;
    let r = fix(&captions, &profile, &ctx);
    let span = |(a, b): (Time, Time)| json!({"startTime": a.seconds(), "endTime": b.seconds()});
    let applied: Vec<Value> = r
        .applied
        .iter()
        .map(|f| json!({"rule": f.rule, "cue": f.cue_index, "message": f.message, "before": span(f.before), "after": span(f.after)}))
        .collect();
    let fixed = into_track_order(r.captions);
    let rest = json!({"applied": applied, "remaining": violations_json(&r.remaining)}).to_string();
    Ok(json_to_js(&with_captions(&to_js_form(&fixed, &[], Format::Vtt), &rest)))
}

/// Maps every cue through an edit list `{segments: [{start, end, speed?, source?}], frameRate?}`
/// (seconds of source time, in output order): cut cues disappear, clipped ones shrink, speed
/// scales, results land on the frame grid. With `options.source`, the captions are that source's:
/// only its segments (and unnamed ones) carry cues, a cameo from another source none. Returns
/// `{captions, dropped, split, clipped}`.
#[wasm_bindgen(js_name = retimeCaptions)]
pub fn retime_captions(captions: JsValue, edits: JsValue, options: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let edits = edits_arg(&edits, "edits")?;
    let o = Fields::options(&options, "options", &["source"])?;
    let source = o.opt_string("source")?;
    let (out, report) = retime_with_report(&captions, &edits, source.as_deref());
    let out = into_track_order(out);
    let rest = json!({"dropped": report.dropped, "split": report.split, "clipped": report.clipped})
        .to_string();
    Ok(json_to_js(&with_captions(&to_js_form(&out, &[], Format::Vtt), &rest)))
}

/// `{"captions": FORM, …rest}` from the captions' JSON text and another object's JSON text.
fn with_captions(form: &str, rest: &str) -> String {
    let tail = rest.strip_prefix('{').unwrap_or(rest);
    let sep = if tail.starts_with('}') { "" } else { "," };
    format!("{{\"captions\":{form}{sep}{tail}")
}
