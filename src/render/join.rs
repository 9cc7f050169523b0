//! Segments planned one by one, joined into the output's tracks: video packets laid end to end
//! with decode times made anew, audio packets placed so that each source's A/V relation holds
//! at every joint, and each packet's origin (segment, source, track) kept for the steps after.

use super::{silence, Prepared, SegmentPlan};
use crate::media::{
    output_tracks, preroll_ticks, Action, Codec, MediaError, OutPacket, OutTrack, PacketData,
    Track, TrackKind, TrackPlan,
};
use crate::{Rounding, Time};

/// Where an output packet comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub segment: usize,
    /// Index of the input.
    pub source: usize,
    /// Index into that source's `MediaInfo::tracks`, or [`Origin::MADE`].
    pub track: usize,
}

impl Origin {
    /// The `track` of a packet made by the render, from no source track (silence).
    pub const MADE: usize = usize::MAX;
}

/// The output tracks, and for each of their packets its origin.
#[derive(Clone, Debug)]
pub struct Joined {
    pub tracks: Vec<OutTrack>,
    pub origins: Vec<Vec<Origin>>,
}

/// The plan of the `n`-th track of `kind` in a segment's plan.
fn nth_plan(seg: &SegmentPlan, kind: TrackKind, n: usize) -> Option<&TrackPlan> {
    seg.plan.tracks.iter().filter(|t| t.kind == kind).nth(n)
}

fn same_codec(a: &Codec, b: &Codec) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Fails unless `t` can be copied into a track made for `out`: the same codec, size and storage
/// (video), or codec, rate and channels (audio). Video that does not fit is planned re-encoded
/// whole ([`super::Target`]), so this refuses only what nothing re-encodes yet.
fn fits(out: &Track, t: &Track, segment: usize) -> Result<(), MediaError> {
    let ok = same_codec(&out.codec, &t.codec)
        && out.annex_b == t.annex_b
        && match t.kind {
            TrackKind::Video => (out.width, out.height) == (t.width, t.height),
            _ => (out.sample_rate, out.channels) == (t.sample_rate, t.channels),
        };
    if ok {
        return Ok(());
    }
    let desc = |t: &Track| match t.kind {
        TrackKind::Video => format!("{} {}x{}", t.codec_string, t.width, t.height),
        _ => format!("{} {} Hz {} ch", t.codec_string, t.sample_rate, t.channels),
    };
    Err(MediaError::Unsupported(format!(
        "segment {segment}: its {} is {}, the output's {}; joining sources that differ needs re-encoding, which render does not do yet",
        match t.kind {
            TrackKind::Video => "video",
            _ => "audio",
        },
        desc(t),
        desc(out)
    )))
}

/// Joins the segments of `prepared`. One segment is a trim: its tracks are `output_tracks` of
/// its plan, edit list and all.
pub fn join(prepared: &Prepared, bases: &[u64]) -> Result<Joined, MediaError> {
    let segs = &prepared.segments;
    let Some(first) = segs.first() else {
        return Err(MediaError::Timeline("the timeline has no segment".into()));
    };
    let info0 = prepared.info(first.source)?;
    let mut joined = if segs.len() == 1 && !first.whole {
        let tracks = output_tracks(info0, &first.plan);
        let origins = tracks
            .iter()
            .map(|t| {
                let track = info0.tracks.iter().position(|s| s.id == t.track.id).unwrap_or(0);
                vec![Origin { segment: 0, source: first.source, track }; t.packets.len()]
            })
            .collect();
        Joined { tracks, origins }
    } else {
        let mut tracks = Vec::new();
        let mut origins = Vec::new();
        // Where each segment lands in output time, from the first video track (or the first).
        let lands = landings(prepared)?;
        for (kind, nth) in slots(prepared) {
            let (t, o) = match kind {
                TrackKind::Video => join_video(prepared, nth, &lands)?,
                _ => join_audio(prepared, kind, nth, &lands)?,
            };
            tracks.push(t);
            origins.push(o);
        }
        Joined { tracks, origins }
    };
    for (t, o) in joined.tracks.iter_mut().zip(&joined.origins) {
        for (p, o) in t.packets.iter_mut().zip(o) {
            let base = bases.get(o.source).copied().unwrap_or(0);
            let shift = |d: &mut PacketData| {
                if let PacketData::Source { offset, .. } = d {
                    *offset += base;
                }
            };
            shift(&mut p.data);
            if let Some((_, d)) = &mut p.addition {
                shift(d);
            }
        }
    }
    Ok(joined)
}

/// The output's tracks as (kind, n-th of its kind): the first segment's, then audio tracks that
/// only later segments have (the segments before them get silence).
fn slots(prepared: &Prepared) -> Vec<(TrackKind, usize)> {
    let count = |seg: &SegmentPlan, kind| seg.plan.tracks.iter().filter(|t| t.kind == kind).count();
    let first = &prepared.segments[0];
    let mut out: Vec<(TrackKind, usize)> = first
        .plan
        .tracks
        .iter()
        .enumerate()
        .map(|(i, tp)| {
            (tp.kind, first.plan.tracks[..i].iter().filter(|t| t.kind == tp.kind).count())
        })
        .collect();
    let most = prepared.segments.iter().map(|s| count(s, TrackKind::Audio)).max().unwrap_or(0);
    out.extend((count(first, TrackKind::Audio)..most).map(|n| (TrackKind::Audio, n)));
    out
}

/// Each segment's place in the output: (where it lands, how long it shows, where it starts in
/// its source), from the main track's plan (the first video track's, or the first track's).
fn landings(prepared: &Prepared) -> Result<Vec<(Time, Time, Time)>, MediaError> {
    let mut at = Time::ZERO;
    let mut out = Vec::new();
    for (k, seg) in prepared.segments.iter().enumerate() {
        let m = seg.plan.main().ok_or_else(|| {
            MediaError::Timeline(format!("segment {k}: the source has no track to show"))
        })?;
        let len = m.cut_end - m.cut_start;
        out.push((at, len, m.cut_start));
        at = at + len;
    }
    Ok(out)
}

/// The source track of a segment that output track `nth` of `kind` takes from.
fn segment_track(
    prepared: &Prepared,
    k: usize,
    kind: TrackKind,
    nth: usize,
) -> Result<(&TrackPlan, usize, &Track), MediaError> {
    let seg = &prepared.segments[k];
    let info = prepared.info(seg.source)?;
    let missing = || {
        let what = if kind == TrackKind::Video { "video" } else { "audio" };
        MediaError::Unsupported(format!(
            "segment {k}: its source has no {what} track {} where the first segment's has{}",
            nth + 1,
            if kind == TrackKind::Video {
                "; a segment without it would need black frames, which render does not do yet"
            } else {
                ""
            }
        ))
    };
    let tp = nth_plan(seg, kind, nth).ok_or_else(missing)?;
    let i = info.tracks.iter().position(|t| t.id == tp.track_id).ok_or_else(missing)?;
    Ok((tp, i, &info.tracks[i]))
}

/// The output track's metadata: the first segment's source track, without samples.
fn template(t: &Track) -> Track {
    let mut track = t.clone();
    track.samples = Vec::new();
    track
}

fn video_packet(
    t: &Track,
    p: &crate::media::PlannedPacket,
    pts: i64,
    duration: u32,
    description: u32,
) -> OutPacket {
    let s = &t.samples[p.sample];
    let data = |offset, size| match p.action {
        Action::Reencode => PacketData::Pending,
        _ => PacketData::Source { offset, size },
    };
    OutPacket {
        dts: 0,
        pts,
        duration,
        keyframe: s.keyframe && s.decode_start || (p.action == Action::Reencode && p.pts == 0),
        description,
        data: data(s.offset, s.size),
        discard_padding_ns: 0,
        addition: s.addition.map(|(id, offset, size)| (id, data(offset, size))),
        source_sample: Some(p.sample),
    }
}

/// Video: each segment's packets in its plan's decode order, shifted to where it lands. Every
/// segment starts with a decode start (an IDR, copied or re-encoded), so decoding never reaches
/// across a joint.
fn join_video(
    prepared: &Prepared,
    nth: usize,
    lands: &[(Time, Time, Time)],
) -> Result<(OutTrack, Vec<Origin>), MediaError> {
    let (_, _, t0) = segment_track(prepared, 0, TrackKind::Video, nth)?;
    let track = match &prepared.target {
        Some(target) if nth == 0 => target.track(t0, prepared.container)?,
        _ => template(t0),
    };
    let scale = track.timescale;
    let mut packets = Vec::new();
    let mut origins = Vec::new();
    for (k, seg) in prepared.segments.iter().enumerate() {
        let (tp, ti, t) = segment_track(prepared, k, TrackKind::Video, nth)?;
        let whole = seg.whole && nth == 0;
        if !whole {
            fits(&track, t, k)?;
        }
        let at = lands[k].0;
        let out =
            |ticks: i64| (Time::new(ticks, t.timescale) + at).rescale(scale, Rounding::Nearest);
        for p in &tp.packets {
            let pts = out(p.pts).value();
            let end = out(p.pts.saturating_add(p.duration as i64)).value();
            let duration = end.saturating_sub(pts).clamp(0, u32::MAX as i64) as u32;
            // Descriptions are the first source's; other sources' H.264 parameter sets go
            // in-band where they change (see `h264`).
            let desc = if seg.source == prepared.segments[0].source && !whole {
                t.samples[p.sample].description
            } else {
                0
            };
            let mut packet = video_packet(t, p, pts, duration, desc);
            if whole {
                packet.addition = None; // Alpha is not carried into another configuration.
            }
            packets.push(packet);
            origins.push(Origin { segment: k, source: seg.source, track: ti });
        }
    }
    decode_times(&mut packets);
    let end = lands.last().map_or(Time::ZERO, |l| l.0 + l.1);
    let shown_duration = end.rescale(scale, Rounding::Nearest).value();
    Ok((OutTrack { track, packets, shown_start: 0, shown_duration, trim_end: 0 }, origins))
}

/// Decode times made anew for packets in decode order: the sorted presentation times, moved back
/// by the least delay that keeps every packet decoded no later than it is shown. Within one
/// segment this is the source's own reordering; across joints it keeps decode times increasing
/// whatever the segments' delays (a copied GOP after a re-encoded one, which has none).
pub fn decode_times(packets: &mut [OutPacket]) {
    let mut sorted: Vec<i64> = packets.iter().map(|p| p.pts).collect();
    sorted.sort_unstable();
    let delay =
        packets.iter().zip(&sorted).map(|(p, s)| s.saturating_sub(p.pts)).max().unwrap_or(0).max(0);
    for (p, s) in packets.iter_mut().zip(&sorted) {
        p.dts = s.saturating_sub(delay);
    }
}

/// Audio: whole packets copied, placed end to end. Each segment starts with the packet whose
/// place in the source, mapped through the segment's video landing, is nearest to where the
/// audio has got to: the A/V relation is then kept within half a packet at every joint, and the
/// error of one joint never carries into the next (each is measured against the source's own
/// timing, not against the packets before). A segment ends with the last packet whose middle is
/// before the segment's end. The first segment gets the codec's pre-roll before it, hidden by
/// the edit list (MP4) or CodecDelay (Opus in WebM).
// NOTE: an edit per segment could trim each joint to the sample, but MSE takes one edit at most,
// and ffmpeg trims partial audio frames only at the first edit (whole frames at later ones).
fn join_audio(
    prepared: &Prepared,
    kind: TrackKind,
    nth: usize,
    lands: &[(Time, Time, Time)],
) -> Result<(OutTrack, Vec<Origin>), MediaError> {
    // The output's format: the first segment's with this track.
    let t0 = (0..prepared.segments.len())
        .find_map(|k| segment_track(prepared, k, kind, nth).ok())
        .map(|x| x.2)
        .ok_or_else(|| MediaError::Timeline("no segment has this audio track".into()))?;
    let track = template(t0);
    let scale = track.timescale;
    let mut packets: Vec<OutPacket> = Vec::new();
    let mut origins = Vec::new();
    let mut at: i64 = 0;
    for (k, seg) in prepared.segments.iter().enumerate() {
        let (land, len, cut) = lands[k];
        let end = (land + len).rescale(scale, Rounding::Nearest).value();
        let Ok((_, ti, t)) = segment_track(prepared, k, kind, nth) else {
            // No sound in this source: silence to the segment's end, whole packets.
            let (data, samples) = silence::packet(&track, k)?;
            let rate =
                if matches!(track.codec, Codec::Opus { .. }) { 48_000 } else { track.sample_rate };
            let dur = Time::new(samples as i64, rate.max(1))
                .rescale(scale, Rounding::Nearest)
                .value()
                .max(1);
            while 2 * at + dur <= 2 * end {
                packets.push(OutPacket {
                    dts: at,
                    pts: at,
                    duration: dur.clamp(0, u32::MAX as i64) as u32,
                    keyframe: true,
                    description: 0,
                    data: PacketData::Memory(data.clone()),
                    discard_padding_ns: 0,
                    addition: None,
                    source_sample: None,
                });
                origins.push(Origin { segment: k, source: seg.source, track: Origin::MADE });
                at += dur;
            }
            continue;
        };
        fits(&track, t, k)?;
        let place = |pts: i64| {
            (Time::new(pts, t.timescale) - cut + land).rescale(scale, Rounding::Nearest).value()
        };
        let dur = |i: usize| {
            Time::new(t.samples[i].duration as i64, t.timescale)
                .rescale(scale, Rounding::Nearest)
                .value()
        };
        let s = &t.samples;
        if s.is_empty() {
            continue;
        }
        // The packet placed nearest to `at` (samples of an audio track are in time order).
        let after = s.partition_point(|x| place(x.pts) < at);
        let mut i = [after.saturating_sub(1), after.min(s.len() - 1)]
            .into_iter()
            .min_by_key(|&i| (place(s[i].pts) - at).abs())
            .unwrap_or(0);
        let leads = packets.is_empty();
        let mut push = |i: usize, at: i64| {
            let p = &s[i];
            packets.push(OutPacket {
                dts: at,
                pts: at,
                duration: dur(i).clamp(0, u32::MAX as i64) as u32,
                keyframe: p.keyframe,
                description: if seg.source == prepared.segments[0].source {
                    p.description
                } else {
                    0
                },
                data: PacketData::Source { offset: p.offset, size: p.size },
                discard_padding_ns: 0,
                addition: None,
                source_sample: Some(i),
            });
            origins.push(Origin { segment: k, source: seg.source, track: ti });
        };
        // NOTE: where the source has no sound near the segment, placing its nearest packets
        // would play sound from outside the segment over it; that needs silence instead.
        let uncovered = |what: &str| {
            MediaError::Unsupported(format!(
                "segment {k}: the source's audio {what}; a segment without sound would need silence, which render does not do yet"
            ))
        };
        if (place(s[i].pts) - at).abs() > dur(i).max(1) {
            return Err(uncovered("does not reach its start"));
        }
        // Pre-roll before the track's first packet only: after silence the decoder has started.
        if leads {
            let preroll = preroll_ticks(t, prepared.container);
            let mut from = i;
            while from > 0 && s[i].pts.saturating_sub(s[from].pts) < preroll {
                from -= 1;
            }
            let mut pos = at - (from..i).map(dur).sum::<i64>();
            for j in from..i {
                push(j, pos);
                pos += dur(j);
            }
        }
        while i < s.len() && 2 * at + dur(i) <= 2 * end {
            push(i, at);
            at += dur(i);
            i += 1;
        }
        if k + 1 < prepared.segments.len() && end - at > dur(i.min(s.len() - 1)).max(1) {
            return Err(uncovered("ends before the segment does"));
        }
    }
    Ok((OutTrack { track, packets, shown_start: 0, shown_duration: at, trim_end: 0 }, origins))
}
