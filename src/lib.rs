//! outtake: trim, remix and caption video on the user's own machine.
//!
//! The core (captions, timelines, containers, cut planning, exact time) is plain Rust and tests
//! natively; everything that touches JS or the browser lives in [`wasm`], compiled only for wasm32.

pub mod captions;
pub mod cli;
pub mod edit_list;
pub mod error;
pub mod json_place;
pub mod media;
pub mod remix;
pub mod render;
pub mod shots;
pub mod sort;
pub mod sync;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{ArgError, Coded};
pub use time::{FrameGrid, Rate, Rounding, Time, TimeError};

/// The crate's version, as the CLI and the JS `version()` report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
