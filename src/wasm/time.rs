//! Bindings for exact time: frame-rate parsing and snapping seconds onto a frame grid.

use super::error::{IntoJs, JsResult};
use crate::{ArgError, FrameGrid, Rate, Rounding, Time};
use wasm_bindgen::prelude::*;

/// Reads a frame rate given as a number (`29.97`) or a string (`"30000/1001"`).
pub(crate) fn rate_arg(v: &JsValue, place: &str) -> JsResult<Rate> {
    if let Some(f) = v.as_f64() {
        return Rate::from_fps(f).map_err(|e| ArgError::new(place, e.to_string())).js();
    }
    if let Some(s) = v.as_string() {
        return Rate::parse(&s).map_err(|e| ArgError::new(place, e.to_string())).js();
    }
    Err(ArgError::new(place, "expected a number or a string such as \"30000/1001\"")).js()
}

pub(crate) fn rounding_arg(v: Option<String>, place: &str) -> JsResult<Rounding> {
    match v {
        None => Ok(Rounding::Nearest),
        Some(s) => Rounding::parse(&s)
            .ok_or_else(|| ArgError::new(place, format!("expected \"floor\", \"ceil\" or \"nearest\", got \"{s}\"")))
            .js(),
    }
}

pub(crate) fn seconds_arg(v: f64, place: &str) -> JsResult<Time> {
    Time::from_seconds(v, 1_000_000, Rounding::Nearest).map_err(|e| ArgError::new(place, e.to_string())).js()
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
/// `"floor"` (the frame on screen, default for this function), `"ceil"` or `"nearest"`.
#[wasm_bindgen(js_name = frameAt)]
pub fn frame_at(seconds: f64, frame_rate: JsValue, rounding: Option<String>) -> JsResult<f64> {
    let t = seconds_arg(seconds, "seconds")?;
    let grid = FrameGrid::new(rate_arg(&frame_rate, "frameRate")?);
    let rounding = match rounding {
        None => Rounding::Floor,
        some => rounding_arg(some, "rounding")?,
    };
    Ok(grid.frame_at(t, rounding) as f64)
}

/// `seconds` moved onto the frame grid of `frameRate` (default rounding `"nearest"`).
///
/// @example
/// ```js
/// await snapTime(1.0, "30000/1001"); // 1.001
/// ```
#[wasm_bindgen(js_name = snapTime)]
pub fn snap_time(seconds: f64, frame_rate: JsValue, rounding: Option<String>) -> JsResult<f64> {
    let t = seconds_arg(seconds, "seconds")?;
    let grid = FrameGrid::new(rate_arg(&frame_rate, "frameRate")?);
    Ok(grid.snap(t, rounding_arg(rounding, "rounding")?).seconds())
}
