//! One change between two timelines, as `diff` names it and `apply` and `merge` read it: a typed
//! kind and target (so a misspelt kind fails to compile instead of weakening conflict checks),
//! the place, the details the JSON form shows, and what `apply` needs to redo it.

use super::model::*;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// What a change did. Serialised in snake_case (`trim_head`, `swap_media`), the strings the JS
/// API and `remix diff --json` give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Insert,
    Remove,
    Move,
    TrimHead,
    TrimTail,
    Slip,
    Slide,
    Speed,
    SwapMedia,
    Enable,
    Disable,
    Rename,
    Retime,
    /// Other effects than speed changed in place.
    Change,
    /// Clips that only shifted because something before them changed length.
    Ripple,
    /// Caption words reworded, added or removed.
    Text,
    Split,
    Merge,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 18] = [
        ChangeKind::Insert,
        ChangeKind::Remove,
        ChangeKind::Move,
        ChangeKind::TrimHead,
        ChangeKind::TrimTail,
        ChangeKind::Slip,
        ChangeKind::Slide,
        ChangeKind::Speed,
        ChangeKind::SwapMedia,
        ChangeKind::Enable,
        ChangeKind::Disable,
        ChangeKind::Rename,
        ChangeKind::Retime,
        ChangeKind::Change,
        ChangeKind::Ripple,
        ChangeKind::Text,
        ChangeKind::Split,
        ChangeKind::Merge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "insert",
            ChangeKind::Remove => "remove",
            ChangeKind::Move => "move",
            ChangeKind::TrimHead => "trim_head",
            ChangeKind::TrimTail => "trim_tail",
            ChangeKind::Slip => "slip",
            ChangeKind::Slide => "slide",
            ChangeKind::Speed => "speed",
            ChangeKind::SwapMedia => "swap_media",
            ChangeKind::Enable => "enable",
            ChangeKind::Disable => "disable",
            ChangeKind::Rename => "rename",
            ChangeKind::Retime => "retime",
            ChangeKind::Change => "change",
            ChangeKind::Ripple => "ripple",
            ChangeKind::Text => "text",
            ChangeKind::Split => "split",
            ChangeKind::Merge => "merge",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a change touches. Serialised in snake_case, as `ChangeKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTarget {
    Track,
    Clip,
    Gap,
    Transition,
    /// A stack or an item of a schema outtake does not model.
    Item,
    Caption,
    Marker,
    Effect,
}

impl ChangeTarget {
    pub const ALL: [ChangeTarget; 8] = [
        ChangeTarget::Track,
        ChangeTarget::Clip,
        ChangeTarget::Gap,
        ChangeTarget::Transition,
        ChangeTarget::Item,
        ChangeTarget::Caption,
        ChangeTarget::Marker,
        ChangeTarget::Effect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeTarget::Track => "track",
            ChangeTarget::Clip => "clip",
            ChangeTarget::Gap => "gap",
            ChangeTarget::Transition => "transition",
            ChangeTarget::Item => "item",
            ChangeTarget::Caption => "caption",
            ChangeTarget::Marker => "marker",
            ChangeTarget::Effect => "effect",
        }
    }
}

impl std::fmt::Display for ChangeTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `apply` needs to redo a change (not part of the JSON form).
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    None,
    /// An inserted (or moved) item.
    Item(Composable),
    /// An inserted track, with its index in the new stack.
    Track(Track, usize),
    /// The new source range, of which trim_head takes the in-point, trim_tail the out-point and
    /// slip the in-point with the old duration (so that merges can combine them).
    Start(TimeRange),
    End(TimeRange),
    Slip(TimeRange),
    Speed(f64),
    Media(Vec<(Name, MediaReference)>, Name),
    Enabled(bool),
    Markers(Vec<Marker>),
    Effects(Vec<Effect>),
    Transition(Transition),
    /// The new cue markers of a caption track.
    Cues(std::sync::Arc<Vec<Marker>>),
    Name(Option<String>),
}

/// One change. `track` is the index of the track in the old timeline's stack (for inserted
/// tracks, in the new one); `id` is the item's identity in the old timeline's terms, or
/// `+key` for an item that is new.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    pub target: ChangeTarget,
    pub path: String,
    pub name: String,
    pub track: usize,
    pub id: String,
    /// For insert and move: the id of the item it follows in the new order (`None`: first).
    pub after: Option<String>,
    pub details: Map<String, Value>,
    pub summary: String,
    pub payload: Payload,
}

impl Change {
    /// A change of `kind` to the item `id` of track `track`; the rest is set by the builder
    /// methods below (`path`, `name` and `summary` empty, no details, no payload until then).
    pub fn new(
        kind: ChangeKind,
        target: ChangeTarget,
        track: usize,
        id: impl Into<String>,
    ) -> Change {
        Change {
            kind,
            target,
            path: String::new(),
            name: String::new(),
            track,
            id: id.into(),
            after: None,
            details: Map::new(),
            summary: String::new(),
            payload: Payload::None,
        }
    }

    /// Where it is, as a path into the OTIO JSON (`tracks.children[1].children[4]`).
    pub fn at(mut self, path: impl Into<String>) -> Change {
        self.path = path.into();
        self
    }

    pub fn named(mut self, name: impl Into<String>) -> Change {
        self.name = name.into();
        self
    }

    /// The id of the item it now follows (`None`: first).
    pub fn after(mut self, after: Option<String>) -> Change {
        self.after = after;
        self
    }

    /// One detail of the JSON form (`frames`, `from`, `to`, …).
    pub fn detail(mut self, key: &str, value: impl Serialize) -> Change {
        self.details.insert(key.into(), json!(value));
        self
    }

    /// The readable line.
    pub fn says(mut self, summary: impl Into<String>) -> Change {
        self.summary = summary.into();
        self
    }

    pub fn payload(mut self, payload: Payload) -> Change {
        self.payload = payload;
        self
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!(self.kind));
        m.insert("target".into(), json!(self.target));
        m.insert("path".into(), json!(self.path));
        m.insert("name".into(), json!(self.name));
        m.insert("id".into(), json!(self.id));
        for (k, v) in &self.details {
            m.insert(k.clone(), v.clone());
        }
        m.insert("summary".into(), json!(self.summary));
        Value::Object(m)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    pub changes: Vec<Change>,
}

impl Diff {
    /// `{"changes":[{"kind","target","path",…,"summary"}]}`
    pub fn to_json(&self) -> Value {
        json!({"changes": self.changes.iter().map(Change::to_json).collect::<Vec<_>>()})
    }

    /// One readable line per change.
    pub fn summary(&self) -> String {
        self.changes.iter().map(|c| c.summary.clone() + "\n").collect()
    }

    /// Changes that alter the arrangement (everything but ripples).
    pub fn edits(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind != ChangeKind::Ripple)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON form, `as_str` and `Display` give one string per kind and target, in snake_case.
    #[test]
    fn kinds_and_targets_serialise_as_their_names() {
        for k in ChangeKind::ALL {
            assert_eq!(json!(k), json!(k.as_str()));
            assert_eq!(k.to_string(), k.as_str());
            assert!(k.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{k}");
        }
        for t in ChangeTarget::ALL {
            assert_eq!(json!(t), json!(t.as_str()));
        }
        assert_eq!(json!(ChangeKind::SwapMedia), json!("swap_media"));
        assert_eq!(json!(ChangeKind::TrimHead), json!("trim_head"));
        let c = Change::new(ChangeKind::TrimTail, ChangeTarget::Clip, 0, "c1").detail("frames", -3);
        assert_eq!(c.to_json()["kind"], "trim_tail");
        assert_eq!(c.to_json()["target"], "clip");
        assert_eq!(c.to_json()["frames"], -3);
    }
}
