//! Writing a progressive MP4 from output tracks: ftyp, a moov computed from the final packet
//! sizes before any sample data (so it can stand in front), then one mdat streamed to the sink.
//! Sample descriptions are written back verbatim (several per track, switched through stsc, for a
//! re-encoded head with its own avcC); the edit list hides pre-roll, priming and tail references.

use crate::media::output::{write_packet, OutTrack};
use crate::media::{language, ByteSink, ByteSource, MediaError, TrackKind};
use crate::{Rounding, Time};

pub(super) struct W(pub(super) Vec<u8>);

impl W {
    pub(super) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub(super) fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub(super) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub(super) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    /// Writes a box whose body `f` writes; sizes are patched afterwards.
    pub(super) fn boxed(&mut self, kind: &[u8; 4], f: impl FnOnce(&mut W)) {
        let at = self.0.len();
        self.u32(0);
        self.bytes(kind);
        f(self);
        let size = (self.0.len() - at) as u32;
        self.0[at..at + 4].copy_from_slice(&size.to_be_bytes());
    }
    pub(super) fn full(&mut self, kind: &[u8; 4], version: u8, flags: u32, f: impl FnOnce(&mut W)) {
        self.boxed(kind, |w| {
            w.u32(((version as u32) << 24) | (flags & 0xff_ffff));
            f(w);
        })
    }
}

/// A run of consecutive packets of one track stored together in mdat.
struct Chunk {
    track: usize,
    first: usize,
    count: usize,
    description: u32,
}

/// Writes `tracks` as a progressive MP4 with the moov in front; returns the bytes written.
pub fn write_mp4(
    tracks: &[OutTrack],
    src: &mut dyn ByteSource,
    sink: &mut dyn ByteSink,
) -> Result<u64, MediaError> {
    for t in tracks {
        if t.track.descriptions.is_empty() || t.track.codec_id.len() != 4 {
            return Err(MediaError::Mux(format!(
                "track {} has no MP4 sample description (source was not MP4)",
                t.track.id
            )));
        }
        for (k, p) in t.packets.iter().enumerate() {
            if p.data.size().is_none() {
                return Err(MediaError::Mux(format!(
                    "track {} packet {k} still needs re-encoding",
                    t.track.id
                )));
            }
            if p.description as usize >= t.track.descriptions.len() {
                return Err(MediaError::Mux(format!(
                    "track {} packet {k}: no sample description {}",
                    t.track.id, p.description
                )));
            }
        }
        if t.packets.windows(2).any(|w| w[1].dts <= w[0].dts) {
            return Err(MediaError::Mux(format!(
                "track {}: decode times do not increase",
                t.track.id
            )));
        }
    }
    // Players take the first sample description as the track's initial configuration (ffmpeg's
    // parser, for one, reads the first packets with it), so descriptions are ordered by first use;
    // unused ones are dropped.
    let reordered: Vec<OutTrack> = tracks.iter().map(order_descriptions).collect();
    let tracks = &reordered[..];
    let chunks = interleave(tracks);
    let mut ftyp = W(Vec::new());
    ftyp.boxed(b"ftyp", |w| {
        w.bytes(b"isom");
        w.u32(512);
        for b in [b"isom", b"iso2", b"avc1", b"mp41"] {
            w.bytes(b);
        }
    });
    // co64 keeps the moov size independent of the offsets, so one dry run gives it.
    let dry = moov(tracks, &chunks, 0);
    let data_start = (ftyp.0.len() + dry.len() + 16) as u64;
    let moov_bytes = moov(tracks, &chunks, data_start);
    let mdat_len: u64 =
        tracks.iter().flat_map(|t| &t.packets).map(|p| p.data.size().unwrap_or(0) as u64).sum();
    sink.write(&ftyp.0)?;
    sink.write(&moov_bytes)?;
    let mut head = Vec::with_capacity(16);
    head.extend_from_slice(&1u32.to_be_bytes());
    head.extend_from_slice(b"mdat");
    head.extend_from_slice(&(mdat_len + 16).to_be_bytes());
    sink.write(&head)?;
    for c in &chunks {
        for p in &tracks[c.track].packets[c.first..c.first + c.count] {
            write_packet(src, &p.data, sink)?;
        }
    }
    Ok(data_start + mdat_len)
}

fn order_descriptions(t: &OutTrack) -> OutTrack {
    let mut order: Vec<u32> = Vec::new();
    for p in &t.packets {
        if !order.contains(&p.description) {
            order.push(p.description);
        }
    }
    if order.is_empty() {
        order.push(0);
    }
    let mut out = t.clone();
    out.track.descriptions =
        order.iter().filter_map(|&i| t.track.descriptions.get(i as usize).cloned()).collect();
    for p in &mut out.packets {
        p.description = order.iter().position(|&i| i == p.description).unwrap_or(0) as u32;
    }
    out
}

/// Packets of all tracks in decode-time order, grouped into chunks of up to ~0.5 s per track.
fn interleave(tracks: &[OutTrack]) -> Vec<Chunk> {
    let mut next = vec![0usize; tracks.len()];
    let mut chunks: Vec<Chunk> = Vec::new();
    loop {
        let pick = (0..tracks.len())
            .filter(|&t| next[t] < tracks[t].packets.len())
            .min_by_key(|&t| Time::new(tracks[t].packets[next[t]].dts, tracks[t].track.timescale));
        let Some(t) = pick else { break };
        let i = next[t];
        let p = &tracks[t].packets[i];
        let ts = tracks[t].track.timescale as i64;
        match chunks.last_mut() {
            Some(c)
                if c.track == t && c.description == p.description && {
                    let first = &tracks[t].packets[c.first];
                    p.dts.saturating_sub(first.dts) < ts / 2
                } =>
            {
                c.count += 1
            }
            _ => chunks.push(Chunk { track: t, first: i, count: 1, description: p.description }),
        }
        next[t] += 1;
    }
    chunks
}

/// Edit durations are in the movie timescale; rounding them up would show one frame too many, so
/// the movie takes the first video track's timescale (exact for it) and others round down.
fn movie_scale(tracks: &[OutTrack]) -> u32 {
    tracks
        .iter()
        .find(|t| t.track.kind == TrackKind::Video)
        .or(tracks.first())
        .map_or(1000, |t| t.track.timescale)
}

fn movie_ticks(v: i64, scale: u32, movie: u32) -> u64 {
    Time::new(v, scale).rescale(movie, Rounding::Floor).value().max(0) as u64
}

fn moov(tracks: &[OutTrack], chunks: &[Chunk], data_start: u64) -> Vec<u8> {
    // Chunk offsets in the mdat.
    let mut offsets = vec![Vec::new(); tracks.len()];
    let mut pos = data_start;
    for c in chunks {
        offsets[c.track].push((pos, c.count, c.description));
        for p in &tracks[c.track].packets[c.first..c.first + c.count] {
            pos += p.data.size().unwrap_or(0) as u64;
        }
    }
    let movie = movie_scale(tracks);
    let duration = tracks
        .iter()
        .map(|t| {
            movie_ticks(
                t.shown_start.max(0).saturating_add(t.shown_duration),
                t.track.timescale,
                movie,
            )
        })
        .max()
        .unwrap_or(0);
    let mut w = W(Vec::new());
    w.boxed(b"moov", |w| {
        w.full(b"mvhd", 1, 0, |w| {
            w.u64(0);
            w.u64(0);
            w.u32(movie);
            w.u64(duration);
            w.u32(0x0001_0000);
            w.u16(0x0100);
            w.bytes(&[0; 10]);
            matrix(w, 0);
            w.bytes(&[0; 24]);
            w.u32(tracks.iter().map(|t| t.track.id).max().unwrap_or(0).saturating_add(1));
        });
        for (k, t) in tracks.iter().enumerate() {
            trak(w, t, &offsets[k], movie);
        }
    });
    w.0
}

fn matrix(w: &mut W, rotation: u16) {
    let (a, b, c, d): (i32, i32, i32, i32) = match rotation {
        90 => (0, 1, -1, 0),
        180 => (-1, 0, 0, -1),
        270 => (0, -1, 1, 0),
        _ => (1, 0, 0, 1),
    };
    for v in [a << 16, b << 16, 0, c << 16, d << 16, 0, 0, 0, 0x4000_0000] {
        w.u32(v as u32);
    }
}

fn trak(w: &mut W, t: &OutTrack, chunks: &[(u64, usize, u32)], movie: u32) {
    let tr = &t.track;
    let scale = tr.timescale;
    let first_dts = t.packets.first().map_or(0, |p| p.dts);
    let shown = movie_ticks(t.shown_duration, scale, movie);
    let media_dur: u64 = t.packets.iter().map(|p| p.duration as u64).sum();
    w.boxed(b"trak", |w| {
        w.full(b"tkhd", 1, 3, |w| {
            w.u64(0);
            w.u64(0);
            w.u32(tr.id);
            w.u32(0);
            w.u64(movie_ticks(t.shown_start.max(0), scale, movie).saturating_add(shown));
            w.bytes(&[0; 8]);
            w.u16(0);
            w.u16(0);
            w.u16(if tr.kind == TrackKind::Audio { 0x0100 } else { 0 });
            w.u16(0);
            matrix(w, tr.rotation);
            let (pw, ph) = if tr.kind == TrackKind::Video {
                (
                    tr.width as u64 * tr.pixel_aspect.0 as u64 / tr.pixel_aspect.1.max(1) as u64,
                    tr.height as u64,
                )
            } else {
                (0, 0)
            };
            w.u32((pw.min(0xffff) as u32) << 16);
            w.u32((ph.min(0xffff) as u32) << 16);
        });
        // The edit list: nothing until `shown_start`, then the media from the sample composed
        // at that output time (media time = output time - first dts) for the shown duration.
        w.boxed(b"edts", |w| {
            w.full(b"elst", 1, 0, |w| {
                let gap = t.shown_start.max(0);
                let empty = gap > 0;
                w.u32(if empty { 2 } else { 1 });
                if empty {
                    w.u64(movie_ticks(gap, scale, movie));
                    w.u64(u64::MAX);
                    w.u32(0x0001_0000);
                }
                w.u64(shown);
                w.u64(gap.saturating_sub(first_dts).max(0) as u64);
                w.u32(0x0001_0000);
            });
        });
        w.boxed(b"mdia", |w| {
            w.full(b"mdhd", 1, 0, |w| {
                w.u64(0);
                w.u64(0);
                w.u32(scale);
                w.u64(media_dur);
                w.u16(language::mdhd_code(&tr.language));
                w.u16(0);
            });
            // WebVTT (ISO/IEC 14496-30) is a `text` track; the label is what players list.
            let text = tr.codec_id == "wvtt";
            w.full(b"hdlr", 0, 0, |w| {
                w.u32(0);
                w.bytes(match tr.kind {
                    TrackKind::Video => b"vide",
                    TrackKind::Audio => b"soun",
                    TrackKind::Other if text => b"text",
                    TrackKind::Other => b"meta",
                });
                w.bytes(&[0; 12]);
                w.bytes(tr.label.as_deref().unwrap_or("outtake").replace('\0', " ").as_bytes());
                w.u8(0);
            });
            if language::needs_full_tag(&tr.language) {
                w.full(b"elng", 0, 0, |w| {
                    w.bytes(tr.language.replace('\0', "").as_bytes());
                    w.u8(0);
                });
            }
            w.boxed(b"minf", |w| {
                match tr.kind {
                    TrackKind::Video => w.full(b"vmhd", 0, 1, |w| w.bytes(&[0; 8])),
                    TrackKind::Audio => w.full(b"smhd", 0, 0, |w| w.u32(0)),
                    TrackKind::Other => w.full(b"nmhd", 0, 0, |_| {}),
                }
                w.boxed(b"dinf", |w| {
                    w.full(b"dref", 0, 0, |w| {
                        w.u32(1);
                        w.full(b"url ", 0, 1, |_| {});
                    })
                });
                stbl(w, t, chunks);
            });
        });
    });
}

fn stbl(w: &mut W, t: &OutTrack, chunks: &[(u64, usize, u32)]) {
    let ps = &t.packets;
    w.boxed(b"stbl", |w| {
        w.full(b"stsd", 0, 0, |w| {
            w.u32(t.track.descriptions.len() as u32);
            for d in &t.track.descriptions {
                w.bytes(d);
            }
        });
        // Decode deltas from the decode times (the last packet keeps its duration).
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for (k, p) in ps.iter().enumerate() {
            let delta = match ps.get(k + 1) {
                Some(n) => n.dts.saturating_sub(p.dts).clamp(0, u32::MAX as i64) as u32,
                None => p.duration,
            };
            match runs.last_mut() {
                Some(r) if r.1 == delta => r.0 += 1,
                _ => runs.push((1, delta)),
            }
        }
        w.full(b"stts", 0, 0, |w| {
            w.u32(runs.len() as u32);
            for (n, d) in &runs {
                w.u32(*n);
                w.u32(*d);
            }
        });
        if ps.iter().any(|p| p.pts != p.dts) {
            let mut runs: Vec<(u32, i32)> = Vec::new();
            for p in ps {
                let off =
                    p.pts.saturating_sub(p.dts).clamp(i32::MIN as i64, i32::MAX as i64) as i32;
                match runs.last_mut() {
                    Some(r) if r.1 == off => r.0 += 1,
                    _ => runs.push((1, off)),
                }
            }
            w.full(b"ctts", 1, 0, |w| {
                w.u32(runs.len() as u32);
                for (n, o) in &runs {
                    w.u32(*n);
                    w.u32(*o as u32);
                }
            });
        }
        if ps.iter().any(|p| !p.keyframe) {
            let keys: Vec<u32> = ps
                .iter()
                .enumerate()
                .filter(|(_, p)| p.keyframe)
                .map(|(k, _)| k as u32 + 1)
                .collect();
            w.full(b"stss", 0, 0, |w| {
                w.u32(keys.len() as u32);
                for k in keys {
                    w.u32(k);
                }
            });
        }
        w.full(b"stsz", 0, 0, |w| {
            w.u32(0);
            w.u32(ps.len() as u32);
            for p in ps {
                w.u32(p.data.size().unwrap_or(0));
            }
        });
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        for (k, &(_, count, desc)) in chunks.iter().enumerate() {
            match runs.last() {
                Some(r) if r.1 == count as u32 && r.2 == desc.saturating_add(1) => {}
                _ => runs.push((k as u32 + 1, count as u32, desc.saturating_add(1))),
            }
        }
        w.full(b"stsc", 0, 0, |w| {
            w.u32(runs.len() as u32);
            for (a, b, c) in &runs {
                w.u32(*a);
                w.u32(*b);
                w.u32(*c);
            }
        });
        w.full(b"co64", 0, 0, |w| {
            w.u32(chunks.len() as u32);
            for (off, _, _) in chunks {
                w.u64(*off);
            }
        });
    });
}

/// A visual sample entry box (`avc1`, `av01`, `vp09`, …) with its configuration box (`avcC`,
/// `av1C`, `vpcC`): the second sample description a re-encoded head needs. `config` is what
/// WebCodecs' encoder gives as `decoderConfig.description` (for vpcC, the full-box body).
pub fn visual_entry(
    fourcc: &[u8; 4],
    width: u16,
    height: u16,
    config_kind: &[u8; 4],
    config: &[u8],
) -> Vec<u8> {
    visual_entry_with(fourcc, width, height, config_kind, config, &[])
}

pub(super) fn visual_entry_with(
    fourcc: &[u8; 4],
    width: u16,
    height: u16,
    config_kind: &[u8; 4],
    config: &[u8],
    extra: &[&[u8]],
) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.boxed(fourcc, |w| {
        w.bytes(&[0; 6]);
        w.u16(1);
        w.bytes(&[0; 16]);
        w.u16(width);
        w.u16(height);
        w.u32(0x0048_0000);
        w.u32(0x0048_0000);
        w.u32(0);
        w.u16(1);
        w.bytes(&[0; 32]);
        w.u16(0x18);
        w.u16(0xffff);
        w.boxed(config_kind, |w| w.bytes(config));
        for b in extra {
            w.bytes(b);
        }
    });
    w.0
}

/// An `avc1` sample entry holding `avcc` (an AVCDecoderConfigurationRecord).
pub fn avc1_entry(width: u16, height: u16, avcc: &[u8]) -> Vec<u8> {
    visual_entry(b"avc1", width, height, b"avcC", avcc)
}

/// An `avc1` sample entry for re-encoded frames of a track whose first sample entry is `source`:
/// `avcc` replaces the source's configuration, and the boxes that describe the picture rather
/// than the bitstream (`pasp` pixel aspect, `colr`, `clap`, …) are kept as they are, so that a
/// player shows the re-encoded head as it shows the rest.
pub fn avc1_entry_like(source: &[u8], width: u16, height: u16, avcc: &[u8]) -> Vec<u8> {
    const BITSTREAM: [&[u8; 4]; 4] = [b"avcC", b"btrt", b"hvcC", b"sinf"];
    let kept: Vec<&[u8]> = super::boxes::children(source, 0, "stsd")
        .ok()
        .and_then(|entries| entries.into_iter().next())
        .filter(|e| matches!(&e.kind, b"avc1" | b"avc3"))
        // 78 bytes of visual sample entry fields come before the child boxes.
        .and_then(|e| e.body.get(78..).map(|rest| (rest, e.body_offset + 78)))
        .and_then(|(rest, at)| super::boxes::children(rest, at, "stsd/avc1").ok())
        .map(|boxes| {
            boxes.iter().filter(|b| !BITSTREAM.contains(&&b.kind)).map(|b| b.raw).collect()
        })
        .unwrap_or_default();
    visual_entry_with(b"avc1", width, height, b"avcC", avcc, &kept)
}
