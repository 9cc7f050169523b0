//! Data objects that a serde reader in the core checks (timing profiles, captions, timelines):
//! how they cross (a walk that refuses NaN, or `JSON.stringify` for the large ones) and how the
//! core's serde errors about them read in plain words, naming the caller's own value.

use super::args::{array, bad, describe, number, number_words, unknown_key};
use super::error::JsResult;
use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Plain data (objects, arrays, strings, finite numbers, booleans, null) as a JSON tree, for a
/// small object a serde reader in the core checks (a timing profile). Unlike `JSON.stringify`,
/// NaN and Infinity are refused where they stand instead of turning into null, and so are
/// functions, Symbols and BigInts; `undefined` fields are left out, as JSON leaves them.
pub fn plain(v: &JsValue, place: &str) -> JsResult<Value> {
    walk(v, place, 0)
}

fn walk(v: &JsValue, place: &str, depth: usize) -> JsResult<Value> {
    if depth > 64 {
        return bad(place, "is nested more than 64 deep (a cycle?)");
    }
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if v.as_f64().is_some() {
        let f = number(v, place)?;
        // Whole numbers as integers, so that a serde reader of a `u32` takes them.
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            return Ok(Value::from(f as i64));
        }
        return Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if Array::is_array(v) {
        return array(v, place)?
            .iter()
            .enumerate()
            .map(|(i, item)| walk(item, &format!("{place}[{i}]"), depth + 1))
            .collect::<JsResult<Vec<_>>>()
            .map(Value::Array);
    }
    if !v.is_object() || v.is_function() {
        return bad(place, format!("expected plain data, got {}", describe(v)));
    }
    let mut map = serde_json::Map::new();
    for entry in Object::entries(v.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let (key, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1));
        if !value.is_undefined() {
            let item = walk(&value, &format!("{place}.{key}"), depth + 1)?;
            map.insert(key, item);
        }
    }
    Ok(Value::Object(map))
}

/// The JSON text of a large data object (captions, a timeline, a chain), for a core reader.
/// `JSON.stringify` is several times faster than [`plain`] there, but turns NaN into null: callers
/// say in a NOTE how that null is caught.
pub fn json_text(v: &JsValue, place: &str) -> JsResult<String> {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .map_or_else(|| bad(place, "expected plain data (a BigInt or a cycle cannot be read)"), Ok)
}

/// The JS value at `path` (`cues[3].startTime`) under `root`, for a core error about data that
/// crossed as JSON text: the value it saw is what JSON made of the caller's.
pub fn value_at(root: &JsValue, path: &str) -> JsValue {
    let mut v = root.clone();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = part.split_once('[').map_or((part, ""), |(n, rest)| (n, rest));
        if !name.is_empty() {
            v = Reflect::get(&v, &name.into()).unwrap_or(JsValue::UNDEFINED);
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let i: u32 = index.trim_end_matches(']').parse().unwrap_or(u32::MAX);
            v = Reflect::get_u32(&v, i).unwrap_or(JsValue::UNDEFINED);
        }
        if !v.is_object() {
            break;
        }
    }
    v
}

/// The error for data a core serde reader refused at `path` (`cues[3].startTime`, relative to
/// `root`, the caller's value given as `place`), in plain words: `invalid type: null, expected f64`
/// becomes `expected a number, got null`, and a NaN that `JSON.stringify` made null is named as the
/// NaN it was. `code` is the core error's.
pub fn data_error(code: &str, root: &JsValue, place: &str, path: &str, message: &str) -> JsValue {
    let path = path.trim_start_matches('.');
    let join = |p: &str| match (place.is_empty(), p.is_empty()) {
        (_, true) => place.to_string(),
        (true, false) => p.to_string(),
        _ if p.starts_with('[') => format!("{place}{p}"),
        _ => format!("{place}.{p}"),
    };
    let message = message.split(" at line ").next().unwrap_or(message);
    if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.trim_end_matches('`');
        let at = if path.is_empty() { field.to_string() } else { format!("{path}.{field}") };
        return super::error::js_error(code, &format!("{}: is required", join(&at)));
    }
    // The path of an unknown key ends in that key (json_place); the place is the object holding it.
    let path = match message.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) {
        Some((key, _)) => path.strip_suffix(key).unwrap_or(path).trim_end_matches('.'),
        None => path,
    };
    let got = if path.is_empty() { root.clone() } else { value_at(root, path) };
    super::error::js_error(code, &format!("{}: {}", join(path), plain_serde(message, &got)))
}

fn plain_serde(message: &str, got: &JsValue) -> String {
    if let Some(f) = got.as_f64().filter(|f| !f.is_finite()) {
        return format!("must be a finite number, got {}", number_words(f));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, known) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
        return unknown_key(key, &known);
    }
    if message.starts_with("data did not match any variant") {
        return format!("cannot be {}", describe(got));
    }
    let Some(rest) = message.strip_prefix("invalid type: ") else { return message.to_string() };
    let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
    let expected = match expected {
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a sequence" => "an array",
        "a boolean" => "true or false",
        e if e.starts_with("struct ") || e == "a map" => "an object",
        e if e.starts_with("a string") || e == "a borrowed string" => "a string",
        e => e,
    };
    format!("expected {expected}, got {}", describe(got))
}
