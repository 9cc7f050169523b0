//! Where container bytes come from and where they go: random-access reads of slices
//! ([`ByteSource`]: a `File` natively, `Blob.slice` in a browser worker, memory in tests) and an
//! append-only output ([`ByteSink`]). Containers are never read whole into memory.

use super::MediaError;

/// Random-access input read in slices.
pub trait ByteSource {
    /// Total length in bytes.
    fn len(&self) -> u64;
    /// Fills `buf` from `offset`; reading past the end is an error.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Append-only output.
pub trait ByteSink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), MediaError>;

    /// Appends `len` bytes of `src` from `offset`: a copied packet. By default they are read
    /// through in pieces; a sink that can refer to the source instead (a browser `Blob` made of
    /// slices of the input `File`) overrides it, so copied packets never pass through memory.
    fn copy_from(
        &mut self,
        src: &mut dyn ByteSource,
        offset: u64,
        len: u64,
    ) -> Result<(), MediaError> {
        read_through(self, src, offset, len)
    }

    /// Hears how many bytes the muxer is about to write, before the first (for progress).
    fn expect(&mut self, _bytes: u64) {}
}

/// [`ByteSink::copy_from`] by reading: `len` bytes of `src` from `offset`, a megabyte at a time.
pub fn read_through<S: ByteSink + ?Sized>(
    sink: &mut S,
    src: &mut dyn ByteSource,
    offset: u64,
    len: u64,
) -> Result<(), MediaError> {
    const PIECE: u64 = 1 << 20;
    let mut buf = Vec::new();
    let mut at = 0;
    while at < len {
        let n = (len - at).min(PIECE);
        buf.resize(n as usize, 0);
        src.read_at(offset + at, &mut buf)?;
        sink.write(&buf)?;
        at += n;
    }
    Ok(())
}

fn past_end(offset: u64, want: usize, len: u64) -> MediaError {
    MediaError::Io { offset, reason: format!("read of {want} bytes past the end ({len} bytes)") }
}

impl ByteSource for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        let len = <[u8]>::len(self) as u64;
        let start = usize::try_from(offset).map_err(|_| past_end(offset, buf.len(), len))?;
        let end = start.checked_add(buf.len()).ok_or_else(|| past_end(offset, buf.len(), len))?;
        let src = self.get(start..end).ok_or_else(|| past_end(offset, buf.len(), len))?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

impl ByteSource for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        self.as_slice().read_at(offset, buf)
    }
}

impl ByteSink for Vec<u8> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), MediaError> {
        self.extend_from_slice(bytes);
        Ok(())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ByteSource for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        use std::io::{Read, Seek, SeekFrom};
        let io = |e: std::io::Error| MediaError::Io { offset, reason: e.to_string() };
        self.seek(SeekFrom::Start(offset)).map_err(io)?;
        self.read_exact(buf).map_err(io)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ByteSink for std::fs::File {
    fn write(&mut self, bytes: &[u8]) -> Result<(), MediaError> {
        use std::io::Write;
        self.write_all(bytes).map_err(|e| MediaError::Io { offset: 0, reason: e.to_string() })
    }
}

/// Reads `len` bytes at `offset`, refusing lengths the source cannot hold (so that a size read
/// from a corrupt file never becomes a huge allocation).
pub fn read_vec(src: &mut dyn ByteSource, offset: u64, len: u64) -> Result<Vec<u8>, MediaError> {
    let total = src.len();
    if offset.checked_add(len).is_none_or(|end| end > total) {
        return Err(past_end(offset, usize::try_from(len).unwrap_or(usize::MAX), total));
    }
    let n = usize::try_from(len).map_err(|_| past_end(offset, usize::MAX, total))?;
    let mut buf = vec![0; n];
    src.read_at(offset, &mut buf)?;
    Ok(buf)
}

/// A read-ahead window over another source: small reads (box and element headers, block
/// headers) are served from one larger slice, so that walking a WebM's clusters costs one
/// `Blob.slice` per window rather than several per frame. Large reads go straight through.
pub struct ReadAhead<'a> {
    inner: &'a mut dyn ByteSource,
    window: Vec<u8>,
    start: u64,
    size: usize,
    /// The inner length, asked once (a `File` answers it with a system call).
    len: u64,
    /// Reads that reached the inner source, for measurements.
    pub inner_reads: u64,
}

impl<'a> ReadAhead<'a> {
    pub fn new(inner: &'a mut dyn ByteSource, size: usize) -> ReadAhead<'a> {
        let len = inner.len();
        ReadAhead { inner, window: Vec::new(), start: 0, size: size.max(16), len, inner_reads: 0 }
    }
}

impl ByteSource for ReadAhead<'_> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        let end = offset
            .checked_add(buf.len() as u64)
            .ok_or_else(|| past_end(offset, buf.len(), self.len()))?;
        let win_end = self.start + self.window.len() as u64;
        if offset >= self.start && end <= win_end {
            let from = (offset - self.start) as usize;
            buf.copy_from_slice(&self.window[from..from + buf.len()]);
            return Ok(());
        }
        self.inner_reads += 1;
        if buf.len() * 2 > self.size {
            return self.inner.read_at(offset, buf);
        }
        let len = self.len;
        if end > len {
            return Err(past_end(offset, buf.len(), len));
        }
        let n = (len - offset).min(self.size as u64) as usize;
        self.window.resize(n, 0);
        self.inner.read_at(offset, &mut self.window)?;
        self.start = offset;
        buf.copy_from_slice(&self.window[..buf.len()]);
        Ok(())
    }
}

/// Several sources read as one: source `k`'s bytes start at `bases()[k]` (the lengths of the ones
/// before it added up), so that copied packets of a render from many files keep one offset each
/// and the muxers stay single-source. A read never spans two sources.
pub struct Concat<'a, 'b> {
    parts: Vec<&'a mut (dyn ByteSource + 'b)>,
    bases: Vec<u64>,
}

impl<'a, 'b> Concat<'a, 'b> {
    pub fn new(parts: Vec<&'a mut (dyn ByteSource + 'b)>) -> Concat<'a, 'b> {
        let bases = Self::bases(parts.iter().map(|p| p.len()));
        Concat { parts, bases }
    }

    /// Where each source starts, for sources of these lengths: what a sink that refers to the
    /// sources (a Blob of slices) maps offsets back with.
    pub fn bases(lens: impl Iterator<Item = u64>) -> Vec<u64> {
        let mut at = 0u64;
        lens.map(|n| {
            let base = at;
            at = at.saturating_add(n);
            base
        })
        .collect()
    }

    /// Which source holds `offset`, and where in it.
    pub fn locate(bases: &[u64], offset: u64) -> (usize, u64) {
        let k = bases.partition_point(|&b| b <= offset).saturating_sub(1);
        (k, offset - bases.get(k).copied().unwrap_or(0))
    }

    pub fn part(&mut self, k: usize) -> Option<&mut (dyn ByteSource + 'b)> {
        self.parts.get_mut(k).map(|p| &mut **p)
    }

    pub fn base(&self, k: usize) -> u64 {
        self.bases.get(k).copied().unwrap_or(0)
    }
}

impl ByteSource for Concat<'_, '_> {
    fn len(&self) -> u64 {
        self.bases.last().copied().unwrap_or(0) + self.parts.last().map_or(0, |p| p.len())
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        // A packet lies in one source, but a read-ahead window may reach into the next.
        let total = self.len();
        let mut done = 0usize;
        while done < buf.len() {
            let at = offset.saturating_add(done as u64);
            let (k, local) = Concat::locate(&self.bases, at);
            let Some(part) = self.parts.get_mut(k) else {
                return Err(past_end(offset, buf.len(), total));
            };
            let room = part.len().saturating_sub(local);
            if room == 0 {
                return Err(past_end(offset, buf.len(), total));
            }
            let n = (buf.len() - done).min(usize::try_from(room).unwrap_or(usize::MAX));
            part.read_at(local, &mut buf[done..done + n])?;
            done += n;
        }
        Ok(())
    }
}
