//! The one caption model that WebVTT, SRT, the timing rules and re-timing all share.
//!
//! A cue keeps its text as written (cue text markup, unparsed) so that a round trip loses nothing;
//! the cue-text tree is derived from it on demand. Times are exact ([`Time`]); cue settings and
//! regions follow the WebVTT model, whose defaults are what SRT cues get.

use crate::time::Time;
use serde::{Deserialize, Serialize};

/// A whole caption document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Captions {
    /// Text after the `WEBVTT` signature, verbatim: the rest of the first line (with its leading
    /// space or tab) and then, after a `\n`, any header lines that follow it before the first
    /// blank line (`X-TIMESTAMP-MAP=…` in HLS). Kept for round trips; the writer emits it as is.
    pub header: String,
    pub cues: Vec<Cue>,
    pub regions: Vec<Region>,
    /// STYLE and NOTE blocks, in file order, with the index of the cue they came before.
    pub blocks: Vec<Block>,
}

/// A STYLE or NOTE block kept for round trips; `before_cue` is the index of the next cue.
/// `text` is the block's body: the CSS after the `STYLE` line, or the comment after `NOTE` and the
/// one space, tab or line break that follows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub before_cue: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Style,
    Note,
}

/// One cue: when it shows, what it says, where it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub id: String,
    pub start: Time,
    pub end: Time,
    /// The cue text as written, with its markup (`<v Bob>Hi &amp; bye`).
    pub text: String,
    pub settings: CueSettings,
}

impl Cue {
    pub fn new(start: Time, end: Time, text: impl Into<String>) -> Cue {
        Cue { id: String::new(), start, end, text: text.into(), settings: CueSettings::default() }
    }

    pub fn duration(&self) -> Time {
        self.end - self.start
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vertical {
    #[default]
    Horizontal,
    Rl,
    Lr,
}

/// `line`: "auto", or a line number (`snap_to_lines`), or a percentage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Line {
    #[default]
    Auto,
    Number(f64),
    Percent(f64),
}

impl Line {
    /// The TextTrack `snapToLines` flag: true for "auto" and line numbers, false for percentages.
    pub fn snap_to_lines(self) -> bool {
        !matches!(self, Line::Percent(_))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineAlign {
    #[default]
    Start,
    Center,
    End,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionAlign {
    LineLeft,
    Center,
    LineRight,
    #[default]
    Auto,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Align {
    Start,
    #[default]
    Center,
    End,
    Left,
    Right,
}

/// WebVTT cue settings; the defaults are the spec's (and what an SRT cue has).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CueSettings {
    pub vertical: Vertical,
    pub line: Line,
    pub line_align: LineAlign,
    /// `None` is "auto"; else a percentage.
    pub position: Option<f64>,
    pub position_align: PositionAlign,
    /// Percentage, default 100.
    pub size: f64,
    pub align: Align,
    /// The id of the region the cue belongs to, if any.
    pub region: Option<String>,
}

impl Default for CueSettings {
    fn default() -> CueSettings {
        CueSettings {
            vertical: Vertical::Horizontal,
            line: Line::Auto,
            line_align: LineAlign::Start,
            position: None,
            position_align: PositionAlign::Auto,
            size: 100.0,
            align: Align::Center,
            region: None,
        }
    }
}

/// A WebVTT region; defaults are the spec's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub id: String,
    /// Percentage of the viewport width.
    pub width: f64,
    /// An integer, held as `f64` like the TextTrack API's number: the spec takes any run of
    /// digits (`lines:4294967296` is 4294967296), so a `u32` would not hold what files say.
    pub lines: f64,
    pub region_anchor: (f64, f64),
    pub viewport_anchor: (f64, f64),
    pub scroll_up: bool,
}

impl Default for Region {
    fn default() -> Region {
        Region {
            id: String::new(),
            width: 100.0,
            lines: 3.0,
            region_anchor: (0.0, 100.0),
            viewport_anchor: (0.0, 100.0),
            scroll_up: false,
        }
    }
}
