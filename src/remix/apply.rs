//! Replays a diff on a timeline: removes, inserts and moves items (each placed after the item it
//! followed in the new version), and sets the trimmed ranges, speeds, media, enabled flags,
//! markers and effects that changed. `apply(a, diff(a, b))` has `b`'s arrangement; merge uses
//! the same steps on changes from two diffs.

use super::caption_diff::is_caption_track;
use super::change::{Change, ChangeKind as K, ChangeTarget as T, Diff, Payload};
use super::error::RemixError;
use super::identity::{entries, DiffOptions};
use super::model::*;
use std::collections::{HashMap, HashSet};

/// The ids `diff` gives the children of a track (clips by identity, gaps and transitions by the
/// clips around them).
pub fn child_ids(children: &[Composable], opts: &DiffOptions) -> Vec<String> {
    let mut es = entries(children, opts);
    let keys: Vec<String> = es.iter().map(|e| e.key.clone()).collect();
    super::matching::fill_keys(&mut es, &|i| keys[i].clone());
    es.into_iter().map(|e| e.key).collect()
}

/// Sets a new source range built from the current one and `new`: `head` takes the new
/// in-point, `tail` the new out-point, neither (slip) the new in-point with the old duration.
/// The file's own numbers are kept wherever the result equals them.
fn set_range(
    base: &mut ItemBase,
    fallback: Option<TimeRange>,
    new: &TimeRange,
    head: bool,
    tail: bool,
) {
    let current = base.source_range.clone().or(fallback);
    let Some(cur) = current else {
        base.source_range = Some(new.clone());
        return;
    };
    let rate = new.duration.rate();
    let start = if head || !tail { new.start_time.clone() } else { cur.start_time.clone() };
    let (s, e) = match (head, tail) {
        (true, false) => (new.start(), cur.end()),
        (false, true) => (cur.start(), new.end()),
        (true, true) => (new.start(), new.end()),
        (false, false) => (new.start(), new.start() + cur.dur()),
    };
    let duration = if e - s == new.dur() {
        new.duration.clone()
    } else if e - s == cur.dur() {
        cur.duration.clone()
    } else {
        RationalTime::from_time(e - s, rate)
    };
    base.source_range = Some(TimeRange::new(start, duration));
}

/// Sets one property change on an item.
pub fn apply_property(item: &mut Composable, payload: &Payload) {
    let fallback = match item {
        Composable::Clip(c) => c.media().and_then(|m| m.available_range.clone()),
        _ => None,
    };
    match (payload, &mut *item) {
        (Payload::Transition(t), Composable::Transition(x)) => *x = t.clone(),
        (Payload::Media(refs, key), Composable::Clip(c)) => {
            c.media_references = refs.clone();
            c.active_key = key.clone();
        }
        (_, Composable::Transition(_) | Composable::Unknown(_)) => {}
        (p, other) => {
            let Some(base) = other.base_mut() else { return };
            match p {
                Payload::Start(r) => set_range(base, fallback, r, true, false),
                Payload::End(r) => set_range(base, fallback, r, false, true),
                Payload::Slip(r) => set_range(base, fallback, r, false, false),
                Payload::Speed(s) => {
                    base.effects.retain(|e| e.time_scalar.is_none());
                    if *s == 0.0 {
                        let mut ff = Effect::linear_time_warp(0.0);
                        ff.schema = "FreezeFrame.1".into();
                        ff.effect_name = Some("FreezeFrame".into());
                        base.effects.push(ff);
                    } else if *s != 1.0 {
                        base.effects.push(Effect::linear_time_warp(*s));
                    }
                }
                Payload::Enabled(on) => base.enabled = *on,
                Payload::Name(n) => base.name = n.clone(),
                Payload::Markers(ms) => base.markers = ms.clone(),
                Payload::Effects(es) => {
                    let warps: Vec<Effect> =
                        base.effects.iter().filter(|e| e.time_scalar.is_some()).cloned().collect();
                    base.effects = es
                        .iter()
                        .filter(|e| e.time_scalar.is_none())
                        .cloned()
                        .chain(warps)
                        .collect();
                }
                _ => {}
            }
        }
    }
}

/// Applies the changes of one track to its children (ids as `child_ids` gives them).
pub fn apply_to_children(
    children: &[Composable],
    ids: &[String],
    changes: &[&Change],
) -> Vec<Composable> {
    let mut items: Vec<(String, Composable)> =
        ids.iter().cloned().zip(children.iter().cloned()).collect();
    let removed: HashSet<&str> =
        changes.iter().filter(|c| c.kind == K::Remove).map(|c| c.id.as_str()).collect();
    let moved: HashMap<&str, &Change> =
        changes.iter().filter(|c| c.kind == K::Move).map(|c| (c.id.as_str(), *c)).collect();
    for c in changes {
        if !matches!(c.kind, K::Remove | K::Move | K::Insert | K::Ripple) {
            if let Some((_, it)) = items.iter_mut().find(|(id, _)| *id == c.id) {
                apply_property(it, &c.payload);
            }
        }
    }
    let mut pool: HashMap<String, Composable> = HashMap::new();
    let mut list: Vec<(String, Composable)> = Vec::with_capacity(items.len());
    for (id, it) in items.drain(..) {
        if removed.contains(id.as_str()) {
            continue;
        }
        if moved.contains_key(id.as_str()) {
            pool.insert(id, it);
        } else {
            list.push((id, it));
        }
    }
    for c in changes.iter().filter(|c| matches!(c.kind, K::Insert | K::Move)) {
        let item = match (&c.payload, c.kind) {
            (Payload::Item(it), K::Insert) => it.clone(),
            (_, K::Move) => match pool.remove(&c.id) {
                Some(it) => it,
                None => continue,
            },
            _ => continue,
        };
        let find = |a: &str, list: &[(String, Composable)]| list.iter().position(|(id, _)| id == a);
        let pos = match &c.after {
            None => 0,
            Some(a) => match find(a, &list) {
                Some(p) => p + 1,
                // The item it followed is gone (a merge removed it): follow the nearest
                // earlier survivor of the old order instead.
                None => match ids.iter().position(|id| id == a) {
                    Some(k) => {
                        ids[..k].iter().rev().find_map(|id| find(id, &list)).map_or(0, |p| p + 1)
                    }
                    None => list.len(),
                },
            },
        };
        list.insert(pos.min(list.len()), (c.id.clone(), item));
    }
    list.into_iter().map(|(_, it)| it).collect()
}

/// Replays `diff` (made by `diff_timelines(a, b, opts)` without `summary_only`) on `a`.
pub fn apply(a: &Timeline, diff: &Diff, opts: &DiffOptions) -> Result<Timeline, RemixError> {
    apply_changes(a, &diff.changes.iter().collect::<Vec<_>>(), opts)
}

/// Replays a list of changes (from one or several diffs of `a`) on `a`.
pub fn apply_changes(
    a: &Timeline,
    changes: &[&Change],
    opts: &DiffOptions,
) -> Result<Timeline, RemixError> {
    let mut out = a.clone();
    let mut track_no = 0usize;
    let mut removed_tracks = HashSet::new();
    for c in changes.iter().filter(|c| c.target == T::Track && c.kind == K::Remove) {
        removed_tracks.insert(c.track);
    }
    let mut kept = Vec::new();
    for child in std::mem::take(&mut out.tracks.children) {
        let Composable::Track(mut t) = child else {
            kept.push(child);
            continue;
        };
        let i = track_no;
        track_no += 1;
        if removed_tracks.contains(&i) {
            continue;
        }
        let mine: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| c.track == i && !(c.target == T::Track && c.kind == K::Insert))
            .collect();
        for c in mine.iter().filter(|c| c.target == T::Track) {
            match &c.payload {
                Payload::Enabled(on) => t.base.enabled = *on,
                Payload::Name(n) => t.base.name = n.clone(),
                _ => {}
            }
        }
        if is_caption_track(&t) {
            if let Some(Payload::Cues(ms)) =
                mine.iter().map(|c| &c.payload).find(|p| matches!(p, Payload::Cues(_)))
            {
                t.base.markers = ms.as_ref().clone();
            }
        } else {
            let ids = child_ids(&t.children, opts);
            let item_changes: Vec<&Change> =
                mine.into_iter().filter(|c| c.target != T::Track).collect();
            t.children = apply_to_children(&t.children, &ids, &item_changes);
        }
        kept.push(Composable::Track(t));
    }
    let mut inserts: Vec<(usize, Track)> = changes
        .iter()
        .filter_map(|c| match &c.payload {
            Payload::Track(t, idx) if c.kind == K::Insert => Some((*idx, t.clone())),
            _ => None,
        })
        .collect();
    crate::sort::sort_by_key(&mut inserts, |(i, _)| *i);
    for (idx, t) in inserts {
        // idx counts tracks; place it among the stack's children at that track position.
        let mut seen = 0;
        let mut pos = kept.len();
        for (k, c) in kept.iter().enumerate() {
            if matches!(c, Composable::Track(_)) {
                if seen == idx {
                    pos = k;
                    break;
                }
                seen += 1;
            }
        }
        kept.insert(pos, Composable::Track(t));
    }
    out.tracks.children = kept;
    Ok(out)
}

/// A comparable summary of a timeline's arrangement: per track, each item's kind, name,
/// media, exact source range, speed and enabled flag (captions: cue texts and times).
pub fn arrangement(t: &Timeline) -> Vec<Vec<String>> {
    t.track_list()
        .map(|tr| {
            let mut v =
                vec![format!("track {} {} enabled={}", tr.kind, tr.base.name(), tr.base.enabled)];
            if is_caption_track(tr) {
                v.extend(tr.base.markers.iter().map(|m| {
                    format!("cue {:?} {} {}", m.name, m.marked_range.start(), m.marked_range.dur())
                }));
            }
            v.extend(tr.children.iter().map(|c| {
                let range = match c {
                    Composable::Clip(cl) => cl.trimmed_range(),
                    _ => c.base().and_then(|b| b.source_range.clone()),
                };
                let r = range
                    .map(|r| format!("{}+{}", r.start().reduced(), r.dur().reduced()))
                    .unwrap_or_default();
                match c {
                    Composable::Transition(x) => format!(
                        "transition {:?} {:?} {:?}",
                        x.transition_type,
                        x.in_offset.time(),
                        x.out_offset.time()
                    ),
                    _ => format!(
                        "{} {:?} media={:?} range={r} speed={} enabled={} markers={}",
                        match c {
                            Composable::Clip(_) => "clip",
                            Composable::Gap(_) => "gap",
                            Composable::Stack(_) => "stack",
                            Composable::Track(_) => "track",
                            _ => "other",
                        },
                        c.base().map(|b| b.name().to_string()),
                        super::identity::media_of(c),
                        c.base().map(|b| b.speed()).unwrap_or(1.0),
                        c.base().map(|b| b.enabled).unwrap_or(true),
                        c.base().map(|b| b.markers.len()).unwrap_or(0),
                    ),
                }
            }));
            v
        })
        .collect()
}
