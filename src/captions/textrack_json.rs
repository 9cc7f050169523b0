//! A parse result as the browser's TextTrack API would show it (`VTTCue` and `VTTRegion`
//! properties, times in seconds, cues in the HTML "text track cue order"), as JSON: what the CLI's
//! `--to json` prints and what the conformance tests check. Built from borrowing views.

use serde::Serialize;
use serde_json::Value;

use super::model::{Align, Captions, Cue, Line, LineAlign, PositionAlign, Region, Vertical};
use super::webvtt::Diagnostic;

/// `{"cues": [...], "regions": [...], "diagnostics": [...]}` as a JSON value. A cue's `region` is
/// the region object (with `index`, its place in `regions`, so that identity can be compared) or
/// null.
pub fn to_textrack_json(captions: &Captions, diagnostics: &[Diagnostic]) -> Value {
    serde_json::to_value(TextTrack::new(captions, diagnostics)).unwrap_or(Value::Null)
}

/// The same JSON as [`to_textrack_json`], written straight to text (faster for large files).
pub fn textrack_json_string(
    captions: &Captions,
    diagnostics: &[Diagnostic],
    pretty: bool,
) -> String {
    let mut out = Vec::new();
    // Writing into a Vec fails only on a serializer error, which these views never raise.
    let _ = write_textrack_json(captions, diagnostics, pretty, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The same JSON again, written to `w` as it is made: the cue views are made one at a time, so
/// a million cues cost no more than the captions themselves.
pub fn write_textrack_json(
    captions: &Captions,
    diagnostics: &[Diagnostic],
    pretty: bool,
    w: impl std::io::Write,
) -> serde_json::Result<()> {
    let view = Streamed { captions, diagnostics };
    if pretty {
        serde_json::to_writer_pretty(w, &view)
    } else {
        serde_json::to_writer(w, &view)
    }
}

/// [`TextTrack`] serialized without holding its cue views.
struct Streamed<'a> {
    captions: &'a Captions,
    diagnostics: &'a [Diagnostic],
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Cues<'a>(&'a Captions);
        impl Serialize for Cues<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(cue_views(self.0))
            }
        }
        let regions: Vec<TextTrackRegion> = region_views(self.captions).collect();
        let mut m = s.serialize_struct("TextTrack", 3)?;
        m.serialize_field("cues", &Cues(self.captions))?;
        m.serialize_field("regions", &regions)?;
        m.serialize_field("diagnostics", self.diagnostics)?;
        m.end()
    }
}

fn region_views(captions: &Captions) -> impl Iterator<Item = TextTrackRegion<'_>> {
    captions.regions.iter().enumerate().map(|(index, r)| TextTrackRegion::new(index, r))
}

/// The cue views in "text track cue order", made as they are asked for.
fn cue_views(captions: &Captions) -> impl Iterator<Item = TextTrackCue<'_>> {
    // A cue names its region by id; like the parser, the last region with that id wins.
    let mut by_id = std::collections::HashMap::new();
    for (i, r) in captions.regions.iter().enumerate() {
        by_id.insert(r.id.as_str(), i);
    }
    // `track.cues` lists cues by start time, then by end time latest first, then in file order.
    let mut order: Vec<&Cue> = captions.cues.iter().collect();
    crate::sort::sort_by(&mut order, |a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    order.into_iter().map(move |cue| {
        let region = cue.settings.region.as_deref().and_then(|id| by_id.get(id).copied());
        TextTrackCue::new(cue, region.map(|i| TextTrackRegion::new(i, &captions.regions[i])))
    })
}

/// The TextTrack view of a parse result; `Serialize` gives the JSON described above.
#[derive(Serialize)]
pub struct TextTrack<'a> {
    pub cues: Vec<TextTrackCue<'a>>,
    pub regions: Vec<TextTrackRegion<'a>>,
    pub diagnostics: &'a [Diagnostic],
}

impl<'a> TextTrack<'a> {
    pub fn new(captions: &'a Captions, diagnostics: &'a [Diagnostic]) -> TextTrack<'a> {
        TextTrack {
            cues: cue_views(captions).collect(),
            regions: region_views(captions).collect(),
            diagnostics,
        }
    }
}

/// A number or `"auto"`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum AutoOr {
    Auto(&'static str),
    Number(f64),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextTrackCue<'a> {
    pub id: &'a str,
    pub start_time: f64,
    pub end_time: f64,
    pub text: &'a str,
    pub align: &'static str,
    pub line: AutoOr,
    pub line_align: &'static str,
    pub position: AutoOr,
    pub position_align: &'static str,
    pub size: f64,
    pub vertical: &'static str,
    pub snap_to_lines: bool,
    pub region: Option<TextTrackRegion<'a>>,
}

impl<'a> TextTrackCue<'a> {
    fn new(cue: &'a Cue, region: Option<TextTrackRegion<'a>>) -> TextTrackCue<'a> {
        let s = &cue.settings;
        let line = match s.line {
            Line::Auto => AutoOr::Auto("auto"),
            Line::Number(n) | Line::Percent(n) => AutoOr::Number(n),
        };
        let snap_to_lines = s.line.snap_to_lines();
        TextTrackCue {
            id: &cue.id,
            start_time: cue.start.seconds(),
            end_time: cue.end.seconds(),
            text: &cue.text,
            align: match s.align {
                Align::Start => "start",
                Align::Center => "center",
                Align::End => "end",
                Align::Left => "left",
                Align::Right => "right",
            },
            line,
            line_align: match s.line_align {
                LineAlign::Start => "start",
                LineAlign::Center => "center",
                LineAlign::End => "end",
            },
            position: s.position.map_or(AutoOr::Auto("auto"), AutoOr::Number),
            position_align: match s.position_align {
                PositionAlign::LineLeft => "line-left",
                PositionAlign::Center => "center",
                PositionAlign::LineRight => "line-right",
                PositionAlign::Auto => "auto",
            },
            size: s.size,
            vertical: match s.vertical {
                Vertical::Horizontal => "",
                Vertical::Rl => "rl",
                Vertical::Lr => "lr",
            },
            snap_to_lines,
            region,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextTrackRegion<'a> {
    /// The region's place in `regions`: its identity.
    pub index: usize,
    pub id: &'a str,
    pub width: f64,
    pub lines: f64,
    pub region_anchor_x: f64,
    pub region_anchor_y: f64,
    pub viewport_anchor_x: f64,
    pub viewport_anchor_y: f64,
    pub scroll: &'static str,
}

impl<'a> TextTrackRegion<'a> {
    fn new(index: usize, r: &'a Region) -> TextTrackRegion<'a> {
        TextTrackRegion {
            index,
            id: &r.id,
            width: r.width,
            lines: r.lines,
            region_anchor_x: r.region_anchor.0,
            region_anchor_y: r.region_anchor.1,
            viewport_anchor_x: r.viewport_anchor.0,
            viewport_anchor_y: r.viewport_anchor.1,
            scroll: if r.scroll_up { "up" } else { "" },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::parse_webvtt;

    #[test]
    fn cues_follow_text_track_cue_order() {
        let src = "WEBVTT\n\na\n00:02.000 --> 00:03.000\n\nb\n00:01.000 --> 00:02.000\n\n\
                   c\n00:01.000 --> 00:05.000\n\nd\n00:01.000 --> 00:02.000\n";
        let p = parse_webvtt(src).unwrap();
        let json = to_textrack_json(&p.captions, &p.diagnostics);
        let ids: Vec<&str> =
            json["cues"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["c", "b", "d", "a"]);
    }

    #[test]
    fn streamed_json_is_the_views_json() {
        let src = "WEBVTT\n\nREGION\nid:r\n\n1\n00:02.000 --> 00:03.000 region:r\nb\n\n\
                   00:01.000 --> 00:05.000 align:left line:10%\na\n";
        let p = parse_webvtt(src).unwrap();
        let view = TextTrack::new(&p.captions, &p.diagnostics);
        for pretty in [false, true] {
            let whole = if pretty {
                serde_json::to_string_pretty(&view).unwrap()
            } else {
                serde_json::to_string(&view).unwrap()
            };
            assert_eq!(textrack_json_string(&p.captions, &p.diagnostics, pretty), whole);
        }
    }
}
