//! Captions that know about time: the caption model, WebVTT and SRT, timing rules and re-timing.

pub mod cue_text;
pub mod detect;
mod entities;
pub mod js_form;
pub mod model;
pub mod retime;
pub mod rules;
pub mod srt;
pub mod textrack_json;
pub mod vtt_writer;
pub mod webvtt;
mod webvtt_settings;

pub use cue_text::{parse_cue_text, plain_text, Element, Node, Tag};
pub use model::*;
pub use textrack_json::{textrack_json_string, to_textrack_json};
pub use vtt_writer::{header_text, settings_text, write_webvtt};
pub use webvtt::{
    parse_timestamp, parse_webvtt, parse_webvtt_bytes, Diagnostic, ParsedVtt, WebVttError,
};
