//! Bindings for captions: parse and serialize WebVTT/SRT, lint and fix against timing profiles,
//! re-time through an edit list. Captions cross the boundary as plain objects in the TextTrack
//! shape (see `captions::js_form`), through JSON text: V8's JSON is faster than walking objects.

use super::args;
use super::error::{IntoJs, JsResult};
use crate::captions::detect::{parse_captions as parse_any, write_captions, Format, Note};
use crate::captions::js_form::{from_js_form, into_track_order, to_js_form};
use crate::captions::retime::retime_with_report;
use crate::captions::rules::fix::fix;
use crate::captions::rules::lint::{lint, LintContext, Violation};
use crate::captions::rules::profile::Profile;
use crate::captions::Captions;
use crate::edit_list::EditList;
use crate::time::Time;
use crate::ArgError;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// A JS value as JSON text (for objects the caller built).
fn json_text(v: &JsValue, place: &str) -> JsResult<String> {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ArgError::new(place, "expected plain data (JSON-serialisable)"))
        .js()
}

/// A JS value as a JSON tree (for small option objects).
fn to_json(v: &JsValue, place: &str) -> JsResult<Value> {
    serde_json::from_str(&json_text(v, place)?)
        .map_err(|e| ArgError::new(place, e.to_string()))
        .js()
}

/// JSON text we wrote, as a JS value. JSON.parse is the fastest way to build many objects.
fn parse_json(text: &str) -> JsValue {
    // NOTE: our own serde_json output is always valid JSON, so JSON.parse cannot fail here.
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

fn from_json(v: &Value) -> JsValue {
    parse_json(&v.to_string())
}

/// An options object (or nothing) as a JSON map.
fn options(v: &JsValue, place: &str) -> JsResult<serde_json::Map<String, Value>> {
    if v.is_undefined() || v.is_null() {
        return Ok(Default::default());
    }
    match to_json(v, place)? {
        Value::Object(m) => Ok(m),
        _ => Err(ArgError::new(place, "expected an options object")).js(),
    }
}

fn format_arg(v: Option<&Value>, place: &str) -> JsResult<Option<Format>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s == "auto" => Ok(None),
        Some(Value::String(s)) => Format::parse(s)
            .map(Some)
            .ok_or_else(|| {
                ArgError::new(place, format!("expected \"vtt\", \"srt\" or \"auto\", got \"{s}\""))
            })
            .js(),
        Some(v) => Err(ArgError::new(place, format!("expected a string, got {v}"))).js(),
    }
}

/// Captions given as text (parsed, format detected) or as the object `parseCaptions` returns.
fn captions_arg(v: &JsValue, place: &str) -> JsResult<Captions> {
    if let Some(text) = v.as_string() {
        let (c, _, _) = parse_any(&text, None, false).js()?;
        return Ok(into_track_order(c));
    }
    if !v.is_object() {
        return Err(ArgError::new(
            place,
            "expected caption text or a captions object from parseCaptions",
        ))
        .js();
    }
    let text = json_text(v, place)?;
    from_js_form(&text)
        .map_err(|e| {
            let field =
                e.place.strip_prefix("captions").unwrap_or(&e.place).trim_start_matches('.');
            ArgError::new(
                if field.is_empty() { place.to_string() } else { format!("{place}.{field}") },
                e.reason,
            )
        })
        .js()
}

fn profile_arg(v: &JsValue) -> JsResult<Profile> {
    if let Some(name) = v.as_string() {
        return Profile::built_in(&name)
            .ok_or_else(|| {
                ArgError::new(
                    "profile",
                    format!(
                        "no built-in profile \"{name}\" (there are: {})",
                        Profile::built_in_names().join(", ")
                    ),
                )
            })
            .js();
    }
    if !v.is_object() {
        return Err(ArgError::new(
            "profile",
            "expected a built-in profile name or a profile object",
        ))
        .js();
    }
    Profile::from_json(&to_json(v, "profile")?.to_string()).js()
}

fn times(v: Option<&Value>, place: &str) -> JsResult<Vec<Time>> {
    let Some(v) = v.filter(|v| !v.is_null()) else { return Ok(vec![]) };
    let arr =
        v.as_array().ok_or_else(|| ArgError::new(place, "expected an array of seconds")).js()?;
    arr.iter()
        .enumerate()
        .map(|(i, t)| {
            let f = t
                .as_f64()
                .ok_or_else(|| {
                    ArgError::new(format!("{place}[{i}]"), format!("expected seconds, got {t}"))
                })
                .js()?;
            Time::from_user_seconds(f)
                .map_err(|e| ArgError::new(format!("{place}[{i}]"), e.to_string()))
                .js()
        })
        .collect()
}

fn lint_context(opts: &JsValue) -> JsResult<LintContext> {
    let m = options(opts, "options")?;
    let rate_js = match m.get("frameRate") {
        None | Some(Value::Null) => {
            return Err(ArgError::new(
                "options.frameRate",
                "is required (the video's frame rate, e.g. 25 or \"30000/1001\")",
            ))
            .js()
        }
        Some(v) => from_json(v),
    };
    let mut ctx = LintContext::new(super::time::rate_arg(&rate_js, "options.frameRate")?);
    ctx.shot_changes = times(m.get("shotChanges"), "options.shotChanges")?;
    if let Some(speech) = m.get("speech").filter(|v| !v.is_null()) {
        let spans = speech
            .as_array()
            .ok_or_else(|| {
                ArgError::new("options.speech", "expected an array of [start, end] pairs")
            })
            .js()?;
        let mut out = Vec::with_capacity(spans.len());
        for (i, s) in spans.iter().enumerate() {
            let pair = times(Some(s), &format!("options.speech[{i}]"))?;
            match pair[..] {
                [a, b] if a < b => out.push((a, b)),
                _ => {
                    return Err(ArgError::new(
                        format!("options.speech[{i}]"),
                        "expected [start, end] with start < end",
                    ))
                    .js()
                }
            }
        }
        ctx.speech = Some(out);
    }
    Ok(ctx)
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
    let m = options(&options_, "options")?;
    let format = format_arg(m.get("format"), "options.format")?;
    let strict = match m.get("strict") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            return Err(ArgError::new("options.strict", format!("expected a boolean, got {v}")))
                .js()
        }
    };
    let (captions, notes, format) = parse_any(&text, format, strict).js()?;
    Ok(parse_json(&to_js_form(&into_track_order(captions), &notes, format)))
}

/// Writes captions as `"vtt"` or `"srt"`: `{text, warnings}`, the warnings naming what the format
/// cannot hold (SRT has no positions, regions, styles or voices).
#[wasm_bindgen(js_name = serializeCaptions)]
pub fn serialize_captions(captions: JsValue, format: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let format = format_arg(Some(&Value::String(args::string(&format, "format")?)), "format")?
        .unwrap_or(Format::Vtt);
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
    Ok(parse_json(&with_captions(&to_js_form(&fixed, &[], Format::Vtt), &rest)))
}

/// Maps every cue through an edit list `{segments: [{start, end, speed?, source?}], frameRate?}`
/// (seconds of source time, in output order): cut cues disappear, clipped ones shrink, speed
/// scales, results land on the frame grid. Returns `{captions, dropped, split, clipped}`.
#[wasm_bindgen(js_name = retimeCaptions)]
pub fn retime_captions(captions: JsValue, edits: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let edits = EditList::from_json(&to_json(&edits, "edits")?.to_string())
        .map_err(|e| ArgError::new(format!("edits.{}", e.place), e.reason))
        .js()?;
    let (out, report) = retime_with_report(&captions, &edits, None);
    let out = into_track_order(out);
    let rest = json!({"dropped": report.dropped, "split": report.split, "clipped": report.clipped})
        .to_string();
    Ok(parse_json(&with_captions(&to_js_form(&out, &[], Format::Vtt), &rest)))
}

/// `{"captions": FORM, …rest}` from the captions' JSON text and another object's JSON text.
fn with_captions(form: &str, rest: &str) -> String {
    let tail = rest.strip_prefix('{').unwrap_or(rest);
    let sep = if tail.starts_with('}') { "" } else { "," };
    format!("{{\"captions\":{form}{sep}{tail}")
}
