//! WebM/Matroska demuxing: the Segment walk (Info and Tracks read into memory, Clusters read
//! element by element so that frame data stays in the file), blocks with lacing, keyframe flags,
//! BlockGroups (ReferenceBlock, DiscardPadding, BlockAdditional for VP9 alpha).

use super::ebml::*;
use crate::media::codec;
use crate::media::source::read_vec;
use crate::media::{
    ByteSource, Codec, Container, Depends, MediaError, MediaInfo, Sample, Track, TrackKind,
};
use crate::Time;

/// Per-track state while reading clusters.
struct TrackState {
    /// DefaultDuration in nanoseconds.
    default_ns: Option<u64>,
    /// Samples whose duration came from the block (BlockDuration or DefaultDuration).
    has_duration: Vec<bool>,
}

struct Ctx {
    container: Container,
    /// Nanoseconds per Matroska tick.
    tick_ns: u64,
    /// Track ticks per Matroska tick (1 when the track timescale is 1e9 / tick_ns).
    mul: i64,
    timescale: u32,
    tracks: Vec<Track>,
    states: Vec<TrackState>,
    /// TrackNumber to index in `tracks`, for the per-block lookup.
    by_number: std::collections::HashMap<u64, usize>,
    budget: u64,
}

pub fn demux(src: &mut dyn ByteSource) -> Result<MediaInfo, MediaError> {
    let len = src.len();
    let mut container = Container::Webm;
    let h = read_header(src, 0, container, "EBML")?;
    if h.id != EBML {
        return Err(MediaError::corrupt(container, "EBML", 0, "no EBML header"));
    }
    let size = h.size.ok_or_else(|| MediaError::corrupt(container, "EBML", 0, "unknown size"))?;
    let body = read_vec(src, h.len, size.min(len))?;
    for el in children(&body, h.len, container, "EBML")? {
        if el.id == DOC_TYPE && el.body != b"webm" {
            container = Container::Matroska;
        }
    }
    let seg_at = h
        .len
        .checked_add(size)
        .ok_or_else(|| MediaError::corrupt(container, "EBML", 0, "size overflow"))?;
    let sh = read_header(src, seg_at, container, "Segment")?;
    if sh.id != SEGMENT {
        return Err(MediaError::corrupt(
            container,
            "Segment",
            seg_at,
            format!("expected Segment, found element {:#x}", sh.id),
        ));
    }
    let start = seg_at + sh.len;
    let end = match sh.size {
        Some(s) => start.saturating_add(s).min(len),
        None => len,
    };
    let mut cx = Ctx {
        container,
        tick_ns: 1_000_000,
        mul: 1,
        timescale: 1000,
        tracks: Vec::new(),
        states: Vec::new(),
        by_number: Default::default(),
        budget: len,
    };
    let mut pos = start;
    let mut have_tracks = false;
    while pos < end {
        let h = read_header(src, pos, container, "Segment")?;
        let body_at = pos + h.len;
        match (h.id, h.size) {
            (CLUSTER, size) => {
                if !have_tracks {
                    return Err(MediaError::corrupt(
                        container,
                        "Segment/Cluster",
                        pos,
                        "Cluster before Tracks",
                    ));
                }
                pos = read_cluster(
                    src,
                    &mut cx,
                    body_at,
                    size.map(|s| body_at.saturating_add(s)),
                    end,
                )?;
                continue;
            }
            (_, None) => {
                return Err(MediaError::corrupt(
                    container,
                    "Segment",
                    pos,
                    format!("element {:#x} of unknown size", h.id),
                ))
            }
            (INFO, Some(s)) => {
                let body = read_vec(src, body_at, s)
                    .map_err(|_| MediaError::truncated(container, "Segment/Info", pos, "Info"))?;
                for el in children(&body, body_at, container, "Segment/Info")? {
                    if el.id == TIMECODE_SCALE {
                        cx.tick_ns = uint(el.body).max(1);
                    }
                }
                if 1_000_000_000 % cx.tick_ns == 0 {
                    cx.timescale = (1_000_000_000 / cx.tick_ns) as u32;
                    cx.mul = 1;
                } else {
                    cx.timescale = 1_000_000_000;
                    cx.mul = i64::try_from(cx.tick_ns).unwrap_or(i64::MAX);
                }
            }
            (TRACKS, Some(s)) => {
                let body = read_vec(src, body_at, s).map_err(|_| {
                    MediaError::truncated(container, "Segment/Tracks", pos, "Tracks")
                })?;
                read_tracks(&body, body_at, &mut cx)?;
                have_tracks = true;
            }
            _ => {}
        }
        let size = h.size.unwrap_or(0);
        let next = body_at.checked_add(size).filter(|&e| e <= len).ok_or_else(|| {
            MediaError::truncated(
                container,
                "Segment",
                pos,
                format!("element {:#x} of {size} bytes overruns the file", h.id),
            )
        })?;
        pos = next;
    }
    finish(src, &mut cx)?;
    let mut tracks = std::mem::take(&mut cx.tracks);
    crate::media::rebase(&mut tracks);
    let duration = tracks.iter().map(|t| t.end()).max().unwrap_or(Time::ZERO);
    Ok(MediaInfo { container, duration, tracks })
}

fn read_tracks(body: &[u8], at: u64, cx: &mut Ctx) -> Result<(), MediaError> {
    let c = cx.container;
    for (i, entry) in children(body, at, c, "Segment/Tracks")?
        .iter()
        .enumerate()
        .filter(|(_, e)| e.id == TRACK_ENTRY)
    {
        let path = format!("Segment/Tracks/TrackEntry[{i}]");
        let mut number = 0;
        let mut default_ns = None;
        let mut kind = TrackKind::Other;
        let mut t = Track::new(0, TrackKind::Other, cx.timescale);
        let mut private = Vec::new();
        let mut display = (0u32, 0u32);
        for el in children(entry.body, entry.at, c, &path)? {
            match el.id {
                TRACK_NUMBER => number = uint(el.body),
                TRACK_TYPE => {
                    kind = match uint(el.body) {
                        1 => TrackKind::Video,
                        2 => TrackKind::Audio,
                        _ => TrackKind::Other,
                    }
                }
                CODEC_ID => t.codec_id = String::from_utf8_lossy(el.body).into_owned(),
                CODEC_PRIVATE => private = el.body.to_vec(),
                DEFAULT_DURATION => default_ns = Some(uint(el.body)).filter(|&d| d > 0),
                CODEC_DELAY => t.codec_delay_ns = uint(el.body),
                SEEK_PRE_ROLL => t.seek_preroll_ns = uint(el.body),
                VIDEO => {
                    for v in children(el.body, el.at, c, &format!("{path}/Video"))? {
                        match v.id {
                            PIXEL_WIDTH => t.width = uint(v.body) as u32,
                            PIXEL_HEIGHT => t.height = uint(v.body) as u32,
                            DISPLAY_WIDTH => display.0 = uint(v.body) as u32,
                            DISPLAY_HEIGHT => display.1 = uint(v.body) as u32,
                            _ => {}
                        }
                    }
                }
                AUDIO => {
                    for a in children(el.body, el.at, c, &format!("{path}/Audio"))? {
                        match a.id {
                            SAMPLING_FREQUENCY => {
                                let f = float(a.body);
                                if f.is_finite() && f > 0.0 && f < 1e7 {
                                    t.sample_rate = f as u32;
                                }
                            }
                            CHANNELS => t.channels = uint(a.body).min(255) as u16,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        t.id = number.min(u32::MAX as u64) as u32;
        t.kind = kind;
        if display.0 > 0 && display.1 > 0 && t.width > 0 && t.height > 0 {
            // Pixel aspect = (display width / pixel width) / (display height / pixel height).
            let (h, v) = (display.0 as u64 * t.height as u64, display.1 as u64 * t.width as u64);
            let g = crate::time::gcd(h, v).max(1);
            t.pixel_aspect =
                ((h / g).min(u32::MAX as u64) as u32, (v / g).min(u32::MAX as u64) as u32);
        }
        set_codec(&mut t, private);
        t.descriptions = vec![entry_bytes(entry.body)];
        cx.tracks.push(t);
        cx.by_number.entry(number).or_insert(cx.states.len());
        cx.states.push(TrackState { default_ns, has_duration: Vec::new() });
    }
    Ok(())
}

/// The TrackEntry body, kept whole so that the WebM muxer can write the track back unchanged.
fn entry_bytes(body: &[u8]) -> Vec<u8> {
    body.to_vec()
}

fn set_codec(t: &mut Track, private: Vec<u8>) {
    let id = t.codec_id.clone();
    let (codec, s) = match id.as_str() {
        "V_MPEG4/ISO/AVC" => (codec::avc_string(&private), Codec::H264 { avcc: private }),
        "V_MPEGH/ISO/HEVC" => (codec::hevc_string(&private), Codec::Hevc { hvcc: private }),
        "V_VP8" => ("vp8".to_string(), Codec::Vp8),
        "V_VP9" => ("vp09.00.10.08".to_string(), Codec::Vp9 { vpcc: private }),
        "V_AV1" => (codec::av1_string(&private), Codec::Av1 { av1c: private }),
        "A_OPUS" => {
            if let Some(&[a, b]) = private.get(10..12).and_then(|s| <&[u8; 2]>::try_from(s).ok()) {
                let _pre_skip = u16::from_le_bytes([a, b]);
            }
            ("opus".to_string(), Codec::Opus { head: private })
        }
        s if s.starts_with("A_AAC") => {
            let string = codec::aac_string(&private);
            (string, Codec::Aac { asc: private })
        }
        "A_EAC3" => ("ec-3".to_string(), Codec::Eac3),
        "A_AC3" => ("ac-3".to_string(), Codec::Ac3),
        other => (other.to_string(), Codec::Other(other.to_string())),
    };
    t.codec_string = codec;
    t.codec = s;
}

/// Reads one Cluster's blocks; returns where the next Segment child starts.
fn read_cluster(
    src: &mut dyn ByteSource,
    cx: &mut Ctx,
    at: u64,
    end: Option<u64>,
    seg_end: u64,
) -> Result<u64, MediaError> {
    let c = cx.container;
    let path = format!("Segment/Cluster@{}", at);
    let limit = end.unwrap_or(seg_end).min(seg_end);
    if end.is_some_and(|e| e > src.len()) {
        return Err(MediaError::truncated(c, &path, at, "Cluster overruns the file"));
    }
    let mut cluster_tc: i64 = 0;
    let mut pos = at;
    while pos < limit {
        let h = read_header(src, pos, c, &path)?;
        if end.is_none() && is_top_level(h.id) {
            return Ok(pos);
        }
        let body_at = pos + h.len;
        let size = h.size.ok_or_else(|| {
            MediaError::corrupt(c, &path, pos, format!("element {:#x} of unknown size", h.id))
        })?;
        let next = body_at.checked_add(size).filter(|&e| e <= limit).ok_or_else(|| {
            MediaError::truncated(
                c,
                &path,
                pos,
                format!("element {:#x} of {size} bytes overruns the Cluster", h.id),
            )
        })?;
        match h.id {
            TIMECODE => {
                cluster_tc = i64::try_from(uint(&read_vec(src, body_at, size.min(8))?)).unwrap_or(0)
            }
            SIMPLE_BLOCK => {
                let head = block_head(src, body_at, size)?;
                read_block(cx, body_at, size, &head, cluster_tc, Group::simple(), &path)?;
            }
            BLOCK_GROUP => {
                let mut group = read_group(src, body_at, size, c, &path)?;
                if let Some((at, size)) = group.additions {
                    group.addition = read_additions(src, at, size, c, &path)?;
                }
                if let Some((b_at, b_size)) = group.block {
                    let head = std::mem::take(&mut group.head);
                    read_block(cx, b_at, b_size, &head, cluster_tc, group, &path)?;
                }
            }
            _ => {}
        }
        pos = next;
    }
    Ok(end.unwrap_or(pos).max(pos))
}

/// What a BlockGroup says about its Block.
#[derive(Clone, Default)]
struct Group {
    simple: bool,
    block: Option<(u64, u64)>,
    duration: Option<u64>,
    referenced: bool,
    discard_padding: i64,
    addition: Option<(u64, u64, u32)>,
    additions: Option<(u64, u64)>,
    head: Vec<u8>,
}

impl Group {
    fn simple() -> Group {
        Group { simple: true, ..Group::default() }
    }
}

/// Reads a BlockGroup's children except the Block's frame data, which stays in the file.
fn read_group(
    src: &mut dyn ByteSource,
    at: u64,
    size: u64,
    c: Container,
    path: &str,
) -> Result<Group, MediaError> {
    let mut g = Group::default();
    let end = at.saturating_add(size);
    let mut pos = at;
    let path = format!("{path}/BlockGroup");
    while pos < end {
        let h = read_header(src, pos, c, &path)?;
        let body_at = pos + h.len;
        let s = h.size.ok_or_else(|| MediaError::corrupt(c, &path, pos, "unknown size"))?;
        let next = body_at.checked_add(s).filter(|&e| e <= end).ok_or_else(|| {
            MediaError::truncated(c, &path, pos, "element overruns the BlockGroup")
        })?;
        let small = |src: &mut dyn ByteSource| read_vec(src, body_at, s.min(8));
        match h.id {
            BLOCK => {
                g.block = Some((body_at, s));
                g.head = block_head(src, body_at, s)?;
            }
            BLOCK_DURATION => g.duration = Some(uint(&small(src)?)),
            REFERENCE_BLOCK => g.referenced = true,
            DISCARD_PADDING => g.discard_padding = sint(&small(src)?),
            // Read after the Block's header, so that reads keep moving forward in the file.
            BLOCK_ADDITIONS if s <= 1 << 16 => g.additions = Some((body_at, s)),
            _ => {}
        }
        pos = next;
    }
    Ok(g)
}

/// The last BlockMore of a BlockAdditions element: (BlockAddID, offset, size) of its data.
fn read_additions(
    src: &mut dyn ByteSource,
    at: u64,
    size: u64,
    c: Container,
    path: &str,
) -> Result<Option<(u64, u64, u32)>, MediaError> {
    let body = read_vec(src, at, size)?;
    let mut found = None;
    for more in children(&body, at, c, path)?.iter().filter(|e| e.id == BLOCK_MORE) {
        let mut id = 1;
        let mut data = None;
        for el in children(more.body, more.at, c, path)? {
            match el.id {
                BLOCK_ADD_ID => id = uint(el.body),
                BLOCK_ADDITIONAL => data = Some((el.at, el.body.len() as u32)),
                _ => {}
            }
        }
        if let Some((o, n)) = data {
            found = Some((id, o, n));
        }
    }
    Ok(found)
}

/// The first bytes of a Block: its header, and for laced blocks the lace sizes.
fn block_head(src: &mut dyn ByteSource, at: u64, size: u64) -> Result<Vec<u8>, MediaError> {
    let mut head = vec![0u8; size.min(64) as usize];
    src.read_at(at, &mut head)?;
    if head.len() > 4 && head.len() < size as usize {
        let tl = vint(&head).map_or(1, |v| v.1);
        if head.get(tl + 2).is_some_and(|f| f & 0x06 != 0) {
            head = vec![0u8; size.min(64 * 1024) as usize];
            src.read_at(at, &mut head)?;
        }
    }
    Ok(head)
}

fn read_block(
    cx: &mut Ctx,
    at: u64,
    size: u64,
    head: &[u8],
    cluster_tc: i64,
    g: Group,
    path: &str,
) -> Result<(), MediaError> {
    let c = cx.container;
    let bad = |why: &str| MediaError::corrupt(c, path, at, format!("block: {why}"));
    let (number, tl) = vint(head).ok_or_else(|| bad("track number"))?;
    let rest =
        head.get(tl..tl + 3).ok_or_else(|| MediaError::truncated(c, path, at, "block header"))?;
    let rel = i16::from_be_bytes([rest[0], rest[1]]) as i64;
    let flags = rest[2];
    let Some(&ti) = cx.by_number.get(&number) else {
        return Err(bad(&format!("unknown track number {number}")));
    };
    let mut data_at = (tl + 3) as u64;
    let mut sizes: Vec<u64> = Vec::new();
    let payload = size.checked_sub(data_at).ok_or_else(|| bad("shorter than its header"))?;
    match (flags >> 1) & 3 {
        0 => sizes.push(payload),
        lacing => {
            let count = *head.get(data_at as usize).ok_or_else(|| bad("lace count"))? as usize + 1;
            data_at += 1;
            let mut p = data_at as usize;
            match lacing {
                1 => {
                    for _ in 0..count - 1 {
                        let mut v = 0u64;
                        loop {
                            let b = *head.get(p).ok_or_else(|| bad("Xiph lace sizes"))?;
                            p += 1;
                            v += b as u64;
                            if b != 255 {
                                break;
                            }
                        }
                        sizes.push(v);
                    }
                }
                3 => {
                    let (first, l) =
                        vint(head.get(p..).unwrap_or(&[])).ok_or_else(|| bad("EBML lace sizes"))?;
                    p += l;
                    sizes.push(first);
                    let mut prev = first as i64;
                    for _ in 1..count - 1 {
                        let (raw, l) = vint(head.get(p..).unwrap_or(&[]))
                            .ok_or_else(|| bad("EBML lace sizes"))?;
                        p += l;
                        let bias = (1i64 << (7 * l - 1)) - 1;
                        prev = prev
                            .checked_add(raw as i64 - bias)
                            .filter(|&v| v >= 0)
                            .ok_or_else(|| bad("negative lace size"))?;
                        sizes.push(prev as u64);
                    }
                }
                _ => {
                    let each = payload.saturating_sub(1) / count as u64;
                    sizes = vec![each; count - 1];
                }
            }
            data_at = p as u64;
            let used: u64 = sizes.iter().sum();
            let last = size
                .checked_sub(data_at)
                .and_then(|r| r.checked_sub(used))
                .ok_or_else(|| bad("lace sizes exceed the block"))?;
            sizes.push(last);
        }
    }
    if sizes.len() as u64 > cx.budget {
        return Err(bad("more frames than the file can hold"));
    }
    cx.budget -= sizes.len() as u64;
    let track = &mut cx.tracks[ti];
    let state = &mut cx.states[ti];
    let tick = |v: i64| v.saturating_mul(cx.mul);
    let ts = tick(cluster_tc.saturating_add(rel));
    let default_dur = state.default_ns.map(|ns| {
        Time::new(i64::try_from(ns).unwrap_or(i64::MAX), 1_000_000_000)
            .rescale(cx.timescale, crate::Rounding::Nearest)
            .value()
    });
    let keyframe = if g.simple { flags & 0x80 != 0 } else { !g.referenced };
    let mut off = at + data_at;
    for (k, &sz) in sizes.iter().enumerate() {
        let block_dur = g.duration.map(|d| tick(d as i64));
        let dur = if sizes.len() == 1 { block_dur.or(default_dur) } else { default_dur };
        let pts = ts.saturating_add(default_dur.unwrap_or(0).saturating_mul(k as i64));
        track.samples.push(Sample {
            dts: pts,
            pts,
            duration: dur.unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
            offset: off,
            size: u32::try_from(sz).map_err(|_| bad("frame over 4 GiB"))?,
            keyframe,
            decode_start: keyframe,
            depends: Depends {
                on_others: Some(!keyframe),
                by_others: (flags & 1 != 0).then_some(false),
            },
            description: 0,
            discard_padding_ns: g.discard_padding,
            addition: g.addition,
        });
        state.has_duration.push(dur.is_some());
        off = off.saturating_add(sz);
    }
    Ok(())
}

/// Durations of blocks that gave none, decode timestamps, codec strings from frames, and the
/// Opus/AAC priming.
fn finish(src: &mut dyn ByteSource, cx: &mut Ctx) -> Result<(), MediaError> {
    for (t, st) in cx.tracks.iter_mut().zip(&cx.states) {
        let order = t.presentation_order();
        for w in 0..order.len() {
            let i = order[w];
            if st.has_duration.get(i).copied().unwrap_or(false) && t.samples[i].duration > 0 {
                continue;
            }
            let next = order.get(w + 1).map(|&j| t.samples[j].pts);
            let prev =
                w.checked_sub(1).map(|p| t.samples[i].pts.saturating_sub(t.samples[order[p]].pts));
            let d = match next {
                Some(n) => n.saturating_sub(t.samples[i].pts),
                None => prev.unwrap_or(0),
            };
            t.samples[i].duration = d.clamp(0, u32::MAX as i64) as u32;
        }
        if t.kind == TrackKind::Video {
            // Blocks are in decode order with presentation stamps: decode times are the sorted
            // stamps delayed by the fewest frames that keep every frame decoding before it shows
            // (as ffmpeg does), the first ones extrapolated one frame duration apart.
            let sorted: Vec<i64> = order.iter().map(|&i| t.samples[i].pts).collect();
            let step =
                sorted.get(1).zip(sorted.first()).map_or(1, |(b, a)| b.saturating_sub(*a).max(1));
            let dts_at = |i: usize, k: usize| match i.checked_sub(k) {
                Some(j) => sorted[j],
                None => sorted
                    .first()
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(step.saturating_mul((k - i) as i64)),
            };
            let fits = |k: usize| t.samples.iter().enumerate().all(|(i, s)| dts_at(i, k) <= s.pts);
            if let Some(k) = (0..=16).find(|&k| fits(k)) {
                let dts: Vec<i64> = (0..t.samples.len()).map(|i| dts_at(i, k)).collect();
                for (s, d) in t.samples.iter_mut().zip(dts) {
                    s.dts = d;
                }
            } else {
                let mut lag = 0i64;
                for (s, &d) in t.samples.iter_mut().zip(&sorted) {
                    s.dts = d;
                    lag = lag.max(d.saturating_sub(s.pts));
                }
                for s in &mut t.samples {
                    s.dts = s.dts.saturating_sub(lag);
                }
            }
        }
        // CodecDelay is to be subtracted from every block timestamp; the samples it covers are
        // the encoder's priming.
        if t.codec_delay_ns > 0 {
            let delay = Time::new(i64::try_from(t.codec_delay_ns).unwrap_or(0), 1_000_000_000)
                .rescale(t.timescale, crate::Rounding::Nearest)
                .value();
            t.priming = delay;
            for s in &mut t.samples {
                s.pts = s.pts.saturating_sub(delay);
                s.dts = s.dts.saturating_sub(delay);
            }
        }
        if let (Codec::Vp9 { vpcc }, Some(first)) = (&t.codec, t.samples.first().copied()) {
            if vpcc.is_empty() {
                let head = read_vec(src, first.offset, (first.size as u64).min(4))?;
                t.codec_string = codec::vp9_string_from_frame(&head);
            }
        }
        if let Codec::H264 { avcc } = &t.codec {
            let avcc = avcc.clone();
            if let Some(first) = t.samples.first().copied() {
                let head = read_vec(src, first.offset, (first.size as u64).min(4096))?;
                t.annex_b = avcc.is_empty() || codec::starts_with_start_code(&head);
                if t.annex_b {
                    if let Some(sps) = codec::annex_b_sps(&head) {
                        t.codec_string = codec::avc_string_from_sps(sps);
                    }
                }
                let ls = if t.annex_b { 0 } else { avcc.get(4).map_or(4, |b| (b & 3) + 1) };
                for s in t.samples.iter_mut() {
                    s.decode_start = s.keyframe
                        && codec::nal_is_idr(
                            &codec::nal_types(src, s.offset, s.size, ls, false)?,
                            false,
                        );
                }
            }
        }
    }
    Ok(())
}
