//! Bindings for remix chains: OTIO/EDL import and export, diff, merge, blame, flatten, and the
//! stateless chain operations behind the shell's `RemixChain`. A timeline crosses as the OTIO
//! JSON object itself (what OTIO users know) or as OTIO text; a chain as its JSON file text, or
//! (for `RemixChain`) as the compact JSON text of each node, so that adding a node or diffing two
//! reads only those nodes, never the whole chain; nodes this instance hashed stay parsed in a
//! bounded cache keyed by id (a content hash: an entry can be evicted, never wrong).
use super::args::{self, Fields};
use super::data;
use super::error::{js_error, JsResult};
use super::json_to_js;
use crate::remix::json::{to_compact, to_compact_js};
use crate::remix::{
    blame as core_blame, blame_lineage, diff_timelines, export_edl, export_otio, flatten,
    import_edl, import_otio, merge, timeline_to_json, Chain, DiffOptions, EdlExportOptions,
    EdlOptions, ExportOptions, Identity, Node, RemixError, Timeline,
};
use crate::time::Rate;
use crate::Coded;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A core error, its message prefixed with the argument it came from (`ours: OTIO JSON 3:7: …`).
fn at(place: &str, e: RemixError) -> JsValue {
    js_error(e.code(), &format!("{place}: {e}"))
}

/// The text of a document given as text, or as an object to be written as JSON.
fn doc_text(v: &JsValue, place: &str, what: &str) -> JsResult<String> {
    if let Some(text) = v.as_string() {
        return Ok(text);
    }
    // NOTE: arrays and functions are objects too, but never a timeline or a chain.
    if !v.is_object() || js_sys::Array::is_array(v) || v.is_function() {
        return args::bad(place, format!("expected {what}, got {}", args::describe(v)));
    }
    // NOTE: a timeline or chain is large data for the core's OTIO reader, so it crosses as
    // JSON.stringify's text (fast). Its NaN becoming null is the OTIO round trip this package
    // already makes: OTIO files hold NaN and Infinity, which JSON cannot, and `importOtio` gives
    // them to JS as null; the reader takes null where OTIO allows a non-finite number.
    data::json_text(v, place)
}

/// A timeline given as OTIO text or as the object `importOtio` returns.
fn timeline_arg(v: &JsValue, place: &str) -> JsResult<Timeline> {
    let text = doc_text(v, place, "OTIO JSON text or a timeline object (from importOtio)")?;
    import_otio(&text).map_err(|e| at(place, e))
}

/// The JS form of a timeline: its lossless OTIO JSON, with NaN/Infinity (which JSON cannot
/// hold) as null.
fn timeline_js(t: &Timeline) -> JsResult<String> {
    timeline_to_json(t, &ExportOptions::default())
        .map(|j| to_compact_js(&j))
        .map_err(|e| at("timeline", e))
}

fn diff_options(v: &JsValue, place: &str) -> JsResult<DiffOptions> {
    let o = Fields::options(v, place, &["identity"])?;
    let identity = o
        .enum_of(
            "identity",
            &[("uid", Identity::Uid), ("media", Identity::Media), ("name", Identity::Name)],
        )?
        .unwrap_or(Identity::Uid);
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
    Ok(json_to_js(&timeline_js(&t)?))
}

/// Writes a timeline (object or OTIO text) as OTIO JSON text, as the CLI's `remix convert` does.
/// `options.target`: `"0.18"` (0.16–0.18) rewrites schemas for that OTIO release.
#[wasm_bindgen(js_name = exportOtio)]
pub fn export_otio_js(timeline: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let t = timeline_arg(&timeline, "timeline")?;
    let target = Fields::options(&options_, "options", &["target"])?.opt_string("target")?;
    export_otio(&t, &ExportOptions { target })
        .map(JsValue::from)
        .map_err(|e| at("options.target", e))
}

/// Reads a CMX 3600 EDL into a timeline object. `options.rate` (frames per second, default 24);
/// `options.ignoreTimecodeMismatch`. Errors: `ERR_EDL` with the line.
#[wasm_bindgen(js_name = importEdl)]
pub fn import_edl_js(text: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let text = args::string(&text, "text")?;
    let o = Fields::options(&options_, "options", &["rate", "ignoreTimecodeMismatch"])?;
    let rate = o.opt("rate", super::time::rate_arg)?.map_or(24.0, |r| r.fps());
    let ignore = o.bool("ignoreTimecodeMismatch", false)?;
    let t = import_edl(&text, &EdlOptions { rate, ignore_timecode_mismatch: ignore })
        .map_err(|e| at("text", e))?;
    Ok(json_to_js(&timeline_js(&t)?))
}

/// Writes a timeline (object or OTIO text) as a CMX 3600 EDL. `options.rate`: the timecode rate
/// (default 24); `options.title`: the `TITLE:` line (default the timeline's name). Errors:
/// `ERR_OTIO_EXPORT` naming the item CMX 3600 cannot hold.
#[wasm_bindgen(js_name = exportEdl)]
pub fn export_edl_js(timeline: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let t = timeline_arg(&timeline, "timeline")?;
    let o = Fields::options(&options_, "options", &["rate", "title"])?;
    let rate = o.opt("rate", super::time::rate_arg)?.unwrap_or(Rate::new(24, 1).expect("24 fps"));
    let title = o.opt_string("title")?;
    export_edl(&t, &EdlExportOptions { rate, title })
        .map(JsValue::from)
        .map_err(|e| at("timeline", e))
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
    Ok(json_to_js(&diff_timelines(&ta, &tb, &opts).to_json().to_string()))
}

/// Three-way merge of two edits of `base`: `{timeline, conflicts: [{track, id, name, ours, theirs}]}`.
/// Where both sides changed the same thing differently, ours is kept and a conflict listed.
#[wasm_bindgen(js_name = mergeTimelines)]
pub fn merge_timelines(
    base: JsValue,
    ours: JsValue,
    theirs: JsValue,
    options_: JsValue,
) -> JsResult<JsValue> {
    let (b, o, t) = (
        timeline_arg(&base, "base")?,
        timeline_arg(&ours, "ours")?,
        timeline_arg(&theirs, "theirs")?,
    );
    let mut opts = diff_options(&options_, "options")?;
    opts.summary_only = false;
    let m = merge(&b, &o, &t, &opts).map_err(|e| at("merge", e))?;
    let conflicts = Value::Array(m.conflicts.iter().map(|c| c.to_json()).collect()).to_string();
    Ok(json_to_js(&format!(
        "{{\"timeline\":{},\"conflicts\":{conflicts}}}",
        timeline_js(&m.timeline)?
    )))
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
    Ok(json_to_js(&out.to_string()))
}

// ---------------------------------------------------------------- chains

/// Parsed nodes by id, so that blame over a long chain does not parse every timeline again on
/// each call. Filled only where the id was computed from the content or checked against it
/// (`chainNode`, `chainLoad`), so an entry is always right; bounded by the items it holds.
#[derive(Default)]
struct NodeCache {
    map: HashMap<String, (Rc<Node>, usize)>,
    order: VecDeque<String>,
    items: usize,
}

/// About 300,000 clips, gaps and cues: a few hundred MB of wasm memory at most.
const CACHE_ITEMS: usize = 300_000;

thread_local! {
    static CACHE: RefCell<NodeCache> = RefCell::new(NodeCache::default());
}

fn items_of(n: &Node) -> usize {
    1 + n.timeline.track_list().map(|t| t.children.len() + t.base.markers.len()).sum::<usize>()
}

fn cache_put(n: Node) {
    let size = items_of(&n);
    if size > CACHE_ITEMS {
        return;
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.map.contains_key(&n.id) {
            return;
        }
        while c.items + size > CACHE_ITEMS {
            let Some(old) = c.order.pop_front() else { break };
            if let Some((_, s)) = c.map.remove(&old) {
                c.items -= s;
            }
        }
        c.items += size;
        c.order.push_back(n.id.clone());
        c.map.insert(n.id.clone(), (Rc::new(n), size));
    });
}

fn cache_get(id: &str) -> Option<Rc<Node>> {
    CACHE.with(|c| c.borrow().map.get(id).map(|(n, _)| n.clone()))
}

/// A chain as its file text or object. `verify`: check every hash (when the caller has not).
fn chain_arg(v: &JsValue, place: &str, verify: bool) -> JsResult<Chain> {
    let text = doc_text(v, place, "a chain (its JSON text or object)")?;
    let chain = if verify { Chain::from_json(&text) } else { Chain::read(&text) };
    chain.map_err(|e| at(place, e))
}

/// Node `id`, from the cache or else read from the text `lookup(id)` returns (the compact text
/// `chainNode`/`chainLoad` wrote, which its holder keeps).
fn node_arg(id: &JsValue, lookup: &JsValue, place: &str) -> JsResult<Rc<Node>> {
    let id = args::string(id, place)?;
    if let Some(n) = cache_get(&id) {
        return Ok(n);
    }
    let f = args::function(lookup, "lookup")?;
    let text = f.call1(&JsValue::NULL, &JsValue::from(id.as_str()))?;
    let text = args::string(&text, &format!("lookup({id})"))?;
    let c = Chain::read(&format!("{{\"nodes\":[{text}]}}")).map_err(|e| at(place, e))?;
    match c.nodes.into_iter().next() {
        Some(n) if n.id == id => Ok(Rc::new(n)),
        _ => args::bad(place, format!("lookup gave no node {id}")),
    }
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
    c.nodes.into_iter().for_each(cache_put);
    Ok(json_to_js(&json!({"nodes": nodes, "texts": texts}).to_string()))
}

/// Makes a chain node of a remix `{parents, author, message, timeline, createdAt?}`: `{info,
/// text}`, its id the SHA-256 of its canonical content. The caller checks that the parents exist.
#[wasm_bindgen(js_name = chainNode)]
pub fn chain_node(node: JsValue) -> JsResult<JsValue> {
    let o = Fields::object(
        &node,
        "node",
        &["parents", "author", "message", "timeline", "createdAt"],
        "{parents, author, message, timeline, createdAt?}",
    )?;
    let parents = o.list("parents", args::string)?.unwrap_or_default();
    let author = o.opt_string("author")?.unwrap_or_default();
    let message = o.opt_string("message")?.unwrap_or_default();
    let created_at = match o.opt_string("createdAt")? {
        Some(s) => s,
        None => String::from(js_sys::Date::new_0().to_iso_string()),
    };
    let timeline = timeline_arg(&o.get("timeline"), &o.at("timeline"))?;
    let mut n = Node { id: String::new(), parents, author, created_at, message, timeline };
    n.id = n.computed_id().map_err(|e| at("node", e))?;
    let out = json!({"info": info(&n), "text": node_text(&n)?}).to_string();
    cache_put(n);
    Ok(json_to_js(&out))
}

/// Node `id` with its timeline object.
#[wasm_bindgen(js_name = chainGet)]
pub fn chain_get(id: JsValue, lookup: JsValue) -> JsResult<JsValue> {
    let n = node_arg(&id, &lookup, "id")?;
    let head = info(&n).to_string();
    let tail = head.strip_suffix('}').unwrap_or(&head);
    Ok(json_to_js(&format!("{tail},\"timeline\":{}}}", timeline_js(&n.timeline)?)))
}

/// The changes from node `a` to node `b`, as `diffTimelines`.
#[wasm_bindgen(js_name = chainDiff)]
pub fn chain_diff(a: JsValue, b: JsValue, lookup: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let (na, nb) = (node_arg(&a, &lookup, "a")?, node_arg(&b, &lookup, "b")?);
    let opts = diff_options(&options_, "options")?;
    Ok(json_to_js(&diff_timelines(&na.timeline, &nb.timeline, &opts).to_json().to_string()))
}

/// Which node introduced and which last changed each item and caption word of node `nodeId` of
/// a chain (its text or object, every hash checked first, as `outtake remix blame` does):
/// `{node, tracks: [{name, kind, items: [{index, kind, name, recordStart, duration, origin:
/// {introduced, changed}}], words: [{text, start, end, cue, origin}]}]}` (times in seconds).
#[wasm_bindgen]
pub fn blame(chain: JsValue, node_id: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let c = chain_arg(&chain, "chain", true)?;
    let id = args::string(&node_id, "nodeId")?;
    if c.get(&id).is_none() {
        return args::bad("nodeId", format!("no node {id} in the chain"));
    }
    let opts = blame_options(&options_)?;
    let b = core_blame(&c, &id, &opts).map_err(|e| at("chain", e))?;
    Ok(json_to_js(&b.to_json().to_string()))
}

/// `blame` over the ids of a node's first-parent lineage (root first), as its holder
/// (`RemixChain`) keeps them: nodes come from the cache, or from `lookup(id)`.
#[wasm_bindgen(js_name = chainBlame)]
pub fn chain_blame(lineage: JsValue, lookup: JsValue, options_: JsValue) -> JsResult<JsValue> {
    let ids = args::array(&lineage, "lineage")?;
    let nodes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| node_arg(id, &lookup, &format!("lineage[{i}]")))
        .collect::<JsResult<Vec<_>>>()?;
    let path: Vec<&Node> = nodes.iter().map(|n| n.as_ref()).collect();
    let b = blame_lineage(&path, &blame_options(&options_)?).map_err(|e| at("lineage", e))?;
    Ok(json_to_js(&b.to_json().to_string()))
}

fn blame_options(options_: &JsValue) -> JsResult<DiffOptions> {
    let mut opts = diff_options(options_, "options")?;
    opts.summary_only = false;
    Ok(opts)
}
