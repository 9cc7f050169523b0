//! A parse result as the browser's TextTrack API would show it (`VTTCue` and `VTTRegion`
//! properties, times in seconds), as JSON: what the CLI's `--to json` prints and what the
//! conformance tests check.

use serde_json::{json, Value};

use super::model::{Align, Captions, Line, LineAlign, PositionAlign, Region, Vertical};
use super::webvtt::Diagnostic;

/// `{"cues": [...], "regions": [...], "diagnostics": [...]}`. A cue's `region` is the region
/// object (with `index`, its place in `regions`, so that identity can be compared) or null.
pub fn to_textrack_json(captions: &Captions, diagnostics: &[Diagnostic]) -> Value {
    let regions: Vec<Value> = captions.regions.iter().enumerate().map(|(i, r)| region_json(i, r)).collect();
    let cues: Vec<Value> = captions
        .cues
        .iter()
        .map(|cue| {
            let s = &cue.settings;
            // A cue names its region by id; like the parser, the last region with that id wins.
            let region = s
                .region
                .as_ref()
                .and_then(|id| captions.regions.iter().rposition(|r| &r.id == id))
                .map_or(Value::Null, |i| regions[i].clone());
            let (line, snap) = match s.line {
                Line::Auto => (json!("auto"), true),
                Line::Number(n) => (json!(n), true),
                Line::Percent(p) => (json!(p), false),
            };
            json!({
                "id": cue.id,
                "startTime": cue.start.seconds(),
                "endTime": cue.end.seconds(),
                "text": cue.text,
                "align": match s.align {
                    Align::Start => "start",
                    Align::Center => "center",
                    Align::End => "end",
                    Align::Left => "left",
                    Align::Right => "right",
                },
                "line": line,
                "lineAlign": match s.line_align {
                    LineAlign::Start => "start",
                    LineAlign::Center => "center",
                    LineAlign::End => "end",
                },
                "position": s.position.map_or(json!("auto"), |p| json!(p)),
                "positionAlign": match s.position_align {
                    PositionAlign::LineLeft => "line-left",
                    PositionAlign::Center => "center",
                    PositionAlign::LineRight => "line-right",
                    PositionAlign::Auto => "auto",
                },
                "size": s.size,
                "vertical": match s.vertical {
                    Vertical::Horizontal => "",
                    Vertical::Rl => "rl",
                    Vertical::Lr => "lr",
                },
                "snapToLines": snap,
                "region": region,
            })
        })
        .collect();
    json!({ "cues": cues, "regions": regions, "diagnostics": diagnostics })
}

fn region_json(index: usize, r: &Region) -> Value {
    json!({
        "index": index,
        "id": r.id,
        "width": r.width,
        "lines": r.lines,
        "regionAnchorX": r.region_anchor.0,
        "regionAnchorY": r.region_anchor.1,
        "viewportAnchorX": r.viewport_anchor.0,
        "viewportAnchorY": r.viewport_anchor.1,
        "scroll": if r.scroll_up { "up" } else { "" },
    })
}
