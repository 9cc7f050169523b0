//! The JS boundary: bindings and everything that touches the browser. Compiled only for wasm32.

pub mod args;
pub mod captions;
pub mod codecs;
pub mod error;
pub mod media;
pub mod remix;
pub mod sync;
pub mod time;

use wasm_bindgen::prelude::*;

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
