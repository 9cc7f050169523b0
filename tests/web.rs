//! Browser tests of the JS boundary, run by wasm-bindgen-test in headless Chromium
//! (`scripts/test.sh` sets the runner and chromedriver). Native builds compile this to nothing.
#![cfg(target_arch = "wasm32")]

use outtake::wasm::time::{frame_at, parse_frame_rate, snap_time, snap_times};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The `(name, code, message)` of a thrown JS error.
fn parts(err: JsValue) -> (String, String, String) {
    let e: js_sys::Error = err.dyn_into().expect("a JS Error, never a thrown string");
    let code =
        js_sys::Reflect::get(&e, &"code".into()).unwrap().as_string().expect("a string code");
    (e.name().into(), code, e.message().into())
}

#[wasm_bindgen_test]
fn exact_results_cross_the_boundary() {
    assert_eq!(parse_frame_rate(29.97.into()).unwrap(), "30000/1001");
    assert_eq!(frame_at(1.001.into(), "30000/1001".into(), JsValue::UNDEFINED).unwrap(), 30.0);
    assert_eq!(snap_time(1.0.into(), "30000/1001".into(), JsValue::UNDEFINED).unwrap(), 1.001);
    let arr = js_sys::Float64Array::from(&[0.0, 0.51, 1.0][..]);
    assert_eq!(snap_times(arr.into(), 2.into(), "floor".into()).unwrap(), vec![0.0, 0.5, 1.0]);
}

#[wasm_bindgen_test]
fn bad_input_is_a_typed_error_naming_the_place() {
    let (name, code, message) =
        parts(frame_at(f64::NAN.into(), 30.into(), JsValue::UNDEFINED).unwrap_err());
    assert_eq!((name.as_str(), code.as_str()), ("OuttakeError", "ERR_INVALID_ARGUMENT"));
    assert!(message.starts_with("seconds: "), "{message}");

    let (_, code, message) =
        parts(snap_time(1.into(), JsValue::from_str("1/0"), JsValue::UNDEFINED).unwrap_err());
    assert_eq!(code, "ERR_INVALID_ARGUMENT");
    assert!(message.starts_with("frameRate: ") && message.contains("1/0"), "{message}");

    // A Symbol where a string belongs: checked, not handed to the glue to crash on.
    let sym = js_sys::Symbol::for_("x");
    let (_, code, message) = parts(snap_time(1.into(), 30.into(), sym.into()).unwrap_err());
    assert_eq!(code, "ERR_INVALID_ARGUMENT");
    assert!(
        message.starts_with("rounding: expected \"floor\", \"ceil\" or \"nearest\", got a Symbol"),
        "{message}"
    );

    let arr = js_sys::Array::of3(&1.into(), &"two".into(), &3.into());
    let (_, _, message) = parts(snap_times(arr.into(), 30.into(), JsValue::UNDEFINED).unwrap_err());
    assert!(
        message.starts_with("seconds[1]: expected a number, got the string \"two\""),
        "{message}"
    );
}
