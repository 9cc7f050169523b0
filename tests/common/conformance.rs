//! The WebVTT conformance data in `../shared/conformance/webvtt` (web-platform-tests' parsing
//! suite as plain files) and the evaluator of its assertions on TextTrack-shaped JSON, shared by
//! the library test and the CLI test so that both hold the parser to the same 441 checks.

use std::path::PathBuf;

use outtake::captions::{Node, Tag};
use serde_json::Value;

/// The conformance directory, or `None` (after saying so) when `../shared` is not beside the
/// checkout.
pub fn dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance/webvtt"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared not found ({} is missing)", dir.display());
        None
    }
}

/// One file-parsing test: its name, the `.vtt` bytes, and its assertions.
pub struct FileCase {
    pub name: String,
    pub path: PathBuf,
    pub vtt: Vec<u8>,
    pub assertions: Vec<Value>,
}

/// Every `file-parsing/NAME.vtt` with its `NAME.json`, sorted by name.
pub fn file_cases(dir: &std::path::Path) -> Vec<FileCase> {
    let mut cases = vec![];
    let fp = dir.join("file-parsing");
    for entry in std::fs::read_dir(&fp).expect("file-parsing dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "vtt") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let json: Value = serde_json::from_slice(
                &std::fs::read(fp.join(format!("{name}.json"))).expect("json"),
            )
            .expect("valid json");
            let assertions = json["assertions"].as_array().cloned().unwrap_or_default();
            cases.push(FileCase {
                name,
                vtt: std::fs::read(&path).expect("vtt"),
                path,
                assertions,
            });
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Every cue-text case: `(file, text, expected tree)`.
pub fn cue_text_cases(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let mut cases = vec![];
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("cue-text-parsing"))
        .expect("cue-text-parsing dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let json: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("json")).expect("valid json");
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for case in json.as_array().expect("array of cases") {
            let text = case["text"].as_str().expect("text").to_string();
            let tree = case["expectedTree"].as_str().expect("expectedTree").to_string();
            cases.push((file.clone(), text, tree));
        }
    }
    cases
}

/// The value at a TextTrack path such as `cues[3].region.lines` or `cues.length`; `None` when
/// the path leads nowhere.
pub fn resolve<'a>(root: &'a Value, path: &str) -> Option<std::borrow::Cow<'a, Value>> {
    use std::borrow::Cow;
    let mut cur = Cow::Borrowed(root);
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (part, None),
        };
        let next = match &cur {
            Cow::Borrowed(v) => {
                if key == "length" {
                    Cow::Owned(Value::from(v.as_array()?.len()))
                } else {
                    Cow::Borrowed(v.get(key)?)
                }
            }
            Cow::Owned(_) => return None,
        };
        cur = match index {
            None => next,
            Some(i) => match next {
                Cow::Borrowed(v) => Cow::Borrowed(v.get(i)?),
                Cow::Owned(_) => return None,
            },
        };
    }
    Some(cur)
}

fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// Region identity: two region objects are the same when they are the same entry of `regions`
/// (their `index`); null is the same as null.
fn same(a: &Value, b: &Value) -> bool {
    match (a.get("index"), b.get("index")) {
        (Some(x), Some(y)) => x == y,
        _ => a.is_null() && b.is_null(),
    }
}

/// Checks `assertions` against `json`; returns the failures, described.
pub fn check(json: &Value, assertions: &[Value]) -> Vec<String> {
    let mut failures = vec![];
    for a in assertions {
        let path = a["path"].as_str().unwrap_or("");
        let op = a["op"].as_str().unwrap_or("");
        let got = resolve(json, path);
        let ok = match (op, &got) {
            ("eq", Some(v)) => loosely_equal(v, &a["value"]),
            ("ne", Some(v)) => !loosely_equal(v, &a["value"]),
            ("truthy", Some(v)) => truthy(v),
            ("same" | "not_same", Some(v)) => {
                let other = a["value"].as_str().and_then(|p| resolve(json, p));
                match other {
                    Some(o) => same(v, &o) == (op == "same"),
                    None => false,
                }
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{path} {op} {}: got {}",
                a["value"],
                got.map_or("nothing".into(), |v| v.to_string())
            ));
        }
    }
    failures
}

/// A cue-text case's text as a WebVTT file: the text is the payload of one cue.
pub fn cue_text_file(text: &str) -> String {
    format!("WEBVTT\n\n00:00.000 --> 00:01.000\n{text}")
}

/// The tree in html5lib's test format: `| <span>`, `|   class="a"`, `|   "text"`, two spaces of
/// indent per level, attributes sorted by name.
pub fn html5lib(nodes: &[Node]) -> String {
    fn walk(nodes: &[Node], depth: usize, out: &mut Vec<String>) {
        let pad = "  ".repeat(depth);
        for node in nodes {
            match node {
                Node::Text { text } => out.push(format!("| {pad}\"{text}\"")),
                Node::Timestamp { time } => {
                    let ms = time.millis(outtake::Rounding::Nearest);
                    out.push(format!(
                        "| {pad}<?timestamp {:02}:{:02}:{:02}.{:03}>",
                        ms / 3_600_000,
                        ms / 60_000 % 60,
                        ms / 1000 % 60,
                        ms % 1000
                    ));
                }
                Node::Element(e) => {
                    out.push(format!("| {pad}<{}>", e.tag.html_name()));
                    let mut attrs = vec![];
                    if !e.classes.is_empty() {
                        attrs.push(("class", e.classes.join(" ")));
                    }
                    if e.tag == Tag::Language {
                        attrs.push(("lang", e.language.clone().unwrap_or_default()));
                    }
                    if e.tag == Tag::Voice {
                        attrs.push(("title", e.voice.clone()));
                    }
                    attrs.sort();
                    for (name, value) in attrs {
                        out.push(format!("| {pad}  {name}=\"{value}\""));
                    }
                    walk(&e.children, depth + 1, out);
                }
            }
        }
    }
    let mut out = vec![];
    walk(nodes, 0, &mut out);
    out.join("\n")
}
