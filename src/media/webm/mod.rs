//! WebM and Matroska: demuxing EBML to sample tables, and writing copy-path output.

mod demux;
pub(crate) mod ebml;
mod mux;

pub use demux::demux;
pub use mux::{with_codec_private, write_matroska, write_webm};
