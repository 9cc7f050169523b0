//! The edit list: ordered segments of source time, each played at a speed. Caption re-timing,
//! timeline flattening (remix chains) and rendering (trim) all speak this one structure.
//!
//! JSON form (seconds at the edge, exact inside):
//! `{"frameRate": "30000/1001", "segments": [{"start": 1.5, "end": 4.0, "speed": 1, "source": "a.mp4"}]}`
//! `frameRate` is the output frame grid (optional); `source` names the media (optional: the one
//! input); `speed` is a positive factor (2 plays twice as fast; optional, default 1).

use crate::error::ArgError;
use crate::time::{gcd, Rate, Time};
use serde::Deserialize;

/// A positive playback speed as an exact fraction: 2/1 plays twice as fast, 1/2 at half speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speed {
    pub num: i64,
    pub den: i64,
}

impl Speed {
    pub const NORMAL: Speed = Speed { num: 1, den: 1 };

    /// From a float, exact for the speeds people use (0.25, 0.5, 1.5, 2, 1/3 to 1e-6).
    pub fn from_f64(v: f64) -> Option<Speed> {
        if !v.is_finite() || v <= 0.0 || v > 1000.0 {
            return None;
        }
        let den = 1_000_000i64;
        let num = (v * den as f64).round() as i64;
        if num == 0 {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den as u64) as i64;
        Some(Speed { num: num / g, den: den / g })
    }

    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

/// One run of source media, `[start, end)` in source time, played at `speed`.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Which media (a URL, file name or clip id); `None` means the one input.
    pub source: Option<String>,
    pub start: Time,
    pub end: Time,
    pub speed: Speed,
}

impl Segment {
    /// How long the segment lasts in the output: source duration divided by speed.
    pub fn output_duration(&self) -> Time {
        (self.end - self.start).mul_ratio(self.speed.den, self.speed.num)
    }
}

/// Segments in output order; the output is their concatenation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EditList {
    pub segments: Vec<Segment>,
    /// The output frame grid, when results should land on frames.
    pub frame_rate: Option<Rate>,
}

impl EditList {
    /// Where each segment starts in the output.
    pub fn output_starts(&self) -> Vec<Time> {
        let mut at = Time::ZERO;
        self.segments
            .iter()
            .map(|s| {
                let here = at;
                at = at + s.output_duration();
                here
            })
            .collect()
    }

    pub fn output_duration(&self) -> Time {
        self.segments.iter().fold(Time::ZERO, |acc, s| acc + s.output_duration())
    }

    /// Parses the JSON form, checking every segment; errors name the segment (`segments[2].end`).
    pub fn from_json(text: &str) -> Result<EditList, ArgError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Raw {
            #[serde(default)]
            frame_rate: Option<serde_json::Value>,
            segments: Vec<SegmentSeconds>,
        }
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            ArgError::new(format!("edit list {}:{}", e.line(), e.column()), e.to_string())
        })?;
        let frame_rate = match raw.frame_rate {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => Some(
                Rate::from_fps(n.as_f64().unwrap_or(0.0))
                    .map_err(|e| ArgError::new("frameRate", e.to_string()))?,
            ),
            Some(serde_json::Value::String(s)) => {
                Some(Rate::parse(&s).map_err(|e| ArgError::new("frameRate", e.to_string()))?)
            }
            Some(other) => {
                return Err(ArgError::new(
                    "frameRate",
                    format!("expected a number or string, got {other}"),
                ))
            }
        };
        EditList::from_segments(&raw.segments, frame_rate, "segments")
    }

    /// The edit list of segments given in seconds (the JSON form's, or a JS object's read field by
    /// field), checking each; errors name it as `{place}[i].field`.
    pub fn from_segments(
        segments: &[SegmentSeconds],
        frame_rate: Option<Rate>,
        place: &str,
    ) -> Result<EditList, ArgError> {
        let mut out = Vec::with_capacity(segments.len());
        for (i, s) in segments.iter().enumerate() {
            let at = |field: &str| format!("{place}[{i}].{field}");
            let start = Time::from_user_seconds(s.start)
                .map_err(|e| ArgError::new(at("start"), e.to_string()))?;
            let end = Time::from_user_seconds(s.end)
                .map_err(|e| ArgError::new(at("end"), e.to_string()))?;
            if start.is_negative() {
                return Err(ArgError::new(at("start"), "must not be negative"));
            }
            if end <= start {
                return Err(ArgError::new(
                    at("end"),
                    format!("must be after start ({} <= {})", s.end, s.start),
                ));
            }
            let speed = match s.speed {
                None => Speed::NORMAL,
                Some(v) => Speed::from_f64(v).ok_or_else(|| {
                    ArgError::new(
                        at("speed"),
                        format!("must be a positive number up to 1000, got {v}"),
                    )
                })?,
            };
            out.push(Segment {
                source: s.source.clone(),
                start: start.reduced(),
                end: end.reduced(),
                speed,
            });
        }
        Ok(EditList { segments: out, frame_rate })
    }
}

/// A segment as the outside gives it: seconds of source time, not yet checked.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentSeconds {
    pub start: f64,
    pub end: f64,
    #[serde(default)]
    pub speed: Option<f64>,
    #[serde(default)]
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_measures() {
        let e = EditList::from_json(
            r#"{"frameRate": 25, "segments": [{"start": 1, "end": 3}, {"start": 10, "end": 11, "speed": 0.5}]}"#,
        )
        .unwrap();
        assert_eq!(e.frame_rate, Some(Rate { num: 25, den: 1 }));
        assert_eq!(e.output_starts(), vec![Time::ZERO, Time::from_millis(2000)]);
        assert_eq!(e.output_duration(), Time::from_millis(4000));
    }

    #[test]
    fn errors_name_the_segment() {
        let err = EditList::from_json(
            r#"{"segments": [{"start": 1, "end": 3}, {"start": 5, "end": 4}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.place, "segments[1].end");
        let err = EditList::from_json(r#"{"segments": [{"start": 1, "end": 3, "speed": -1}]}"#)
            .unwrap_err();
        assert_eq!(err.place, "segments[0].speed");
        // Segments read field by field (the JS binding) are checked the same way, at their place.
        let seg = |start, end| SegmentSeconds { start, end, ..Default::default() };
        let err =
            EditList::from_segments(&[seg(0.0, 1.0), seg(2.0, f64::NAN)], None, "edits.segments")
                .unwrap_err();
        assert_eq!(err.place, "edits.segments[1].end");
        assert!(err.reason.contains("must be a finite number, got NaN"), "{}", err.reason);
        let err = EditList::from_json("{\"segments\": [}").unwrap_err();
        assert!(err.place.starts_with("edit list 1:"), "{}", err.place);
    }
}
