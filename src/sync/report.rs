//! What a sync did and how sure it is: the report the CLI writes as JSON and JS receives, and
//! the typed errors for input that cannot be synchronised at all.

use serde::Serialize;

/// The outcome of [`super::sync`]; field names are camelCase, as in the JS API.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// True when the captions came back unchanged because the fit was not good enough.
    pub abstained: bool,
    /// Why, in plain words, when abstained.
    pub reason: Option<String>,
    /// How well the re-timed captions sit on the speech, in [0, 1].
    pub confidence: f64,
    /// Caption time is multiplied by this (frame-rate correction); 1 when none was needed.
    pub ratio: f64,
    /// Stretches of cues that moved together, in input caption time.
    pub segments: Vec<Segment>,
    /// Input caption times (seconds) where a stretch with a new offset begins.
    pub splits: Vec<f64>,
    /// The captions already sat on the speech: nothing was moved.
    pub already_in_sync: bool,
    pub cues_snapped: usize,
    pub cues_skipped_non_dialogue: usize,
    pub timings: Timings,
}

/// One stretch: cues whose input start lies in [start, end] seconds moved by `offset` seconds
/// (after scaling by the ratio).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub offset: f64,
}

/// Milliseconds per stage.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    /// Reading and decoding the audio (filled by the caller that decodes).
    pub decode_ms: f64,
    /// Speech detection (filled by the caller that runs it); when decoding and detection run
    /// interleaved (the CLI), this is both and `decodeMs` is 0.
    pub activity_ms: f64,
    pub offset_ms: f64,
    pub splits_ms: f64,
    pub snap_ms: f64,
    pub profile_ms: f64,
}

/// The longest programme sync takes: the activity track and the correlation's buffers grow with
/// it (about 40 MB per 10 hours), and caption times beyond it are damage, not programmes.
pub const MAX_HOURS: i64 = 48;

/// Why captions could not be synchronised at all (as opposed to an abstention).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncError {
    #[error("the captions have no cues to synchronise")]
    EmptyCaptions,
    #[error("the reference captions have no cues")]
    EmptyReference,
    #[error("{what} reach {hours:.0} hours; sync handles programmes up to {MAX_HOURS} hours")]
    TooLong { what: &'static str, hours: f64 },
    #[error("{0}: no audio track")]
    NoAudio(String),
    #[error("{path}: cannot decode {what}")]
    UnsupportedCodec { path: String, what: String },
    #[error("{path}: {message}")]
    BadAudio { path: String, message: String },
}

impl crate::Coded for SyncError {
    fn code(&self) -> &'static str {
        match self {
            SyncError::EmptyCaptions => "ERR_SYNC_EMPTY_CAPTIONS",
            SyncError::EmptyReference => "ERR_SYNC_EMPTY_REFERENCE",
            SyncError::TooLong { .. } => "ERR_SYNC_TOO_LONG",
            SyncError::NoAudio(_) => "ERR_SYNC_NO_AUDIO",
            SyncError::UnsupportedCodec { .. } => "ERR_UNSUPPORTED_CODEC",
            SyncError::BadAudio { .. } => "ERR_SYNC_BAD_AUDIO",
        }
    }
}

/// A stopwatch in milliseconds. NOTE: `std::time::Instant` panics on wasm32-unknown-unknown, and
/// the core must not call JS: there the stages read 0 and the binding times the whole call.
pub struct Stopwatch {
    #[cfg(not(target_arch = "wasm32"))]
    at: std::time::Instant,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            #[cfg(not(target_arch = "wasm32"))]
            at: std::time::Instant::now(),
        }
    }

    /// Milliseconds since the start or the last lap, and restarts.
    pub fn lap(&mut self) -> f64 {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let now = std::time::Instant::now();
            let ms = (now - self.at).as_secs_f64() * 1000.0;
            self.at = now;
            ms
        }
        #[cfg(target_arch = "wasm32")]
        0.0
    }
}
