//! Bindings for exact time: frame-rate parsing and snapping seconds onto a frame grid.

use super::args;
use super::error::JsResult;
use crate::{FrameGrid, Rate, Rounding};
use wasm_bindgen::prelude::*;

/// Reads a frame rate given as a number (`29.97`) or a string (`"30000/1001"`).
pub(crate) fn rate_arg(v: &JsValue, place: &str) -> JsResult<Rate> {
    let parsed = if v.as_f64().is_some() {
        Rate::from_fps(args::number(v, place)?)
    } else if let Some(s) = v.as_string() {
        Rate::parse(&s)
    } else {
        return args::bad(
            place,
            format!(
                "expected a number or a string such as \"30000/1001\", got {}",
                args::describe(v)
            ),
        );
    };
    parsed.map_err(|e| args::error(place, e.to_string()))
}

/// Reads `"floor"`, `"ceil"` or `"nearest"`, or nothing for `default`.
pub(crate) fn rounding_arg(v: &JsValue, place: &str, default: Rounding) -> JsResult<Rounding> {
    if args::absent(v) {
        return Ok(default);
    }
    args::enum_of(
        v,
        place,
        &[("floor", Rounding::Floor), ("ceil", Rounding::Ceil), ("nearest", Rounding::Nearest)],
    )
}

/// The frame rate as an exact `"num/den"` string (`29.97` → `"30000/1001"`).
///
/// @example
/// ```js
/// await parseFrameRate(23.976); // "24000/1001"
/// ```
#[wasm_bindgen(js_name = parseFrameRate)]
pub fn parse_frame_rate(rate: JsValue) -> JsResult<String> {
    let r = rate_arg(&rate, "frameRate")?;
    Ok(format!("{}/{}", r.num, r.den))
}

/// The index of the frame at `seconds` on a grid of `frameRate` starting at 0; `rounding` is
/// `"floor"` (the frame on screen, the default here), `"ceil"` or `"nearest"`.
///
/// @example
/// ```js
/// await frameAt(1.001, "30000/1001"); // 30
/// ```
#[wasm_bindgen(js_name = frameAt)]
pub fn frame_at(seconds: JsValue, frame_rate: JsValue, rounding: JsValue) -> JsResult<f64> {
    let t = args::seconds(&seconds, "seconds")?;
    let grid = FrameGrid::new(rate_arg(&frame_rate, "frameRate")?);
    Ok(grid.frame_at(t, rounding_arg(&rounding, "rounding", Rounding::Floor)?) as f64)
}

/// `seconds` moved onto the frame grid of `frameRate` (default rounding `"nearest"`).
///
/// @example
/// ```js
/// await snapTime(1.0, "30000/1001"); // 1.001
/// ```
#[wasm_bindgen(js_name = snapTime)]
pub fn snap_time(seconds: JsValue, frame_rate: JsValue, rounding: JsValue) -> JsResult<f64> {
    let t = args::seconds(&seconds, "seconds")?;
    let grid = FrameGrid::new(rate_arg(&frame_rate, "frameRate")?);
    Ok(grid.snap(t, rounding_arg(&rounding, "rounding", Rounding::Nearest)?).seconds())
}

/// Every time in `seconds` (an array or Float64Array) moved onto the frame grid of `frameRate`,
/// in one call, for snapping all the cue times of a file at once. Errors name the first bad index.
#[wasm_bindgen(js_name = snapTimes)]
pub fn snap_times(seconds: JsValue, frame_rate: JsValue, rounding: JsValue) -> JsResult<Vec<f64>> {
    let times = args::numbers(&seconds, "seconds")?;
    let grid = FrameGrid::new(rate_arg(&frame_rate, "frameRate")?);
    let rounding = rounding_arg(&rounding, "rounding", Rounding::Nearest)?;
    times
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let t = args::seconds(&JsValue::from(s), &format!("seconds[{i}]"))?;
            Ok(grid.snap(t, rounding).seconds())
        })
        .collect()
}
