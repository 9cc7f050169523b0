//! A small JSON reader and writer for OTIO files: keeps key order and the text of every number
//! (so `24.0`, 128-bit integers and the non-standard `NaN`/`Inf`/`Infinity` literals OTIO writes
//! survive a round trip), and gives canonical output (sorted keys) for hashing.

use std::fmt::Write as _;

use super::name::{name_of, Name};

/// Nesting deeper than this is refused rather than recursed into.
pub const MAX_DEPTH: usize = 256;

/// A JSON number kept as the text it was read as (its identity), with its value parsed once.
/// The text is stored only when it is not the shortest form of the value (`24.0` is not stored,
/// `24` is): a timeline's many `24.0`s then cost no allocation each. The text sits behind one
/// thin pointer, so a number weighs 16 bytes (a time range holds four).
#[derive(Clone, Debug)]
pub struct Num {
    /// `None`: the text is `format!("{value:?}")`.
    text: Option<Box<Box<str>>>,
    value: f64,
}

impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        match (&self.text, &other.text) {
            // The shortest form is one-to-one with the value (NaN has one text, "NaN").
            (None, None) => {
                self.value.to_bits() == other.value.to_bits()
                    || (self.value.is_nan() && other.value.is_nan())
            }
            _ => self.text() == other.text(),
        }
    }
}

impl Num {
    /// A number from its JSON text (`24.0`, `NaN`, `-Infinity`, `1e-3`, a 128-bit integer).
    pub fn new(text: impl Into<String>) -> Num {
        let text: String = text.into();
        let value = match text.as_str() {
            "NaN" | "-NaN" => f64::NAN,
            "Inf" | "Infinity" => f64::INFINITY,
            "-Inf" | "-Infinity" => f64::NEG_INFINITY,
            s => s.parse().unwrap_or(f64::NAN),
        };
        let mut canonical = [0u8; 32];
        let text = if shortest(value, &mut canonical) == Some(text.as_str()) {
            None
        } else {
            Some(Box::new(text.into_boxed_str()))
        };
        Num { text, value }
    }

    /// The number as written.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.text {
            Some(t) => std::borrow::Cow::Borrowed(&***t),
            None => std::borrow::Cow::Owned(format!("{:?}", self.value)),
        }
    }

    /// Formats a float the way OTIO (and Python's `repr`) do: `24.0`, `0.5`, `Infinity`, `NaN`.
    pub fn from_f64(v: f64) -> Num {
        if v.is_nan() {
            return Num::new("NaN");
        }
        if v.is_infinite() {
            return Num::new(if v > 0.0 { "Infinity" } else { "-Infinity" });
        }
        Num { text: None, value: v }
    }

    pub fn from_i64(v: i64) -> Num {
        Num::new(v.to_string())
    }

    pub fn f64(&self) -> f64 {
        self.value
    }

    /// The value as an integer, when it is one that fits.
    pub fn i64(&self) -> Option<i64> {
        self.text().parse().ok()
    }
}

/// `format!("{v:?}")` written into `buf`, when it fits (it always does for finite values and
/// NaN; the point is to compare without allocating).
fn shortest(v: f64, buf: &mut [u8; 32]) -> Option<&str> {
    use std::io::Write as _;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    write!(cursor, "{v:?}").ok()?;
    let n = cursor.position() as usize;
    std::str::from_utf8(&buf[..n]).ok()
}

/// An object: its members in the order they were read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Obj(pub Vec<(Name, Json)>);

impl Obj {
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, in place when present (keeping its position), else appended.
    pub fn set(&mut self, key: &str, value: Json) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name_of(key), value)),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(Num),
    Str(String),
    Arr(Vec<Json>),
    Obj(Obj),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }
    pub fn f64(v: f64) -> Json {
        Json::Num(Num::from_f64(v))
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_obj(&self) -> Option<&Obj> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }
    pub fn as_obj_mut(&mut self) -> Option<&mut Obj> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }
    pub fn as_arr(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(n.f64()),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_obj().and_then(|o| o.get(key))
    }
    /// Follows a path of object keys.
    pub fn at(&self, path: &[&str]) -> Option<&Json> {
        path.iter().try_fold(self, |j, k| j.get(k))
    }
}

/// Why a text is not JSON, with the line and column (1-based) where reading stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{line}:{column}: {reason}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// Reads one JSON document (with OTIO's `NaN`, `Inf`, `Infinity`, `-Infinity` extensions).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser::new(text);
    let v = p.value(0)?;
    p.finish()?;
    Ok(v)
}

/// What a streaming reader does with one member of an object (see [`Parser::object_with`]):
/// `None` lets the parser read the value as a tree; `Some(v)` says the reader consumed the value
/// itself and `v` stands in its place.
pub(crate) type Member<'f> =
    &'f mut dyn FnMut(&mut Parser, &str, usize) -> Result<Option<Json>, JsonError>;

impl<'a> Parser<'a> {
    /// A parser at the start of `text`, past leading white space.
    pub(crate) fn new(text: &'a str) -> Parser<'a> {
        let mut p = Parser { s: text.as_bytes(), i: 0, path: Vec::new() };
        p.ws();
        p
    }

    /// Succeeds when only white space is left.
    pub(crate) fn finish(&mut self) -> Result<(), JsonError> {
        self.ws();
        if self.i < self.s.len() {
            return Err(self.err("unexpected text after the document"));
        }
        Ok(())
    }

    /// Whether the next value is an object.
    pub(crate) fn at_object(&mut self) -> bool {
        self.ws();
        self.peek() == Some(b'{')
    }

    /// Whether the next value is an array.
    pub(crate) fn at_array(&mut self) -> bool {
        self.ws();
        self.peek() == Some(b'[')
    }

    /// Refuses nesting deeper than [`MAX_DEPTH`], as reading a tree does.
    pub(crate) fn check_depth(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// Reads the next value as a tree; `depth` is its nesting level.
    pub(crate) fn read_value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.ws();
        self.value(depth)
    }
}

pub(crate) struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// Where the reader is, for messages: kept as byte ranges and indices, so that it costs no
    /// allocation per member of a large file.
    path: Vec<Seg>,
}

/// One step of a JSON path: a key (its byte range in the text, between the quotes) or an index.
#[derive(Clone, Copy)]
enum Seg {
    Key(usize, usize),
    Index(usize),
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> JsonError {
        self.err_at(self.i, reason)
    }

    fn err_at(&self, at: usize, reason: &str) -> JsonError {
        let upto = &self.s[..at.min(self.s.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&upto[line_start..]).chars().count() + 1;
        JsonError { line, column, reason: reason.to_string() }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn lit(&mut self, word: &str) -> bool {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') if self.lit("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.lit("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.lit("null") => Ok(Json::Null),
            Some(b'-' | b'0'..=b'9' | b'N' | b'I') => self.number(),
            Some(_) => Err(self.err("expected a value")),
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.i;
        for word in ["NaN", "-NaN", "Infinity", "-Infinity", "Inf", "-Inf"] {
            if self.lit(word) {
                return Ok(Json::Num(Num::new(word)));
            }
        }
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Parser| {
            let s = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return Err(self.err("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(self.err("expected digits after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.err("expected exponent digits"));
            }
        }
        // The slice is ASCII digits and signs, so it is valid UTF-8.
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        Ok(Json::Num(Num::new(text)))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self.s.get(self.i..self.i + 4).ok_or_else(|| self.err("short \\u escape"))?;
        let h = std::str::from_utf8(h).ok().and_then(|h| u32::from_str_radix(h, 16).ok());
        let h = h.ok_or_else(|| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else { return Err(self.err("unterminated string")) };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else { return Err(self.err("unterminated escape")) };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.lit("\\u") {
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("bad surrogate pair"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.err("control character in string")),
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("string is not UTF-8"))
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        let mut items = Vec::new();
        self.array_with(depth, &mut |p, _, depth| {
            items.push(p.value(depth)?);
            Ok(())
        })?;
        Ok(Json::Arr(items))
    }

    /// Reads an array (the next value, at nesting level `depth`), handing each element to
    /// `element(parser, index, depth of the element)`, which must consume it.
    pub(crate) fn array_with(
        &mut self,
        depth: usize,
        element: &mut dyn FnMut(&mut Parser, usize, usize) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.ws();
        if self.peek() != Some(b'[') {
            return Err(self.err("expected '['"));
        }
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            self.ws();
            self.path.push(Seg::Index(index));
            element(self, index, depth + 1)?;
            self.path.pop();
            index += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.object_with(depth, &mut |_, _, _| Ok(None)).map(Json::Obj)
    }

    /// Reads an object (the next value, at nesting level `depth`), letting `member` read any
    /// member's value itself (see [`Member`]); the others are read as trees. Duplicate keys are
    /// refused as in [`parse`].
    pub(crate) fn object_with(&mut self, depth: usize, member: Member) -> Result<Obj, JsonError> {
        self.ws();
        if self.peek() != Some(b'{') {
            return Err(self.err("expected '{'"));
        }
        self.i += 1;
        let mut members = Vec::new();
        // Where each key starts, to name a duplicate.
        let mut key_ats: Vec<usize> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Obj(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a key"));
            }
            let key_at = self.i;
            let key = self.string()?;
            key_ats.push(key_at);
            let key_end = self.i - 1;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.i += 1;
            self.ws();
            self.path.push(Seg::Key(key_at + 1, key_end));
            let v = match member(self, &key, depth + 1)? {
                Some(v) => v,
                None => self.value(depth + 1)?,
            };
            self.path.pop();
            members.push((name_of(&key), v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.refuse_duplicates(&members, &key_ats)?;
                    return Ok(Obj(members));
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }
}

impl Parser<'_> {
    /// A key given twice means two documents: Python's `json` (OTIO's own tooling) keeps the
    /// last, a first-wins reader the first. Refused, naming the second one and its path.
    fn refuse_duplicates(
        &self,
        members: &[(Name, Json)],
        key_ats: &[usize],
    ) -> Result<(), JsonError> {
        let key = |i: usize| &members[i].0;
        let second = if members.len() <= 8 {
            // Most objects are small: no allocation for them.
            (1..members.len()).find(|&j| (0..j).any(|i| key(i) == key(j)))
        } else {
            // Stable: among equal keys the later one comes second.
            let order = crate::sort::order_by(members.len(), &mut |a, b| key(a).cmp(key(b)));
            order.windows(2).find(|w| key(w[0]) == key(w[1])).map(|w| w[1])
        };
        let Some(second) = second else {
            return Ok(());
        };
        let key = &members[second].0;
        let at = match self.path_text() {
            p if p.is_empty() => key.to_string(),
            p => format!("{p}.{key}"),
        };
        Err(self.err_at(
            key_ats[second],
            &format!("duplicate key \"{key}\" at {at} (readers disagree on which one counts)"),
        ))
    }

    /// The current path in the form the OTIO reader's messages use, `tracks.children[0]`.
    fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match *seg {
                Seg::Key(a, b) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&String::from_utf8_lossy(&self.s[a..b]));
                }
                Seg::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` indented by 4 spaces per level, members in their stored order (as OTIO does).
pub fn to_pretty(v: &Json) -> String {
    let mut out = String::new();
    pretty(v, 0, &mut out);
    out.push('\n');
    out
}

/// `v` as [`to_pretty`] writes it at nesting `level` (no final newline), appended to `out`.
pub(crate) fn pretty(v: &Json, level: usize, out: &mut String) {
    let pad = |out: &mut String, l: usize| out.push_str(&" ".repeat(4 * l));
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(&n.text()),
        Json::Str(s) => write_str(out, s),
        Json::Arr(a) if a.is_empty() => out.push_str("[]"),
        Json::Obj(o) if o.0.is_empty() => out.push_str("{}"),
        Json::Arr(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                pad(out, level + 1);
                pretty(x, level + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            pad(out, level);
            out.push(']');
        }
        Json::Obj(o) => {
            out.push_str("{\n");
            for (i, (k, x)) in o.0.iter().enumerate() {
                pad(out, level + 1);
                write_str(out, k);
                out.push_str(": ");
                pretty(x, level + 1, out);
                out.push_str(if i + 1 < o.0.len() { ",\n" } else { "\n" });
            }
            pad(out, level);
            out.push('}');
        }
    }
}

/// Canonical compact form for hashing: keys sorted by their UTF-8 bytes, no spaces, numbers as
/// their exact text (a number's text is its identity here: `24` and `24.0` hash differently).
pub fn to_canonical(v: &Json) -> String {
    let mut out = String::new();
    canonical(v, &mut out);
    out
}

fn canonical(v: &Json, out: &mut String) {
    match v {
        Json::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        Json::Obj(o) => {
            let mut members: Vec<&(Name, Json)> = o.0.iter().collect();
            crate::sort::sort_by(&mut members, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                canonical(x, out);
            }
            out.push('}');
        }
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(&n.text()),
        Json::Str(s) => write_str(out, s),
    }
}

/// Compact form for JavaScript's `JSON.parse`: members in their stored order, no spaces, and
/// every number JS cannot read (`NaN`, `Inf`, `Infinity`) written as `null`, since JSON has no
/// literal for them. Numbers keep their text otherwise (`24.0` stays `24.0`; JS reads it as 24).
pub fn to_compact_js(v: &Json) -> String {
    let mut out = String::new();
    compact(v, true, &mut out);
    out
}

/// Compact form, members in their stored order, every number exactly as written (`NaN` too):
/// for text that only this crate reads back.
pub fn to_compact(v: &Json) -> String {
    let mut out = String::new();
    compact(v, false, &mut out);
    out
}

fn compact(v: &Json, js: bool, out: &mut String) {
    match v {
        Json::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(x, js, out);
            }
            out.push(']');
        }
        Json::Obj(o) => {
            out.push('{');
            for (i, (k, x)) in o.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                compact(x, js, out);
            }
            out.push('}');
        }
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) if js && !n.f64().is_finite() => out.push_str("null"),
        Json::Num(n) => out.push_str(&n.text()),
        Json::Str(s) => write_str(out, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_numbers_and_literals() {
        let text = r#"{"b": 1, "a": [24.0, NaN, -Infinity, Inf, 170141183460469231731687303715884105728], "s": "\u00e9\n"}"#;
        let v = parse(text).unwrap();
        let again = parse(&to_pretty(&v)).unwrap();
        assert_eq!(v, again);
        assert_eq!(
            to_canonical(&v),
            r#"{"a":[24.0,NaN,-Infinity,Inf,170141183460469231731687303715884105728],"b":1,"s":"é\n"}"#
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        let deep = "[".repeat(MAX_DEPTH + 10);
        assert!(parse(&deep).unwrap_err().reason.contains("deeper"));
    }

    #[test]
    fn compact_js_form_is_plain_json() {
        let v = parse(r#"{"b": [24.0, NaN, -Infinity, 1e400], "a": {"s": "x\"y"}}"#).unwrap();
        assert_eq!(to_compact_js(&v), r#"{"b":[24.0,null,null,null],"a":{"s":"x\"y"}}"#);
        // What JS reads back is JSON again, with the same structure.
        let back = parse(&to_compact_js(&v)).unwrap();
        assert_eq!(back.get("a"), v.get("a"));
        // The crate's own compact form keeps every number.
        assert_eq!(parse(&to_compact(&v)).unwrap(), v);
    }
}
