//! Checks JS arguments once, at the boundary. Exported functions take `JsValue`, never typed
//! primitives: wasm-bindgen's glue for `f64`, `String` or `Option<String>` parameters coerces or
//! crashes on a Symbol, a BigInt or an object, where we owe the caller an `ERR_INVALID_ARGUMENT`.

use super::error::{IntoJs, JsResult};
use crate::ArgError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn bad<T>(place: &str, reason: impl Into<String>) -> JsResult<T> {
    Err(ArgError::new(place, reason)).js()
}

/// What a JS value is, for messages ("got a string").
fn kind(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "an array".into()
    } else {
        format!("a {}", v.js_typeof().as_string().unwrap_or_default())
    }
}

use js_sys::Array;

/// A finite number.
pub fn number(v: &JsValue, place: &str) -> JsResult<f64> {
    match v.as_f64() {
        Some(f) if f.is_finite() => Ok(f),
        Some(f) => bad(place, format!("must be a finite number, got {f}")),
        None => bad(place, format!("expected a number, got {}", kind(v))),
    }
}

/// A string.
pub fn string(v: &JsValue, place: &str) -> JsResult<String> {
    v.as_string().map_or_else(|| bad(place, format!("expected a string, got {}", kind(v))), Ok)
}

/// A string, or nothing (`undefined`/`null`).
pub fn opt_string(v: &JsValue, place: &str) -> JsResult<Option<String>> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        string(v, place).map(Some)
    }
}

/// An array of finite numbers or a Float64Array; errors name the bad index.
pub fn numbers(v: &JsValue, place: &str) -> JsResult<Vec<f64>> {
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        let out = a.to_vec();
        if let Some(i) = out.iter().position(|f| !f.is_finite()) {
            return bad(
                &format!("{place}[{i}]"),
                format!("must be a finite number, got {}", out[i]),
            );
        }
        return Ok(out);
    }
    if !Array::is_array(v) {
        return bad(
            place,
            format!("expected an array of numbers or a Float64Array, got {}", kind(v)),
        );
    }
    let arr: &Array = v.unchecked_ref();
    (0..arr.length()).map(|i| number(&arr.get(i), &format!("{place}[{i}]"))).collect()
}
