//! A WebVTT text track for the muxers, in whichever container is written (MP4 `wvtt`, WebM
//! `D_WEBVTT/SUBTITLES`, Matroska `S_TEXT/WEBVTT`), and its cues read back from a probed file
//! (tests, fuzzing, and any caller that wants the soft captions of an output).

use super::mp4::wvtt;
use super::webm::text as mkv_text;
use super::{
    ByteSource, Codec, Container, MediaError, MediaInfo, OutPacket, OutTrack, PacketData, Track,
    TrackKind,
};
use crate::{Rounding, Time};

/// One cue of a text track: `[start, end)` in output time, its id and settings list (empty when
/// none) and its text with markup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextCue {
    pub start: Time,
    pub end: Time,
    pub id: String,
    pub settings: String,
    pub text: String,
}

/// What the track says of itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextTrackSpec {
    /// Track ID (MP4) or TrackNumber (Matroska): unique in the output.
    pub id: u32,
    /// The WebVTT header: `WEBVTT`, header lines, REGION and STYLE blocks.
    pub header: String,
    /// BCP 47 tag or ISO 639-2 code; "und" when unknown.
    pub language: String,
    pub label: Option<String>,
}

/// The text track of `cues` in `container`, shown from 0 to `end` (or the last cue's end).
/// MP4 times are in `timescale` ticks, Matroska's in milliseconds (its block timestamps);
/// both round to the nearest tick.
pub fn text_track(
    cues: &[TextCue],
    spec: &TextTrackSpec,
    container: Container,
    timescale: u32,
    end: Time,
) -> OutTrack {
    let scale = if container == Container::Mp4 { timescale.max(1) } else { 1000 };
    let ticks = |t: Time| t.rescale(scale, Rounding::Nearest).value();
    let mut track = Track::new(spec.id, TrackKind::Other, scale);
    track.language = spec.language.clone();
    track.label = spec.label.clone();
    let mut packets = Vec::new();
    let shown;
    if container == Container::Mp4 {
        track.codec_id = "wvtt".into();
        track.codec = Codec::Other("wvtt".into());
        track.codec_string = "wvtt".into();
        track.descriptions = vec![wvtt::wvtt_entry(&spec.header)];
        let vtt: Vec<wvtt::VttCue> = cues
            .iter()
            .map(|c| wvtt::VttCue {
                start: ticks(c.start),
                end: ticks(c.end),
                id: c.id.clone(),
                settings: c.settings.clone(),
                text: c.text.clone(),
            })
            .collect();
        let samples = wvtt::wvtt_samples(&vtt, ticks(end));
        shown = samples.last().map_or(0, |s| s.start + s.duration as i64);
        packets = samples
            .into_iter()
            .map(|s| packet(s.start, s.duration, PacketData::Memory(s.data), None))
            .collect();
    } else {
        let codec_id = mkv_text::webvtt_codec_id(container);
        track.codec_id = codec_id.into();
        track.codec = Codec::Other(codec_id.into());
        track.descriptions = vec![mkv_text::webvtt_track_entry(
            spec.id,
            container,
            &spec.header,
            &spec.language,
            spec.label.as_deref(),
        )];
        let mut timed: Vec<(i64, i64, &TextCue)> = cues
            .iter()
            .map(|c| (ticks(c.start).max(0), ticks(c.end), c))
            .filter(|(a, b, _)| b > a)
            .collect();
        crate::sort::sort_by_key(&mut timed, |x| x.0);
        shown = timed.iter().map(|x| x.1).fold(ticks(end).max(0), i64::max);
        for (a, b, c) in timed {
            let (block, more) = mkv_text::webvtt_block(container, &c.id, &c.settings, &c.text);
            let duration = (b - a).clamp(0, u32::MAX as i64) as u32;
            let more = more.map(|m| (1, PacketData::Memory(m)));
            packets.push(packet(a, duration, PacketData::Memory(block), more));
        }
    }
    OutTrack { track, packets, shown_start: 0, shown_duration: shown, trim_end: 0 }
}

fn packet(
    at: i64,
    duration: u32,
    data: PacketData,
    addition: Option<(u64, PacketData)>,
) -> OutPacket {
    OutPacket {
        dts: at,
        pts: at,
        duration,
        keyframe: true,
        description: 0,
        data,
        discard_padding_ns: 0,
        addition,
        source_sample: None,
    }
}

/// Whether `t` is a WebVTT text track of any of the three mappings.
pub fn is_webvtt(t: &Track) -> bool {
    matches!(t.codec_id.as_str(), "wvtt" | "D_WEBVTT/SUBTITLES" | "S_TEXT/WEBVTT")
}

/// The cues of the first WebVTT text track of a probed file, in time order (overlapping cues
/// by their order in the file). An MP4 cue cut across samples is put back together.
pub fn read_text_track(
    info: &MediaInfo,
    src: &mut dyn ByteSource,
) -> Result<Vec<TextCue>, MediaError> {
    let Some(t) = info.tracks.iter().find(|t| is_webvtt(t)) else {
        return Err(MediaError::Unsupported("the file has no WebVTT text track".into()));
    };
    let time = |v: i64| Time::new(v, t.timescale).reduced();
    let mut buf = Vec::new();
    let mut read = |src: &mut dyn ByteSource, offset: u64, size: u32| {
        buf.resize(size as usize, 0);
        src.read_at(offset, &mut buf).map(|_| buf.clone())
    };
    let mut order: Vec<usize> = (0..t.samples.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| t.samples[i].pts);
    if t.codec_id == "wvtt" {
        let mut samples = Vec::with_capacity(order.len());
        for &i in &order {
            let s = &t.samples[i];
            let data = read(src, s.offset, s.size)?;
            samples.push((s.pts, s.duration, wvtt::read_wvtt_sample(&data, s.offset)?));
        }
        return Ok(wvtt::cues_from_samples(&samples)
            .into_iter()
            .map(|c| TextCue {
                start: time(c.start),
                end: time(c.end),
                id: c.id,
                settings: c.settings,
                text: c.text,
            })
            .collect());
    }
    let container = if t.codec_id.starts_with('D') { Container::Webm } else { Container::Matroska };
    let mut cues = Vec::with_capacity(order.len());
    for &i in &order {
        let s = &t.samples[i];
        let block = read(src, s.offset, s.size)?;
        let more = match s.addition {
            Some((_, offset, size)) => Some(read(src, offset, size)?),
            None => None,
        };
        let (id, settings, text) =
            mkv_text::read_webvtt_block(container, &block, more.as_deref(), s.offset)?;
        cues.push(TextCue {
            start: time(s.pts),
            end: time(s.pts.saturating_add(s.duration as i64)),
            id,
            settings,
            text,
        });
    }
    Ok(cues)
}
