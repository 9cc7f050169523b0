//! Bindings for caption synchronisation: `speechActivity` (media → a 10 ms speech probability
//! track) and `syncCaptions` (captions → re-timed captions and a report). Media is a `Blob`
//! (decoded by `audio`) or PCM read from the caller's Float32Array in slices: either way wasm
//! memory holds a slice and the track, never the PCM.

use super::args::{self, Fields};
use super::audio::{activity_of_blob, DECODE_SHARE};
use super::captions::{captions_arg, profile_at};
use super::error::{IntoJs, JsResult};
use super::media::Progress;
use crate::captions::detect::Format;
use crate::captions::js_form::{into_track_order, to_js_form};
use crate::sync::{sync, SpeechActivity, SpeechDetector, SyncOptions, Target, STEP_MS};
use crate::time::Rate;
use crate::ArgError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Samples copied into wasm memory at a time.
const SLICE: u32 = 1 << 16;

/// The speech track of `media`: a `Blob` (MP4, WebM, Matroska) or
/// `{pcm: Float32Array, sampleRate, channels?}` (interleaved when channels > 1).
async fn activity_of(
    media: &JsValue,
    place: &str,
    progress: &Progress,
) -> JsResult<SpeechActivity> {
    if media.is_instance_of::<web_sys::Blob>() {
        return activity_of_blob(media, place, progress).await;
    }
    let a = Fields::object(
        media,
        place,
        &["pcm", "sampleRate", "channels"],
        "a Blob or {pcm: Float32Array, sampleRate}",
    )?;
    let pcm = a.required("pcm", "(a Float32Array)", |v, place| {
        v.dyn_ref::<js_sys::Float32Array>().cloned().map_or_else(
            || args::bad(place, format!("expected a Float32Array, got {}", args::describe(v))),
            Ok,
        )
    })?;
    let rate = a.number("sampleRate")?;
    if !(1.0..=1_000_000.0).contains(&rate) || rate.fract() != 0.0 {
        return args::bad(
            &a.at("sampleRate"),
            format!("expected a whole number of Hz, got {rate}"),
        );
    }
    let channels = a.opt_number("channels")?.unwrap_or(1.0);
    if !(1.0..=64.0).contains(&channels) || channels.fract() != 0.0 {
        return args::bad(&a.at("channels"), format!("expected 1 to 64, got {channels}"));
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

/// `{onProgress, signal}`: the options every sync call takes. (`signal` is the JS shell's and
/// never reaches here; it is listed so a misspelt key is matched against it too.)
const COMMON: [&str; 2] = ["onProgress", "signal"];

/// Detects speech in a media `Blob` or PCM: `{step: 0.01, probability: Float32Array,
/// segments: [[start, end]…]}` (seconds; segments are runs with probability ≥ 0.5). Options:
/// `onProgress(fraction)`.
///
/// @example
/// ```js
/// const { probability, segments } = await speechActivity(file, { onProgress: (f) => bar.value = f });
/// ```
#[wasm_bindgen(js_name = speechActivity)]
pub async fn speech_activity(media: JsValue, options: JsValue) -> JsResult<JsValue> {
    let o = Fields::options(&options, "options", &COMMON)?;
    let progress = Progress::new(o.function("onProgress")?);
    let a = activity_of(&media, "media", &progress).await?;
    progress.report(1.0);
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

/// Re-times captions to the speech in `media` (a `Blob`, or `{pcm, sampleRate, channels?}`), or
/// to `options.reference` (captions already in sync). Options: `profile` (a built-in name or a
/// profile object), `frameRate`, `snap` (default true), `ratios` (try frame-rate ratios, default
/// true), `minConfidence` (default 0.5), `onProgress(fraction)`. Returns `{captions, report}`; on
/// abstention the captions are the input's and `report.abstained` is true.
///
/// @example
/// ```js
/// const { captions, report } = await syncCaptions(vttText, file, { onProgress: (f) => bar.value = f });
/// if (report.abstained) console.warn(report.reason);
/// ```
#[wasm_bindgen(js_name = syncCaptions)]
pub async fn sync_captions(
    captions: JsValue,
    media: JsValue,
    options: JsValue,
) -> JsResult<JsValue> {
    let captions = captions_arg(&captions, "captions")?;
    let o = Fields::options(
        &options,
        "options",
        &[
            "reference",
            "profile",
            "frameRate",
            "snap",
            "ratios",
            "minConfidence",
            COMMON[0],
            COMMON[1],
        ],
    )?;
    let progress = Progress::new(o.function("onProgress")?);
    let mut opts = SyncOptions::default();
    opts.snap = o.bool("snap", opts.snap)?;
    opts.frame_rate_ratios = o.bool("ratios", opts.frame_rate_ratios)?;
    if let Some(c) = o.opt_number("minConfidence")? {
        if !(0.0..=1.0).contains(&c) {
            return args::bad(&o.at("minConfidence"), format!("expected 0 to 1, got {c}"));
        }
        opts.min_confidence = c;
    }
    opts.frame_rate = o.opt("frameRate", |v, place| {
        Rate::from_fps(args::number(v, place)?)
            .map_err(|e| ArgError::new(place, e.to_string()))
            .js()
    })?;
    opts.profile = o.opt("profile", profile_at)?;
    let reference = o.opt("reference", captions_arg)?;
    let (out, report) = match &reference {
        None => {
            let t0 = js_sys::Date::now();
            let activity = activity_of(&media, "media", &progress).await?;
            let activity_ms = js_sys::Date::now() - t0;
            progress.report(DECODE_SHARE);
            let (out, mut report) = sync(&captions, Target::Speech(&activity), &opts).js()?;
            // Decoding and detection run interleaved, as in the CLI: both are `activityMs`.
            report.timings.activity_ms = activity_ms;
            (out, report)
        }
        Some(reference) => sync(&captions, Target::Reference(reference), &opts).js()?,
    };
    progress.report(1.0);
    let form = to_js_form(&into_track_order(out), &[], Format::Vtt);
    let report = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
    // NOTE: both halves are our own serde_json output, so JSON.parse cannot fail.
    Ok(js_sys::JSON::parse(&format!("{{\"captions\":{form},\"report\":{report}}}"))
        .unwrap_or(JsValue::NULL))
}
