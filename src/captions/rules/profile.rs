//! Timing and layout profiles as data: the numbers of a style guide (Netflix, BBC, DCMP or the
//! user's own), read from JSON. Built-in profiles are JSON files embedded in the binary, each with
//! a `source` field citing where its numbers come from.

use crate::time::{Rate, Time};
use serde::{Deserialize, Deserializer, Serialize};

/// The stable ids of the rules a profile can switch on.
pub const RULE_IDS: &[&str] = &[
    "min-duration",
    "max-duration",
    "min-gap",
    "chaining",
    "line-length",
    "line-count",
    "reading-speed",
    "shot-change",
    "overlap",
    "frame-grid",
    "speech-sync",
];

const BUILT_IN: &[(&str, &str)] = &[
    ("netflix-en-adult", include_str!("profiles/netflix-en-adult.json")),
    ("netflix-en-children", include_str!("profiles/netflix-en-children.json")),
    ("bbc", include_str!("profiles/bbc.json")),
    ("dcmp", include_str!("profiles/dcmp.json")),
];

/// A style guide's numbers. Every rule is optional: an absent field switches its rule off.
/// Durations are seconds (a number, or a fraction string such as `"5/6"`); gaps and shot-change
/// windows are frames at `referenceFps` (scaled to the real frame rate), except `minGapFrames`,
/// which guides give as frames at any rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
    #[serde(default, deserialize_with = "seconds_opt", serialize_with = "seconds_out")]
    pub min_duration: Option<Time>,
    #[serde(default, deserialize_with = "seconds_opt", serialize_with = "seconds_out")]
    pub max_duration: Option<Time>,
    #[serde(default)]
    pub min_gap_frames: Option<u32>,
    #[serde(default)]
    pub chaining: Option<Chaining>,
    #[serde(default)]
    pub max_line_chars: Option<u32>,
    #[serde(default)]
    pub max_lines: Option<u32>,
    #[serde(default)]
    pub max_chars_per_second: Option<f64>,
    #[serde(default)]
    pub max_words_per_minute: Option<f64>,
    /// A cue may start at most this long before its speech and end at most this long after it.
    #[serde(default)]
    pub speech_tolerance_ms: Option<u32>,
    #[serde(default)]
    pub shot_change: Option<ShotChange>,
    /// The frame rate the frame counts were written for; `None` means "as written, any rate".
    #[serde(default)]
    pub reference_fps: Option<u32>,
    /// The most a fix may move a cue's start, in (reference) frames.
    #[serde(default = "default_shift")]
    pub max_start_shift_frames: u32,
    /// Cue times must lie on the frame grid.
    #[serde(default)]
    pub frame_grid: bool,
}

fn default_shift() -> u32 {
    12
}

/// Closing small gaps: a gap of `maxGapFrames` or fewer (but more than `closeToFrames`) is
/// closed to `closeToFrames`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Chaining {
    pub max_gap_frames: u32,
    pub close_to_frames: u32,
}

/// Where in- and out-times go near a shot change (a cut), in frames.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShotChange {
    /// An in-time this many frames or fewer before a cut snaps to the cut.
    pub in_snap_before_frames: u32,
    /// An in-time within this range of frames before a cut moves to `inPullToFrames` before it.
    pub in_pull_before_frames: (u32, u32),
    pub in_pull_to_frames: u32,
    /// An in-time this many frames or fewer after a cut snaps back to the cut (0: off).
    #[serde(default)]
    pub in_snap_after_frames: u32,
    /// An out-time this many frames or fewer before a cut (or on it) moves to `outGapFrames`
    /// before it.
    pub out_before_frames: u32,
    /// An out-time this many frames or fewer after a cut moves to `outGapFrames` before it.
    #[serde(default)]
    pub out_after_frames: u32,
    pub out_gap_frames: u32,
}

/// Why a profile could not be read; `field` is the JSON path (`shotChange.outGapFrames`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("profile field `{field}`: {message}")]
pub struct ProfileError {
    pub field: String,
    pub message: String,
}

impl crate::error::Coded for ProfileError {
    fn code(&self) -> &'static str {
        "ERR_PROFILE"
    }
}

/// Durations written as they are read: seconds as a number when whole microseconds hold them
/// exactly, else the fraction (`"5/6"`), so that a profile `captionProfiles` gives reads back.
fn seconds_out<S: serde::Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
    match t.map(Time::reduced) {
        None => s.serialize_none(),
        Some(t) if crate::time::USER_SCALE % t.scale() == 0 => s.serialize_f64(t.seconds()),
        Some(t) => s.serialize_str(&format!("{}/{}", t.value(), t.scale())),
    }
}

fn seconds_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(f64),
        Text(String),
    }
    let raw: Option<Raw> = Option::deserialize(d)?;
    let t = match raw {
        None => return Ok(None),
        Some(Raw::Number(s)) => Time::from_user_seconds(s).map_err(serde::de::Error::custom)?,
        Some(Raw::Text(s)) => parse_fraction(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected seconds as a number or a fraction like \"5/6\", got \"{s}\""
            ))
        })?,
    };
    if t.is_negative() {
        return Err(serde::de::Error::custom("must not be negative"));
    }
    Ok(Some(t.reduced()))
}

fn parse_fraction(s: &str) -> Option<Time> {
    let (n, d) = s.split_once('/')?;
    let n: i64 = n.trim().parse().ok()?;
    let d: u32 = d.trim().parse().ok()?;
    (d > 0 && n.abs() < 1_000_000_000).then(|| Time::new(n, d))
}

impl Profile {
    /// Reads a profile from JSON; errors name the field.
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        let p: Profile = serde_json::from_str(text).map_err(|e| {
            let path = crate::json_place::path_of(text, &e);
            let field =
                if path == "." { format!("(line {}:{})", e.line(), e.column()) } else { path };
            ProfileError { field, message: e.to_string() }
        })?;
        p.check()?;
        Ok(p)
    }

    fn check(&self) -> Result<(), ProfileError> {
        let bad = |field: &str, message: &str| {
            Err(ProfileError { field: field.into(), message: message.into() })
        };
        for (field, v) in [
            ("maxCharsPerSecond", self.max_chars_per_second),
            ("maxWordsPerMinute", self.max_words_per_minute),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0 && v < 1e6) {
                    return bad(field, "must be a positive number");
                }
            }
        }
        if let (Some(min), Some(max)) = (self.min_duration, self.max_duration) {
            if min > max {
                return bad("minDuration", "is longer than maxDuration");
            }
        }
        if self.max_duration.is_some_and(|m| m == Time::ZERO) {
            return bad("maxDuration", "must be positive");
        }
        if self.max_lines == Some(0) {
            return bad("maxLines", "must be at least 1");
        }
        if self.max_line_chars == Some(0) {
            return bad("maxLineChars", "must be at least 1");
        }
        if self.reference_fps == Some(0) {
            return bad("referenceFps", "must be positive");
        }
        if let Some(s) = &self.shot_change {
            if s.in_pull_before_frames.0 > s.in_pull_before_frames.1 {
                return bad("shotChange.inPullBeforeFrames", "the range is backwards");
            }
        }
        Ok(())
    }

    /// A built-in profile by name (`netflix-en-adult`, `netflix-en-children`, `bbc`, `dcmp`).
    pub fn built_in(name: &str) -> Option<Profile> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, json)| Profile::from_json(json).ok())
    }

    /// The names of the built-in profiles.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    }

    /// A reference-rate frame count at the real rate, rounded to nearest (12 frames at 24 fps
    /// are 15 at 30 fps, as the Netflix guide asks).
    pub fn frames_at(&self, frames: u32, rate: Rate) -> i64 {
        match self.reference_fps {
            None => frames as i64,
            Some(r) => {
                let n = frames as i128 * rate.num as i128;
                let d = r as i128 * rate.den as i128;
                ((2 * n + d) / (2 * d)) as i64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn built_ins_load_with_their_numbers() {
        for name in Profile::built_in_names() {
            let p = Profile::built_in(name).unwrap_or_else(|| panic!("{name} does not load"));
            assert_eq!(p.name, name);
            assert!(!p.source.is_empty());
        }
        let adult = Profile::built_in("netflix-en-adult").unwrap();
        assert_eq!(adult.min_duration, Some(Time::new(5, 6)));
        // What `captionProfiles` gives reads back as the same profile.
        for name in Profile::built_in_names() {
            let p = Profile::built_in(name).unwrap();
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(Profile::from_json(&json).unwrap(), p, "{json}");
        }
        let json = serde_json::to_value(&adult).unwrap();
        assert_eq!(json["minDuration"], "5/6");
        assert_eq!(adult.max_duration, Some(Time::from_millis(7000)));
        assert_eq!(adult.max_chars_per_second, Some(17.0));
        assert_eq!(
            Profile::built_in("netflix-en-children").unwrap().max_chars_per_second,
            Some(13.0)
        );
        assert_eq!(Profile::built_in("bbc").unwrap().max_line_chars, Some(37));
        assert_eq!(Profile::built_in("dcmp").unwrap().max_line_chars, Some(32));
        assert!(Profile::built_in("nope").is_none());
    }

    #[test]
    fn frame_counts_scale_with_the_rate() {
        let p = Profile::built_in("netflix-en-adult").unwrap();
        assert_eq!(p.frames_at(12, Rate::new(24, 1).unwrap()), 12);
        assert_eq!(p.frames_at(12, Rate::new(30, 1).unwrap()), 15);
        assert_eq!(p.frames_at(12, Rate::new(60, 1).unwrap()), 30);
        assert_eq!(p.frames_at(12, Rate::new(24000, 1001).unwrap()), 12);
    }

    #[test]
    fn errors_name_the_field() {
        let e = Profile::from_json(r#"{"name": "x", "shotChange": {"inSnapBeforeFrames": "7"}}"#)
            .unwrap_err();
        assert_eq!(e.field, "shotChange.inSnapBeforeFrames");
        let e = Profile::from_json(r#"{"name": "x", "minDuration": "soon"}"#).unwrap_err();
        assert_eq!(e.field, "minDuration");
        let e = Profile::from_json(r#"{"name": "x", "maxLineChar": 3}"#).unwrap_err();
        assert_eq!(e.field, "maxLineChar");
        let e = Profile::from_json(r#"{"name": "x", "maxCharsPerSecond": -1}"#).unwrap_err();
        assert_eq!(e.field, "maxCharsPerSecond");
        let e =
            Profile::from_json(r#"{"name": "x", "minDuration": 3, "maxDuration": 2}"#).unwrap_err();
        assert_eq!(e.field, "minDuration");
        let e = Profile::from_json("{").unwrap_err();
        assert!(e.field.starts_with("(line 1:"), "{}", e.field);
        assert!(Profile::from_json(r#"{"name": "mine", "maxLineChars": 30}"#).is_ok());
    }

    proptest! {
        #[test]
        fn arbitrary_json_never_panics(s in "\\PC*") {
            let _ = Profile::from_json(&s);
        }
    }
}
