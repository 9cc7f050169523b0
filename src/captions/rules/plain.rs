//! A small reader of WebVTT cue-text markup, enough for the timing rules and the SRT writer:
//! it splits cue text into text runs (entities decoded) and tags. The full cue-text tree
//! belongs to the WebVTT module; this one only needs to count characters and keep `<i><b><u>`.

/// One piece of cue text.
#[derive(Clone, Debug, PartialEq)]
pub enum Token<'a> {
    /// Text with its character references decoded.
    Text(String),
    /// A tag as written between `<` and `>` (without them), e.g. `/i`, `v Bob`, `c.red`,
    /// `00:00:01.000`. `name` is the part before any `.class` or annotation.
    Tag { inner: &'a str, name: &'a str, closing: bool },
}

/// Splits cue text into tokens. Never fails: a `<` without `>` runs to the end of the text, as
/// the WebVTT tokenizer does.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let body = &rest[1..];
                let (inner, after) = match body.find('>') {
                    Some(e) => (&body[..e], &body[e + 1..]),
                    None => (body, ""),
                };
                let closing = inner.starts_with('/');
                let bare = inner.trim_start_matches('/');
                let end = bare.find(|c: char| c == '.' || c.is_whitespace()).unwrap_or(bare.len());
                out.push(Token::Tag { inner, name: &bare[..end], closing });
                rest = after;
            }
            Some(p) => {
                out.push(Token::Text(decode_entities(&rest[..p])));
                rest = &rest[p..];
            }
            None => {
                out.push(Token::Text(decode_entities(rest)));
                rest = "";
            }
        }
    }
    out
}

/// Decodes the character references cue text uses (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`,
/// `&lrm;`, `&rlm;`, `&quot;`, `&apos;`, numeric). Anything else stays as written.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        // An entity name is short; look no further than 12 bytes for its `;`.
        let semi = rest.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i);
        let decoded = semi.and_then(|e| decode_one(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_one(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "nbsp" => Some('\u{a0}'),
        "lrm" => Some('\u{200e}'),
        "rlm" => Some('\u{200f}'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Escapes raw text for cue text: `&`, `<` and `>` become entities (so `-->` cannot appear).
pub fn encode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The text a viewer reads: tags removed, entities decoded, lines kept (`\n`).
pub fn plain_text(text: &str) -> String {
    tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Text(s) => Some(s),
            Token::Tag { .. } => None,
        })
        .collect()
}

/// The plain lines of a cue, as the reader sees them.
pub fn plain_lines(text: &str) -> Vec<String> {
    plain_text(text).split('\n').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strips_tags_and_decodes() {
        assert_eq!(plain_text("<v Bob>Hi &amp; <i.loud>bye</i> &lt;3"), "Hi & bye <3");
        assert_eq!(plain_text("a &bogus; &#65;&#x42;"), "a &bogus; AB");
        assert_eq!(plain_text("open <b"), "open ");
    }

    #[test]
    fn tag_names_and_closers() {
        let t = tokens("<c.red.big>x</c>");
        assert_eq!(t[0], Token::Tag { inner: "c.red.big", name: "c", closing: false });
        assert_eq!(t[2], Token::Tag { inner: "/c", name: "c", closing: true });
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = tokens(&s);
            let _ = plain_text(&s);
        }

        #[test]
        fn encode_then_decode_is_identity(s in "\\PC*") {
            prop_assert_eq!(decode_entities(&encode_entities(&s)), s);
        }
    }
}
