//! Captions that know about time: the caption model, WebVTT and SRT, timing rules and re-timing.

pub mod model;

pub use model::*;
