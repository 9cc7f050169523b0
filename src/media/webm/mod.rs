//! WebM and Matroska: demuxing EBML to sample tables, and writing copy-path output.

mod demux;
mod describe;
pub(crate) mod ebml;
mod mux;
pub mod text;

pub use demux::demux;
pub use describe::track_entry_for;
pub use mux::{with_codec_private, write_matroska, write_webm};
