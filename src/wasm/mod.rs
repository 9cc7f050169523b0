//! The JS boundary: bindings and everything that touches the browser. Compiled only for wasm32.

pub mod args;
pub mod audio;
pub mod captions;
pub mod codecs;
pub mod data;
pub mod error;
pub mod frames;
pub mod media;
pub mod remix;
pub mod sync;
pub mod time;

use wasm_bindgen::prelude::*;

/// JSON text we wrote (serde_json, the remix model's writer) as JS objects: `JSON.parse` is the
/// fastest way to build many objects.
pub(crate) fn json_to_js(text: &str) -> JsValue {
    // NOTE: our own writers' output is always valid JSON, so JSON.parse cannot fail here.
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// Installs the panic hook once, when the module is instantiated, so that a bug shows its Rust
/// message in the console instead of a bare `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The package version.
///
/// @example
/// ```js
/// import { version } from 'outtake';
/// console.log(await version()); // "0.1.0"
/// ```
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Set by [`test_trap`] just before it traps: an instance that answers `true` has trapped.
static TRAPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Test-only: marks this instance, then traps as a bug would (`unreachable`), so that the e2e
/// tests can check that the JS shell never calls a trapped instance again. Not in the types.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__testTrap", skip_typescript)]
pub fn test_trap() {
    TRAPPED.store(true, std::sync::atomic::Ordering::Relaxed);
    core::arch::wasm32::unreachable()
}

/// Test-only: whether [`test_trap`] ran in this instance.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__testTrapped", skip_typescript)]
pub fn test_trapped() -> bool {
    TRAPPED.load(std::sync::atomic::Ordering::Relaxed)
}
