//! Bindings for caption synchronisation: `speechActivity` (PCM → a 10 ms speech probability
//! track) and `syncCaptions` (captions → re-timed captions and a report). PCM is read from the
//! caller's Float32Array in slices, so wasm memory holds one slice and the track, never the PCM.

use super::args;
use super::error::{IntoJs, JsResult};
use crate::captions::detect::{parse_captions, Format};
use crate::captions::js_form::{from_js_form, into_track_order, to_js_form};
use crate::captions::rules::profile::Profile;
use crate::captions::Captions;
use crate::sync::{sync, SpeechActivity, SpeechDetector, SyncOptions, Target, STEP_MS};
use crate::time::Rate;
use crate::ArgError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Samples copied into wasm memory at a time.
const SLICE: u32 = 1 << 16;

fn bad<T>(place: &str, reason: impl Into<String>) -> JsResult<T> {
    Err(ArgError::new(place, reason)).js()
}

fn get(obj: &JsValue, key: &str) -> JsResult<JsValue> {
    js_sys::Reflect::get(obj, &key.into()).or_else(|_| bad(key, "could not be read"))
}

/// `{pcm: Float32Array, sampleRate, channels?}` (interleaved when channels > 1) run through the
/// streaming detector.
fn activity_of(audio: &JsValue, place: &str) -> JsResult<SpeechActivity> {
    if !audio.is_object() {
        return bad(place, "expected {pcm: Float32Array, sampleRate}");
    }
    let pcm = get(audio, "pcm")?;
    let Some(pcm) = pcm.dyn_ref::<js_sys::Float32Array>() else {
        return bad(&format!("{place}.pcm"), "expected a Float32Array");
    };
    let rate = args::number(&get(audio, "sampleRate")?, &format!("{place}.sampleRate"))?;
    if !(1.0..=1_000_000.0).contains(&rate) || rate.fract() != 0.0 {
        return bad(
            &format!("{place}.sampleRate"),
            format!("expected a whole number of Hz, got {rate}"),
        );
    }
    let channels = get(audio, "channels")?;
    let channels = if channels.is_undefined() {
        1.0
    } else {
        args::number(&channels, &format!("{place}.channels"))?
    };
    if !(1.0..=64.0).contains(&channels) || channels.fract() != 0.0 {
        return bad(&format!("{place}.channels"), format!("expected 1 to 64, got {channels}"));
    }
    let ch = channels as u32;
    let mut detector = SpeechDetector::new(rate as u32, ch as usize);
    let len = pcm.length();
    let step = SLICE - SLICE % ch;
    let mut at = 0;
    while at < len {
        let end = (at + step).min(len);
        detector.push(&pcm.subarray(at, end).to_vec());
        at = end;
    }
    Ok(detector.finish())
}

/// Captions as text (WebVTT or SRT) or as the object `parseCaptions` returns.
fn captions_arg(v: &JsValue, place: &str) -> JsResult<Captions> {
    if let Some(text) = v.as_string() {
        let (c, _, _) = parse_captions(&text, None, false).js()?;
        return Ok(into_track_order(c));
    }
    if !v.is_object() {
        return bad(place, "expected caption text or a captions object from parseCaptions");
    }
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ArgError::new(place, "expected plain data (JSON-serialisable)"))
        .js()?;
    from_js_form(&text).map_err(|e| ArgError::new(format!("{place}: {}", e.place), e.reason)).js()
}

/// Detects speech in PCM: `{step: 0.01, probability: Float32Array, segments: [[start, end]…]}`
/// (seconds; segments are runs with probability ≥ 0.5).
///
/// @example
/// ```js
/// const { probability, segments } = await speechActivity({ pcm, sampleRate: 48000 });
/// ```
#[wasm_bindgen(js_name = speechActivity)]
pub fn speech_activity(audio: JsValue) -> JsResult<JsValue> {
    let a = activity_of(&audio, "audio")?;
    let out = js_sys::Object::new();
    let step = STEP_MS as f64 / 1000.0;
    let segments = js_sys::Array::new();
    for (s, e) in a.segments(0.5) {
        let pair = js_sys::Array::of2(&(s as f64 * step).into(), &(e as f64 * step).into());
        segments.push(&pair);
    }
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &k.into(), v).map(|_| ());
    let probability = js_sys::Float32Array::from(a.probability.as_slice());
    set("step", &step.into())
        .and(set("probability", &probability))
        .and(set("segments", &segments))?;
    Ok(out.into())
}

/// Re-times captions to the speech in `audio` (`{pcm, sampleRate, channels?}`), or to
/// `options.reference` (captions already in sync). Options: `profile` (a built-in name or a
/// profile object), `frameRate`, `snap` (default true), `ratios` (try frame-rate ratios, default
/// true), `minConfidence` (default 0.5). Returns `{captions, report}`; on abstention the
/// captions are the input's and `report.abstained` is true.
///
/// @example
/// ```js
/// const { captions, report } = await syncCaptions(vttText, { pcm, sampleRate: 48000 });
/// if (report.abstained) console.warn(report.reason);
/// ```
#[wasm_bindgen(js_name = syncCaptions)]
pub fn sync_captions(captions: JsValue, audio: JsValue, options: JsValue) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let mut opts = SyncOptions::default();
    let opt = |k: &str| -> JsResult<JsValue> {
        if options.is_undefined() || options.is_null() {
            Ok(JsValue::UNDEFINED)
        } else {
            get(&options, k)
        }
    };
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        return bad("options", "expected an options object");
    }
    for (key, field) in [("snap", &mut opts.snap), ("ratios", &mut opts.frame_rate_ratios)] {
        let v = opt(key)?;
        if let Some(b) = v.as_bool() {
            *field = b;
        } else if !v.is_undefined() {
            return bad(&format!("options.{key}"), "expected true or false");
        }
    }
    let v = opt("minConfidence")?;
    if !v.is_undefined() {
        let c = args::number(&v, "options.minConfidence")?;
        if !(0.0..=1.0).contains(&c) {
            return bad("options.minConfidence", format!("expected 0 to 1, got {c}"));
        }
        opts.min_confidence = c;
    }
    let v = opt("frameRate")?;
    if !v.is_undefined() {
        let f = args::number(&v, "options.frameRate")?;
        opts.frame_rate = Some(
            Rate::from_fps(f)
                .map_err(|e| ArgError::new("options.frameRate", e.to_string()))
                .js()?,
        );
    }
    let v = opt("profile")?;
    if let Some(name) = v.as_string() {
        opts.profile = Some(
            Profile::built_in(&name)
                .ok_or_else(|| {
                    ArgError::new("options.profile", format!("no built-in profile \"{name}\""))
                })
                .js()?,
        );
    } else if v.is_object() {
        let text = js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()).unwrap_or_default();
        opts.profile = Some(Profile::from_json(&text).js()?);
    } else if !v.is_undefined() && !v.is_null() {
        return bad("options.profile", "expected a built-in profile name or a profile object");
    }
    let reference = opt("reference")?;
    let (out, report) = if reference.is_undefined() || reference.is_null() {
        let activity = activity_of(&audio, "audio")?;
        sync(&captions, Target::Speech(&activity), &opts).js()?
    } else {
        let reference = captions_arg(&reference, "options.reference")?;
        sync(&captions, Target::Reference(&reference), &opts).js()?
    };
    let form = to_js_form(&into_track_order(out), &[], Format::Vtt);
    let report = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
    // NOTE: both halves are our own serde_json output, so JSON.parse cannot fail.
    Ok(js_sys::JSON::parse(&format!("{{\"captions\":{form},\"report\":{report}}}"))
        .unwrap_or(JsValue::NULL))
}
