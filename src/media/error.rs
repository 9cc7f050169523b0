//! The media area's error type: what went wrong while reading, planning or writing a container,
//! and where (byte offset and box or element path), with a stable code per kind.

use crate::Coded;

/// Which container format an error or a file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    Mp4,
    Webm,
    Matroska,
}

impl Container {
    pub fn name(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::Webm => "webm",
            Container::Matroska => "matroska",
        }
    }

    /// The container a `format` option names: "mp4", "webm", "matroska" (or "mkv").
    pub fn from_name(name: &str) -> Option<Container> {
        match name {
            "mp4" => Some(Container::Mp4),
            "webm" => Some(Container::Webm),
            "matroska" | "mkv" => Some(Container::Matroska),
            _ => None,
        }
    }
}

/// `moov/trak at byte 40`, or `at byte 0` where no box or element has been entered yet.
fn place(path: &str, offset: u64) -> String {
    if path.is_empty() {
        format!("at byte {offset}")
    } else {
        format!("{path} at byte {offset}")
    }
}

fn first_bytes(hex: &str) -> String {
    if hex.is_empty() {
        "the file is empty".into()
    } else {
        format!("first bytes {hex}")
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MediaError {
    /// The file ends inside a structure that says it is longer.
    #[error("{}: truncated: {reason}", place(path, *offset))]
    Truncated { container: Container, path: String, offset: u64, reason: String },
    /// A structure holds values that cannot be right.
    #[error("{}: {reason}", place(path, *offset))]
    Corrupt { container: Container, path: String, offset: u64, reason: String },
    /// Neither MP4 nor EBML at the start of the file.
    #[error("not an MP4, WebM or Matroska file ({})", first_bytes(.0))]
    UnknownContainer(String),
    /// A codec or container feature this crate does not handle.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The byte source or sink failed.
    #[error("I/O at byte {offset}: {reason}")]
    Io { offset: u64, reason: String },
    /// The cut range is empty, reversed or outside the media.
    #[error("cut range: {0}")]
    CutRange(String),
    /// The cut needs frames re-encoded, which only the browser layer can do.
    #[error("the cut needs re-encoding of {count} frame(s) of track {track} (frames {first}..={last} in presentation order, decoding from packet {decode_from} in decode order); only keyframe-aligned in-points can be copied")]
    NeedsReencode { track: u32, count: u64, first: u64, last: u64, decode_from: u64 },
    /// Open GOP: no IDR to start decoding from before the in-point.
    #[error("track {track}: no IDR frame at or before frame {frame}; open-GOP keyframes cannot start a decode")]
    NoIdr { track: u32, frame: u64 },
    /// The muxer was given packets it cannot write.
    #[error("mux: {0}")]
    Mux(String),
    /// A re-encoder gave back something other than what was asked.
    #[error("{0}")]
    Encode(String),
    /// A render's timeline cannot be rendered as given (no segment, an unknown source).
    #[error("timeline: {0}")]
    Timeline(String),
}

impl Coded for MediaError {
    fn code(&self) -> &'static str {
        use MediaError::*;
        match self {
            Truncated { container: Container::Mp4, .. } => "ERR_MP4_TRUNCATED",
            Truncated { .. } => "ERR_WEBM_TRUNCATED",
            Corrupt { container: Container::Mp4, .. } => "ERR_MP4_CORRUPT",
            Corrupt { .. } => "ERR_WEBM_CORRUPT",
            UnknownContainer(_) => "ERR_UNKNOWN_CONTAINER",
            Unsupported(_) => "ERR_UNSUPPORTED_CODEC",
            Io { .. } => "ERR_IO",
            CutRange(_) => "ERR_CUT_RANGE",
            NeedsReencode { .. } => "ERR_NEEDS_REENCODE",
            NoIdr { .. } => "ERR_NO_IDR",
            Mux(_) => "ERR_MUX",
            Encode(_) => "ERR_ENCODE",
            Timeline(_) => "ERR_TIMELINE",
        }
    }
}

impl MediaError {
    pub(crate) fn corrupt(
        container: Container,
        path: &str,
        offset: u64,
        reason: impl Into<String>,
    ) -> MediaError {
        MediaError::Corrupt { container, path: path.to_string(), offset, reason: reason.into() }
    }

    pub(crate) fn truncated(
        container: Container,
        path: &str,
        offset: u64,
        reason: impl Into<String>,
    ) -> MediaError {
        MediaError::Truncated { container, path: path.to_string(), offset, reason: reason.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_no_empty_places() {
        let t = MediaError::Truncated {
            container: Container::Mp4,
            path: String::new(),
            offset: 3,
            reason: "box header cut".into(),
        };
        assert_eq!(t.to_string(), "at byte 3: truncated: box header cut");
        let c = MediaError::corrupt(Container::Mp4, "moov/trak", 40, "bad");
        assert_eq!(c.to_string(), "moov/trak at byte 40: bad");
        assert_eq!(
            MediaError::UnknownContainer(String::new()).to_string(),
            "not an MP4, WebM or Matroska file (the file is empty)"
        );
        assert_eq!(
            MediaError::UnknownContainer("00 01".into()).to_string(),
            "not an MP4, WebM or Matroska file (first bytes 00 01)"
        );
    }
}
