//! The sample table of a progressive MP4 track (`stbl`): one reader per box, each filling in
//! its part of every sample: sizes (stsz/stz2), decode times (stts), composition offsets (ctts),
//! sync samples (stss), dependencies (sdtp), and file offsets (stco/co64 through stsc).

use super::boxes::{find, Bx};
use crate::media::{Container, Depends, MediaError, Sample};

/// Every sample of the track whose `stbl` children are `stbl`, with its times, flags and place.
pub fn read_sample_table(stbl: &[Bx], file_len: u64) -> Result<Vec<Sample>, MediaError> {
    let (sizes, sizes_box) = match (find(stbl, b"stsz"), find(stbl, b"stz2")) {
        (Some(b), _) => (read_stsz(b, file_len)?, "stsz"),
        (None, Some(b)) => (read_stz2(b)?, "stz2"),
        (None, None) => return Ok(Vec::new()),
    };
    if sizes.is_empty() {
        return Ok(Vec::new());
    }
    let mut samples: Vec<Sample> = sizes
        .iter()
        .map(|&size| Sample {
            dts: 0,
            pts: 0,
            duration: 0,
            offset: 0,
            size,
            keyframe: true,
            decode_start: true,
            depends: Depends::default(),
            description: 0,
            discard_padding_ns: 0,
            addition: None,
        })
        .collect();
    let missing = |what: &str| {
        let at = find(stbl, b"stsz").map(|b| b.path.clone()).unwrap_or_default();
        MediaError::corrupt(Container::Mp4, &at, 0, what)
    };
    let stts = find(stbl, b"stts").ok_or_else(|| missing("stts missing"))?;
    read_stts(stts, sizes_box, &mut samples)?;
    if let Some(b) = find(stbl, b"ctts") {
        read_ctts(b, &mut samples)?;
    }
    if let Some(b) = find(stbl, b"stss") {
        read_stss(b, &mut samples)?;
    }
    if let Some(b) = find(stbl, b"sdtp") {
        read_sdtp(b, &mut samples)?;
    }
    let chunks = match (find(stbl, b"stco"), find(stbl, b"co64")) {
        (Some(b), _) => read_stco(b)?,
        (None, Some(b)) => read_co64(b)?,
        (None, None) => return Err(missing("no stco or co64")),
    };
    read_stsc(find(stbl, b"stsc").ok_or_else(|| missing("stsc missing"))?, &chunks, &mut samples)?;
    Ok(samples)
}

/// Sample sizes, one each or one for all.
fn read_stsz(b: &Bx, file_len: u64) -> Result<Vec<u32>, MediaError> {
    let mut r = b.reader();
    r.full()?;
    let constant = r.u32()?;
    if constant == 0 {
        let n = r.count(4)?;
        return (0..n).map(|_| r.u32()).collect();
    }
    let n = r.u32()? as u64;
    if n.checked_mul(constant as u64).is_none_or(|t| t > file_len) {
        return Err(r.err(format!("{n} samples of {constant} bytes exceed the file")));
    }
    Ok(vec![constant; n as usize])
}

/// Compact sample sizes: 4, 8 or 16 bits each.
fn read_stz2(b: &Bx) -> Result<Vec<u32>, MediaError> {
    let mut r = b.reader();
    r.full()?;
    r.skip(3)?;
    let field = r.u8()?;
    let n = r.u32()? as usize;
    let bits = match field {
        4 | 8 | 16 => field as usize,
        _ => return Err(r.err(format!("stz2 field size {field}"))),
    };
    if n.checked_mul(bits).is_none_or(|b| b.div_ceil(8) > r.remaining()) {
        return Err(r.err("stz2 entries exceed the box"));
    }
    let mut sizes = Vec::with_capacity(n);
    for i in 0..n {
        let v = match bits {
            16 => r.u16()? as u32,
            8 => r.u8()? as u32,
            _ => {
                let byte = *r.buf.get(r.pos + i / 2).unwrap_or(&0) as u32;
                if i % 2 == 0 {
                    byte >> 4
                } else {
                    byte & 0xf
                }
            }
        };
        sizes.push(v);
    }
    Ok(sizes)
}

/// Decode times and durations. Each sample's decode time must pass the one before: a sample
/// that lasts 0 ticks is legal only last (its duration unknown, as some writers leave it).
fn read_stts(b: &Bx, sizes_box: &str, samples: &mut [Sample]) -> Result<(), MediaError> {
    let mut r = b.reader();
    r.full()?;
    let entries = r.count(8)?;
    let n = samples.len();
    let mut described = 0u64;
    let mut i = 0usize;
    let mut dts = 0i64;
    for _ in 0..entries {
        let at = r.at();
        let count = r.u32()?;
        let delta = r.u32()?;
        // NOTE: a 0 before another sample gives two samples one decode time: nothing can put
        // them in order, presentation times built on them collide, and cuts land off target.
        if delta == 0 && count > 0 && i + 1 < n {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &b.path,
                at,
                format!(
                    "sample {i} lasts 0 ticks, so samples {i} and {} share decode time {dts}: \
                     sample durations of 0 make presentation times collide",
                    i + 1
                ),
            ));
        }
        described = described.saturating_add(count as u64);
        for _ in 0..count {
            let Some(s) = samples.get_mut(i) else { break };
            s.dts = dts;
            s.pts = dts;
            s.duration = delta;
            dts = dts.saturating_add(delta as i64);
            i += 1;
        }
    }
    if described != n as u64 {
        return Err(r.err(format!("stts describes {described} samples, {sizes_box} {n}")));
    }
    Ok(())
}

/// Composition offsets; version 0 offsets are read as signed too, as players do.
fn read_ctts(b: &Bx, samples: &mut [Sample]) -> Result<(), MediaError> {
    let mut r = b.reader();
    r.full()?;
    let entries = r.count(8)?;
    let mut i = 0usize;
    for _ in 0..entries {
        let count = r.u32()?;
        let off = r.i32()? as i64;
        for _ in 0..count {
            let Some(s) = samples.get_mut(i) else { break };
            s.pts = s.dts.saturating_add(off);
            i += 1;
        }
    }
    Ok(())
}

/// Sync samples: without the box every sample is one.
fn read_stss(b: &Bx, samples: &mut [Sample]) -> Result<(), MediaError> {
    for s in samples.iter_mut() {
        s.keyframe = false;
    }
    let mut r = b.reader();
    r.full()?;
    for _ in 0..r.count(4)? {
        let k = r.u32()? as usize;
        if let Some(s) = k.checked_sub(1).and_then(|k| samples.get_mut(k)) {
            s.keyframe = true;
        }
    }
    Ok(())
}

/// Which samples depend on others and which others depend on.
fn read_sdtp(b: &Bx, samples: &mut [Sample]) -> Result<(), MediaError> {
    let flag = |v: u8| match v {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    };
    let mut r = b.reader();
    r.full()?;
    for s in samples.iter_mut() {
        if r.remaining() == 0 {
            break;
        }
        let v = r.u8()?;
        s.depends = Depends { on_others: flag((v >> 4) & 3), by_others: flag((v >> 2) & 3) };
    }
    Ok(())
}

/// Chunk offsets, 32-bit.
fn read_stco(b: &Bx) -> Result<Vec<u64>, MediaError> {
    let mut r = b.reader();
    r.full()?;
    let n = r.count(4)?;
    (0..n).map(|_| r.u32().map(u64::from)).collect()
}

/// Chunk offsets, 64-bit.
fn read_co64(b: &Bx) -> Result<Vec<u64>, MediaError> {
    let mut r = b.reader();
    r.full()?;
    let n = r.count(8)?;
    (0..n).map(|_| r.u64()).collect()
}

/// Samples to chunks: each sample's file offset (its chunk's, plus the sizes before it in the
/// chunk) and sample description.
fn read_stsc(b: &Bx, chunks: &[u64], samples: &mut [Sample]) -> Result<(), MediaError> {
    let mut r = b.reader();
    r.full()?;
    let entries = r.count(12)?;
    let mut runs = Vec::with_capacity(entries);
    for _ in 0..entries {
        runs.push((r.u32()?, r.u32()?, r.u32()?));
    }
    let n = samples.len();
    let mut i = 0usize;
    for (k, &(first, per_chunk, desc)) in runs.iter().enumerate() {
        let next_first = runs.get(k + 1).map_or(chunks.len() as u64 + 1, |r| r.0 as u64);
        if first == 0 || (first as u64) > next_first {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &b.path,
                b.body_offset,
                format!("stsc entry {k} first chunk {first} out of order"),
            ));
        }
        for chunk in first as u64..next_first {
            let Some(&base) = chunks.get((chunk - 1) as usize) else { break };
            let mut off = base;
            for _ in 0..per_chunk {
                let Some(s) = samples.get_mut(i) else { break };
                s.offset = off;
                s.description = desc.saturating_sub(1);
                off = off.saturating_add(s.size as u64);
                i += 1;
            }
            if i >= n {
                break;
            }
        }
    }
    if i < n {
        return Err(MediaError::corrupt(
            Container::Mp4,
            &b.path,
            b.body_offset,
            format!("chunks hold {i} of {n} samples"),
        ));
    }
    Ok(())
}
