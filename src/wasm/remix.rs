//! Bindings for remix chains: OTIO/EDL import and export, diff, merge, blame, flatten, and the
//! stateless chain operations behind the shell's `RemixChain`. A timeline crosses as the OTIO
//! JSON object itself (what OTIO users know) or as OTIO text; a chain as its JSON file text, or
//! (for `RemixChain`) as the compact JSON text of each node, so that adding a node or diffing two
//! reads only those nodes, never the whole chain.
use super::args;
use super::error::{js_error, JsResult};
use crate::remix::json::{to_compact, to_compact_js};
use crate::remix::{
    blame as core_blame, diff_timelines, Node, export_otio, flatten, import_edl, import_otio, merge, timeline_to_json, Chain, DiffOptions,
    EdlOptions, ExportOptions, Identity, RemixError, Timeline,
};
use crate::{ArgError, Coded};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// A core error, its message prefixed with the argument it came from (`ours: OTIO JSON 3:7: …`).
fn at(place: &str, e: RemixError) -> JsValue {
    js_error(e.code(), &format!("{place}: {e}"))
}

fn bad(place: &str, reason: impl Into<String>) -> JsValue {
    js_error("ERR_INVALID_ARGUMENT", &ArgError::new(place, reason).to_string())
}

/// JSON text of a plain JS object (the caller's own data, so stringify may throw: a BigInt, a cycle).
fn stringify(v: &JsValue, place: &str) -> JsResult<String> {
    js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string()).ok_or_else(|| bad(place, "expected plain data (JSON-serialisable)"))
}

/// JSON text we wrote, as JS objects. It is always valid JSON (`to_compact_js`, serde_json).
fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// The text of a document given as text, or as an object to be written as JSON.
fn doc_text(v: &JsValue, place: &str, what: &str) -> JsResult<String> {
    if let Some(text) = v.as_string() {
        return Ok(text);
    }
    // NOTE: arrays and functions are objects too, but never a timeline or a chain.
    if !v.is_object() || js_sys::Array::is_array(v) || v.is_function() {
        return Err(bad(place, format!("expected {what}")));
    }
    stringify(v, place)
}

/// A timeline given as OTIO text or as the object `importOtio` returns.
fn timeline_arg(v: &JsValue, place: &str) -> JsResult<Timeline> {
    let text = doc_text(v, place, "OTIO JSON text or a timeline object (from importOtio)")?;
    import_otio(&text).map_err(|e| at(place, e))
}

/// The JS form of a timeline: its lossless OTIO JSON, with NaN/Infinity (which JSON cannot
/// hold) as null.
fn timeline_js(t: &Timeline) -> JsResult<String> {
    timeline_to_json(t, &ExportOptions::default()).map(|j| to_compact_js(&j)).map_err(|e| at("timeline", e))
}

/// An options object (or nothing) as a JSON map.
fn options(v: &JsValue, place: &str) -> JsResult<serde_json::Map<String, Value>> {
    if v.is_undefined() || v.is_null() {
        return Ok(Default::default());
    }
    if !v.is_object() || js_sys::Array::is_array(v) || v.is_function() {
        return Err(bad(place, "expected an options object"));
    }
    match serde_json::from_str(&stringify(v, place)?) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad(place, "expected an options object")),
    }
}

fn opt_str<'a>(m: &'a serde_json::Map<String, Value>, key: &str, place: &str) -> JsResult<Option<&'a str>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(bad(&format!("{place}.{key}"), format!("expected a string, got {v}"))),
    }
}

fn diff_options(v: &JsValue, place: &str) -> JsResult<DiffOptions> {
    let m = options(v, place)?;
    let identity = match opt_str(&m, "identity", place)? {
        None | Some("uid") => Identity::Uid,
        Some("media") => Identity::Media,
        Some("name") => Identity::Name,
        Some(other) => return Err(bad(&format!("{place}.identity"), format!("expected \"uid\", \"media\" or \"name\", got \"{other}\""))),
    };
    // NOTE: summary_only leaves out what only apply/merge need; the JSON form is the same.
    Ok(DiffOptions { identity, summary_only: true })
}

/// Reads OTIO JSON text into a timeline object: the OTIO document as `JSON.parse` would give it
/// (NaN and Infinity, which JSON cannot hold, become null). Errors: `ERR_OTIO_JSON` with
/// line:column, `ERR_OTIO_SCHEMA` with the JSON path.
///
/// @example
/// ```js
/// const t = await importOtio(await (await fetch('cut.otio')).text());
/// t.tracks.children[0].children.length; // clips, gaps and transitions of the first track
/// ```
#[wasm_bindgen(js_name = importOtio)]
pub fn import_otio_js(text: JsValue) -> JsResult<JsValue> {
    let text = args::string(&text, "text")?;
    let t = import_otio(&text).map_err(|e| at("text", e))?;
    Ok(parse_json(&timeline_js(&t)?))
}

/// Writes a timeline (object or OTIO text) as OTIO JSON text, as the CLI's `remix convert` does.
/// `options.target`: `"0.18"` (0.16–0.18) rewrites schemas for that OTIO release.
#[wasm_bindgen(js_name = exportOtio)]
pub fn export_otio_js(timeline: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let t = timeline_arg(&timeline, "timeline")?;
    let m = options(&options_, "options")?;
    let target = opt_str(&m, "target", "options")?.map(String::from);
    export_otio(&t, &ExportOptions { target }).map(JsValue::from).map_err(|e| at("options.target", e))
}

/// Reads a CMX 3600 EDL into a timeline object. `options.rate` (frames per second, default 24);
/// `options.ignoreTimecodeMismatch`. Errors: `ERR_EDL` with the line.
#[wasm_bindgen(js_name = importEdl)]
pub fn import_edl_js(text: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let text = args::string(&text, "text")?;
    let m = options(&options_, "options")?;
    let rate = match m.get("rate") {
        None | Some(Value::Null) => 24.0,
        Some(v) => super::time::rate_arg(&parse_json(&v.to_string()), "options.rate")?.fps(),
    };
    let ignore = match m.get("ignoreTimecodeMismatch") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => return Err(bad("options.ignoreTimecodeMismatch", format!("expected a boolean, got {v}"))),
    };
    let t = import_edl(&text, &EdlOptions { rate, ignore_timecode_mismatch: ignore }).map_err(|e| at("text", e))?;
    Ok(parse_json(&timeline_js(&t)?))
}

/// The changes from timeline `a` to `b`, as the CLI's `remix diff --json` gives them:
/// `{changes: [{kind, target, path, name, id, …details, summary}]}`. `options.identity`:
/// `"uid"` (default), `"media"` or `"name"`.
///
/// @example
/// ```js
/// const { changes } = await diffTimelines(before, after);
/// changes.map((c) => c.summary); // ["'Tango' lost 12 frames at its tail", …]
/// ```
#[wasm_bindgen(js_name = diffTimelines)]
pub fn diff_timelines_js(a: JsValue, b: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let (ta, tb) = (timeline_arg(&a, "a")?, timeline_arg(&b, "b")?);
    let opts = diff_options(&options_, "options")?;
    Ok(parse_json(&diff_timelines(&ta, &tb, &opts).to_json().to_string()))
}

/// Three-way merge of two edits of `base`: `{timeline, conflicts: [{track, id, name, ours, theirs}]}`.
/// Where both sides changed the same thing differently, ours is kept and a conflict listed.
#[wasm_bindgen(js_name = mergeTimelines)]
pub fn merge_timelines(base: JsValue, ours: JsValue, theirs: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let (b, o, t) = (timeline_arg(&base, "base")?, timeline_arg(&ours, "ours")?, timeline_arg(&theirs, "theirs")?);
    let mut opts = diff_options(&options_, "options")?;
    opts.summary_only = false;
    let m = merge(&b, &o, &t, &opts).map_err(|e| at("merge", e))?;
    let conflicts = Value::Array(m.conflicts.iter().map(|c| c.to_json()).collect()).to_string();
    Ok(parse_json(&format!("{{\"timeline\":{},\"conflicts\":{conflicts}}}", timeline_js(&m.timeline)?)))
}

/// The edit list that plays a timeline: `{segments: [{start, end, speed, source?}], frameRate?}`
/// in seconds, from its first enabled video track; the shape `retimeCaptions` takes.
#[wasm_bindgen(js_name = flattenTimeline)]
pub fn flatten_timeline(timeline: JsValue) -> JsResult<JsValue> {
    let t = timeline_arg(&timeline, "timeline")?;
    let list = flatten(&t).map_err(|e| at("timeline", e))?;
    let segments: Vec<Value> = list
        .segments
        .iter()
        .map(|s| {
            let mut seg = json!({"start": s.start.seconds(), "end": s.end.seconds(), "speed": s.speed.as_f64()});
            if let Some(src) = &s.source {
                seg["source"] = json!(src);
            }
            seg
        })
        .collect();
    let mut out = json!({ "segments": segments });
    if let Some(r) = list.frame_rate {
        out["frameRate"] = json!(r.to_string());
    }
    Ok(parse_json(&out.to_string()))
}

// ---------------------------------------------------------------- chains

/// A chain as its file text or object. `verify`: check every hash (when the caller has not).
fn chain_arg(v: &JsValue, place: &str, verify: bool) -> JsResult<Chain> {
    let text = doc_text(v, place, "a chain (its JSON text or object)")?;
    let chain = if verify { Chain::from_json(&text) } else { Chain::read(&text) };
    chain.map_err(|e| at(place, e))
}

/// Nodes given as the compact texts `chainNode`/`chainLoad` wrote, read without re-hashing.
fn nodes_arg(texts: &[String], place: &str) -> JsResult<Chain> {
    Chain::read(&format!("{{\"nodes\":[{}]}}", texts.join(","))).map_err(|e| at(place, e))
}

fn string_list(v: &JsValue, place: &str) -> JsResult<Vec<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(vec![]);
    }
    if !js_sys::Array::is_array(v) {
        return Err(bad(place, "expected an array of strings"));
    }
    let arr: js_sys::Array = v.clone().into();
    (0..arr.length()).map(|i| args::string(&arr.get(i), &format!("{place}[{i}]"))).collect()
}

fn info(n: &Node) -> Value {
    json!({"id": n.id, "parents": n.parents, "author": n.author, "createdAt": n.created_at, "message": n.message})
}

fn node_text(n: &Node) -> JsResult<String> {
    n.to_json().map(|j| to_compact(&j)).map_err(|e| at("node", e))
}

/// Reads and verifies a chain: `{nodes: [{id, parents, author, createdAt, message}], texts}`,
/// `texts` the compact JSON of each node. Fails with `ERR_CHAIN_VERIFY` naming the first node
/// whose content does not hash to its id, `ERR_CHAIN_FORMAT` for a malformed file.
#[wasm_bindgen(js_name = chainLoad)]
pub fn chain_load(chain: JsValue) -> JsResult<JsValue> {
    let c = chain_arg(&chain, "chain", true)?;
    let texts = c.nodes.iter().map(node_text).collect::<JsResult<Vec<_>>>()?;
    let nodes: Vec<Value> = c.nodes.iter().map(info).collect();
    Ok(parse_json(&json!({"nodes": nodes, "texts": texts}).to_string()))
}

/// Makes a chain node of a remix `{parents, author, message, timeline, createdAt?}`: `{info,
/// text}`, its id the SHA-256 of its canonical content. The caller checks that the parents exist.
#[wasm_bindgen(js_name = chainNode)]
pub fn chain_node(node: JsValue) -> JsResult<JsValue> {
    if !node.is_object() || js_sys::Array::is_array(&node) || node.is_function() {
        return Err(bad("node", "expected {parents, author, message, timeline, createdAt?}"));
    }
    let get = |k: &str| js_sys::Reflect::get(&node, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let parents = string_list(&get("parents"), "node.parents")?;
    let author = args::opt_string(&get("author"), "node.author")?.unwrap_or_default();
    let message = args::opt_string(&get("message"), "node.message")?.unwrap_or_default();
    let created_at = match args::opt_string(&get("createdAt"), "node.createdAt")? {
        Some(s) => s,
        None => String::from(js_sys::Date::new_0().to_iso_string()),
    };
    let timeline = timeline_arg(&get("timeline"), "node.timeline")?;
    let mut n = Node { id: String::new(), parents, author, created_at, message, timeline };
    n.id = n.computed_id().map_err(|e| at("node", e))?;
    Ok(parse_json(&json!({"info": info(&n), "text": node_text(&n)?}).to_string()))
}

/// One node (its text from `chainNode`/`chainLoad`) with its timeline object.
#[wasm_bindgen(js_name = chainGet)]
pub fn chain_get(text: JsValue) -> JsResult<JsValue> {
    let c = nodes_arg(&[args::string(&text, "node")?], "node")?;
    let Some(n) = c.nodes.first() else { return Err(bad("node", "expected a node")) };
    let head = info(n).to_string();
    let tail = head.strip_suffix('}').unwrap_or(&head);
    Ok(parse_json(&format!("{tail},\"timeline\":{}}}", timeline_js(&n.timeline)?)))
}

/// The changes between two nodes (their texts), as `diffTimelines`.
#[wasm_bindgen(js_name = chainDiff)]
pub fn chain_diff(a: JsValue, b: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let c = nodes_arg(&[args::string(&a, "a")?, args::string(&b, "b")?], "a")?;
    let opts = diff_options(&options_, "options")?;
    let [na, nb] = &c.nodes[..] else { return Err(bad("a", "expected two nodes")) };
    Ok(parse_json(&diff_timelines(&na.timeline, &nb.timeline, &opts).to_json().to_string()))
}

/// Which node introduced and which last changed each item and caption word of node `nodeId` of
/// a chain (its text or object, every hash checked first, as `outtake remix blame` does):
/// `{node, tracks: [{name, kind, items: [{index, kind, name, recordStart, duration, origin:
/// {introduced, changed}}], words: [{text, start, end, cue, origin}]}]}` (times "num/den" s).
#[wasm_bindgen]
pub fn blame(chain: JsValue, node_id: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let c = chain_arg(&chain, "chain", true)?;
    let id = args::string(&node_id, "nodeId")?;
    if c.get(&id).is_none() {
        return Err(bad("nodeId", format!("no node {id} in the chain")));
    }
    blame_in(&c, &id, options_)
}

/// `blame` over the texts of a node's first-parent lineage (root first), which its holder
/// (`RemixChain`) verified when it made or loaded them.
#[wasm_bindgen(js_name = chainBlame)]
pub fn chain_blame(lineage: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let c = nodes_arg(&string_list(&lineage, "lineage")?, "lineage")?;
    let Some(last) = c.nodes.last().map(|n| n.id.clone()) else { return Err(bad("lineage", "expected at least one node")) };
    blame_in(&c, &last, options_)
}

fn blame_in(c: &Chain, id: &str, options_: JsValue) -> JsResult<JsValue> {
    let mut opts = diff_options(&options_, "options")?;
    opts.summary_only = false;
    let b = core_blame(c, id, &opts).map_err(|e| at("chain", e))?;
    Ok(parse_json(&b.to_json().to_string()))
}
