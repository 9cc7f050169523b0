//! Rust errors become JS `Error`s with `name = "OuttakeError"`, a stable `code`, and the message
//! that names the place. Never a thrown string, never a panic.

use crate::Coded;
use wasm_bindgen::prelude::*;

/// A result whose error is already a JS `Error`.
pub type JsResult<T> = Result<T, JsValue>;

/// The JS `Error` for a coded Rust error.
pub fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("OuttakeError");
    // NOTE: Reflect::set on a fresh Error object cannot fail; ignore its Result.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    err.into()
}

/// `?`-friendly conversion of any area's error into the JS `Error`.
pub trait IntoJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T, E: Coded> IntoJs<T> for Result<T, E> {
    fn js(self) -> JsResult<T> {
        self.map_err(|e| js_error(e.code(), &e.to_string()))
    }
}
