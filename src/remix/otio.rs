//! OTIO JSON in and out. Reading turns the JSON tree into the typed model, keeping each object's
//! original members; writing starts from those members and overwrites the ones the model knows,
//! so unknown keys, their order and number spellings come back unchanged. A target version
//! (`ExportOptions { target: Some("0.18") }`) rewrites schemas to what that OTIO release reads.

use super::error::RemixError;
use super::json::{self, Json, Num, Obj};
use super::model::*;

/// How to write OTIO JSON.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// `None`: every schema as read (lossless). `Some("0.18")`: the schemas opentimelineio 0.18
    /// writes (`Clip.2`, `Marker.2`, `Track.1`…), downgrading newer ones (`Marker.3` colours
    /// become colour names).
    pub target: Option<String>,
}

/// Reads an OTIO JSON document holding a `Timeline`. Tracks and stacks are read child by child
/// straight into the model, so a large file never exists as a whole JSON tree (see
/// [`stream_composable`]); a file that is not JSON fails as such before any schema error counts.
pub fn import_otio(text: &str) -> Result<Timeline, RemixError> {
    let mut p = json::Parser::new(text);
    let read = if p.at_object() {
        p.check_depth(0)?;
        let mut tracks = None;
        let o = p.object_with(0, &mut |p, key, depth| {
            if key != "tracks" || !p.at_object() {
                return Ok(None);
            }
            tracks = Some(stream_composable(p, "tracks", depth)?);
            Ok(Some(Json::Null))
        })?;
        timeline_from(&o, tracks)
    } else {
        read_timeline(&p.read_value(0)?)
    };
    p.finish()?;
    read
}

/// Reads the object at the parser (nesting level `depth`) as a composable. The children of a
/// track or stack whose schema comes before them (as OTIO writes it) are read one by one and
/// each turned into the model at once; anything else is read as a tree first. A schema error is
/// kept while the rest is still read, so that a JSON error anywhere takes precedence, and the
/// error reported is the one reading the whole tree would report.
fn stream_composable(
    p: &mut json::Parser,
    path: &str,
    depth: usize,
) -> Result<Result<Composable, RemixError>, json::JsonError> {
    p.check_depth(depth)?;
    let mut schema: Option<String> = None;
    let mut children: Option<Result<Vec<Composable>, RemixError>> = None;
    let o = p.object_with(depth, &mut |p, key, depth| {
        if key == "OTIO_SCHEMA" {
            let v = p.read_value(depth)?;
            schema = v.as_str().map(str::to_string);
            return Ok(Some(v));
        }
        let composite =
            matches!(schema.as_deref().map(schema_name), Some("Track" | "Sequence" | "Stack"));
        if key != "children" || !composite || !p.at_array() {
            return Ok(None);
        }
        let (mut kids, mut first_err) = (Vec::new(), None);
        p.array_with(depth, &mut |p, i, depth| {
            let at = format!("{path}.children[{i}]");
            let child = if p.at_object() {
                stream_composable(p, &at, depth)?
            } else {
                read_composable(&p.read_value(depth)?, &at)
            };
            match child {
                Ok(c) if first_err.is_none() => kids.push(c),
                Ok(_) => {}
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
            Ok(())
        })?;
        children = Some(first_err.map_or(Ok(kids), Err));
        Ok(Some(Json::Null))
    })?;
    Ok(match children {
        Some(kids) => composite_from(&o, path, kids),
        None => read_composable(&Json::Obj(o), path),
    })
}

/// A track or stack from its members and its children, read already; errors in the order
/// [`read_composable`] finds them.
fn composite_from(
    o: &Obj,
    path: &str,
    children: Result<Vec<Composable>, RemixError>,
) -> Result<Composable, RemixError> {
    Ok(match schema_name(schema_of(o)) {
        "Stack" => Composable::Stack(Stack { base: read_base(o, path)?, children: children? }),
        _ => Composable::Track(Track {
            base: read_base(o, path)?,
            kind: opt_str(o, "kind", path)?.unwrap_or_else(|| "Video".into()),
            children: children?,
        }),
    })
}

/// Writes a timeline as OTIO JSON (4-space indent, members in their original order).
pub fn export_otio(t: &Timeline, opts: &ExportOptions) -> Result<String, RemixError> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the writer writes only UTF-8.
    let _ = otio_writer(opts)?.write(t, &mut out);
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// The OTIO JSON tree of a timeline (what `export_otio` prints).
pub fn timeline_to_json(t: &Timeline, opts: &ExportOptions) -> Result<Json, RemixError> {
    Ok(writer(opts)?.timeline(t))
}

/// Writes timelines as OTIO JSON to any `io::Write`, item by item: the JSON of a whole
/// timeline (several times the size of its model) is never built. The text is exactly
/// [`export_otio`]'s.
pub struct OtioWriter(Writer);

/// A writer for `opts`; fails on an unknown target version.
pub fn otio_writer(opts: &ExportOptions) -> Result<OtioWriter, RemixError> {
    writer(opts).map(OtioWriter)
}

impl OtioWriter {
    pub fn write(&self, t: &Timeline, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut o = self.0.timeline_members(t);
        o.set("tracks", Json::Null);
        let mut buf = String::new();
        self.0.stream_obj(&o, 0, Streamed::Tracks(&t.tracks), &mut buf, out)?;
        buf.push('\n');
        out.write_all(buf.as_bytes())
    }
}

fn writer(opts: &ExportOptions) -> Result<Writer, RemixError> {
    let target = match opts.target.as_deref() {
        None => None,
        Some(v) if v.starts_with("0.18") || v.starts_with("0.17") || v.starts_with("0.16") => {
            Some(Target::V018)
        }
        Some(v) => {
            return Err(RemixError::Export(format!(
                "unknown target version '{v}' (supported: 0.16 to 0.18)"
            )))
        }
    };
    Ok(Writer { target })
}

/// The member a streamed object writes from the model rather than from its `Obj`.
#[derive(Clone, Copy)]
enum Streamed<'a> {
    Tracks(&'a Stack),
    Children(&'a [Composable]),
}

/// Below this many bytes, buffered text waits for more before going to the writer.
const FLUSH_AT: usize = 64 * 1024;

// ---------------------------------------------------------------- reading

fn obj<'a>(v: &'a Json, path: &str) -> Result<&'a Obj, RemixError> {
    v.as_obj().ok_or_else(|| RemixError::schema(path, "expected an object"))
}

fn schema_of(o: &Obj) -> &str {
    o.get("OTIO_SCHEMA").and_then(Json::as_str).unwrap_or("")
}

fn opt_str(o: &Obj, key: &str, path: &str) -> Result<Option<String>, RemixError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(RemixError::schema(&format!("{path}.{key}"), "expected a string")),
    }
}

fn num(o: &Obj, key: &str, path: &str) -> Result<Num, RemixError> {
    match o.get(key) {
        Some(Json::Num(n)) => Ok(n.clone()),
        _ => Err(RemixError::schema(&format!("{path}.{key}"), "expected a number")),
    }
}

/// A `RationalTime`. Its rate must be a finite number above 0 and its value finite: OTIO's
/// JSON allows `Infinity` and 400-digit numbers anywhere, but as a time they would turn into
/// nonsense later (an infinite duration reported as "lost 3 frames"). Durations, and transition
/// offsets, are also at least 0.
fn read_rt(v: &Json, path: &str) -> Result<RationalTime, RemixError> {
    read_rt_checked(v, path, false)
}

fn read_length(v: &Json, path: &str) -> Result<RationalTime, RemixError> {
    read_rt_checked(v, path, true)
}

fn read_rt_checked(v: &Json, path: &str, length: bool) -> Result<RationalTime, RemixError> {
    let o = obj(v, path)?;
    let (value, rate) = (num(o, "value", path)?, num(o, "rate", path)?);
    let (r, x) = (rate.f64(), value.f64());
    if !(r.is_finite() && r > 0.0) {
        let why = format!("must be a finite number above 0, got {}", rate.text());
        return Err(RemixError::schema(&format!("{path}.rate"), why));
    }
    if !x.is_finite() {
        let why = format!("must be a finite number, got {}", shorten(&value.text()));
        return Err(RemixError::schema(&format!("{path}.value"), why));
    }
    if length && x < 0.0 {
        let why = format!("a length must not be negative, got {}", value.text());
        return Err(RemixError::schema(&format!("{path}.value"), why));
    }
    Ok(RationalTime {
        value,
        rate,
        raw: raw_unless_plain(o, "RationalTime.1", ["rate", "value"]).into(),
    })
}

/// What a time or range keeps of its object: nothing when it is exactly what the writer makes
/// from the model (the schema, then its two members, as OTIO writes them), which is nearly
/// always; else its shell, for unknown members and key order. A timeline holds two or four of
/// these per item, so keeping a copy of each costs more than the rest of the model.
fn raw_unless_plain(o: &Obj, schema: &str, members: [&str; 2]) -> Obj {
    let plain = matches!(o.0.as_slice(), [(k0, Json::Str(s)), (k1, _), (k2, _)]
        if k0 == "OTIO_SCHEMA" && s == schema && k1 == members[0] && k2 == members[1]);
    if plain {
        Obj::default()
    } else {
        shell(o, &["OTIO_SCHEMA", members[0], members[1]])
    }
}

/// A number's text for a message: a 400-digit one is cut.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 24 {
        return text.to_string();
    }
    let head: String = text.chars().take(12).collect();
    format!("{head}… ({} characters)", text.chars().count())
}

fn read_opt_rt(o: &Obj, key: &str, path: &str) -> Result<Option<RationalTime>, RemixError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read_rt(v, &format!("{path}.{key}")).map(Some),
    }
}

fn read_opt_length(o: &Obj, key: &str, path: &str) -> Result<Option<RationalTime>, RemixError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read_length(v, &format!("{path}.{key}")).map(Some),
    }
}

fn read_range(v: &Json, path: &str) -> Result<TimeRange, RemixError> {
    let o = obj(v, path)?;
    let start =
        o.get("start_time").ok_or_else(|| RemixError::schema(path, "missing start_time"))?;
    let dur = o.get("duration").ok_or_else(|| RemixError::schema(path, "missing duration"))?;
    Ok(TimeRange {
        start_time: read_rt(start, &format!("{path}.start_time"))?,
        duration: read_length(dur, &format!("{path}.duration"))?,
        raw: raw_unless_plain(o, "TimeRange.1", ["duration", "start_time"]).into(),
    })
}

fn read_opt_range(o: &Obj, key: &str, path: &str) -> Result<Option<TimeRange>, RemixError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read_range(v, &format!("{path}.{key}")).map(Some),
    }
}

fn arr<'a>(o: &'a Obj, key: &str, path: &str) -> Result<&'a [Json], RemixError> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(&[]),
        Some(Json::Arr(a)) => Ok(a),
        Some(_) => Err(RemixError::schema(&format!("{path}.{key}"), "expected an array")),
    }
}

fn metadata(o: &Obj) -> Json {
    o.get("metadata").cloned().unwrap_or(Json::Obj(Obj::default()))
}

/// The object as read, minus what the model holds itself: those members keep their place (so
/// the writer puts them back where they were) but as null, since the writer always rewrites them
/// from the model. Copying them would copy every track's whole subtree once per level above it.
fn shell(o: &Obj, modelled: &[&str]) -> Obj {
    Obj(o
        .0
        .iter()
        .map(|(k, v)| (k.clone(), if modelled.contains(&&**k) { Json::Null } else { v.clone() }))
        .collect())
}

/// What every item's shell leaves out: what the model holds, and what the writer always writes
/// from the model (the schema, name and enabled flag).
const BASE_MEMBERS: [&str; 10] = [
    "OTIO_SCHEMA",
    "name",
    "enabled",
    "children",
    "markers",
    "effects",
    "metadata",
    "source_range",
    "media_references",
    "media_reference",
];

fn read_effect(v: &Json, path: &str) -> Result<Effect, RemixError> {
    let o = obj(v, path)?;
    let schema = name_of(schema_of(o));
    let time_scalar = match schema_name(&schema) {
        "FreezeFrame" => Some(0.0),
        "LinearTimeWarp" => Some(o.get("time_scalar").and_then(Json::as_f64).unwrap_or(1.0)),
        _ => None,
    };
    Ok(Effect {
        name: opt_str(o, "name", path)?,
        effect_name: opt_str(o, "effect_name", path)?,
        metadata: metadata(o),
        time_scalar,
        schema,
        raw: shell(o, &["OTIO_SCHEMA", "name", "effect_name", "metadata"]),
    })
}

fn read_marker(v: &Json, path: &str) -> Result<Marker, RemixError> {
    let o = obj(v, path)?;
    // Marker.1 files called the range `range`; a file with both keys has its range in the one
    // that is not null.
    let given = |key| o.get(key).filter(|r| **r != Json::Null);
    let range = given("marked_range").or_else(|| given("range"));
    let marked_range = match range {
        Some(r) if *r != Json::Null => read_range(r, &format!("{path}.marked_range"))?,
        _ => TimeRange::new(RationalTime::new(0.0, 1.0), RationalTime::new(0.0, 1.0)),
    };
    Ok(Marker {
        schema: name_of(schema_of(o)),
        name: opt_str(o, "name", path)?,
        color: o.get("color").cloned().unwrap_or(Json::Null),
        marked_range,
        comment: opt_str(o, "comment", path)?,
        metadata: metadata(o),
        raw: shell(
            o,
            &["OTIO_SCHEMA", "name", "color", "comment", "metadata", "marked_range", "range"],
        ),
    })
}

fn read_base(o: &Obj, path: &str) -> Result<ItemBase, RemixError> {
    let effects = arr(o, "effects", path)?
        .iter()
        .enumerate()
        .map(|(i, e)| read_effect(e, &format!("{path}.effects[{i}]")))
        .collect::<Result<_, _>>()?;
    let markers = arr(o, "markers", path)?
        .iter()
        .enumerate()
        .map(|(i, m)| read_marker(m, &format!("{path}.markers[{i}]")))
        .collect::<Result<_, _>>()?;
    let enabled = match o.get("enabled") {
        None | Some(Json::Null) => true,
        Some(Json::Bool(b)) => *b,
        Some(_) => {
            return Err(RemixError::schema(&format!("{path}.enabled"), "expected true or false"))
        }
    };
    Ok(ItemBase {
        schema: name_of(schema_of(o)),
        name: opt_str(o, "name", path)?,
        metadata: metadata(o),
        source_range: read_opt_range(o, "source_range", path)?,
        effects,
        markers,
        enabled,
        raw: shell(o, &BASE_MEMBERS).into(),
    })
}

fn read_media(v: &Json, path: &str) -> Result<MediaReference, RemixError> {
    let o = obj(v, path)?;
    let schema = name_of(schema_of(o));
    let url_key = if schema_name(&schema) == "ImageSequenceReference" {
        "target_url_base"
    } else {
        "target_url"
    };
    let mut m = MediaReference {
        name: opt_str(o, "name", path)?,
        target_url: opt_str(o, url_key, path)?,
        available_range: read_opt_range(o, "available_range", path)?,
        metadata: metadata(o),
        schema,
        raw: Shell::default(),
    };
    if LOSSLESS.media(&m) != *v {
        m.raw = shell(o, &["OTIO_SCHEMA", "name", url_key, "metadata", "available_range"]).into();
    }
    Ok(m)
}

/// The lossless writer, to tell whether an object is exactly what it writes for a new item.
const LOSSLESS: Writer = Writer { target: None };

fn read_clip(o: &Obj, path: &str) -> Result<Clip, RemixError> {
    let base = read_base(o, path)?;
    let mut refs = Vec::new();
    let mut active: Name = DEFAULT_MEDIA.into();
    if let Some(Json::Obj(m)) = o.get("media_references") {
        for (k, v) in &m.0 {
            refs.push((name_of(k), read_media(v, &format!("{path}.media_references.{k}"))?));
        }
        if let Some(k) = opt_str(o, "active_media_reference_key", path)? {
            active = name_of(&k);
        }
    } else {
        // A null reference stays absent (written back as null); OTIO reads it as missing media.
        if let Some(v) = o.get("media_reference").filter(|v| **v != Json::Null) {
            refs.push((DEFAULT_MEDIA.into(), read_media(v, &format!("{path}.media_reference"))?));
        }
    }
    Ok(Clip { base, media_references: refs, active_key: active })
}

fn read_children(o: &Obj, path: &str) -> Result<Vec<Composable>, RemixError> {
    arr(o, "children", path)?
        .iter()
        .enumerate()
        .map(|(i, c)| read_composable(c, &format!("{path}.children[{i}]")))
        .collect()
}

fn read_composable(v: &Json, path: &str) -> Result<Composable, RemixError> {
    let o = obj(v, path)?;
    let schema = schema_of(o);
    Ok(match schema_name(schema) {
        // An item laid out exactly as the writer lays out a new one (as OTIO writes them) needs
        // no shell to come back unchanged: most items of a large file, at a fraction of the
        // memory. Anything else (another key order, an unknown member) keeps its shell.
        "Clip" => {
            let mut c = read_clip(o, path)?;
            let shell = std::mem::take(&mut c.base.raw);
            if LOSSLESS.clip(&c) != *v {
                c.base.raw = shell;
            }
            Composable::Clip(c)
        }
        "Gap" => {
            let mut g = read_base(o, path)?;
            let shell = std::mem::take(&mut g.raw);
            if Json::Obj(LOSSLESS.base(&g)) != *v {
                g.raw = shell;
            }
            Composable::Gap(g)
        }
        "Transition" => Composable::Transition(Transition {
            schema: name_of(schema),
            name: opt_str(o, "name", path)?,
            transition_type: opt_str(o, "transition_type", path)?.unwrap_or_default(),
            in_offset: read_opt_length(o, "in_offset", path)?
                .unwrap_or_else(|| RationalTime::new(0.0, 24.0)),
            out_offset: read_opt_length(o, "out_offset", path)?
                .unwrap_or_else(|| RationalTime::new(0.0, 24.0)),
            metadata: metadata(o),
            raw: shell(
                o,
                &["OTIO_SCHEMA", "name", "transition_type", "metadata", "in_offset", "out_offset"],
            ),
        }),
        "Track" | "Sequence" => Composable::Track(Track {
            base: read_base(o, path)?,
            kind: opt_str(o, "kind", path)?.unwrap_or_else(|| "Video".into()),
            children: read_children(o, path)?,
        }),
        "Stack" => Composable::Stack(Stack {
            base: read_base(o, path)?,
            children: read_children(o, path)?,
        }),
        _ => Composable::Unknown(v.clone()),
    })
}

/// Reads a timeline from an OTIO JSON tree.
pub fn read_timeline(doc: &Json) -> Result<Timeline, RemixError> {
    timeline_from(obj(doc, "$")?, None)
}

/// A timeline from its members; `tracks` is its `tracks` member when it was read already.
fn timeline_from(
    o: &Obj,
    tracks: Option<Result<Composable, RemixError>>,
) -> Result<Timeline, RemixError> {
    let schema = schema_of(o);
    if schema_name(schema) != "Timeline" {
        return Err(RemixError::schema(
            "OTIO_SCHEMA",
            format!("expected a Timeline, got '{schema}'"),
        ));
    }
    let tracks = match tracks {
        Some(read) => Some(read?),
        None => match o.get("tracks") {
            None | Some(Json::Null) => None,
            Some(v) => Some(read_composable(v, "tracks")?),
        },
    };
    let tracks = match tracks {
        None => Stack { base: ItemBase::new("Stack.1", "tracks"), children: vec![] },
        Some(Composable::Stack(s)) => s,
        Some(_) => return Err(RemixError::schema("tracks", "expected a Stack")),
    };
    Ok(Timeline {
        schema: name_of(schema),
        name: opt_str(o, "name", "$")?,
        metadata: metadata(o),
        global_start_time: read_opt_rt(o, "global_start_time", "$")?,
        tracks,
        raw: shell(o, &["metadata", "global_start_time", "tracks"]),
    })
}

// ---------------------------------------------------------------- writing

#[derive(Clone, Copy, PartialEq)]
enum Target {
    V018,
}

struct Writer {
    target: Option<Target>,
}

/// Sets `key` when the object had it, is new (`fresh`), or the value is not an empty default:
/// files that left a key out get it left out again.
fn put(o: &mut Obj, fresh: bool, key: &str, value: Json) {
    let empty = match &value {
        Json::Null => true,
        Json::Arr(a) => a.is_empty(),
        Json::Obj(x) => x.0.is_empty(),
        _ => false,
    };
    if fresh || !empty || o.get(key).is_some() {
        o.set(key, value);
    }
}

fn opt_str_json(s: &Option<String>) -> Json {
    s.as_ref().map_or(Json::Null, |s| Json::Str(s.clone()))
}

/// Colour names `Marker.2` knows, with their RGB, for downgrading `Marker.3` colours.
const MARKER_COLORS: [(&str, [f64; 3]); 11] = [
    ("PINK", [1.0, 0.44, 0.82]),
    ("RED", [1.0, 0.0, 0.0]),
    ("ORANGE", [1.0, 0.6, 0.0]),
    ("YELLOW", [1.0, 1.0, 0.0]),
    ("GREEN", [0.0, 1.0, 0.0]),
    ("CYAN", [0.0, 1.0, 1.0]),
    ("BLUE", [0.0, 0.0, 1.0]),
    ("PURPLE", [0.5, 0.0, 0.5]),
    ("MAGENTA", [1.0, 0.0, 1.0]),
    ("BLACK", [0.0, 0.0, 0.0]),
    ("WHITE", [1.0, 1.0, 1.0]),
];

fn color_name(c: &Json) -> Json {
    let Some(o) = c.as_obj() else { return c.clone() };
    if let Some(n) = o.get("name").and_then(Json::as_str) {
        let up = n.to_ascii_uppercase();
        if MARKER_COLORS.iter().any(|(k, _)| *k == up) {
            return Json::Str(up);
        }
    }
    let ch = |k: &str| o.get(k).and_then(Json::as_f64).unwrap_or(0.0);
    let rgb = [ch("r"), ch("g"), ch("b")];
    let dist = |c: &[f64; 3]| (0..3).map(|i| (c[i] - rgb[i]).powi(2)).sum::<f64>();
    let best = MARKER_COLORS.iter().min_by(|a, b| dist(&a.1).total_cmp(&dist(&b.1)));
    Json::str(best.map_or("RED", |b| b.0))
}

impl Writer {
    fn schema(&self, schema: &str) -> String {
        match self.target {
            None => schema.to_string(),
            Some(Target::V018) => match schema_name(schema) {
                "Clip" => "Clip.2".into(),
                "Marker" => "Marker.2".into(),
                "Sequence" | "Track" => "Track.1".into(),
                "Timeline"
                | "Stack"
                | "Gap"
                | "Transition"
                | "Effect"
                | "LinearTimeWarp"
                | "FreezeFrame"
                | "ExternalReference"
                | "MissingReference"
                | "GeneratorReference"
                | "ImageSequenceReference"
                | "TimeEffect" => format!("{}.1", schema_name(schema)),
                _ => schema.to_string(),
            },
        }
    }

    fn rt(&self, t: &RationalTime) -> Json {
        let mut o = t.raw.to_obj();
        o.set("OTIO_SCHEMA", Json::str("RationalTime.1"));
        o.set("rate", Json::Num(t.rate.clone()));
        o.set("value", Json::Num(t.value.clone()));
        Json::Obj(o)
    }

    fn range(&self, r: &TimeRange) -> Json {
        let mut o = r.raw.to_obj();
        o.set("OTIO_SCHEMA", Json::str("TimeRange.1"));
        o.set("duration", self.rt(&r.duration));
        o.set("start_time", self.rt(&r.start_time));
        Json::Obj(o)
    }

    fn opt_range(&self, r: &Option<TimeRange>) -> Json {
        r.as_ref().map_or(Json::Null, |r| self.range(r))
    }

    fn effect(&self, e: &Effect) -> Json {
        let mut o = e.raw.clone();
        let fresh = e.raw.0.is_empty();
        o.set("OTIO_SCHEMA", Json::str(self.schema(&e.schema)));
        put(&mut o, fresh, "metadata", e.metadata.clone());
        put(&mut o, fresh, "name", opt_str_json(&e.name));
        put(&mut o, fresh, "effect_name", opt_str_json(&e.effect_name));
        if schema_name(&e.schema) == "LinearTimeWarp" {
            if let Some(s) = e.time_scalar {
                let keep = o.get("time_scalar").and_then(Json::as_f64) == Some(s);
                if !keep {
                    o.set("time_scalar", Json::f64(s));
                }
            }
        }
        Json::Obj(o)
    }

    fn marker(&self, m: &Marker) -> Json {
        let mut o = m.raw.clone();
        let fresh = m.raw.0.is_empty();
        let schema = self.schema(&m.schema);
        o.set("OTIO_SCHEMA", Json::str(schema.as_str()));
        put(&mut o, fresh, "metadata", m.metadata.clone());
        put(&mut o, fresh, "name", opt_str_json(&m.name));
        let color = if schema == "Marker.2" { color_name(&m.color) } else { m.color.clone() };
        o.set("color", color);
        // `range` only where the file had it alone (Marker.1): with both keys, the range would
        // come back from `marked_range`.
        if self.target.is_none() && o.get("range").is_some() && o.get("marked_range").is_none() {
            o.set("range", self.range(&m.marked_range));
        } else {
            o.remove("range");
            o.set("marked_range", self.range(&m.marked_range));
        }
        if m.comment.is_some() || o.get("comment").is_some() || m.raw.0.is_empty() {
            o.set("comment", Json::str(m.comment.clone().unwrap_or_default()));
        }
        Json::Obj(o)
    }

    fn base(&self, b: &ItemBase) -> Obj {
        let fresh = b.raw.0.is_empty();
        let mut o = b.raw.to_obj();
        o.set("OTIO_SCHEMA", Json::str(self.schema(&b.schema)));
        put(&mut o, fresh, "metadata", b.metadata.clone());
        put(&mut o, fresh, "name", opt_str_json(&b.name));
        put(&mut o, fresh, "source_range", self.opt_range(&b.source_range));
        put(
            &mut o,
            fresh,
            "effects",
            Json::Arr(b.effects.iter().map(|e| self.effect(e)).collect()),
        );
        put(
            &mut o,
            fresh,
            "markers",
            Json::Arr(b.markers.iter().map(|m| self.marker(m)).collect()),
        );
        if fresh || o.get("enabled").is_some() || !b.enabled {
            o.set("enabled", Json::Bool(b.enabled));
        }
        o
    }

    fn media(&self, m: &MediaReference) -> Json {
        let fresh = m.raw.0.is_empty();
        let mut o = m.raw.to_obj();
        o.set("OTIO_SCHEMA", Json::str(self.schema(&m.schema)));
        put(&mut o, fresh, "metadata", m.metadata.clone());
        put(&mut o, fresh, "name", opt_str_json(&m.name));
        put(&mut o, fresh, "available_range", self.opt_range(&m.available_range));
        if fresh && m.kind() == "ExternalReference" {
            o.set("available_image_bounds", Json::Null);
        }
        match m.kind() {
            "ImageSequenceReference" => o.set("target_url_base", opt_str_json(&m.target_url)),
            _ if m.target_url.is_some() || o.get("target_url").is_some() => {
                o.set("target_url", opt_str_json(&m.target_url))
            }
            _ => {}
        }
        Json::Obj(o)
    }

    fn clip(&self, c: &Clip) -> Json {
        let mut o = self.base(&c.base);
        let schema = self.schema(&c.base.schema);
        if schema_version(&schema) < 2 {
            let media = c.media().map_or(Json::Null, |m| self.media(m));
            put(&mut o, c.base.raw.0.is_empty(), "media_reference", media);
        } else {
            o.remove("media_reference");
            let mut refs: Vec<(Name, Json)> =
                c.media_references.iter().map(|(k, m)| (k.clone(), self.media(m))).collect();
            if refs.is_empty() {
                refs.push((c.active_key.clone(), self.media(&MediaReference::missing())));
            }
            o.set("media_references", Json::Obj(Obj(refs)));
            o.set("active_media_reference_key", Json::str(&*c.active_key));
        }
        Json::Obj(o)
    }

    fn composable(&self, c: &Composable) -> Json {
        match c {
            Composable::Clip(c) => self.clip(c),
            Composable::Gap(g) => Json::Obj(self.base(g)),
            Composable::Transition(t) => {
                let mut o = t.raw.clone();
                let fresh = t.raw.0.is_empty();
                o.set("OTIO_SCHEMA", Json::str(self.schema(&t.schema)));
                put(&mut o, fresh, "metadata", t.metadata.clone());
                put(&mut o, fresh, "name", opt_str_json(&t.name));
                o.set("in_offset", self.rt(&t.in_offset));
                o.set("out_offset", self.rt(&t.out_offset));
                o.set("transition_type", Json::str(t.transition_type.as_str()));
                Json::Obj(o)
            }
            Composable::Track(t) => {
                let mut o = self.track_members(t);
                o.set(
                    "children",
                    Json::Arr(t.children.iter().map(|c| self.composable(c)).collect()),
                );
                Json::Obj(o)
            }
            Composable::Stack(s) => Json::Obj(self.stack(s)),
            Composable::Unknown(j) => j.clone(),
        }
    }

    fn stack(&self, s: &Stack) -> Obj {
        let mut o = self.base(&s.base);
        o.set("children", Json::Arr(s.children.iter().map(|c| self.composable(c)).collect()));
        o
    }

    /// A track's object with `children` left null, for [`Self::stream_obj`] to fill.
    fn track_members(&self, t: &Track) -> Obj {
        let mut o = self.base(&t.base);
        o.set("children", Json::Null);
        o.set("kind", Json::str(t.kind.as_str()));
        o
    }

    fn timeline_members(&self, t: &Timeline) -> Obj {
        let mut o = t.raw.clone();
        let fresh = t.raw.0.is_empty();
        o.set("OTIO_SCHEMA", Json::str(self.schema(&t.schema)));
        put(&mut o, fresh, "metadata", t.metadata.clone());
        put(&mut o, fresh, "name", opt_str_json(&t.name));
        put(
            &mut o,
            fresh,
            "global_start_time",
            t.global_start_time.as_ref().map_or(Json::Null, |g| self.rt(g)),
        );
        o
    }

    fn timeline(&self, t: &Timeline) -> Json {
        let mut o = self.timeline_members(t);
        o.set("tracks", Json::Obj(self.stack(&t.tracks)));
        Json::Obj(o)
    }

    /// Writes `o` as `json::to_pretty` would at nesting `level`, the `streamed` member (null in
    /// `o`) written from the model item by item. Text gathers in `buf` and goes to `out` in
    /// chunks of [`FLUSH_AT`].
    fn stream_obj(
        &self,
        o: &Obj,
        level: usize,
        streamed: Streamed,
        buf: &mut String,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let pad = |buf: &mut String, l: usize| buf.extend(std::iter::repeat_n(' ', 4 * l));
        buf.push_str("{\n");
        for (i, (k, v)) in o.0.iter().enumerate() {
            pad(buf, level + 1);
            json::write_str(buf, k);
            buf.push_str(": ");
            match (streamed, &**k) {
                (Streamed::Tracks(s), "tracks") => {
                    let mut o = self.base(&s.base);
                    o.set("children", Json::Null);
                    self.stream_obj(&o, level + 1, Streamed::Children(&s.children), buf, out)?;
                }
                (Streamed::Children(kids), "children") if !kids.is_empty() => {
                    buf.push_str("[\n");
                    for (j, c) in kids.iter().enumerate() {
                        pad(buf, level + 2);
                        self.stream_composable(c, level + 2, buf, out)?;
                        buf.push_str(if j + 1 < kids.len() { ",\n" } else { "\n" });
                        if buf.len() >= FLUSH_AT {
                            out.write_all(buf.as_bytes())?;
                            buf.clear();
                        }
                    }
                    pad(buf, level + 1);
                    buf.push(']');
                }
                (Streamed::Children(_), "children") => buf.push_str("[]"),
                _ => json::pretty(v, level + 1, buf),
            }
            buf.push_str(if i + 1 < o.0.len() { ",\n" } else { "\n" });
        }
        pad(buf, level);
        buf.push('}');
        Ok(())
    }

    fn stream_composable(
        &self,
        c: &Composable,
        level: usize,
        buf: &mut String,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match c {
            Composable::Track(t) => {
                let o = self.track_members(t);
                self.stream_obj(&o, level, Streamed::Children(&t.children), buf, out)
            }
            Composable::Stack(s) => {
                let mut o = self.base(&s.base);
                o.set("children", Json::Null);
                self.stream_obj(&o, level, Streamed::Children(&s.children), buf, out)
            }
            other => {
                json::pretty(&self.composable(other), level, buf);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_byte_stable_after_one_pass() {
        let text = r#"{"OTIO_SCHEMA": "Timeline.1", "zzz": [1, NaN], "name": "t", "tracks": {"OTIO_SCHEMA": "Stack.1",
          "children": [{"OTIO_SCHEMA": "Track.1", "kind": "Video", "children": [
            {"OTIO_SCHEMA": "Clip.1", "name": "a", "weird": Infinity,
             "media_reference": {"OTIO_SCHEMA": "ExternalReference.1", "target_url": "a.mov"},
             "source_range": {"OTIO_SCHEMA": "TimeRange.1",
               "start_time": {"OTIO_SCHEMA": "RationalTime.1", "value": 1, "rate": 24.0},
               "duration": {"OTIO_SCHEMA": "RationalTime.1", "value": 48, "rate": 24}}},
            {"OTIO_SCHEMA": "FancyThing.7", "x": 1}]}]}}"#;
        let t = import_otio(text).unwrap();
        let out = export_otio(&t, &ExportOptions::default()).unwrap();
        assert_eq!(json::parse(&out).unwrap(), json::parse(text).unwrap());
        let t2 = import_otio(&out).unwrap();
        assert_eq!(t, t2);
        let v18 = export_otio(&t, &ExportOptions { target: Some("0.18".into()) }).unwrap();
        assert!(v18.contains("\"Clip.2\"") && v18.contains("media_references"));
        assert!(!v18.contains("\"media_reference\""));
        // What the model holds is not copied into `raw` (a placeholder keeps its place).
        assert_eq!(t.tracks.base.raw.get("children"), Some(&Json::Null));
        assert_eq!(t.raw.get("tracks"), Some(&Json::Null));
        assert_eq!(t.raw.get("zzz"), json::parse(text).unwrap().get("zzz"));
    }

    #[test]
    fn streamed_text_is_the_trees_text() {
        let nested = r#"{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCHEMA": "Stack.1", "x": 1,
          "children": [{"OTIO_SCHEMA": "Track.1", "children": [], "kind": "Audio"},
            {"OTIO_SCHEMA": "Track.1", "children": [{"OTIO_SCHEMA": "Stack.1", "children": [
              {"OTIO_SCHEMA": "Gap.1", "name": null}, {"OTIO_SCHEMA": "Track.1"}]}]}]}}"#;
        let mut fresh = Timeline::new("fresh");
        let mut track = Track {
            base: ItemBase::new("Track.1", "V1"),
            kind: "Video".into(),
            children: vec![Composable::Clip(Clip::new("a", MediaReference::missing(), None))],
        };
        fresh.tracks.children.push(Composable::Track(track.clone()));
        track.children.clear();
        fresh.tracks.children.push(Composable::Track(track));
        let read = import_otio(nested).unwrap();
        for t in [&read, &fresh, &Timeline::new("empty")] {
            for target in [None, Some("0.18".to_string())] {
                let opts = ExportOptions { target };
                let tree = json::to_pretty(&timeline_to_json(t, &opts).unwrap());
                assert_eq!(export_otio(t, &opts).unwrap(), tree);
            }
        }
    }

    #[test]
    fn streamed_reading_reports_what_the_tree_reading_did() {
        let err = |text: &str| import_otio(text).unwrap_err().to_string();
        // A JSON error after a schema error is the one reported, as when the whole document
        // was parsed first.
        let both = r#"{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [
            {"OTIO_SCHEMA": "Gap.1", "source_range": 3}, {"OTIO_SCHEMA": "Gap.1", "x": tru}]}}"#;
        assert!(err(both).starts_with("OTIO JSON 2:88: expected a value"), "{}", err(both));
        // A track's own members are checked before its children, and the first bad child wins.
        let order = r#"{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [
            {"OTIO_SCHEMA": "Gap.1", "source_range": 3}, {"OTIO_SCHEMA": "Gap.1", "name": 1}],
            "name": 7}}"#;
        assert_eq!(err(order), "OTIO tracks.name: expected a string");
        let kids = order.replace(r#""name": 7"#, r#""name": "s""#);
        assert_eq!(err(&kids), "OTIO tracks.children[0].source_range: expected an object");
        // Children before the schema are read as a tree, with the same result.
        let late = r#"{"tracks": {"children": [{"OTIO_SCHEMA": "Gap.1"}], "OTIO_SCHEMA": "Stack.1"},
            "OTIO_SCHEMA": "Timeline.1"}"#;
        assert_eq!(import_otio(late).unwrap().tracks.children.len(), 1);
        assert_eq!(
            err(r#"{"OTIO_SCHEMA": "Clip.1"}"#),
            "OTIO OTIO_SCHEMA: expected a Timeline, got 'Clip.1'"
        );
        assert_eq!(err("[1]"), "OTIO $: expected an object");
    }

    #[test]
    fn numbers_keep_their_spelling_without_storing_the_usual_one() {
        for text in ["24.0", "24", "1e-3", "-0.0", "NaN", "-NaN", "Infinity", "0.1", "1.5e300"] {
            assert_eq!(Num::new(text).text(), text);
        }
        assert_eq!(Num::new("24.0"), Num::from_f64(24.0));
        assert_ne!(Num::new("24"), Num::from_f64(24.0));
        assert_ne!(Num::new("-0.0"), Num::new("0.0"));
        assert_eq!(Num::new("NaN"), Num::from_f64(f64::NAN));
    }

    #[test]
    fn schema_errors_name_the_path() {
        let text = r#"{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [
            {"OTIO_SCHEMA": "Track.1", "children": [{"OTIO_SCHEMA": "Gap.1", "source_range": 3}]}]}}"#;
        let e = import_otio(text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "OTIO tracks.children[0].children[0].source_range: expected an object"
        );
    }
}
