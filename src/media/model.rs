//! The demuxed view of a file that cut planning and muxing work from: tracks, codecs and sample
//! tables (timing, position and size of every packet; the packet bytes stay in the file).

use super::Container;
use crate::Time;
use serde::Serialize;

/// A whole file: its tracks and its presentation length.
#[derive(Clone, Debug, Serialize)]
pub struct MediaInfo {
    pub container: Container,
    /// Length of the presentation: the end of the last sample of any track.
    pub duration: Time,
    pub tracks: Vec<Track>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackKind {
    Video,
    Audio,
    Other,
}

/// A codec and its decoder configuration bytes, as WebCodecs' `description` wants them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Codec {
    /// `avcc`: the AVCDecoderConfigurationRecord (empty for Annex B streams without one).
    H264 {
        avcc: Vec<u8>,
    },
    Hevc {
        hvcc: Vec<u8>,
    },
    Vp8,
    Vp9 {
        vpcc: Vec<u8>,
    },
    Av1 {
        av1c: Vec<u8>,
    },
    /// `asc`: the AudioSpecificConfig.
    Aac {
        asc: Vec<u8>,
    },
    /// `head`: the OpusHead (WebM CodecPrivate) or the MP4 `dOps` body.
    Opus {
        head: Vec<u8>,
    },
    Eac3,
    Ac3,
    Other(String),
}

impl Codec {
    /// Whether WebCodecs in the browsers this crate targets can decode it (see ANCHORS.md:
    /// no HEVC, no E-AC-3/AC-3).
    pub fn webcodecs_decodable(&self) -> bool {
        !matches!(self, Codec::Hevc { .. } | Codec::Eac3 | Codec::Ac3 | Codec::Other(_))
    }

    /// The kind of track the codec belongs in (`None` for codecs outtake does not know).
    pub fn kind(&self) -> Option<TrackKind> {
        match self {
            Codec::H264 { .. }
            | Codec::Hevc { .. }
            | Codec::Vp8
            | Codec::Vp9 { .. }
            | Codec::Av1 { .. } => Some(TrackKind::Video),
            Codec::Aac { .. } | Codec::Opus { .. } | Codec::Eac3 | Codec::Ac3 => {
                Some(TrackKind::Audio)
            }
            Codec::Other(_) => None,
        }
    }
}

/// How a sample relates to others for decoding, when the container says (`sdtp`, trun flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Depends {
    /// `Some(false)`: an I-frame; `Some(true)`: predicted from others.
    pub on_others: Option<bool>,
    /// `Some(false)`: no other sample references it (disposable, e.g. a non-reference B-frame).
    pub by_others: Option<bool>,
}

/// One packet. Times are in the track's timescale, shifted so that the first presented instant
/// of the file is 0 (edit lists applied); samples hidden by the edit list have negative `pts`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    pub dts: i64,
    pub pts: i64,
    pub duration: u32,
    pub offset: u64,
    pub size: u32,
    /// A sync sample (stss, trun flags, Matroska key flag).
    pub keyframe: bool,
    /// Decoding can start here with nothing before it: an IDR (H.264/HEVC), any keyframe for
    /// other codecs. False for open-GOP I-frames that only carry a recovery point.
    pub decode_start: bool,
    pub depends: Depends,
    /// Which sample description (MP4 `stsd` entry, 0-based) the sample uses.
    pub description: u32,
    /// Matroska DiscardPadding, nanoseconds of audio to drop at the end of this packet.
    pub discard_padding_ns: i64,
    /// Matroska BlockAdditional (VP9 alpha) kept in the file: (BlockAddID, offset, size).
    pub addition: Option<(u64, u64, u32)>,
}

/// One track.
#[derive(Clone, Debug, Serialize)]
pub struct Track {
    pub id: u32,
    pub kind: TrackKind,
    pub codec: Codec,
    /// The WebCodecs codec string (`avc1.64001f`, `vp09.00.10.08`, `mp4a.40.2`, `opus`).
    pub codec_string: String,
    /// Ticks per second of every time in `samples`.
    pub timescale: u32,
    pub width: u32,
    pub height: u32,
    /// Clockwise display rotation in degrees (0, 90, 180, 270) from the track matrix.
    pub rotation: u16,
    /// Pixel aspect ratio (horizontal, vertical spacing); (1, 1) for square pixels.
    pub pixel_aspect: (u32, u32),
    pub sample_rate: u32,
    pub channels: u16,
    /// Encoder delay in the track's timescale: AAC priming from the edit list, Opus pre-skip or
    /// CodecDelay. Samples before it are decoded but not presented.
    pub priming: i64,
    /// H.264/HEVC samples hold Annex B start codes instead of length prefixes.
    pub annex_b: bool,
    /// Samples in decode order.
    pub samples: Vec<Sample>,
    /// The container's own description of the track, kept so that the copy muxer can write it
    /// back unchanged: MP4 `stsd` entries (whole boxes), or Matroska CodecID + CodecPrivate.
    #[serde(skip)]
    pub descriptions: Vec<Vec<u8>>,
    pub codec_id: String,
    /// Matroska CodecDelay and SeekPreRoll in nanoseconds.
    pub codec_delay_ns: u64,
    pub seek_preroll_ns: u64,
    /// The edit list's hidden head in the track timescale (media time where presentation starts).
    pub media_start: i64,
    /// The track's language: an ISO 639-2 code or a BCP 47 tag ("und" when unknown). Written by
    /// the muxers for the tracks they make (a caption track); copied tracks keep their own.
    #[serde(skip)]
    pub language: String,
    /// A name for people (MP4 handler name, Matroska Name), for the tracks the muxers make.
    #[serde(skip)]
    pub label: Option<String>,
    /// Where the sample table lives (`moov/trak[0]/mdia/minf/stbl/stsz`), for error messages.
    #[serde(skip)]
    pub table_path: String,
}

impl Track {
    pub fn new(id: u32, kind: TrackKind, timescale: u32) -> Track {
        Track {
            id,
            kind,
            codec: Codec::Other(String::new()),
            codec_string: String::new(),
            timescale,
            width: 0,
            height: 0,
            rotation: 0,
            pixel_aspect: (1, 1),
            sample_rate: 0,
            channels: 0,
            priming: 0,
            annex_b: false,
            samples: Vec::new(),
            descriptions: Vec::new(),
            codec_id: String::new(),
            codec_delay_ns: 0,
            seek_preroll_ns: 0,
            media_start: 0,
            language: "und".into(),
            label: None,
            table_path: String::new(),
        }
    }

    /// The presentation end of the track: the largest `pts + duration`.
    pub fn end(&self) -> Time {
        let end =
            self.samples.iter().map(|s| s.pts.saturating_add(s.duration as i64)).max().unwrap_or(0);
        Time::new(end, self.timescale)
    }

    /// Sample indices in presentation order.
    pub fn presentation_order(&self) -> Vec<usize> {
        crate::sort::order_by(self.samples.len(), &mut |a, b| {
            self.samples[a].pts.cmp(&self.samples[b].pts)
        })
    }
}
