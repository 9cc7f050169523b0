//! Where in a JSON text a serde error is: the path (`cues[3].startTime`) of the value being read
//! at the error's line and column, found by walking the text up to there.
//!
//! NOTE: this replaces serde_path_to_error, whose wrapper deserializer is instantiated for every
//! type it reads and made 14 kB of the gzipped package (2026-11-29, measured by removing it);
//! the path is only wanted once a read has failed, so walking the text then costs nothing before.

/// One level of the walk: an object (with the key being read, once its name is known) or an
/// array (with the index of the element being read, once it has begun).
enum Level {
    Object { key: Option<String>, in_value: bool },
    Array { index: usize, begun: bool },
}

/// The path, as serde_path_to_error wrote it, of the value that `error` (from reading `text`)
/// is about: `.` for the root.
pub fn path_of(text: &str, error: &serde_json::Error) -> String {
    // Errors without a place of their own (a missing field, a custom error of a field's reader)
    // get the place where serde_json stopped: after the closing bracket of the object or array
    // holding the field. A missing field is that object's; any other such error is about the
    // last value read inside it.
    let inside = !error.to_string().starts_with("missing field");
    path_at(text, error.line(), error.column(), inside)
}

/// The path at `line`:`column` (serde_json's count: 1-based lines); with `inside`, a closing
/// bracket just before that place still counts as open.
fn path_at(text: &str, line: usize, column: usize, inside: bool) -> String {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let end = (start + column).min(text.len());
    let bytes = &text.as_bytes()[..end];
    let mut levels: Vec<Level> = Vec::new();
    let mut closed = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !b.is_ascii_whitespace() && b != b']' && b != b'}' {
            if let Some(Level::Array { begun, .. }) = levels.last_mut() {
                *begun = true;
            }
        }
        match b {
            b'{' => levels.push(Level::Object { key: None, in_value: false }),
            b'[' => levels.push(Level::Array { index: 0, begun: false }),
            b'}' | b']' => {
                closed = levels.pop();
            }
            b',' => match levels.last_mut() {
                Some(Level::Array { index, begun }) => (*index, *begun) = (*index + 1, false),
                Some(Level::Object { key, in_value }) => (*key, *in_value) = (None, false),
                None => {}
            },
            b':' => {
                if let Some(Level::Object { in_value, .. }) = levels.last_mut() {
                    *in_value = true;
                }
            }
            b'"' => {
                let (s, next) = string(bytes, i + 1);
                if let Some(Level::Object { key, in_value: false }) = levels.last_mut() {
                    *key = Some(s);
                }
                i = next;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() && b != b'}' && b != b']' {
            closed = None;
        }
        i += 1;
    }
    if let (true, Some(level)) = (inside, closed) {
        levels.push(level);
    }
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Level::Array { index, begun: true } => path.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The string starting at `from` (after its opening quote), unescaped, and the index of its
/// closing quote (or the end of `bytes`).
fn string(bytes: &[u8], from: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = from;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            i += 1;
            out.push(match bytes[i] {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                b'b' => 8,
                b'f' => 12,
                other => other,
            });
        } else {
            out.push(bytes[i]);
        }
        i += 1;
    }
    (String::from_utf8_lossy(&out).into_owned(), i)
}

#[cfg(test)]
mod tests {
    use super::path_of;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Cue {
        start_time: f64,
        end_time: f64,
        #[serde(default)]
        text: String,
        #[serde(default)]
        tags: Vec<u32>,
        #[serde(default, deserialize_with = "positive")]
        size: f64,
    }

    fn positive<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let v = f64::deserialize(d)?;
        if v < 0.0 {
            return Err(serde::de::Error::custom("must not be negative"));
        }
        Ok(v)
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Form {
        cues: Vec<Cue>,
        #[serde(default)]
        title: Option<String>,
    }

    fn path(json: &str) -> String {
        let e = serde_json::from_str::<Form>(json).unwrap_err();
        path_of(json, &e)
    }

    #[test]
    fn names_the_value_being_read() {
        let cases = [
            (r#"{"cues": [{"startTime": 1, "endTime": "x"}]}"#, "cues[0].endTime"),
            (
                r#"{"cues": [{"startTime": 1, "endTime": 2}, {"startTime": null}]}"#,
                "cues[1].startTime",
            ),
            (r#"{"cues": [{"startTime": 1}]}"#, "cues[0]"),
            (r#"{"cues": [{"startTime": 1, "endTime": 2, "bogus": 3}]}"#, "cues[0].bogus"),
            (
                r#"{"cues": [{"startTime": 1, "endTime": 2, "tags": [1, 2, -3]}]}"#,
                "cues[0].tags[2]",
            ),
            (r#"{"cues": {}}"#, "cues"),
            (r#"{"title": 5, "cues": []}"#, "title"),
            (r#"{"cues": [], "ti\"tle": 1}"#, "ti\"tle"),
            ("[]", "."),
            (r#"{"cues": [{"startTime": 1, "endTime": 2, "size": -1}]}"#, "cues[0].size"),
            (r#"{"cues": [{"size": -1, "startTime": 1, "endTime": 2}]}"#, "cues[0].size"),
            (r#"{"cues": [{"startTime": 1, "endTime": 2, "size": -1 } ] }"#, "cues[0].size"),
            (
                "{\n  \"cues\": [\n    {\"startTime\": 1,\n     \"endTime\": true}\n  ]\n}",
                "cues[0].endTime",
            ),
            (r#"{"cues": [{"text": "a, b: {c} [d]", "startTime": "1"}]}"#, "cues[0].startTime"),
        ];
        for (json, want) in cases {
            assert_eq!(path(json), want, "{json}");
        }
    }
}
