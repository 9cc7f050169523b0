//! The timeline model, shaped like OpenTimelineIO's: Timeline → Stack → Tracks of Clips, Gaps,
//! Transitions and nested Stacks, with media references, markers, effects and metadata.
//!
//! OTIO stores times as float `value`/`rate` pairs; we keep those numbers as read ([`Num`]) so
//! that output is lossless, and derive exact [`Time`]s from them where arithmetic is needed.
//! Every object also keeps the JSON object it was read from (`raw`): unknown keys and key order
//! come back out from there.

use super::json::{Json, Num, Obj};
pub use super::name::{name_of, Name};
use crate::time::{Rate, Time};

/// The members of an object that the model does not hold (unknown keys, key order), kept to
/// write it back unchanged. Nearly always empty, so it costs one pointer until it is not. Reads
/// and writes as an [`Obj`].
#[derive(Clone, Default)]
pub struct Shell(Option<Box<Obj>>);

static NO_MEMBERS: Obj = Obj(Vec::new());

impl std::ops::Deref for Shell {
    type Target = Obj;
    fn deref(&self) -> &Obj {
        self.0.as_deref().unwrap_or(&NO_MEMBERS)
    }
}

impl std::ops::DerefMut for Shell {
    fn deref_mut(&mut self) -> &mut Obj {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Obj> for Shell {
    fn from(o: Obj) -> Shell {
        Shell((!o.0.is_empty()).then(|| Box::new(o)))
    }
}

impl PartialEq for Shell {
    fn eq(&self, other: &Shell) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Shell {
    /// The members as an object of their own, to write on.
    pub fn to_obj(&self) -> Obj {
        (**self).clone()
    }
}

/// OTIO's `RationalTime`: `value` frames at `rate` frames per second.
#[derive(Clone, Debug, PartialEq)]
pub struct RationalTime {
    pub value: Num,
    pub rate: Num,
    pub raw: Shell,
}

impl RationalTime {
    pub fn new(value: f64, rate: f64) -> RationalTime {
        RationalTime {
            value: Num::from_f64(value),
            rate: Num::from_f64(rate),
            raw: Shell::default(),
        }
    }

    /// Whole frames as an integer-valued float, written like OTIO writes them (`12.0`).
    pub fn frames(value: i64, rate: f64) -> RationalTime {
        RationalTime::new(value as f64, rate)
    }

    pub fn value(&self) -> f64 {
        self.value.f64()
    }

    pub fn rate(&self) -> f64 {
        self.rate.f64()
    }

    /// The exact instant, when value and rate are finite and the rate positive.
    pub fn time(&self) -> Option<Time> {
        to_time(self.value(), self.rate())
    }

    /// The time in seconds, with `Time::ZERO` for times that cannot be made exact (NaN rates).
    pub fn time_or_zero(&self) -> Time {
        self.time().unwrap_or(Time::ZERO)
    }

    /// `t` expressed at `rate` (rounded to a microframe when not on the grid).
    pub fn from_time(t: Time, rate: f64) -> RationalTime {
        let Ok(r) = Rate::from_fps(rate) else {
            return RationalTime::new(t.seconds() * rate, rate);
        };
        // frames = t * num / den
        let f = t.mul_ratio(r.num as i64, r.den as i64);
        let v = if f.scale() == 1 || f.value() % f.scale() as i64 == 0 {
            (f.value() / f.scale() as i64) as f64
        } else {
            f.value() as f64 / f.scale() as f64
        };
        RationalTime::new(v, rate)
    }
}

/// Converts frames at a float rate to an exact time. Integral frame counts are exact; fractional
/// ones are held to a microframe.
pub fn to_time(value: f64, rate: f64) -> Option<Time> {
    if !value.is_finite() || value.abs() > 1e15 {
        return None;
    }
    let r = Rate::from_fps(rate).ok()?;
    if value.fract() == 0.0 {
        let frames = value as i64;
        Some(Time::new(frames.checked_mul(r.den as i64)?, r.num))
    } else {
        let micro = (value * 1_000_000.0).round() as i64;
        Some(Time::new(micro.checked_mul(r.den as i64)?, r.num).mul_ratio(1, 1_000_000))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimeRange {
    pub start_time: RationalTime,
    pub duration: RationalTime,
    pub raw: Shell,
}

impl TimeRange {
    pub fn new(start_time: RationalTime, duration: RationalTime) -> TimeRange {
        TimeRange { start_time, duration, raw: Shell::default() }
    }
    pub fn start(&self) -> Time {
        self.start_time.time_or_zero()
    }
    pub fn dur(&self) -> Time {
        self.duration.time_or_zero()
    }
    pub fn end(&self) -> Time {
        self.start() + self.dur()
    }
}

/// What all OTIO items share: name, metadata, an optional trimmed range, effects, markers.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemBase {
    pub schema: Name,
    /// `None` when the file wrote `null`.
    pub name: Option<String>,
    pub metadata: Json,
    pub source_range: Option<TimeRange>,
    pub effects: Vec<Effect>,
    pub markers: Vec<Marker>,
    pub enabled: bool,
    pub raw: Shell,
}

impl ItemBase {
    pub fn new(schema: &str, name: &str) -> ItemBase {
        ItemBase {
            schema: name_of(schema),
            name: Some(name.to_string()),
            metadata: Json::Obj(Obj::default()),
            source_range: None,
            effects: vec![],
            markers: vec![],
            enabled: true,
            raw: Shell::default(),
        }
    }
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
    /// A value under `metadata`, following object keys.
    pub fn meta(&self, path: &[&str]) -> Option<&Json> {
        self.metadata.at(path)
    }
    pub fn set_meta(&mut self, ns: &str, key: &str, value: Json) {
        if !matches!(self.metadata, Json::Obj(_)) {
            self.metadata = Json::Obj(Obj::default());
        }
        if let Json::Obj(m) = &mut self.metadata {
            if !matches!(m.get(ns), Some(Json::Obj(_))) {
                m.set(ns, Json::Obj(Obj::default()));
            }
            if let Some(Json::Obj(inner)) = m.0.iter_mut().find(|(k, _)| k == ns).map(|(_, v)| v) {
                inner.set(key, value);
            }
        }
    }
    /// Speed from the first `LinearTimeWarp` (1 when none; 0 for a freeze frame).
    pub fn speed(&self) -> f64 {
        self.effects.iter().find_map(|e| e.time_scalar).unwrap_or(1.0)
    }
}

/// A media reference: external file, missing, generator, image sequence or an unknown kind.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaReference {
    pub schema: Name,
    pub name: Option<String>,
    /// `target_url` of an ExternalReference; `target_url_base` of an ImageSequenceReference.
    pub target_url: Option<String>,
    pub available_range: Option<TimeRange>,
    pub metadata: Json,
    pub raw: Shell,
}

impl MediaReference {
    pub fn external(url: &str, available_range: Option<TimeRange>) -> MediaReference {
        MediaReference {
            schema: "ExternalReference.1".into(),
            name: Some(String::new()),
            target_url: Some(url.to_string()),
            available_range,
            metadata: Json::Obj(Obj::default()),
            raw: Shell::default(),
        }
    }
    pub fn missing() -> MediaReference {
        MediaReference {
            schema: "MissingReference.1".into(),
            name: Some(String::new()),
            target_url: None,
            available_range: None,
            metadata: Json::Obj(Obj::default()),
            raw: Shell::default(),
        }
    }
    pub fn kind(&self) -> &str {
        schema_name(&self.schema)
    }
    /// What identifies the media, borrowed: its URL, else the generator kind, else its name.
    pub fn identity_ref(&self) -> Option<&str> {
        if let Some(u) = self.target_url.as_deref().filter(|u| !u.is_empty()) {
            return Some(u);
        }
        if self.raw.get("generator_kind").is_some() {
            return None;
        }
        self.name.as_deref().filter(|n| !n.is_empty())
    }

    /// What identifies the media: its URL, else the generator kind, else its name.
    pub fn identity(&self) -> Option<String> {
        if let Some(u) = self.target_url.as_ref().filter(|u| !u.is_empty()) {
            return Some(u.clone());
        }
        if let Some(k) = self.raw.get("generator_kind").and_then(Json::as_str) {
            return Some(format!("generator:{k}"));
        }
        self.name.clone().filter(|n| !n.is_empty())
    }
}

/// An effect; `time_scalar` is set for `LinearTimeWarp` (and 0 for `FreezeFrame`).
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub schema: Name,
    pub name: Option<String>,
    pub effect_name: Option<String>,
    pub metadata: Json,
    pub time_scalar: Option<f64>,
    pub raw: Obj,
}

impl Effect {
    pub fn linear_time_warp(scalar: f64) -> Effect {
        Effect {
            schema: "LinearTimeWarp.1".into(),
            name: Some(String::new()),
            effect_name: Some("LinearTimeWarp".into()),
            metadata: Json::Obj(Obj::default()),
            time_scalar: Some(scalar),
            raw: Obj::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub schema: Name,
    pub name: Option<String>,
    /// A colour name (`Marker.2`) or a `Color.1` object (`Marker.3`), as read.
    pub color: Json,
    pub marked_range: TimeRange,
    pub comment: Option<String>,
    pub metadata: Json,
    pub raw: Obj,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    pub base: ItemBase,
    /// Named references (`Clip.2`); a `Clip.1` file's one reference is under `DEFAULT_MEDIA`.
    pub media_references: Vec<(Name, MediaReference)>,
    pub active_key: Name,
}

pub const DEFAULT_MEDIA: &str = "DEFAULT_MEDIA";

impl Clip {
    pub fn new(name: &str, media: MediaReference, source_range: Option<TimeRange>) -> Clip {
        let mut base = ItemBase::new("Clip.2", name);
        base.source_range = source_range;
        Clip {
            base,
            media_references: vec![(DEFAULT_MEDIA.into(), media)],
            active_key: DEFAULT_MEDIA.into(),
        }
    }
    pub fn media(&self) -> Option<&MediaReference> {
        self.media_references.iter().find(|(k, _)| *k == self.active_key).map(|(_, m)| m)
    }
    pub fn media_mut(&mut self) -> Option<&mut MediaReference> {
        let key = self.active_key.clone();
        self.media_references.iter_mut().find(|(k, _)| *k == key).map(|(_, m)| m)
    }
    /// The trimmed range, else the media's available range.
    pub fn trimmed_range(&self) -> Option<TimeRange> {
        self.trimmed_range_ref().cloned()
    }

    pub fn trimmed_range_ref(&self) -> Option<&TimeRange> {
        self.base
            .source_range
            .as_ref()
            .or_else(|| self.media().and_then(|m| m.available_range.as_ref()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    pub schema: Name,
    pub name: Option<String>,
    pub transition_type: String,
    pub in_offset: RationalTime,
    pub out_offset: RationalTime,
    pub metadata: Json,
    pub raw: Obj,
}

impl Transition {
    pub fn dissolve(in_offset: RationalTime, out_offset: RationalTime) -> Transition {
        Transition {
            schema: "Transition.1".into(),
            name: Some(String::new()),
            transition_type: "SMPTE_Dissolve".into(),
            in_offset,
            out_offset,
            metadata: Json::Obj(Obj::default()),
            raw: Obj::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub base: ItemBase,
    /// `Video`, `Audio`, or any other string a file used.
    pub kind: String,
    pub children: Vec<Composable>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub base: ItemBase,
    pub children: Vec<Composable>,
}

/// A child of a track or stack.
#[derive(Clone, Debug, PartialEq)]
pub enum Composable {
    Clip(Clip),
    Gap(ItemBase),
    Transition(Transition),
    Track(Track),
    Stack(Stack),
    /// A schema we do not know, kept verbatim (it takes no time).
    Unknown(Json),
}

impl Composable {
    pub fn base(&self) -> Option<&ItemBase> {
        match self {
            Composable::Clip(c) => Some(&c.base),
            Composable::Gap(g) => Some(g),
            Composable::Track(t) => Some(&t.base),
            Composable::Stack(s) => Some(&s.base),
            Composable::Transition(_) | Composable::Unknown(_) => None,
        }
    }
    pub fn base_mut(&mut self) -> Option<&mut ItemBase> {
        match self {
            Composable::Clip(c) => Some(&mut c.base),
            Composable::Gap(g) => Some(g),
            Composable::Track(t) => Some(&mut t.base),
            Composable::Stack(s) => Some(&mut s.base),
            Composable::Transition(_) | Composable::Unknown(_) => None,
        }
    }

    /// How long the item lasts in its parent (transitions and unknown schemas take no time).
    pub fn duration(&self) -> Time {
        self.duration_at(0)
    }

    fn duration_at(&self, depth: usize) -> Time {
        if depth > super::json::MAX_DEPTH {
            return Time::ZERO;
        }
        match self {
            Composable::Clip(c) => c.trimmed_range_ref().map(|r| r.dur()).unwrap_or(Time::ZERO),
            Composable::Gap(g) => g.source_range.as_ref().map(|r| r.dur()).unwrap_or(Time::ZERO),
            Composable::Transition(_) | Composable::Unknown(_) => Time::ZERO,
            Composable::Track(t) => match &t.base.source_range {
                Some(r) => r.dur(),
                None => t.children.iter().fold(Time::ZERO, |a, c| a + c.duration_at(depth + 1)),
            },
            Composable::Stack(s) => match &s.base.source_range {
                Some(r) => r.dur(),
                None => s.children.iter().fold(Time::ZERO, |a, c| a.max(c.duration_at(depth + 1))),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub schema: Name,
    pub name: Option<String>,
    pub metadata: Json,
    pub global_start_time: Option<RationalTime>,
    pub tracks: Stack,
    pub raw: Obj,
}

impl Timeline {
    pub fn new(name: &str) -> Timeline {
        Timeline {
            schema: "Timeline.1".into(),
            name: Some(name.to_string()),
            metadata: Json::Obj(Obj::default()),
            global_start_time: None,
            tracks: Stack { base: ItemBase::new("Stack.1", "tracks"), children: vec![] },
            raw: Obj::default(),
        }
    }

    /// The top-level tracks, in stack order (bottom first).
    pub fn track_list(&self) -> impl Iterator<Item = &Track> {
        self.tracks.children.iter().filter_map(|c| match c {
            Composable::Track(t) => Some(t),
            _ => None,
        })
    }

    pub fn track_list_mut(&mut self) -> impl Iterator<Item = &mut Track> {
        self.tracks.children.iter_mut().filter_map(|c| match c {
            Composable::Track(t) => Some(t),
            _ => None,
        })
    }
}

/// `Clip.2` → `Clip`.
pub fn schema_name(schema: &str) -> &str {
    schema.split('.').next().unwrap_or(schema)
}

pub fn schema_version(schema: &str) -> u32 {
    schema.rsplit_once('.').and_then(|(_, v)| v.parse().ok()).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn usual_names_are_borrowed_others_owned() {
        assert!(matches!(name_of("Clip.2"), Cow::Borrowed("Clip.2")));
        assert!(matches!(name_of("cmx_3600"), Cow::Borrowed(_)));
        assert!(matches!(name_of("Clip.9"), Cow::Owned(s) if s == "Clip.9"));
        let c = Clip::new("a", MediaReference::missing(), None);
        assert!(
            matches!(c.base.schema, Cow::Borrowed(_)) && matches!(c.active_key, Cow::Borrowed(_))
        );
    }

    #[test]
    fn a_shell_reads_writes_and_compares_as_its_object() {
        let mut s = Shell::default();
        assert!(s.0.is_none() && s.get("x").is_none());
        assert_eq!(s, Shell::from(Obj::default()));
        assert!(Shell::from(Obj::default()).0.is_none());
        s.set("x", Json::Bool(true));
        assert_eq!(s.get("x"), Some(&Json::Bool(true)));
        assert_eq!(format!("{s:?}"), format!("{:?}", s.to_obj()));
        assert_ne!(s, Shell::default());
    }

    /// A long timeline holds one of these per item: they must not grow back unnoticed.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn items_stay_small() {
        use std::mem::size_of;
        assert!(size_of::<Num>() <= 16);
        assert!(size_of::<TimeRange>() <= 88);
        assert!(size_of::<Composable>() <= 296, "{}", size_of::<Composable>());
        assert!(size_of::<MediaReference>() <= 208);
    }
}
