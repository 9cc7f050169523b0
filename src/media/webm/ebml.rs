//! EBML, the binary format under WebM and Matroska: variable-size integers, element IDs and
#![allow(dead_code)]
//! sizes (including the "unknown" size of live streams), read through a [`ByteSource`] or from
//! bytes in memory, with errors that name the element path and byte offset.

use crate::media::{ByteSource, Container, MediaError};

pub const EBML: u32 = 0x1A45DFA3;
pub const DOC_TYPE: u32 = 0x4282;
pub const SEGMENT: u32 = 0x18538067;
pub const SEEK_HEAD: u32 = 0x114D9B74;
pub const INFO: u32 = 0x1549A966;
pub const TIMECODE_SCALE: u32 = 0x2AD7B1;
pub const DURATION: u32 = 0x4489;
pub const MUXING_APP: u32 = 0x4D80;
pub const WRITING_APP: u32 = 0x5741;
pub const TRACKS: u32 = 0x1654AE6B;
pub const TRACK_ENTRY: u32 = 0xAE;
pub const TRACK_NUMBER: u32 = 0xD7;
pub const TRACK_UID: u32 = 0x73C5;
pub const TRACK_TYPE: u32 = 0x83;
pub const CODEC_ID: u32 = 0x86;
pub const CODEC_PRIVATE: u32 = 0x63A2;
pub const DEFAULT_DURATION: u32 = 0x23E383;
pub const CODEC_DELAY: u32 = 0x56AA;
pub const SEEK_PRE_ROLL: u32 = 0x56BB;
pub const VIDEO: u32 = 0xE0;
pub const PIXEL_WIDTH: u32 = 0xB0;
pub const PIXEL_HEIGHT: u32 = 0xBA;
pub const DISPLAY_WIDTH: u32 = 0x54B0;
pub const DISPLAY_HEIGHT: u32 = 0x54BA;
pub const ALPHA_MODE: u32 = 0x53C0;
pub const AUDIO: u32 = 0xE1;
pub const SAMPLING_FREQUENCY: u32 = 0xB5;
pub const CHANNELS: u32 = 0x9F;
pub const CLUSTER: u32 = 0x1F43B675;
pub const TIMECODE: u32 = 0xE7;
pub const SIMPLE_BLOCK: u32 = 0xA3;
pub const BLOCK_GROUP: u32 = 0xA0;
pub const BLOCK: u32 = 0xA1;
pub const BLOCK_DURATION: u32 = 0x9B;
pub const REFERENCE_BLOCK: u32 = 0xFB;
pub const DISCARD_PADDING: u32 = 0x75A2;
pub const BLOCK_ADDITIONS: u32 = 0x75A1;
pub const BLOCK_MORE: u32 = 0xA6;
pub const BLOCK_ADD_ID: u32 = 0xEE;
pub const BLOCK_ADDITIONAL: u32 = 0xA5;
pub const CUES: u32 = 0x1C53BB6B;
pub const CUE_POINT: u32 = 0xBB;
pub const CUE_TIME: u32 = 0xB3;
pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
pub const CUE_TRACK: u32 = 0xF7;
pub const CUE_CLUSTER_POSITION: u32 = 0xF1;

/// IDs that may follow an unknown-size Cluster at Segment level, ending it.
pub fn is_top_level(id: u32) -> bool {
    matches!(
        id,
        CLUSTER
            | CUES
            | INFO
            | TRACKS
            | SEEK_HEAD
            | 0x1941A469
            | 0x1043A770
            | 0x1254C367
            | SEGMENT
            | EBML
    )
}

/// An element header: ID, body size (`None` when unknown) and header length.
#[derive(Clone, Copy, Debug)]
pub struct Header {
    pub id: u32,
    pub size: Option<u64>,
    pub len: u64,
}

fn vint_len(first: u8) -> Option<usize> {
    (first != 0).then(|| first.leading_zeros() as usize + 1)
}

/// Parses an element header from `buf` (the bytes at `at`); `path` names the parent.
pub fn parse_header(
    buf: &[u8],
    at: u64,
    container: Container,
    path: &str,
) -> Result<Header, MediaError> {
    let trunc = || MediaError::truncated(container, path, at, "element header");
    let first = *buf.first().ok_or_else(trunc)?;
    let id_len = vint_len(first).filter(|&n| n <= 4).ok_or_else(|| {
        MediaError::corrupt(container, path, at, format!("bad element ID byte {first:#04x}"))
    })?;
    let id_bytes = buf.get(..id_len).ok_or_else(trunc)?;
    let id = id_bytes.iter().fold(0u32, |a, &b| (a << 8) | b as u32);
    let s0 = *buf.get(id_len).ok_or_else(trunc)?;
    let size_len = vint_len(s0)
        .ok_or_else(|| MediaError::corrupt(container, path, at, "bad element size byte 0x00"))?;
    let size_bytes = buf.get(id_len..id_len + size_len).ok_or_else(trunc)?;
    let mask = if size_len >= 8 { 0 } else { 0xffu8 >> size_len };
    let mut v = (size_bytes[0] & mask) as u64;
    for &b in &size_bytes[1..] {
        v = (v << 8) | b as u64;
    }
    let all_ones = (1u64 << (7 * size_len)) - 1;
    let size = if v == all_ones { None } else { Some(v) };
    Ok(Header { id, size, len: (id_len + size_len) as u64 })
}

/// Reads an element header at `pos` of the source.
pub fn read_header(
    src: &mut dyn ByteSource,
    pos: u64,
    container: Container,
    path: &str,
) -> Result<Header, MediaError> {
    let n = src.len().saturating_sub(pos).min(12) as usize;
    let mut buf = [0u8; 12];
    src.read_at(pos, &mut buf[..n])?;
    parse_header(&buf[..n], pos, container, path)
}

/// One element inside a parent held in memory.
pub struct El<'a> {
    pub id: u32,
    pub body: &'a [u8],
    pub at: u64,
}

/// The elements directly inside `body` (which starts at absolute `at`).
pub fn children<'a>(
    body: &'a [u8],
    at: u64,
    container: Container,
    path: &str,
) -> Result<Vec<El<'a>>, MediaError> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < body.len() {
        let here = at.saturating_add(pos as u64);
        let h = parse_header(&body[pos..], here, container, path)?;
        let start = pos + h.len as usize;
        let size = h.size.unwrap_or((body.len() - start) as u64);
        let end = (start as u64).checked_add(size).filter(|&e| e <= body.len() as u64).ok_or_else(
            || {
                MediaError::truncated(
                    container,
                    path,
                    here,
                    format!("element {:#x} of {size} bytes overruns its parent", h.id),
                )
            },
        )? as usize;
        out.push(El { id: h.id, body: &body[start..end], at: at.saturating_add(start as u64) });
        pos = end;
    }
    Ok(out)
}

pub fn uint(b: &[u8]) -> u64 {
    b.iter().take(8).fold(0u64, |a, &x| (a << 8) | x as u64)
}

pub fn sint(b: &[u8]) -> i64 {
    if b.is_empty() {
        return 0;
    }
    let n = b.len().min(8);
    let u = uint(&b[..n]);
    let shift = 64 - 8 * n as u32;
    ((u << shift) as i64) >> shift
}

pub fn float(b: &[u8]) -> f64 {
    match b.len() {
        4 => f32::from_bits(uint(b) as u32) as f64,
        8 => f64::from_bits(uint(b)),
        _ => 0.0,
    }
}

/// A variable-size integer in a block header (track number, lace sizes): value and length.
pub fn vint(buf: &[u8]) -> Option<(u64, usize)> {
    let n = vint_len(*buf.first()?)?;
    let bytes = buf.get(..n)?;
    let mask = if n >= 8 { 0 } else { 0xffu8 >> n };
    let v = bytes[1..].iter().fold((bytes[0] & mask) as u64, |a, &b| (a << 8) | b as u64);
    Some((v, n))
}

/// Writes an element ID (already carrying its length marker bits).
pub fn write_id(out: &mut Vec<u8>, id: u32) {
    let bytes = id.to_be_bytes();
    let skip = bytes.iter().position(|&b| b != 0).unwrap_or(3);
    out.extend_from_slice(&bytes[skip..]);
}

/// Writes a size as an 8-byte vint (so sizes can be patched in place) or the shortest form.
pub fn write_size(out: &mut Vec<u8>, size: u64, wide: bool) {
    let n = if wide { 8 } else { (1..=8).find(|&n| size < (1u64 << (7 * n)) - 1).unwrap_or(8) };
    let marked = size | (1u64 << (7 * n));
    out.extend_from_slice(&marked.to_be_bytes()[8 - n..]);
}

pub fn write_el(out: &mut Vec<u8>, id: u32, body: &[u8]) {
    write_id(out, id);
    write_size(out, body.len() as u64, false);
    out.extend_from_slice(body);
}

pub fn write_uint(out: &mut Vec<u8>, id: u32, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    write_el(out, id, &bytes[skip..]);
}

pub fn write_sint(out: &mut Vec<u8>, id: u32, v: i64) {
    let bytes = v.to_be_bytes();
    let mut skip = 0;
    while skip < 7
        && ((bytes[skip] == 0 && bytes[skip + 1] & 0x80 == 0)
            || (bytes[skip] == 0xff && bytes[skip + 1] & 0x80 != 0))
    {
        skip += 1;
    }
    write_el(out, id, &bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_trip() {
        for v in [0u64, 1, 126, 127, 128, 16382, 16383, 1 << 40] {
            for wide in [false, true] {
                let mut out = vec![0xEC];
                write_size(&mut out, v, wide);
                let h = parse_header(&out, 0, Container::Webm, "").unwrap();
                assert_eq!(h.size, Some(v), "{v} wide={wide}");
            }
        }
        assert_eq!(sint(&[0xff, 0xfe]), -2);
        let mut out = Vec::new();
        write_sint(&mut out, 0x75A2, -300);
        assert_eq!(sint(&out[3..]), -300);
    }
}
