//! The error convention every area follows.
//!
//! Each area (captions, media, remix, time) has its own `thiserror` enum whose `Display` says what
//! was wrong and where (line:column for text, byte offset and box path for media). Implementing
//! [`Coded`] gives each variant a stable machine-readable code, which the JS boundary puts on the
//! thrown `Error` as `code` and the CLI prints beside the message. Codes never change once shipped.

/// A stable, documented error code for an error value (`ERR_WEBVTT_SIGNATURE`, …).
pub trait Coded: std::error::Error {
    fn code(&self) -> &'static str;
}

/// A bad argument at an API boundary (JS or CLI): the caller passed something the API cannot take.
/// `place` names the argument, as the caller wrote it (`options.frameRate`, `--fps`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{place}: {reason}")]
pub struct ArgError {
    pub place: String,
    pub reason: String,
}

impl ArgError {
    pub fn new(place: impl Into<String>, reason: impl Into<String>) -> ArgError {
        ArgError { place: place.into(), reason: reason.into() }
    }
}

impl Coded for ArgError {
    fn code(&self) -> &'static str {
        "ERR_INVALID_ARGUMENT"
    }
}
