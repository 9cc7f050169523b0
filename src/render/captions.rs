//! Soft captions in a render's output: the captions re-timed through the timeline by the
//! captions engine (`retime`, the code path of `retimeCaptions`) and written as the output
//! container's WebVTT text track, on the same time line as the video.
//!
//! The edit list is the timeline as the video lands: each segment from the first frame it shows
//! to the end of its last, which is the timeline itself when its bounds are on frame boundaries
//! (a bound inside a frame shows that whole frame, and its cues follow the frames).

use super::Prepared;
use crate::captions::retime::{retime_with_report, RetimeReport};
use crate::captions::{header_text, settings_text, Captions};
use crate::edit_list::{EditList, Segment, Speed};
use crate::media::{self, MediaError, OutTrack, TextCue, TextTrackSpec, TrackKind};
use crate::time::gcd;
use crate::Time;

/// Captions to write into a render's output, with what the track says of itself.
#[derive(Clone, Debug, PartialEq)]
pub struct SoftCaptions {
    /// In the sources' time (seconds from each source's first frame, as the timeline's).
    pub captions: Captions,
    /// BCP 47 tag or ISO 639-2 code; "und" when unknown.
    pub language: String,
    pub label: Option<String>,
    /// The input whose captions these are (an index of the render's inputs): only its segments
    /// carry cues, so that a cameo from another source shows none of them. `None`: the first
    /// segment's source.
    pub source: Option<usize>,
}

impl SoftCaptions {
    pub fn new(captions: Captions) -> SoftCaptions {
        SoftCaptions { captions, language: "und".into(), label: None, source: None }
    }
}

/// The edit list that plays the prepared timeline as the video lands.
pub fn landed_edits(prepared: &Prepared) -> Result<EditList, MediaError> {
    let mut segments = Vec::with_capacity(prepared.segments.len());
    for (k, seg) in prepared.segments.iter().enumerate() {
        let m = seg.plan.main().ok_or_else(|| {
            MediaError::Timeline(format!("segment {k}: the source has no track to show"))
        })?;
        segments.push(Segment {
            // Named by input index, so that re-timing keeps cues to the captions' own source.
            source: Some(seg.source.to_string()),
            start: m.cut_start - seg.plan.origin,
            end: m.cut_end - seg.plan.origin,
            speed: Speed::NORMAL,
        });
    }
    Ok(EditList { segments, frame_rate: None })
}

/// The text track of `soft` for an output whose other tracks are `tracks`: re-timed through the
/// landed timeline, numbered after the other tracks, timed in the first video track's timescale
/// (with milliseconds exact when that fits) and shown to the end of the output.
pub fn caption_track(
    soft: &SoftCaptions,
    prepared: &Prepared,
    tracks: &[OutTrack],
) -> Result<(OutTrack, RetimeReport), MediaError> {
    let edits = landed_edits(prepared)?;
    let own = soft.source.or(prepared.segments.first().map(|s| s.source)).unwrap_or(0);
    let (out, report) = retime_with_report(&soft.captions, &edits, Some(&own.to_string()));
    let cues: Vec<TextCue> = out
        .cues
        .iter()
        .map(|c| TextCue {
            start: c.start,
            end: c.end,
            id: c.id.clone(),
            settings: settings_text(c),
            text: c.text.clone(),
        })
        .collect();
    let id = tracks.iter().map(|t| t.track.id).max().unwrap_or(0).saturating_add(1);
    let video = tracks.iter().find(|t| t.track.kind == TrackKind::Video).or(tracks.first());
    let scale = video.map_or(1000, |t| t.track.timescale);
    let end = tracks
        .iter()
        .map(|t| Time::new(t.shown_start.max(0) + t.shown_duration, t.track.timescale))
        .fold(Time::ZERO, Time::max);
    let spec = TextTrackSpec {
        id,
        header: header_text(&soft.captions),
        language: soft.language.clone(),
        label: soft.label.clone(),
    };
    Ok((media::text_track(&cues, &spec, prepared.container, with_millis(scale), end), report))
}

/// A timescale that holds both `scale`'s ticks and milliseconds (caption times), when it fits.
fn with_millis(scale: u32) -> u32 {
    let scale = scale.max(1) as u64;
    let lcm = scale / gcd(scale, 1000) * 1000;
    u32::try_from(lcm).unwrap_or(scale as u32)
}
