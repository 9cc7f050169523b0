//! Flattening a timeline to the shared edit list: the first enabled video track (caption tracks
//! aside), one segment per enabled clip, its media URL as the source, its trimmed source range,
//! and the speed of its LinearTimeWarp. Gaps, disabled clips and transitions add no segment
//! (the edit list is a concatenation of media; a cut replaces each dissolve).

use super::caption_diff::is_caption_track;
use super::error::RemixError;
use super::model::*;
use crate::edit_list::{EditList, Segment, Speed};
use crate::time::Rate;

pub fn flatten(t: &Timeline) -> Result<EditList, RemixError> {
    let err = |m: String| RemixError::Flatten(m);
    let (ti, track) = t
        .track_list()
        .enumerate()
        .find(|(_, tr)| tr.base.enabled && tr.kind == "Video" && !is_caption_track(tr))
        .ok_or_else(|| err("no enabled video track".into()))?;
    let mut segments = Vec::new();
    let mut frame_rate = None;
    for (i, c) in track.children.iter().enumerate() {
        let Composable::Clip(clip) = c else { continue };
        if !clip.base.enabled {
            continue;
        }
        let at = format!("tracks[{ti}].children[{i}]");
        let range = clip
            .trimmed_range()
            .ok_or_else(|| err(format!("{at}: clip '{}' has no source range", clip.base.name())))?;
        let scalar = clip.base.speed();
        let speed = exact_speed(scalar).or_else(|| Speed::from_f64(scalar)).ok_or_else(|| {
            err(format!(
                "{at}: clip '{}' has speed {scalar}, which an edit list cannot play",
                clip.base.name()
            ))
        })?;
        let start = range.start();
        // The clip's duration is its record time; at speed s it consumes s times as much source.
        let end = start + range.dur().mul_ratio(speed.num, speed.den);
        if end <= start || start.is_negative() {
            return Err(err(format!(
                "{at}: clip '{}' has an empty or negative source range",
                clip.base.name()
            )));
        }
        frame_rate = frame_rate.or_else(|| Rate::from_fps(range.duration.rate()).ok());
        let source = clip.media().and_then(MediaReference::identity);
        segments.push(Segment { source, start, end, speed });
    }
    Ok(EditList { segments, frame_rate })
}

/// The simplest fraction within 1e-9 of `v` (denominator up to 10^6), found by continued
/// fractions: OTIO stores 47.6/24 as 1.98333…, which is exactly 119/60.
fn exact_speed(v: f64) -> Option<Speed> {
    if !v.is_finite() || v <= 0.0 || v > 1000.0 {
        return None;
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0i64, 1i64, 1i64, 0i64);
    let mut x = v;
    for _ in 0..32 {
        let a = x.floor();
        let ai = a as i64;
        let (h2, k2) = (ai.checked_mul(h1)?.checked_add(h0)?, ai.checked_mul(k1)?.checked_add(k0)?);
        if k2 > 1_000_000 {
            return None;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if (h1 as f64 / k1 as f64 - v).abs() <= 1e-9 * v.max(1.0) {
            return (h1 > 0).then_some(Speed { num: h1, den: k1 });
        }
        let frac = x - a;
        if frac <= 0.0 {
            return None;
        }
        x = 1.0 / frac;
    }
    None
}
