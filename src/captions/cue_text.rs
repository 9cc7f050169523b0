//! WebVTT cue text: the spec's cue text tokenizer and the tree it builds (classes, voices,
//! languages, `i b u`, ruby, timestamps, character references), and the cue's plain text.
//! The tree follows the "WebVTT cue text parsing rules"; nesting is capped (see [`MAX_DEPTH`]).

use super::entities;
use super::webvtt::collect_timestamp;
use crate::time::Time;

/// How deep elements may nest. Start tags past it are ignored, so that no input can build a tree
/// whose recursive drop, clone or walk overflows the stack (the spec sets no limit; real captions
/// never come near).
pub const MAX_DEPTH: usize = 256;

/// A node of the cue text tree ("WebVTT Node Object").
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Text {
        text: String,
    },
    /// A timestamp tag (`<00:01.500>`), for karaoke-style progressive display.
    Timestamp {
        time: Time,
    },
    Element(Element),
}

/// What kind of element ("WebVTT Internal Node Object") an [`Element`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    /// `<c>`: classes only.
    Class,
    Italic,
    Bold,
    Underline,
    Ruby,
    /// `<rt>`, only inside `<ruby>`.
    RubyText,
    /// `<v Name>`.
    Voice,
    /// `<lang tag>`.
    Language,
}

impl Tag {
    /// The HTML element the DOM construction rules map this to.
    pub fn html_name(self) -> &'static str {
        match self {
            Tag::Class | Tag::Voice | Tag::Language => "span",
            Tag::Italic => "i",
            Tag::Bold => "b",
            Tag::Underline => "u",
            Tag::Ruby => "ruby",
            Tag::RubyText => "rt",
        }
    }

    fn from_name(name: &str) -> Option<Tag> {
        Some(match name {
            "c" => Tag::Class,
            "i" => Tag::Italic,
            "b" => Tag::Bold,
            "u" => Tag::Underline,
            "ruby" => Tag::Ruby,
            "rt" => Tag::RubyText,
            "v" => Tag::Voice,
            "lang" => Tag::Language,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Element {
    pub tag: Tag,
    /// The classes from `<tag.a.b>`, empty ones left out.
    pub classes: Vec<String>,
    /// The voice's name for `v` (empty when none); empty for the other tags.
    pub voice: String,
    /// The applicable language: the innermost enclosing `<lang>`'s tag, if any.
    pub language: Option<String>,
    pub children: Vec<Node>,
}

enum Token<'a> {
    Text(String),
    Start { name: &'a str, classes: Vec<String>, annotation: Option<String> },
    End(&'a str),
    Timestamp(&'a str),
}

/// Parses cue text into its tree with the "WebVTT cue text parsing rules".
pub fn parse_cue_text(text: &str) -> Vec<Node> {
    let mut root: Vec<Node> = vec![];
    let mut open: Vec<Element> = vec![];
    let mut languages: Vec<String> = vec![];
    let mut pos = 0;
    fn append(root: &mut Vec<Node>, open: &mut [Element], node: Node) {
        match open.last_mut() {
            Some(e) => e.children.push(node),
            None => root.push(node),
        }
    }
    fn close(root: &mut Vec<Node>, open: &mut Vec<Element>) {
        if let Some(e) = open.pop() {
            append(root, open, Node::Element(e));
        }
    }
    while pos < text.len() {
        match next_token(text, &mut pos) {
            Token::Text(text) => append(&mut root, &mut open, Node::Text { text }),
            Token::Start { name, classes, annotation } => {
                let Some(tag) = Tag::from_name(name) else { continue };
                let current = open.last().map(|e| e.tag);
                if (tag == Tag::RubyText && current != Some(Tag::Ruby)) || open.len() >= MAX_DEPTH {
                    continue;
                }
                let annotation = annotation.unwrap_or_default();
                if tag == Tag::Language {
                    languages.push(annotation.clone());
                }
                let classes = classes.into_iter().filter(|c| !c.is_empty()).collect();
                let voice = if tag == Tag::Voice { annotation } else { String::new() };
                let language = languages.last().cloned();
                open.push(Element { tag, classes, voice, language, children: vec![] });
            }
            Token::End(name) => {
                let Some(current) = open.last().map(|e| e.tag) else { continue };
                match (Tag::from_name(name), current) {
                    (Some(Tag::Language), Tag::Language) => {
                        close(&mut root, &mut open);
                        languages.pop();
                    }
                    (Some(Tag::Ruby), Tag::RubyText) => {
                        close(&mut root, &mut open);
                        close(&mut root, &mut open);
                    }
                    (Some(tag), current) if tag == current => close(&mut root, &mut open),
                    _ => {}
                }
            }
            Token::Timestamp(value) => {
                let mut at = 0;
                if let Ok(ms) = collect_timestamp(value.as_bytes(), &mut at) {
                    if at == value.len() {
                        append(
                            &mut root,
                            &mut open,
                            Node::Timestamp { time: Time::from_millis(ms) },
                        );
                    }
                }
            }
        }
    }
    while !open.is_empty() {
        close(&mut root, &mut open);
    }
    root
}

/// The "WebVTT cue text tokenizer": the token at `*pos` (which is before the end).
fn next_token<'a>(s: &'a str, pos: &mut usize) -> Token<'a> {
    let b = s.as_bytes();
    // Data state.
    let mut result = String::new();
    loop {
        let i =
            b[*pos..].iter().position(|&c| c == b'&' || c == b'<').map_or(b.len(), |i| *pos + i);
        result.push_str(&s[*pos..i]);
        *pos = i;
        match b.get(i) {
            None => return Token::Text(result),
            Some(b'&') => {
                *pos = i + 1;
                match entities::consume(s, *pos, None, &mut result) {
                    Some(end) => *pos = end,
                    None => result.push('&'),
                }
            }
            _ if !result.is_empty() => return Token::Text(result),
            _ => break,
        }
    }
    // Tag state: just after the `<`.
    *pos += 1;
    let tag_start = *pos;
    let is_special = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b' ' | b'.' | b'>');
    match b.get(tag_start) {
        None => return Token::Start { name: "", classes: vec![], annotation: None },
        Some(b'/') => {
            let end =
                b[tag_start..].iter().position(|&c| c == b'>').map_or(b.len(), |i| tag_start + i);
            *pos = (end + 1).min(b.len());
            return Token::End(&s[tag_start + 1..end]);
        }
        Some(c) if c.is_ascii_digit() => {
            let end =
                b[tag_start..].iter().position(|&c| c == b'>').map_or(b.len(), |i| tag_start + i);
            *pos = (end + 1).min(b.len());
            return Token::Timestamp(&s[tag_start..end]);
        }
        _ => {}
    }
    // Start tag state (an empty name when the tag opens with whitespace, `.` or `>`).
    let name_end =
        b[tag_start..].iter().position(|&c| is_special(c)).map_or(b.len(), |i| tag_start + i);
    let name = &s[tag_start..name_end];
    let mut classes = vec![];
    let mut at = name_end;
    let mut annotation = String::new();
    // Start tag class state, entered on each `.`.
    while b.get(at) == Some(&b'.') {
        let start = at + 1;
        at = b[start..].iter().position(|&c| is_special(c)).map_or(b.len(), |i| start + i);
        classes.push(s[start..at].to_string());
    }
    match b.get(at) {
        None => {
            *pos = at;
            return Token::Start { name, classes, annotation: None };
        }
        Some(b'>') => {
            *pos = at + 1;
            return Token::Start { name, classes, annotation: None };
        }
        Some(b'\n') => annotation.push('\n'),
        _ => {}
    }
    // Start tag annotation state.
    *pos = at + 1;
    loop {
        let i =
            b[*pos..].iter().position(|&c| c == b'&' || c == b'>').map_or(b.len(), |i| *pos + i);
        annotation.push_str(&s[*pos..i]);
        *pos = i;
        match b.get(i) {
            Some(b'&') => {
                *pos = i + 1;
                match entities::consume(s, *pos, Some(b'>'), &mut annotation) {
                    Some(end) => *pos = end,
                    None => annotation.push('&'),
                }
            }
            Some(_) => {
                *pos = i + 1;
                break;
            }
            None => break,
        }
    }
    Token::Start { name, classes, annotation: Some(collapse_whitespace(&annotation)) }
}

/// Trims ASCII whitespace and collapses each run of it to one space.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(['\t', '\n', '\x0c', '\r', ' ']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text a viewer reads: the text nodes in order, without ruby text (`<rt>`, the small
/// pronunciation guide) or timestamps, as the spec's chapter-title rule takes it.
pub fn plain_text(nodes: &[Node]) -> String {
    fn walk(nodes: &[Node], out: &mut String) {
        for node in nodes {
            match node {
                Node::Text { text } => out.push_str(text),
                Node::Element(e) if e.tag != Tag::RubyText => walk(&e.children, out),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(nodes, &mut out);
    out
}

impl super::model::Cue {
    /// The cue's text as a tree (see [`parse_cue_text`]).
    pub fn nodes(&self) -> Vec<Node> {
        parse_cue_text(&self.text)
    }

    /// The text a viewer reads, without markup (see [`plain_text`]): what reading-speed and
    /// line-length rules count.
    pub fn plain_text(&self) -> String {
        plain_text(&parse_cue_text(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_skips_markup_and_ruby_text() {
        let nodes =
            parse_cue_text("<v Bob>Hi &amp; <b>bye</b></v><ruby>漢<rt>kan</rt></ruby><00:01.000>!");
        assert_eq!(plain_text(&nodes), "Hi & bye漢!");
        let cue = crate::captions::Cue::new(
            crate::Time::ZERO,
            crate::Time::from_millis(1),
            "a<i>b</i>\n&lt;c",
        );
        assert_eq!(cue.plain_text(), "ab\n<c");
    }

    #[test]
    fn annotations_decode_references_and_collapse_whitespace() {
        let nodes = parse_cue_text("<v\tA&amp;B \n  &lt;x&gt>t</v><lang\nen-GB >u");
        let [Node::Element(v), Node::Element(lang)] = &nodes[..] else { panic!("{nodes:?}") };
        assert_eq!((v.tag, v.voice.as_str()), (Tag::Voice, "A&B <x>"));
        assert_eq!((lang.tag, lang.language.as_deref()), (Tag::Language, Some("en-GB")));
        // Elements inside a <lang> carry its language; the voice is only on `v`.
        let nested = parse_cue_text("<lang fr><b>x</b></lang><b>y</b>");
        let Node::Element(outer) = &nested[0] else { panic!() };
        let Node::Element(inner) = &outer.children[0] else { panic!() };
        assert_eq!(inner.language.as_deref(), Some("fr"));
        let Node::Element(after) = &nested[1] else { panic!() };
        assert_eq!(after.language, None);
    }

    #[test]
    fn nesting_is_capped() {
        let deep = "<b>".repeat(MAX_DEPTH * 4) + "x";
        let nodes = parse_cue_text(&deep);
        let mut depth = 0;
        let mut level = &nodes;
        while let Some(Node::Element(e)) = level.first() {
            depth += 1;
            level = &e.children;
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(plain_text(&nodes), "x");
    }
}
