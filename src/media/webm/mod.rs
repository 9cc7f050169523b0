//! WebM and Matroska: demuxing EBML to sample tables, and writing copy-path output.

mod demux;
pub(crate) mod ebml;

pub use demux::demux;
