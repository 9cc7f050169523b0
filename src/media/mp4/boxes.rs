//! Reading ISO-BMFF boxes from bytes already in memory (moov, moof) with the absolute file
//! offset and box path kept alongside, so that every error can say where it happened.
//!
//! NOTE: this is a small hand-written reader rather than `mp4-atom`: we need errors naming the
//! byte offset and box path (mp4-atom's decode errors carry neither), lenient reading of the few
//! boxes a trimmer needs (unknown sample entries and boxes are kept as raw bytes instead of
//! failing the whole moov), and nothing else in the wasm (mp4-atom decodes every box type it
//! knows). The writer side is equally small (see `mux.rs`).

use crate::media::{Container, MediaError};

/// One box inside a parent held in memory.
pub struct Bx<'a> {
    pub kind: [u8; 4],
    /// The whole box, header included.
    pub raw: &'a [u8],
    pub body: &'a [u8],
    /// Absolute file offset of `body`.
    pub body_offset: u64,
    /// Box path, e.g. `moov/trak[1]/mdia`.
    pub path: String,
}

impl Bx<'_> {
    pub fn reader(&self) -> R<'_> {
        R { buf: self.body, pos: 0, base: self.body_offset, path: &self.path }
    }
}

pub fn kind_str(kind: [u8; 4]) -> String {
    kind.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '?' }).collect()
}

/// The boxes directly inside `body` (which starts at absolute `offset`); `path` is the parent's.
pub fn children<'a>(body: &'a [u8], offset: u64, path: &str) -> Result<Vec<Bx<'a>>, MediaError> {
    let mut out: Vec<Bx<'a>> = Vec::new();
    // Running counts of trak/traf/trun for their path index (a count per box would be quadratic).
    let mut counts = [0usize; 3];
    let mut pos = 0usize;
    while pos < body.len() {
        let at = offset.saturating_add(pos as u64);
        let rest = &body[pos..];
        if rest.len() < 8 {
            // Some writers pad containers with a few zero bytes; anything else is a broken box.
            if rest.iter().all(|&b| b == 0) {
                break;
            }
            return Err(MediaError::truncated(Container::Mp4, path, at, "box header"));
        }
        let size32 = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as u64;
        let kind = [rest[4], rest[5], rest[6], rest[7]];
        let (size, header) = match size32 {
            0 => (rest.len() as u64, 8usize),
            1 => {
                let big = rest.get(8..16).ok_or_else(|| {
                    MediaError::truncated(Container::Mp4, path, at, "box largesize")
                })?;
                (u64::from_be_bytes(big.try_into().unwrap_or([0; 8])), 16)
            }
            n => (n, 8),
        };
        let name = kind_str(kind);
        let indexed = match &kind {
            b"trak" => Some(0),
            b"traf" => Some(1),
            b"trun" => Some(2),
            _ => None,
        };
        let child_path = if let Some(k) = indexed {
            let n = counts[k];
            counts[k] += 1;
            format!("{path}/{name}[{n}]")
        } else if path.is_empty() {
            name.clone()
        } else {
            format!("{path}/{name}")
        };
        if size < header as u64 {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &child_path,
                at,
                format!("box size {size} is smaller than its header"),
            ));
        }
        if size > rest.len() as u64 {
            return Err(MediaError::truncated(
                Container::Mp4,
                &child_path,
                at,
                format!("box of {size} bytes, only {} left in its parent", rest.len()),
            ));
        }
        let size = size as usize;
        out.push(Bx {
            kind,
            raw: &rest[..size],
            body: &rest[header..size],
            body_offset: at + header as u64,
            path: child_path,
        });
        pos += size;
    }
    Ok(out)
}

pub fn find<'a, 'b>(boxes: &'b [Bx<'a>], kind: &[u8; 4]) -> Option<&'b Bx<'a>> {
    boxes.iter().find(|b| &b.kind == kind)
}

/// A cursor over a box body whose errors name the box and the absolute offset.
pub struct R<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
    pub base: u64,
    pub path: &'a str,
}

impl<'a> R<'a> {
    pub fn at(&self) -> u64 {
        self.base.saturating_add(self.pos as u64)
    }

    pub fn err(&self, reason: impl Into<String>) -> MediaError {
        MediaError::corrupt(Container::Mp4, self.path, self.at(), reason)
    }

    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], MediaError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(|| {
            MediaError::truncated(
                Container::Mp4,
                self.path,
                self.at(),
                format!("needs {n} bytes, {} left in the box", self.remaining()),
            )
        })?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn skip(&mut self, n: usize) -> Result<(), MediaError> {
        self.bytes(n).map(|_| ())
    }

    pub fn u8(&mut self) -> Result<u8, MediaError> {
        Ok(self.bytes(1)?[0])
    }

    pub fn u16(&mut self) -> Result<u16, MediaError> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    #[allow(dead_code)]
    pub fn u24(&mut self) -> Result<u32, MediaError> {
        let b = self.bytes(3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }

    pub fn u32(&mut self) -> Result<u32, MediaError> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn i32(&mut self) -> Result<i32, MediaError> {
        Ok(self.u32()? as i32)
    }

    pub fn u64(&mut self) -> Result<u64, MediaError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// Version and flags of a full box.
    pub fn full(&mut self) -> Result<(u8, u32), MediaError> {
        let v = self.u32()?;
        Ok(((v >> 24) as u8, v & 0xff_ffff))
    }

    /// An entry count, refused when the box cannot hold that many entries of `entry_size` bytes.
    pub fn count(&mut self, entry_size: usize) -> Result<usize, MediaError> {
        let n = self.u32()? as usize;
        if n.checked_mul(entry_size).is_none_or(|b| b > self.remaining()) {
            return Err(MediaError::truncated(
                Container::Mp4,
                self.path,
                self.at(),
                format!(
                    "{n} entries of {entry_size} bytes do not fit in the {} bytes left",
                    self.remaining()
                ),
            ));
        }
        Ok(n)
    }
}
