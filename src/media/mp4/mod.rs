//! MP4 (ISO-BMFF): demuxing progressive and fragmented files to sample tables, and writing
//! copy-path output.

mod boxes;
mod demux;
mod entry;
mod fragments;

pub use demux::demux;
