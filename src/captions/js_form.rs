//! Captions as JS sees them: the browser's TextTrack shape (see [`super::textrack_json`]) plus
//! what a round trip needs (`header`, STYLE/NOTE `blocks`, the source `format`). This module
//! reads that shape back into the model, checking every field and naming the place of any error.

use super::detect::{Format, Note};
use super::model::{Align, Block, BlockKind, Captions, Cue, CueSettings, Line, LineAlign, PositionAlign, Region, Vertical};
use super::textrack_json::TextTrack;
use crate::error::ArgError;
use crate::time::{Rounding, Time};
use serde_json::{json, Map, Value};

/// Cues in the order a TextTrack lists them (start time, then later end first, then file order),
/// with STYLE/NOTE blocks kept before the same cues; indices in lint reports refer to this order.
pub fn into_track_order(mut captions: Captions) -> Captions {
    let mut order: Vec<usize> = (0..captions.cues.len()).collect();
    order.sort_by(|&a, &b| captions.cues[a].start.cmp(&captions.cues[b].start).then(captions.cues[b].end.cmp(&captions.cues[a].end)));
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return captions;
    }
    let mut new_pos = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_pos[old] = new;
    }
    for b in &mut captions.blocks {
        // Before the earliest (in the new order) of the cues that followed it.
        b.before_cue = (b.before_cue..new_pos.len()).map(|old| new_pos[old]).min().unwrap_or(new_pos.len());
    }
    let mut old: Vec<Option<Cue>> = captions.cues.into_iter().map(Some).collect();
    captions.cues = order.iter().filter_map(|&i| old[i].take()).collect();
    captions
}

/// The JS form of `captions` (already in track order).
pub fn to_js_form(captions: &Captions, notes: &[Note], format: Format) -> Value {
    let mut v = serde_json::to_value(TextTrack::new(captions, &[])).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("format".into(), json!(format.name()));
        m.insert("header".into(), json!(captions.header));
        let blocks: Vec<Value> = captions
            .blocks
            .iter()
            .map(|b| json!({"kind": match b.kind { BlockKind::Style => "style", BlockKind::Note => "note" }, "text": b.text, "beforeCue": b.before_cue}))
            .collect();
        m.insert("blocks".into(), Value::Array(blocks));
        m.insert("diagnostics".into(), serde_json::to_value(notes).unwrap_or(Value::Null));
    }
    v
}

struct At<'a>(&'a str);

impl At<'_> {
    fn err(&self, field: &str, reason: impl Into<String>) -> ArgError {
        let place = if field.is_empty() { self.0.to_string() } else { format!("{}.{field}", self.0) };
        ArgError::new(place, reason)
    }
}

fn get<'v>(m: &'v Map<String, Value>, k: &str) -> Option<&'v Value> {
    m.get(k).filter(|v| !v.is_null())
}

fn num(m: &Map<String, Value>, k: &str, at: &At, default: f64) -> Result<f64, ArgError> {
    match get(m, k) {
        None => Ok(default),
        Some(v) => v.as_f64().filter(|f| f.is_finite()).ok_or_else(|| at.err(k, format!("expected a finite number, got {v}"))),
    }
}

fn text<'v>(m: &'v Map<String, Value>, k: &str, at: &At) -> Result<&'v str, ArgError> {
    match get(m, k) {
        None => Ok(""),
        Some(v) => v.as_str().ok_or_else(|| at.err(k, format!("expected a string, got {v}"))),
    }
}

fn one_of<T: Copy>(m: &Map<String, Value>, k: &str, at: &At, default: T, names: &[(&str, T)]) -> Result<T, ArgError> {
    let Some(v) = get(m, k) else { return Ok(default) };
    let s = v.as_str().ok_or_else(|| at.err(k, format!("expected a string, got {v}")))?;
    names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t).ok_or_else(|| {
        let all: Vec<String> = names.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        at.err(k, format!("expected one of {}, got \"{s}\"", all.join(", ")))
    })
}

fn percent(m: &Map<String, Value>, k: &str, at: &At, default: f64) -> Result<f64, ArgError> {
    let p = num(m, k, at, default)?;
    if (0.0..=100.0).contains(&p) { Ok(p) } else { Err(at.err(k, format!("must be a percentage from 0 to 100, got {p}"))) }
}

fn seconds(m: &Map<String, Value>, k: &str, at: &At) -> Result<Time, ArgError> {
    let v = get(m, k).ok_or_else(|| at.err(k, "is required"))?;
    let f = v.as_f64().ok_or_else(|| at.err(k, format!("expected seconds as a number, got {v}")))?;
    if f < 0.0 {
        return Err(at.err(k, format!("must not be negative, got {f}")));
    }
    // Caption times are whole milliseconds in both formats.
    Time::from_seconds(f, 1000, Rounding::Nearest).map_err(|e| at.err(k, e.to_string()))
}

fn region(v: &Value, at: &At) -> Result<Region, ArgError> {
    let m = v.as_object().ok_or_else(|| at.err("", format!("expected a region object, got {v}")))?;
    let d = Region::default();
    let lines = num(m, "lines", at, d.lines)?;
    if lines < 0.0 || lines.fract() != 0.0 {
        return Err(at.err("lines", format!("must be a whole number, got {lines}")));
    }
    Ok(Region {
        id: text(m, "id", at)?.to_string(),
        width: percent(m, "width", at, d.width)?,
        lines,
        region_anchor: (percent(m, "regionAnchorX", at, d.region_anchor.0)?, percent(m, "regionAnchorY", at, d.region_anchor.1)?),
        viewport_anchor: (percent(m, "viewportAnchorX", at, d.viewport_anchor.0)?, percent(m, "viewportAnchorY", at, d.viewport_anchor.1)?),
        scroll_up: one_of(m, "scroll", at, false, &[("", false), ("up", true)])?,
    })
}

fn cue(v: &Value, at: &At) -> Result<Cue, ArgError> {
    let m = v.as_object().ok_or_else(|| at.err("", format!("expected a cue object, got {v}")))?;
    let start = seconds(m, "startTime", at)?;
    let end = seconds(m, "endTime", at)?;
    if end < start {
        return Err(at.err("endTime", format!("is before startTime ({} < {})", end.seconds(), start.seconds())));
    }
    let snap = match get(m, "snapToLines") {
        None => true,
        Some(v) => v.as_bool().ok_or_else(|| at.err("snapToLines", format!("expected a boolean, got {v}")))?,
    };
    let line = match get(m, "line") {
        None => Line::Auto,
        Some(Value::String(s)) if s == "auto" => Line::Auto,
        Some(v) => match v.as_f64().filter(|f| f.is_finite()) {
            Some(n) if snap => Line::Number(n),
            Some(n) if (0.0..=100.0).contains(&n) => Line::Percent(n),
            _ => return Err(at.err("line", format!("expected \"auto\", a line number, or a percentage without snapToLines, got {v}"))),
        },
    };
    let position = match get(m, "position") {
        None => None,
        Some(Value::String(s)) if s == "auto" => None,
        Some(_) => Some(percent(m, "position", at, 0.0)?),
    };
    let region = match get(m, "region") {
        None => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Object(r)) => Some(text(r, "id", &At(&format!("{}.region", at.0)))?.to_string()),
        Some(v) => return Err(at.err("region", format!("expected null, a region id or a region object, got {v}"))),
    };
    Ok(Cue {
        id: text(m, "id", at)?.to_string(),
        start,
        end,
        text: text(m, "text", at)?.to_string(),
        settings: CueSettings {
            vertical: one_of(m, "vertical", at, Vertical::Horizontal, &[("", Vertical::Horizontal), ("rl", Vertical::Rl), ("lr", Vertical::Lr)])?,
            line,
            line_align: one_of(m, "lineAlign", at, LineAlign::Start, &[("start", LineAlign::Start), ("center", LineAlign::Center), ("end", LineAlign::End)])?,
            position,
            position_align: one_of(
                m,
                "positionAlign",
                at,
                PositionAlign::Auto,
                &[("line-left", PositionAlign::LineLeft), ("center", PositionAlign::Center), ("line-right", PositionAlign::LineRight), ("auto", PositionAlign::Auto)],
            )?,
            size: percent(m, "size", at, 100.0)?,
            align: one_of(
                m,
                "align",
                at,
                Align::Center,
                &[("start", Align::Start), ("center", Align::Center), ("end", Align::End), ("left", Align::Left), ("right", Align::Right)],
            )?,
            region,
        },
    })
}

/// Reads the JS form back (cues as `parseCaptions` gives them, possibly edited by the caller).
/// Only `cues` is required; each cue needs `startTime` and `endTime`, the rest has the spec's
/// defaults. Errors name the place: `cues[3].endTime: is before startTime (…)`.
pub fn from_js_form(v: &Value) -> Result<Captions, ArgError> {
    let m = v.as_object().ok_or_else(|| ArgError::new("captions", format!("expected an object with cues, got {}", kind(v))))?;
    let top = At("captions");
    let cues = get(m, "cues").and_then(Value::as_array).ok_or_else(|| top.err("cues", "expected an array of cues"))?;
    let cues = cues.iter().enumerate().map(|(i, c)| cue(c, &At(&format!("cues[{i}]")))).collect::<Result<Vec<_>, _>>()?;
    let regions = match get(m, "regions") {
        None => vec![],
        Some(Value::Array(rs)) => rs.iter().enumerate().map(|(i, r)| region(r, &At(&format!("regions[{i}]")))).collect::<Result<_, _>>()?,
        Some(_) => return Err(top.err("regions", "expected an array")),
    };
    let blocks = match get(m, "blocks") {
        None => vec![],
        Some(Value::Array(bs)) => bs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let at = At(&format!("blocks[{i}]"));
                let bm = b.as_object().ok_or_else(|| at.err("", "expected a block object"))?;
                let kind = one_of(bm, "kind", &at, BlockKind::Note, &[("style", BlockKind::Style), ("note", BlockKind::Note)])?;
                let before = num(bm, "beforeCue", &at, 0.0)?;
                if before < 0.0 || before.fract() != 0.0 {
                    return Err(at.err("beforeCue", format!("must be a cue index, got {before}")));
                }
                Ok(Block { kind, text: text(bm, "text", &at)?.to_string(), before_cue: (before as usize).min(cues.len()) })
            })
            .collect::<Result<_, ArgError>>()?,
        Some(_) => return Err(top.err("blocks", "expected an array")),
    };
    Ok(Captions { header: text(m, "header", &top)?.to_string(), cues, regions, blocks })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
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
        let v = to_js_form(&c, &notes, f);
        assert_eq!(v["cues"][0]["region"]["id"], "r1");
        assert_eq!(v["blocks"].as_array().unwrap().len(), 2);
        assert_eq!(from_js_form(&v).unwrap(), c);
        // Through JSON text too, as it crosses to JS and back.
        let again: Value = serde_json::from_str(&v.to_string()).unwrap();
        assert_eq!(from_js_form(&again).unwrap(), c);
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
        let cases = [
            (json!({"cues": [{"startTime": 1, "endTime": 0.5}]}), "cues[0].endTime"),
            (json!({"cues": [{"startTime": "1", "endTime": 2}]}), "cues[0].startTime"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "align": "middle"}]}), "cues[0].align"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "size": 120}]}), "cues[0].size"),
            (json!({"cues": [{"startTime": 1, "endTime": 2, "line": 150, "snapToLines": false}]}), "cues[0].line"),
            (json!({"cues": [], "regions": [{"lines": 1.5}]}), "regions[0].lines"),
            (json!({"cues": 3}), "captions.cues"),
            (json!([1]), "captions"),
        ];
        for (v, place) in cases {
            assert_eq!(from_js_form(&v).unwrap_err().place, place, "{v}");
        }
    }
}
