//! What a render is asked for: a timeline of segments, each a range of one source, and the
//! sources' bytes by id. Times are seconds from the source's first presented video frame, exact.

use crate::media::ByteSource;
use crate::Time;

/// One range of one source, shown by `trim`'s rule: every frame on screen at some instant of
/// `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The id of its source among the render's inputs.
    pub source: String,
    pub start: Time,
    /// `None`: to the end of the source.
    pub end: Option<Time>,
    /// Playback speed; only 1 is rendered for now (other speeds need frames re-timed).
    pub speed: Time,
}

impl Segment {
    pub fn new(source: impl Into<String>, start: Time, end: Option<Time>) -> Segment {
        Segment { source: source.into(), start, end, speed: Time::new(1, 1) }
    }
}

/// Segments in output order. A segment may go back in time, and may repeat another.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub segments: Vec<Segment>,
}

/// One source: its id in the timeline and its bytes (a `File` natively, `Blob` slices in a
/// browser worker, memory in tests).
pub struct Input<'a> {
    pub id: String,
    pub bytes: &'a mut dyn ByteSource,
}

impl<'a> Input<'a> {
    pub fn new(id: impl Into<String>, bytes: &'a mut dyn ByteSource) -> Input<'a> {
        Input { id: id.into(), bytes }
    }
}
