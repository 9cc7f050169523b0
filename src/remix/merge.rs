//! Three-way merge of timelines: the changes from base to ours and from base to theirs are
//! combined when they touch different things (another clip, or another property of the same
//! clip: a head trim and a tail trim merge); when they touch the same thing differently (one
//! clip trimmed two ways, one cue reworded two ways, a clip moved by one side and removed by the
//! other) the merge keeps ours there and reports a conflict: it never resolves one silently.

use super::apply::apply_changes;
use super::caption_diff::is_caption_track;
use super::change::{Change, ChangeKind as K, ChangeTarget as T};
use super::diff::diff_timelines;
use super::error::RemixError;
use super::identity::DiffOptions;
use super::model::*;
use serde_json::{json, Value};

/// Two changes that cannot both be kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// Index of the track in the base timeline.
    pub track: usize,
    /// The item's identity in the base timeline (`cue3` for captions).
    pub id: String,
    pub name: String,
    pub ours: String,
    pub theirs: String,
}

impl Conflict {
    pub fn to_json(&self) -> Value {
        json!({"track": self.track, "id": self.id, "name": self.name, "ours": self.ours, "theirs": self.theirs})
    }
}

#[derive(Clone, Debug)]
pub struct MergeResult {
    pub timeline: Timeline,
    pub conflicts: Vec<Conflict>,
}

/// What part of an item a change touches; changes conflict when their slots overlap.
fn slots(c: &Change) -> &'static [&'static str] {
    match (c.kind, c.target) {
        (K::Remove, _) => &["*"],
        (K::TrimHead, _) => &["head"],
        (K::TrimTail, _) => &["tail"],
        (K::Slip, _) => &["head", "tail"],
        (K::Speed, _) => &["speed"],
        (K::SwapMedia, _) => &["media"],
        (K::Enable | K::Disable, _) => &["enabled"],
        (K::Rename, _) => &["name"],
        (K::Move, _) => &["position"],
        (K::Insert, T::Track) => &[],
        (K::Insert, _) => &["position"],
        (K::Retime, T::Transition) => &["transition"],
        (_, T::Marker) => &["markers"],
        (_, T::Effect) => &["effects"],
        (K::Ripple | K::Slide, _) => &[],
        // Caption changes are merged cue by cue (`merge_captions`), never through slots.
        (K::Retime | K::Change | K::Text | K::Split | K::Merge, _) => &["other"],
    }
}

fn overlap(a: &[&str], b: &[&str]) -> bool {
    a.iter().any(|x| *x == "*" || b.contains(x) || b.contains(&"*"))
        && !a.is_empty()
        && !b.is_empty()
}

/// Where a change applies: the track, and the item (inserts by the item they follow).
fn place(c: &Change) -> (usize, String) {
    match c.kind {
        K::Insert if c.target != T::Track => {
            (c.track, format!("after:{}", c.after.clone().unwrap_or_default()))
        }
        _ => (c.track, c.id.clone()),
    }
}

/// Merges `ours` and `theirs`, both edits of `base`.
pub fn merge(
    base: &Timeline,
    ours: &Timeline,
    theirs: &Timeline,
    opts: &DiffOptions,
) -> Result<MergeResult, RemixError> {
    let d1 = diff_timelines(base, ours, opts);
    let d2 = diff_timelines(base, theirs, opts);
    let not_caption = |c: &&Change| c.target != T::Caption;
    let mine: Vec<&Change> = d1.changes.iter().filter(not_caption).collect();
    let mut conflicts = Vec::new();
    let mut keep: Vec<&Change> = mine.clone();
    let removed_tracks: Vec<usize> = mine
        .iter()
        .filter(|c| c.target == T::Track && c.kind == K::Remove)
        .map(|c| c.track)
        .collect();
    for c2 in d2.changes.iter().filter(not_caption) {
        let p2 = place(c2);
        let mut clash: Option<&Change> = None;
        let mut duplicate = false;
        for c1 in &mine {
            if c1.kind == c2.kind
                && c1.target == c2.target
                && c1.id == c2.id
                && c1.payload == c2.payload
                && c1.after == c2.after
            {
                duplicate = true;
                break;
            }
            let same_place = place(c1) == p2 || (c1.track == c2.track && c1.id == c2.id);
            if same_place && overlap(slots(c1), slots(c2)) {
                clash = Some(c1);
                break;
            }
        }
        // Edits inside a track the other side removed.
        let in_removed =
            c2.target != T::Track && removed_tracks.contains(&c2.track) && c2.kind != K::Ripple;
        if duplicate || c2.kind == K::Ripple {
            continue;
        }
        if c2.target == T::Track
            && c2.kind == K::Remove
            && mine
                .iter()
                .any(|c1| c1.track == c2.track && c1.kind != K::Ripple && c1.target != T::Track)
        {
            conflicts.push(Conflict {
                track: c2.track,
                id: c2.id.clone(),
                name: c2.name.clone(),
                ours: "edited clips on this track".into(),
                theirs: c2.summary.clone(),
            });
            continue;
        }
        match clash {
            Some(c1) => conflicts.push(Conflict {
                track: c2.track,
                id: c2.id.clone(),
                name: c2.name.clone(),
                ours: c1.summary.clone(),
                theirs: c2.summary.clone(),
            }),
            None if in_removed => conflicts.push(Conflict {
                track: c2.track,
                id: c2.id.clone(),
                name: c2.name.clone(),
                ours: "removed this track".into(),
                theirs: c2.summary.clone(),
            }),
            None => keep.push(c2),
        }
    }
    let mut timeline = apply_changes(base, &keep, opts)?;
    merge_captions(base, ours, theirs, &mut timeline, &mut conflicts);
    Ok(MergeResult { timeline, conflicts })
}

fn caption_tracks(t: &Timeline) -> Vec<&Track> {
    t.track_list().filter(|tr| is_caption_track(tr)).collect()
}

/// Cue-level three-way merge of caption tracks matched by position among caption tracks. A cue
/// changed on one side takes that side; changed the same way on both, either; changed two ways,
/// ours and a conflict. Splits or merges of cues on both sides are one conflict for the track.
fn merge_captions(
    base: &Timeline,
    ours: &Timeline,
    theirs: &Timeline,
    out: &mut Timeline,
    conflicts: &mut Vec<Conflict>,
) {
    let (cb, co, ct) = (caption_tracks(base), caption_tracks(ours), caption_tracks(theirs));
    let base_track_index =
        |tr: &Track| base.track_list().position(|x| std::ptr::eq(x, tr)).unwrap_or(0);
    let mut merged_cues = Vec::new();
    for (k, b) in cb.iter().enumerate() {
        let (Some(o), Some(t)) = (co.get(k), ct.get(k)) else {
            merged_cues.push(None);
            continue;
        };
        let (bm, om, tm) = (&b.base.markers, &o.base.markers, &t.base.markers);
        let track = base_track_index(b);
        let cues = if om == bm {
            tm.clone()
        } else if tm == bm || om == tm {
            om.clone()
        } else if om.len() == bm.len() && tm.len() == bm.len() {
            let mut v = Vec::with_capacity(bm.len());
            for i in 0..bm.len() {
                let (x, y, z) = (&bm[i], &om[i], &tm[i]);
                if y == x {
                    v.push(z.clone());
                } else if z == x || y == z {
                    v.push(y.clone());
                } else {
                    conflicts.push(Conflict {
                        track,
                        id: format!("cue{i}"),
                        name: x.name.clone().unwrap_or_default(),
                        ours: format!("cue {} now \"{}\"", i + 1, y.name.as_deref().unwrap_or("")),
                        theirs: format!(
                            "cue {} now \"{}\"",
                            i + 1,
                            z.name.as_deref().unwrap_or("")
                        ),
                    });
                    v.push(y.clone());
                }
            }
            v
        } else {
            conflicts.push(Conflict {
                track,
                id: "captions".into(),
                name: b.base.name().into(),
                ours: format!("{} cues (was {})", om.len(), bm.len()),
                theirs: format!("{} cues (was {})", tm.len(), bm.len()),
            });
            om.clone()
        };
        merged_cues.push(Some(cues));
    }
    let mut k = 0;
    for tr in out.track_list_mut() {
        if is_caption_track(tr) {
            if let Some(Some(cues)) = merged_cues.get(k) {
                tr.base.markers = cues.clone();
            }
            k += 1;
        }
    }
}
