//! How much of a file probing reads, and how often it asks the source (each ask is a
//! `Blob.slice` + `FileReaderSync` call in the browser). Prints the numbers; bounds the count.

mod media_support;

use media_support::*;
use outtake::media::{probe, ByteSource, MediaError};
use std::time::Instant;

struct Counting {
    data: Vec<u8>,
    reads: u64,
    bytes: u64,
}

impl ByteSource for Counting {
    fn len(&self) -> u64 {
        self.data.len() as u64
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        self.reads += 1;
        self.bytes += buf.len() as u64;
        self.data.as_slice().read_at(offset, buf)
    }
}

fn measure(name: &str, bytes: Vec<u8>) -> (u64, u64, u64) {
    let len = bytes.len() as u64;
    let mut c = Counting { data: bytes, reads: 0, bytes: 0 };
    let t = Instant::now();
    let info = probe(&mut c).unwrap();
    let us = t.elapsed().as_micros();
    let samples: usize = info.tracks.iter().map(|t| t.samples.len()).sum();
    eprintln!("{name}: {len} bytes, {samples} samples: {} reads, {} bytes read ({:.1}%), {us} µs (debug build)", c.reads, c.bytes, c.bytes as f64 * 100.0 / len as f64);
    (len, c.reads, c.bytes)
}

#[test]
fn probe_reads_little() {
    for name in [
        "video.mp4",
        "cursed-vfr.mp4",
        "video-h265.mp4",
        "transparency.webm",
        "annex-b-avc.mkv",
        "frames.webm",
    ] {
        let Some(p) = shared(name) else { continue };
        let (len, reads, bytes) = measure(name, std::fs::read(p).unwrap());
        if name.ends_with(".mp4") {
            // The moov, plus one read-ahead window per keyframe for its NAL types.
            assert!(bytes < len, "{name}: MP4 probing skips sample data");
        }
        assert!(reads < 2000, "{name}: {reads} reads");
    }
}
