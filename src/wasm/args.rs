//! The one reader of JS arguments: every export checks its input here, once, into Rust types.
//! Exported functions take `JsValue`, never typed primitives: wasm-bindgen's glue for `f64`,
//! `String` or `Option<String>` parameters coerces or crashes on a Symbol, a BigInt or an object,
//! where we owe the caller an `ERR_INVALID_ARGUMENT` that names the place (`options.start`,
//! `edits.segments[2].end`) and says in plain words what it got.

use super::error::{IntoJs, JsResult};
use crate::{ArgError, Time};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The `ERR_INVALID_ARGUMENT` error `place: reason`.
pub fn error(place: &str, reason: impl Into<String>) -> JsValue {
    Err::<(), _>(ArgError::new(place, reason)).js().unwrap_err()
}

pub fn bad<T>(place: &str, reason: impl Into<String>) -> JsResult<T> {
    Err(error(place, reason))
}

/// What a JS value is, in the words of a message: `NaN`, `"abc"`, `an object`, `undefined`.
pub fn describe(v: &JsValue) -> String {
    if let Some(f) = v.as_f64() {
        return number_words(f);
    }
    if let Some(s) = v.as_string() {
        let short: String = s.chars().take(40).collect();
        let more = if short.len() < s.len() { "…" } else { "" };
        return format!("the string {:?}", format!("{short}{more}"));
    }
    if let Some(b) = v.as_bool() {
        return b.to_string();
    }
    let what = if v.is_undefined() {
        "undefined"
    } else if v.is_null() {
        "null"
    } else if Array::is_array(v) {
        "an array"
    } else if v.is_function() {
        "a function"
    } else if v.is_bigint() {
        "a BigInt"
    } else if v.is_symbol() {
        "a Symbol"
    } else {
        "an object"
    };
    what.to_string()
}

/// A number as JS prints it (`NaN`, `Infinity`, `3`, `0.5`, `1e300`).
pub(crate) fn number_words(f: f64) -> String {
    if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if f != 0.0 && !(1e-6..1e21).contains(&f.abs()) {
        format!("{f:e}")
    } else {
        f.to_string()
    }
}

/// `undefined` or `null`: an optional argument left out.
pub fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A finite number.
pub fn number(v: &JsValue, place: &str) -> JsResult<f64> {
    match v.as_f64() {
        Some(f) if f.is_finite() => Ok(f),
        Some(f) => bad(place, format!("must be a finite number, got {}", number_words(f))),
        None => bad(place, format!("expected a number, got {}", describe(v))),
    }
}

/// A string.
pub fn string(v: &JsValue, place: &str) -> JsResult<String> {
    v.as_string().map_or_else(|| bad(place, format!("expected a string, got {}", describe(v))), Ok)
}

/// A string, or nothing (`undefined`/`null`).
pub fn opt_string(v: &JsValue, place: &str) -> JsResult<Option<String>> {
    if absent(v) {
        Ok(None)
    } else {
        string(v, place).map(Some)
    }
}

/// `true` or `false`.
pub fn boolean(v: &JsValue, place: &str) -> JsResult<bool> {
    v.as_bool()
        .map_or_else(|| bad(place, format!("expected true or false, got {}", describe(v))), Ok)
}

/// Seconds as an exact time (the one rounding rule: [`Time::from_user_seconds`]).
pub fn seconds(v: &JsValue, place: &str) -> JsResult<Time> {
    Time::from_user_seconds(number(v, place)?).map_err(|e| error(place, e.to_string()))
}

/// A function.
pub fn function(v: &JsValue, place: &str) -> JsResult<Function> {
    v.dyn_ref::<Function>()
        .cloned()
        .map_or_else(|| bad(place, format!("expected a function, got {}", describe(v))), Ok)
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`: the names a value may take.
pub fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// One of the named strings, as its value.
pub fn enum_of<T: Copy>(v: &JsValue, place: &str, names: &[(&str, T)]) -> JsResult<T> {
    let expected = || or_list(&names.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    let Some(s) = v.as_string() else {
        return bad(place, format!("expected {}, got {}", expected(), describe(v)));
    };
    names
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, t)| *t)
        .map_or_else(|| bad(place, format!("expected {}, got \"{s}\"", expected())), Ok)
}

/// The items of an array, to be read each with its place `place[i]`.
pub fn array(v: &JsValue, place: &str) -> JsResult<Vec<JsValue>> {
    if !Array::is_array(v) {
        return bad(place, format!("expected an array, got {}", describe(v)));
    }
    Ok(v.unchecked_ref::<Array>().iter().collect())
}

/// An array of finite numbers or a Float64Array; errors name the bad index.
pub fn numbers(v: &JsValue, place: &str) -> JsResult<Vec<f64>> {
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        let out = a.to_vec();
        if let Some(i) = out.iter().position(|f| !f.is_finite()) {
            return bad(
                &format!("{place}[{i}]"),
                format!("must be a finite number, got {}", number_words(out[i])),
            );
        }
        return Ok(out);
    }
    if !Array::is_array(v) {
        return bad(
            place,
            format!("expected an array of numbers or a Float64Array, got {}", describe(v)),
        );
    }
    let arr: &Array = v.unchecked_ref();
    (0..arr.length()).map(|i| number(&arr.get(i), &format!("{place}[{i}]"))).collect()
}

/// A whole number from `lo` to `hi`, even when `even` (picture sizes for 4:2:0 encoders).
pub fn whole_in(v: &JsValue, place: &str, lo: u32, hi: u32, even: bool) -> JsResult<u32> {
    let x = number(v, place)?;
    let kind = if even { "an even whole number" } else { "a whole number" };
    if x.fract() != 0.0 || x < lo as f64 || x > hi as f64 || (even && x % 2.0 != 0.0) {
        return bad(place, format!("expected {kind} from {lo} to {hi}, got {}", describe(v)));
    }
    Ok(x as u32)
}

/// An object of named fields (an options bag, an edit list, a segment), read key by key with
/// typed getters. A key it does not know is refused, naming the nearest known one, so that a
/// typo (`fromat`) is never silently ignored.
pub struct Fields {
    obj: Option<Object>,
    place: String,
}

impl Fields {
    /// An optional options object: `undefined`/`null` reads as empty.
    pub fn options(v: &JsValue, place: &str, keys: &[&str]) -> JsResult<Fields> {
        if absent(v) {
            return Ok(Fields { obj: None, place: place.to_string() });
        }
        Fields::object(v, place, keys, "an options object")
    }

    /// A required object; `what` says what was expected (`{start, end}`).
    pub fn object(v: &JsValue, place: &str, keys: &[&str], what: &str) -> JsResult<Fields> {
        if !v.is_object() || Array::is_array(v) || v.is_function() {
            return bad(place, format!("expected {what}, got {}", describe(v)));
        }
        let obj: Object = v.clone().unchecked_into();
        for key in Object::keys(&obj).iter() {
            let key = key.as_string().unwrap_or_default();
            if !keys.contains(&key.as_str()) {
                return bad(place, unknown_key(&key, keys));
            }
        }
        Ok(Fields { obj: Some(obj), place: place.to_string() })
    }

    /// The place of a field: `options.format`.
    pub fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.place)
    }

    /// The raw value of a field (`undefined` when missing).
    pub fn get(&self, key: &str) -> JsValue {
        match &self.obj {
            // NOTE: Reflect.get on an object only fails through a throwing getter or Proxy trap;
            // that reads as missing, and the getter then reports the key as required or absent.
            Some(o) => Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED),
            None => JsValue::UNDEFINED,
        }
    }

    /// A field read with `read(value, place)`, or `None` when it is `undefined`/`null`.
    pub fn opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(&JsValue, &str) -> JsResult<T>,
    ) -> JsResult<Option<T>> {
        let v = self.get(key);
        if absent(&v) {
            Ok(None)
        } else {
            read(&v, &self.at(key)).map(Some)
        }
    }

    /// A field that must be there; `hint` follows "is required" (`(the video's frame rate)`).
    pub fn required<T>(
        &self,
        key: &str,
        hint: &str,
        read: impl FnOnce(&JsValue, &str) -> JsResult<T>,
    ) -> JsResult<T> {
        let sep = if hint.is_empty() { "" } else { " " };
        self.opt(key, read)?
            .map_or_else(|| bad(&self.at(key), format!("is required{sep}{hint}")), Ok)
    }

    pub fn number(&self, key: &str) -> JsResult<f64> {
        self.required(key, "", number)
    }

    pub fn opt_number(&self, key: &str) -> JsResult<Option<f64>> {
        self.opt(key, number)
    }

    pub fn opt_string(&self, key: &str) -> JsResult<Option<String>> {
        self.opt(key, string)
    }

    pub fn bool(&self, key: &str, default: bool) -> JsResult<bool> {
        Ok(self.opt(key, boolean)?.unwrap_or(default))
    }

    pub fn seconds(&self, key: &str) -> JsResult<Time> {
        self.required(key, "(seconds)", seconds)
    }

    pub fn opt_seconds(&self, key: &str) -> JsResult<Option<Time>> {
        self.opt(key, seconds)
    }

    pub fn enum_of<T: Copy>(&self, key: &str, names: &[(&str, T)]) -> JsResult<Option<T>> {
        self.opt(key, |v, place| enum_of(v, place, names))
    }

    pub fn function(&self, key: &str) -> JsResult<Option<Function>> {
        self.opt(key, function)
    }

    /// An array field, each item read with `read(item, "key[i]")`.
    pub fn list<T>(
        &self,
        key: &str,
        mut read: impl FnMut(&JsValue, &str) -> JsResult<T>,
    ) -> JsResult<Option<Vec<T>>> {
        self.opt(key, |v, place| {
            array(v, place)?
                .iter()
                .enumerate()
                .map(|(i, item)| read(item, &format!("{place}[{i}]")))
                .collect()
        })
    }
}

/// `unknown key "fromat"; did you mean "format"?`, or the keys there are.
pub(crate) fn unknown_key(key: &str, known: &[&str]) -> String {
    match nearest(key, known) {
        Some(near) => format!("unknown key \"{key}\"; did you mean \"{near}\"?"),
        None if known.is_empty() => format!("unknown key \"{key}\" (it takes no keys)"),
        None => format!("unknown key \"{key}\" (the keys are {})", or_list(known)),
    }
}

/// The known key a typo most likely meant: within an edit distance of about a third of its
/// length (transpositions count one), or the same but for case.
fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    // ASCII case only: the known keys are ASCII, and str::to_lowercase would link Unicode's
    // case table (about 5 kB gzipped) for this alone.
    let lower = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| {
            let d = if k.to_ascii_lowercase() == lower { 0 } else { strsim::osa_distance(key, k) };
            (d, *k)
        })
        .filter(|&(d, k)| d <= 2.max(k.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}
