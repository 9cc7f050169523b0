//! Captions as JS sees them: the browser's TextTrack shape (see [`super::textrack_json`]) plus
//! what a round trip needs (`header`, STYLE/NOTE `blocks`, the source `format`). This module
//! reads that shape back into the model, checking every field and naming the place of any error.

use super::detect::{Format, Note};
use super::model::{
    Align, Block, BlockKind, Captions, Cue, CueSettings, Line, LineAlign, PositionAlign, Region,
    Vertical,
};
use super::textrack_json::TextTrack;
use crate::error::ArgError;
use crate::time::{Rounding, Time};
use serde::{Deserialize, Serialize};

/// Cues in the order a TextTrack lists them (start time, then later end first, then file order),
/// with STYLE/NOTE blocks kept before the same cues; indices in lint reports refer to this order.
pub fn into_track_order(mut captions: Captions) -> Captions {
    let order = crate::sort::order_by(captions.cues.len(), &mut |a, b| {
        captions.cues[a]
            .start
            .cmp(&captions.cues[b].start)
            .then(captions.cues[b].end.cmp(&captions.cues[a].end))
    });
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return captions;
    }
    let mut new_pos = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_pos[old] = new;
    }
    for b in &mut captions.blocks {
        // Before the earliest (in the new order) of the cues that followed it.
        b.before_cue =
            (b.before_cue..new_pos.len()).map(|old| new_pos[old]).min().unwrap_or(new_pos.len());
    }
    let mut old: Vec<Option<Cue>> = captions.cues.into_iter().map(Some).collect();
    captions.cues = order.iter().filter_map(|&i| old[i].take()).collect();
    captions
}

/// The JS form of `captions` (already in track order), as JSON text: written straight from
/// borrowing views, since building a JSON tree first costs more than the parse itself.
pub fn to_js_form(captions: &Captions, notes: &[Note], format: Format) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct BlockView<'a> {
        kind: &'static str,
        text: &'a str,
        before_cue: usize,
    }
    #[derive(Serialize)]
    struct JsForm<'a> {
        format: &'static str,
        header: &'a str,
        cues: &'a [super::textrack_json::TextTrackCue<'a>],
        regions: &'a [super::textrack_json::TextTrackRegion<'a>],
        blocks: Vec<BlockView<'a>>,
        diagnostics: &'a [Note],
    }
    let track = TextTrack::new(captions, &[]);
    let blocks = captions
        .blocks
        .iter()
        .map(|b| BlockView {
            kind: match b.kind {
                BlockKind::Style => "style",
                BlockKind::Note => "note",
            },
            text: &b.text,
            before_cue: b.before_cue,
        })
        .collect();
    let form = JsForm {
        format: format.name(),
        header: &captions.header,
        cues: &track.cues,
        regions: &track.regions,
        blocks,
        diagnostics: notes,
    };
    // NOTE: these views hold only strings, numbers and bools: serialising cannot fail.
    serde_json::to_string(&form).unwrap_or_default()
}

/// An optional field that, when there, is not null. A number field that `JSON.stringify` wrote as
/// null was NaN or Infinity in JS: refusing it, where the default would silently stand in, lets
/// the binding name the caller's value.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A number or "auto", as `line` and `position` are given.
#[derive(Deserialize)]
#[serde(untagged)]
enum AutoOr {
    Number(f64),
    Word(String),
}

/// A cue's region: its id, or the region object as parseCaptions gives it.
#[derive(Deserialize)]
#[serde(untagged)]
enum RegionRef {
    Id(String),
    Object { id: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCue {
    #[serde(default)]
    id: Option<String>,
    start_time: f64,
    end_time: f64,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    align: Option<String>,
    #[serde(default, deserialize_with = "present")]
    line: Option<AutoOr>,
    #[serde(default)]
    line_align: Option<String>,
    #[serde(default, deserialize_with = "present")]
    position: Option<AutoOr>,
    #[serde(default)]
    position_align: Option<String>,
    #[serde(default, deserialize_with = "present")]
    size: Option<f64>,
    #[serde(default)]
    vertical: Option<String>,
    #[serde(default)]
    snap_to_lines: Option<bool>,
    #[serde(default)]
    region: Option<RegionRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRegion {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "present")]
    width: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    lines: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    region_anchor_x: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    region_anchor_y: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    viewport_anchor_x: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    viewport_anchor_y: Option<f64>,
    #[serde(default)]
    scroll: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBlock {
    kind: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default, deserialize_with = "present")]
    before_cue: Option<f64>,
}

#[derive(Deserialize)]
struct RawForm {
    #[serde(default)]
    header: Option<String>,
    cues: Vec<RawCue>,
    #[serde(default)]
    regions: Option<Vec<RawRegion>>,
    #[serde(default)]
    blocks: Option<Vec<RawBlock>>,
}

struct At<'a>(&'a str, usize);

impl At<'_> {
    fn err(&self, field: &str, reason: impl Into<String>) -> ArgError {
        ArgError::new(format!("{}[{}].{field}", self.0, self.1), reason)
    }

    fn one_of<T: Copy>(
        &self,
        field: &str,
        v: Option<&str>,
        default: T,
        names: &[(&str, T)],
    ) -> Result<T, ArgError> {
        let Some(s) = v else { return Ok(default) };
        names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t).ok_or_else(|| {
            let all: Vec<String> = names.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            self.err(field, format!("expected one of {}, got \"{s}\"", all.join(", ")))
        })
    }

    fn percent(&self, field: &str, v: Option<f64>, default: f64) -> Result<f64, ArgError> {
        let p = v.unwrap_or(default);
        if (0.0..=100.0).contains(&p) {
            Ok(p)
        } else {
            Err(self.err(field, format!("must be a percentage from 0 to 100, got {p}")))
        }
    }

    fn seconds(&self, field: &str, f: f64) -> Result<Time, ArgError> {
        if f < 0.0 {
            return Err(self.err(field, format!("must not be negative, got {f}")));
        }
        // Caption times are whole milliseconds in both formats.
        Time::from_user_seconds(f)
            .map(|t| t.rescale(1000, Rounding::Nearest))
            .map_err(|e| self.err(field, e.to_string()))
    }
}

fn cue(raw: RawCue, at: &At) -> Result<Cue, ArgError> {
    let start = at.seconds("startTime", raw.start_time)?;
    let end = at.seconds("endTime", raw.end_time)?;
    if end < start {
        return Err(at.err(
            "endTime",
            format!("is before startTime ({} < {})", raw.end_time, raw.start_time),
        ));
    }
    let snap = raw.snap_to_lines.unwrap_or(true);
    let line = match raw.line {
        None => Line::Auto,
        Some(AutoOr::Word(w)) if w == "auto" => Line::Auto,
        Some(AutoOr::Number(n)) if n.is_finite() && snap => Line::Number(n),
        Some(AutoOr::Number(n)) if (0.0..=100.0).contains(&n) => Line::Percent(n),
        Some(AutoOr::Number(n)) => {
            return Err(at.err(
                "line",
                format!("expected a line number, or a percentage without snapToLines, got {n}"),
            ))
        }
        Some(AutoOr::Word(w)) => {
            return Err(at.err("line", format!("expected \"auto\" or a number, got \"{w}\"")))
        }
    };
    let position = match raw.position {
        None => None,
        Some(AutoOr::Word(w)) if w == "auto" => None,
        Some(AutoOr::Number(n)) => Some(at.percent("position", Some(n), 0.0)?),
        Some(AutoOr::Word(w)) => {
            return Err(
                at.err("position", format!("expected \"auto\" or a percentage, got \"{w}\""))
            )
        }
    };
    Ok(Cue {
        id: raw.id.unwrap_or_default(),
        start,
        end,
        text: raw.text.unwrap_or_default(),
        settings: CueSettings {
            vertical: at.one_of(
                "vertical",
                raw.vertical.as_deref(),
                Vertical::Horizontal,
                &[("", Vertical::Horizontal), ("rl", Vertical::Rl), ("lr", Vertical::Lr)],
            )?,
            line,
            line_align: at.one_of(
                "lineAlign",
                raw.line_align.as_deref(),
                LineAlign::Start,
                &[
                    ("start", LineAlign::Start),
                    ("center", LineAlign::Center),
                    ("end", LineAlign::End),
                ],
            )?,
            position,
            position_align: at.one_of(
                "positionAlign",
                raw.position_align.as_deref(),
                PositionAlign::Auto,
                &[
                    ("line-left", PositionAlign::LineLeft),
                    ("center", PositionAlign::Center),
                    ("line-right", PositionAlign::LineRight),
                    ("auto", PositionAlign::Auto),
                ],
            )?,
            size: at.percent("size", raw.size, 100.0)?,
            align: at.one_of(
                "align",
                raw.align.as_deref(),
                Align::Center,
                &[
                    ("start", Align::Start),
                    ("center", Align::Center),
                    ("end", Align::End),
                    ("left", Align::Left),
                    ("right", Align::Right),
                ],
            )?,
            region: raw.region.map(|r| match r {
                RegionRef::Id(id) | RegionRef::Object { id } => id,
            }),
        },
    })
}

fn region(raw: RawRegion, at: &At) -> Result<Region, ArgError> {
    let d = Region::default();
    let lines = raw.lines.unwrap_or(d.lines);
    if lines < 0.0 || lines.fract() != 0.0 {
        return Err(at.err("lines", format!("must be a whole number, got {lines}")));
    }
    Ok(Region {
        id: raw.id.unwrap_or_default(),
        width: at.percent("width", raw.width, d.width)?,
        lines,
        region_anchor: (
            at.percent("regionAnchorX", raw.region_anchor_x, d.region_anchor.0)?,
            at.percent("regionAnchorY", raw.region_anchor_y, d.region_anchor.1)?,
        ),
        viewport_anchor: (
            at.percent("viewportAnchorX", raw.viewport_anchor_x, d.viewport_anchor.0)?,
            at.percent("viewportAnchorY", raw.viewport_anchor_y, d.viewport_anchor.1)?,
        ),
        scroll_up: at.one_of(
            "scroll",
            raw.scroll.as_deref(),
            false,
            &[("", false), ("up", true)],
        )?,
    })
}

/// Reads the JS form back from its JSON text (cues as `parseCaptions` gives them, possibly
/// edited by the caller). Only `cues` is required; each cue needs `startTime` and `endTime`, the
/// rest has the spec's defaults. Errors name the place: `cues[3].endTime: is before startTime`.
pub fn from_js_form(json: &str) -> Result<Captions, ArgError> {
    // The plain deserializer is fast; path tracking runs only to name the place of an error.
    let raw: RawForm = match serde_json::from_str(json) {
        Ok(raw) => raw,
        Err(_) => return Err(type_error(json)),
    };
    convert(raw)
}

/// Where and why `json` does not fit the form.
fn type_error(json: &str) -> ArgError {
    let Err(e) = serde_json::from_str::<RawForm>(json) else {
        return ArgError::new("captions", "could not be read");
    };
    let path = crate::json_place::path_of(json, &e);
    let place = if path == "." { "captions".to_string() } else { path };
    // serde's message ends in "at line L column C" of JSON text the caller never saw.
    let inner = e.to_string();
    ArgError::new(place, inner.split(" at line ").next().unwrap_or_default().to_string())
}

fn convert(raw: RawForm) -> Result<Captions, ArgError> {
    let cues = raw
        .cues
        .into_iter()
        .enumerate()
        .map(|(i, c)| cue(c, &At("cues", i)))
        .collect::<Result<Vec<_>, _>>()?;
    let regions = raw
        .regions
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, r)| region(r, &At("regions", i)))
        .collect::<Result<_, _>>()?;
    let blocks = raw
        .blocks
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let at = At("blocks", i);
            let kind = at.one_of(
                "kind",
                Some(&b.kind),
                BlockKind::Note,
                &[("style", BlockKind::Style), ("note", BlockKind::Note)],
            )?;
            let before = b.before_cue.unwrap_or(0.0);
            if before < 0.0 || before.fract() != 0.0 {
                return Err(at.err("beforeCue", format!("must be a cue index, got {before}")));
            }
            Ok(Block {
                kind,
                text: b.text.unwrap_or_default(),
                before_cue: (before as usize).min(cues.len()),
            })
        })
        .collect::<Result<_, ArgError>>()?;
    Ok(Captions { header: raw.header.unwrap_or_default(), cues, regions, blocks })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::detect::parse_captions;

    const SAMPLE: &str = "WEBVTT header text\n\nREGION\nid:r1\nwidth:40%\nlines:2\nscroll:up\n\nSTYLE\n::cue { color: red }\n\n\
        a\n00:00:01.000 --> 00:00:02.500 region:r1 align:start\n<v Bo>Hi &amp; bye\n\nNOTE kept\n\n\
        b\n00:00:03.000 --> 00:00:04.000 line:10% position:20% size:50% vertical:rl\nsecond\n";

    #[test]
    fn js_form_round_trips_the_model() {
        let (c, notes, f) = parse_captions(SAMPLE, None, false).unwrap();
        let c = into_track_order(c);
        let text = to_js_form(&c, &notes, f);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["cues"][0]["region"]["id"], "r1");
        assert_eq!(v["blocks"].as_array().unwrap().len(), 2);
        assert_eq!(from_js_form(&text).unwrap(), c);
        // Re-serialised by JS (JSON.stringify), key order and spacing may differ: same result.
        assert_eq!(from_js_form(&serde_json::to_string_pretty(&v).unwrap()).unwrap(), c);
    }

    #[test]
    fn track_order_moves_blocks_with_their_cues() {
        let src = "WEBVTT\n\nb\n00:02.000 --> 00:03.000\nb\n\nNOTE before a\n\na\n00:01.000 --> 00:02.000\na\n";
        let (c, _, _) = parse_captions(src, None, false).unwrap();
        let c = into_track_order(c);
        assert_eq!(c.cues.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(c.blocks[0].before_cue, 0);
    }

    #[test]
    fn errors_name_the_field() {
        use serde_json::json;
        let cases = [
            (json!({"cues": [{"startTime": 1, "endTime": 0.5}]}), "cues[0].endTime"),
            (json!({"cues": [{"startTime": "1", "endTime": 2}]}), "cues[0].startTime"),
            (json!({"cues": [{"endTime": 2}]}), "cues[0]"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "text": 5}]}), "cues[0].text"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "align": "middle"}]}), "cues[0].align"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "size": 120}]}), "cues[0].size"),
            (
                json!({"cues": [{"startTime": 1, "endTime": 2, "line": 150, "snapToLines": false}]}),
                "cues[0].line",
            ),
            (json!({"cues": [], "regions": [{"lines": 1.5}]}), "regions[0].lines"),
            (json!({"cues": 3}), "cues"),
            (json!({}), "captions"),
            // JSON.stringify writes NaN as null: refused, not read as the default.
            (json!({"cues": [{"startTime": 1, "endTime": 2, "size": null}]}), "cues[0].size"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "line": null}]}), "cues[0].line"),
            (json!({"cues": [], "regions": [{"width": null}]}), "regions[0].width"),
        ];
        for (v, place) in cases {
            assert_eq!(from_js_form(&v.to_string()).unwrap_err().place, place, "{v}");
        }
    }
}
