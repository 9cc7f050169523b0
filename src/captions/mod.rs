//! Captions that know about time: the caption model, WebVTT and SRT, timing rules and re-timing.

pub mod model;
pub mod srt;
pub mod rules;
pub mod retime;

pub use model::*;
