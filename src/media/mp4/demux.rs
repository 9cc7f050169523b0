//! MP4 demuxing: the top-level box walk (reading only moov and moof into memory), the track
//! headers and the sample tables of progressive files (stts, ctts, stss, stsz, stsc, stco/co64,
//! sdtp, elst). Fragments are read in `fragments.rs`, sample entries in `entry.rs`.

use super::boxes::{children, find, Bx};
use super::entry::read_stsd;
use super::fragments::{read_moof, Trex};
use crate::media::source::read_vec;
use crate::media::{
    ByteSource, Container, Depends, MediaError, MediaInfo, Sample, Track, TrackKind,
};
use crate::Time;

/// Reads the index of an MP4 file: its tracks and their sample tables.
/// `partial`: accept a file cut short, keeping only the samples wholly inside it (what players
/// do with an unfinished download); otherwise a sample past the end is an error.
pub fn demux(src: &mut dyn ByteSource, partial: bool) -> Result<MediaInfo, MediaError> {
    let len = src.len();
    let mut pos = 0u64;
    let mut moov: Option<(Vec<u8>, u64)> = None;
    let mut moofs: Vec<(Vec<u8>, u64, u64)> = Vec::new();
    while pos < len {
        let avail = (len - pos).min(16) as usize;
        if avail < 8 {
            return Err(MediaError::truncated(Container::Mp4, "", pos, "top-level box header"));
        }
        let mut head = [0u8; 16];
        src.read_at(pos, &mut head[..avail])?;
        let kind = [head[4], head[5], head[6], head[7]];
        let name = super::boxes::kind_str(kind);
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let (size, header) = match size32 {
            0 => (len - pos, 8),
            1 if avail >= 16 => (
                u64::from_be_bytes([
                    head[8], head[9], head[10], head[11], head[12], head[13], head[14], head[15],
                ]),
                16,
            ),
            1 => return Err(MediaError::truncated(Container::Mp4, &name, pos, "box largesize")),
            n => (n, 8),
        };
        if size < header {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &name,
                pos,
                format!("box size {size} is smaller than its header"),
            ));
        }
        if partial && &kind == b"mdat" {
            pos = pos.saturating_add(size).min(len);
            continue;
        }
        let end = pos.checked_add(size).filter(|&e| e <= len).ok_or_else(|| {
            MediaError::truncated(
                Container::Mp4,
                &name,
                pos,
                format!("box of {size} bytes, file has {} left", len - pos),
            )
        })?;
        match &kind {
            b"moov" => moov = Some((read_vec(src, pos + header, size - header)?, pos + header)),
            b"moof" => moofs.push((read_vec(src, pos + header, size - header)?, pos + header, pos)),
            _ => {}
        }
        pos = end;
    }
    let (moov, moov_at) = moov.ok_or_else(|| {
        MediaError::corrupt(Container::Mp4, "moov", len, "no moov box in the file")
    })?;
    let boxes = children(&moov, moov_at, "moov")?;
    let mvhd = find(&boxes, b"mvhd")
        .ok_or_else(|| MediaError::corrupt(Container::Mp4, "moov/mvhd", moov_at, "missing"))?;
    let movie_scale = read_mvhd(mvhd)?;
    let mut trex = Vec::new();
    if let Some(mvex) = find(&boxes, b"mvex") {
        for b in children(mvex.body, mvex.body_offset, &mvex.path)? {
            if &b.kind == b"trex" {
                trex.push(Trex::read(&b)?);
            }
        }
    }
    let mut tracks = Vec::new();
    let mut edits = Vec::new();
    for trak in boxes.iter().filter(|b| &b.kind == b"trak") {
        let (track, edit) = read_trak(trak, movie_scale, len)?;
        tracks.push(track);
        edits.push(edit);
    }
    let mut budget = len;
    let by_id: std::collections::HashMap<u32, usize> =
        tracks.iter().enumerate().rev().map(|(i, t)| (t.id, i)).collect();
    for (body, at, moof_start) in &moofs {
        read_moof(body, *at, *moof_start, &mut tracks, &by_id, &trex, &mut budget)?;
    }
    for (track, edit) in tracks.iter_mut().zip(&edits) {
        check_bounds(track, len, partial)?;
        apply_edit(track, edit, movie_scale);
        super::entry::finish_track(track, src)?;
    }
    // NOTE: without edit lists the presentation starts at the earliest sample of any track.
    if edits.iter().all(|e| e.is_none()) {
        crate::media::rebase(&mut tracks);
    }
    let duration = tracks.iter().map(|t| t.end()).max().unwrap_or(Time::ZERO);
    Ok(MediaInfo { container: Container::Mp4, duration, tracks })
}

fn read_mvhd(b: &Bx) -> Result<u32, MediaError> {
    let mut r = b.reader();
    let (v, _) = r.full()?;
    r.skip(if v == 1 { 16 } else { 8 })?;
    let scale = r.u32()?;
    if scale == 0 {
        return Err(r.err("movie timescale is 0"));
    }
    Ok(scale)
}

/// The first non-empty edit: where presentation starts in media time, and the empty time before.
pub struct Edit {
    empty: u64,
    media_time: i64,
}

fn read_trak(
    trak: &Bx,
    movie_scale: u32,
    file_len: u64,
) -> Result<(Track, Option<Edit>), MediaError> {
    let boxes = children(trak.body, trak.body_offset, &trak.path)?;
    let tkhd = find(&boxes, b"tkhd").ok_or_else(|| {
        MediaError::corrupt(
            Container::Mp4,
            &format!("{}/tkhd", trak.path),
            trak.body_offset,
            "missing",
        )
    })?;
    let mut r = tkhd.reader();
    let (v, _) = r.full()?;
    r.skip(if v == 1 { 16 } else { 8 })?;
    let id = r.u32()?;
    r.skip(4 + if v == 1 { 8 } else { 4 } + 8 + 8)?;
    let m: Vec<i32> = (0..9).map(|_| r.i32()).collect::<Result<_, _>>()?;
    let rotation = match (m[0].signum(), m[1].signum()) {
        (0, 1) => 90,
        (-1, 0) => 180,
        (0, -1) => 270,
        _ => 0,
    };
    let tk_w = r.u32()? >> 16;
    let tk_h = r.u32()? >> 16;
    let edit = match find(&boxes, b"edts") {
        Some(edts) => read_elst(edts)?,
        None => None,
    };
    let mdia = find(&boxes, b"mdia").ok_or_else(|| {
        MediaError::corrupt(
            Container::Mp4,
            &format!("{}/mdia", trak.path),
            trak.body_offset,
            "missing",
        )
    })?;
    let mdia_boxes = children(mdia.body, mdia.body_offset, &mdia.path)?;
    let mdhd = find(&mdia_boxes, b"mdhd").ok_or_else(|| {
        MediaError::corrupt(
            Container::Mp4,
            &format!("{}/mdhd", mdia.path),
            mdia.body_offset,
            "missing",
        )
    })?;
    let mut r = mdhd.reader();
    let (v, _) = r.full()?;
    r.skip(if v == 1 { 16 } else { 8 })?;
    let timescale = r.u32()?;
    if timescale == 0 {
        return Err(r.err("media timescale is 0"));
    }
    let kind = match find(&mdia_boxes, b"hdlr") {
        Some(h) => {
            let mut r = h.reader();
            r.skip(8)?;
            match r.bytes(4)? {
                b"vide" => TrackKind::Video,
                b"soun" => TrackKind::Audio,
                _ => TrackKind::Other,
            }
        }
        None => TrackKind::Other,
    };
    let mut track = Track::new(id, kind, timescale);
    track.rotation = rotation;
    track.width = tk_w;
    track.height = tk_h;
    let _ = movie_scale;
    let minf = find(&mdia_boxes, b"minf").ok_or_else(|| {
        MediaError::corrupt(
            Container::Mp4,
            &format!("{}/minf", mdia.path),
            mdia.body_offset,
            "missing",
        )
    })?;
    let minf_boxes = children(minf.body, minf.body_offset, &minf.path)?;
    let stbl = find(&minf_boxes, b"stbl").ok_or_else(|| {
        MediaError::corrupt(
            Container::Mp4,
            &format!("{}/stbl", minf.path),
            minf.body_offset,
            "missing",
        )
    })?;
    let stbl_boxes = children(stbl.body, stbl.body_offset, &stbl.path)?;
    if let Some(stsd) = find(&stbl_boxes, b"stsd") {
        read_stsd(stsd, &mut track)?;
    } else {
        return Err(MediaError::corrupt(
            Container::Mp4,
            &format!("{}/stsd", stbl.path),
            stbl.body_offset,
            "missing",
        ));
    }
    track.samples = read_sample_table(&stbl_boxes, file_len)?;
    track.table_path =
        find(&stbl_boxes, b"stsz").map_or_else(|| stbl.path.clone(), |b| b.path.clone());
    Ok((track, edit))
}

fn read_elst(edts: &Bx) -> Result<Option<Edit>, MediaError> {
    let boxes = children(edts.body, edts.body_offset, &edts.path)?;
    let Some(elst) = find(&boxes, b"elst") else { return Ok(None) };
    let mut r = elst.reader();
    let (v, _) = r.full()?;
    let n = r.count(if v == 1 { 20 } else { 12 })?;
    let mut empty = 0u64;
    for _ in 0..n {
        let (dur, media_time) =
            if v == 1 { (r.u64()?, r.u64()? as i64) } else { (r.u32()? as u64, r.i32()? as i64) };
        r.skip(4)?;
        if media_time == -1 {
            empty = empty.saturating_add(dur);
        } else {
            if media_time < 0 {
                return Err(r.err(format!("negative media time {media_time}")));
            }
            return Ok(Some(Edit { empty, media_time }));
        }
    }
    Ok(if n > 0 { Some(Edit { empty, media_time: 0 }) } else { None })
}

/// Shifts the track so that the edit's presentation start is at its movie time.
fn apply_edit(track: &mut Track, edit: &Option<Edit>, movie_scale: u32) {
    let Some(e) = edit else { return };
    let empty = Time::new(i64::try_from(e.empty).unwrap_or(i64::MAX), movie_scale)
        .rescale(track.timescale, crate::Rounding::Nearest)
        .value();
    let shift = empty.saturating_sub(e.media_time);
    track.media_start = e.media_time;
    if track.kind == TrackKind::Audio {
        track.priming = e.media_time;
    }
    for s in &mut track.samples {
        s.dts = s.dts.saturating_add(shift);
        s.pts = s.pts.saturating_add(shift);
    }
}

fn read_sample_table(stbl: &[Bx], file_len: u64) -> Result<Vec<Sample>, MediaError> {
    let path_of = |k: &[u8; 4]| find(stbl, k).map(|b| b.path.clone()).unwrap_or_default();
    // Sizes: stsz or stz2.
    let mut sizes: Vec<u32> = Vec::new();
    if let Some(b) = find(stbl, b"stsz") {
        let mut r = b.reader();
        r.full()?;
        let constant = r.u32()?;
        if constant == 0 {
            let n = r.count(4)?;
            sizes.reserve(n);
            for _ in 0..n {
                sizes.push(r.u32()?);
            }
        } else {
            let n = r.u32()? as u64;
            if n.checked_mul(constant as u64).map_or(true, |t| t > file_len) {
                return Err(r.err(format!("{n} samples of {constant} bytes exceed the file")));
            }
            sizes = vec![constant; n as usize];
        }
    } else if let Some(b) = find(stbl, b"stz2") {
        let mut r = b.reader();
        r.full()?;
        r.skip(3)?;
        let field = r.u8()?;
        let n = r.u32()? as usize;
        let bits = match field {
            4 | 8 | 16 => field as usize,
            _ => return Err(r.err(format!("stz2 field size {field}"))),
        };
        if n.checked_mul(bits).map_or(true, |b| b.div_ceil(8) > r.remaining()) {
            return Err(r.err("stz2 entries exceed the box"));
        }
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
    }
    let n = sizes.len();
    if n == 0 {
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
    // Decode times.
    let stts = find(stbl, b"stts")
        .ok_or_else(|| MediaError::corrupt(Container::Mp4, &path_of(b"stsz"), 0, "stts missing"))?;
    let mut r = stts.reader();
    r.full()?;
    let entries = r.count(8)?;
    let mut i = 0usize;
    let mut dts = 0i64;
    let mut last_delta = 0u32;
    for _ in 0..entries {
        let count = r.u32()?;
        let delta = r.u32()?;
        last_delta = delta;
        for _ in 0..count {
            let Some(s) = samples.get_mut(i) else { break };
            s.dts = dts;
            s.duration = delta;
            dts = dts.saturating_add(delta as i64);
            i += 1;
        }
    }
    for s in samples.iter_mut().skip(i) {
        s.dts = dts;
        s.duration = last_delta;
        dts = dts.saturating_add(last_delta as i64);
    }
    // Composition offsets; version 0 offsets are read as signed too, as players do.
    for s in &mut samples {
        s.pts = s.dts;
    }
    if let Some(b) = find(stbl, b"ctts") {
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
    }
    if let Some(b) = find(stbl, b"stss") {
        for s in &mut samples {
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
    }
    if let Some(b) = find(stbl, b"sdtp") {
        let mut r = b.reader();
        r.full()?;
        for s in samples.iter_mut() {
            if r.remaining() == 0 {
                break;
            }
            let v = r.u8()?;
            let on = (v >> 4) & 3;
            let by = (v >> 2) & 3;
            s.depends = Depends {
                on_others: match on {
                    1 => Some(true),
                    2 => Some(false),
                    _ => None,
                },
                by_others: match by {
                    1 => Some(true),
                    2 => Some(false),
                    _ => None,
                },
            };
        }
    }
    // Chunk offsets and sample-to-chunk.
    let mut chunks: Vec<u64> = Vec::new();
    if let Some(b) = find(stbl, b"stco") {
        let mut r = b.reader();
        r.full()?;
        for _ in 0..r.count(4)? {
            chunks.push(r.u32()? as u64);
        }
    } else if let Some(b) = find(stbl, b"co64") {
        let mut r = b.reader();
        r.full()?;
        for _ in 0..r.count(8)? {
            chunks.push(r.u64()?);
        }
    } else {
        return Err(MediaError::corrupt(Container::Mp4, &path_of(b"stsz"), 0, "no stco or co64"));
    }
    let stsc = find(stbl, b"stsc")
        .ok_or_else(|| MediaError::corrupt(Container::Mp4, &path_of(b"stsz"), 0, "stsc missing"))?;
    let mut r = stsc.reader();
    r.full()?;
    let entries = r.count(12)?;
    let mut runs = Vec::with_capacity(entries);
    for _ in 0..entries {
        runs.push((r.u32()?, r.u32()?, r.u32()?));
    }
    let mut i = 0usize;
    for (k, &(first, per_chunk, desc)) in runs.iter().enumerate() {
        let next_first = runs.get(k + 1).map_or(chunks.len() as u64 + 1, |r| r.0 as u64);
        if first == 0 || (first as u64) > next_first {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &stsc.path,
                stsc.body_offset,
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
            &stsc.path,
            stsc.body_offset,
            format!("chunks hold {i} of {n} samples"),
        ));
    }
    Ok(samples)
}

/// Fails on (or, for partial files, drops) samples whose bytes lie past the end of the file.
fn check_bounds(track: &mut Track, file_len: u64, partial: bool) -> Result<(), MediaError> {
    let bad = track
        .samples
        .iter()
        .position(|s| s.offset.checked_add(s.size as u64).map_or(true, |e| e > file_len));
    let Some(k) = bad else { return Ok(()) };
    if partial {
        track.samples.truncate(k);
        return Ok(());
    }
    let s = track.samples[k];
    Err(MediaError::truncated(
        Container::Mp4,
        &track.table_path,
        s.offset,
        format!(
            "sample {k} ({} bytes at {}) lies past the end of the file ({file_len} bytes)",
            s.size, s.offset
        ),
    ))
}
