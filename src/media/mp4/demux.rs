//! MP4 demuxing: the top-level box walk (reading only moov and moof into memory), the track
//! headers and edit lists. Sample tables of progressive files are read in `sample_table.rs`,
//! fragments in `fragments.rs`, sample entries in `entry.rs`.

use super::boxes::{children, find, Bx};
use super::entry::read_stsd;
use super::fragments::{read_moof, Trex};
use super::sample_table::read_sample_table;
use crate::media::source::read_vec;
use crate::media::{ByteSource, Container, MediaError, MediaInfo, Track, TrackKind};
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
        let (track, edit) = read_trak(trak, len)?;
        // Packets are laid out, fragments found and outputs written by track ID: two tracks
        // with one ID would mix their packets.
        if tracks.iter().any(|t: &Track| t.id == track.id) {
            return Err(MediaError::corrupt(
                Container::Mp4,
                &format!("{}/tkhd", trak.path),
                trak.body_offset,
                format!("track ID {} is used by an earlier track", track.id),
            ));
        }
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

/// The child `kind` of `parent` (whose children are `boxes`), which the format requires.
fn required<'a, 'b>(
    boxes: &'b [Bx<'a>],
    kind: &[u8; 4],
    parent: &Bx,
) -> Result<&'b Bx<'a>, MediaError> {
    find(boxes, kind).ok_or_else(|| {
        let path = format!("{}/{}", parent.path, super::boxes::kind_str(*kind));
        MediaError::corrupt(Container::Mp4, &path, parent.body_offset, "missing")
    })
}

/// The track header: id, rotation (from the matrix) and display size.
fn read_tkhd(tkhd: &Bx) -> Result<(u32, u16, u32, u32), MediaError> {
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
    let width = r.u32()? >> 16;
    let height = r.u32()? >> 16;
    Ok((id, rotation, width, height))
}

/// The media timescale.
fn read_mdhd(mdhd: &Bx) -> Result<u32, MediaError> {
    let mut r = mdhd.reader();
    let (v, _) = r.full()?;
    r.skip(if v == 1 { 16 } else { 8 })?;
    let timescale = r.u32()?;
    if timescale == 0 {
        return Err(r.err("media timescale is 0"));
    }
    Ok(timescale)
}

/// The track kind from the handler type; without a handler, "other".
fn read_hdlr(hdlr: Option<&Bx>) -> Result<TrackKind, MediaError> {
    let Some(h) = hdlr else { return Ok(TrackKind::Other) };
    let mut r = h.reader();
    r.skip(8)?;
    Ok(match r.bytes(4)? {
        b"vide" => TrackKind::Video,
        b"soun" => TrackKind::Audio,
        _ => TrackKind::Other,
    })
}

fn read_trak(trak: &Bx, file_len: u64) -> Result<(Track, Option<Edit>), MediaError> {
    let boxes = children(trak.body, trak.body_offset, &trak.path)?;
    let (id, rotation, width, height) = read_tkhd(required(&boxes, b"tkhd", trak)?)?;
    let edit = match find(&boxes, b"edts") {
        Some(edts) => read_elst(edts)?,
        None => None,
    };
    let mdia = required(&boxes, b"mdia", trak)?;
    let mdia_boxes = children(mdia.body, mdia.body_offset, &mdia.path)?;
    let timescale = read_mdhd(required(&mdia_boxes, b"mdhd", mdia)?)?;
    let kind = read_hdlr(find(&mdia_boxes, b"hdlr"))?;
    let mut track = Track::new(id, kind, timescale);
    track.rotation = rotation;
    track.width = width;
    track.height = height;
    let minf = required(&mdia_boxes, b"minf", mdia)?;
    let minf_boxes = children(minf.body, minf.body_offset, &minf.path)?;
    let stbl = required(&minf_boxes, b"stbl", minf)?;
    let stbl_boxes = children(stbl.body, stbl.body_offset, &stbl.path)?;
    read_stsd(required(&stbl_boxes, b"stsd", stbl)?, &mut track)?;
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

/// Fails on (or, for partial files, drops) samples whose bytes lie past the end of the file.
fn check_bounds(track: &mut Track, file_len: u64, partial: bool) -> Result<(), MediaError> {
    let bad = track
        .samples
        .iter()
        .position(|s| s.offset.checked_add(s.size as u64).is_none_or(|e| e > file_len));
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
