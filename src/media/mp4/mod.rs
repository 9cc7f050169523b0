//! MP4 (ISO-BMFF): demuxing progressive and fragmented files to sample tables, and writing
//! copy-path output.

mod boxes;
mod demux;
mod describe;
mod entry;
mod fragments;
mod mux;
mod sample_table;
pub mod wvtt;

pub use demux::demux;
pub use describe::sample_entry_for;
pub use mux::{avc1_entry, avc1_entry_like, visual_entry, write_mp4};
