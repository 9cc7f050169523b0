//! Fragmented MP4: `moof/traf` boxes (tfhd, tfdt, trun) appended to the sample tables, with the
//! `mvex/trex` defaults.

use super::boxes::{children, find, Bx};
use crate::media::{Container, Depends, MediaError, Sample, Track};

/// Per-track fragment defaults from `mvex/trex`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Trex {
    track_id: u32,
    description: u32,
    duration: u32,
    size: u32,
    flags: u32,
}

impl Trex {
    pub fn read(b: &Bx) -> Result<Trex, MediaError> {
        let mut r = b.reader();
        r.full()?;
        Ok(Trex {
            track_id: r.u32()?,
            description: r.u32()?,
            duration: r.u32()?,
            size: r.u32()?,
            flags: r.u32()?,
        })
    }
}

/// Appends the samples of one `moof` (body at `at`, box start at `moof_start`). `budget` caps the
/// total sample count by the file length so that a corrupt count cannot exhaust memory.
pub fn read_moof(
    body: &[u8],
    at: u64,
    moof_start: u64,
    tracks: &mut [Track],
    by_id: &std::collections::HashMap<u32, usize>,
    trex: &[Trex],
    budget: &mut u64,
) -> Result<(), MediaError> {
    let path = format!("moof@{moof_start}");
    for traf in children(body, at, &path)?.iter().filter(|b| &b.kind == b"traf") {
        let boxes = children(traf.body, traf.body_offset, &traf.path)?;
        let tfhd = find(&boxes, b"tfhd").ok_or_else(|| {
            MediaError::corrupt(Container::Mp4, &traf.path, traf.body_offset, "tfhd missing")
        })?;
        let mut r = tfhd.reader();
        let (_, flags) = r.full()?;
        let id = r.u32()?;
        let Some(track) = by_id.get(&id).and_then(|&i| tracks.get_mut(i)) else {
            return Err(r.err(format!("fragment for unknown track {id}")));
        };
        let d = trex.iter().find(|t| t.track_id == id).copied().unwrap_or_default();
        let base = if flags & 1 != 0 { r.u64()? } else { moof_start };
        let description = if flags & 2 != 0 { r.u32()? } else { d.description };
        let def_dur = if flags & 8 != 0 { r.u32()? } else { d.duration };
        let def_size = if flags & 0x10 != 0 { r.u32()? } else { d.size };
        let def_flags = if flags & 0x20 != 0 { r.u32()? } else { d.flags };
        let mut dts = match find(&boxes, b"tfdt") {
            Some(t) => {
                let mut r = t.reader();
                let (v, _) = r.full()?;
                let t = if v == 1 { r.u64()? } else { r.u32()? as u64 };
                i64::try_from(t).map_err(|_| r.err("tfdt beyond range"))?
            }
            None => track.samples.last().map_or(0, |s| s.dts.saturating_add(s.duration as i64)),
        };
        let mut data = base;
        for trun in boxes.iter().filter(|b| &b.kind == b"trun") {
            let mut r = trun.reader();
            let (_, tf) = r.full()?;
            let per = [0x100, 0x200, 0x400, 0x800].iter().filter(|&&f| tf & f != 0).count() * 4;
            let n = r.u32()? as u64;
            if per > 0 && n.saturating_mul(per as u64) > r.remaining() as u64 {
                return Err(MediaError::truncated(
                    Container::Mp4,
                    &trun.path,
                    r.at(),
                    format!("{n} samples do not fit in the trun"),
                ));
            }
            if n > *budget {
                return Err(r.err(format!("{n} samples exceed what the file can hold")));
            }
            *budget -= n;
            if tf & 1 != 0 {
                data = (base as i64).saturating_add(r.i32()? as i64).max(0) as u64;
            }
            let first_flags = if tf & 4 != 0 { Some(r.u32()?) } else { None };
            track.samples.reserve(n as usize);
            for k in 0..n {
                // Two samples at one decode time (the one before, in this fragment or an
                // earlier one, lasted 0 ticks or tfdt went back to it): nothing can put them in
                // order, and presentation times built on them collide.
                if let Some(prev) = track.samples.last().filter(|p| p.dts == dts) {
                    let (j, next) = (track.samples.len() - 1, track.samples.len());
                    return Err(r.err(if prev.duration == 0 {
                        format!(
                            "track {id}: sample {j} lasts 0 ticks, so samples {j} and {next} share \
                             decode time {dts}: sample durations of 0 make presentation times \
                             collide"
                        )
                    } else {
                        format!(
                            "track {id}: tfdt puts sample {next} at decode time {dts}, that of \
                             sample {j}: presentation times collide"
                        )
                    }));
                }
                let duration = if tf & 0x100 != 0 { r.u32()? } else { def_dur };
                let size = if tf & 0x200 != 0 { r.u32()? } else { def_size };
                let mut sflags = if tf & 0x400 != 0 { r.u32()? } else { def_flags };
                if k == 0 {
                    if let Some(f) = first_flags {
                        sflags = f;
                    }
                }
                // Version 0 offsets are unsigned by the letter of the spec, but writers put
                // negative ones there too; read both as signed, as players do.
                let cto = if tf & 0x800 != 0 { r.u32()? as i32 as i64 } else { 0 };
                let on = (sflags >> 24) & 3;
                let by = (sflags >> 22) & 3;
                let keyframe = sflags & 0x1_0000 == 0;
                track.samples.push(Sample {
                    dts,
                    pts: dts.saturating_add(cto),
                    duration,
                    offset: data,
                    size,
                    keyframe,
                    decode_start: keyframe,
                    depends: Depends {
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
                    },
                    description: description.saturating_sub(1),
                    discard_padding_ns: 0,
                    addition: None,
                });
                dts = dts.saturating_add(duration as i64);
                data = data.saturating_add(size as u64);
            }
        }
    }
    Ok(())
}
