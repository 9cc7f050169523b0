//! The difference between two timelines, as editors name it: clips inserted, removed, moved
//! (told apart from remove+insert by a longest increasing subsequence over matched clips),
//! trimmed at head or tail, slipped, slid, sped up, given other media, enabled or disabled;
//! clips that only shifted because something before them changed length are a `ripple`, not
//! an edit. Caption tracks are compared word by word (see `caption_diff`).

use super::caption_diff::{self, is_caption_track};
use super::change::{Change, ChangeKind as K, ChangeTarget as T, Diff, Payload};
use super::identity::{lis, media_of, DiffOptions, Entry, EntryKind};
use super::matching::{match_children, match_tracks, Matching};
use super::model::*;
use crate::time::Time;

pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn frames(t: Time, rate: f64) -> i64 {
    (t.seconds() * rate).round() as i64
}

fn plural(n: i64) -> String {
    format!("{n} frame{}", if n == 1 { "" } else { "s" })
}

/// The index in the timeline's stack of each top-level track.
fn track_positions(t: &Timeline) -> Vec<usize> {
    t.tracks
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Composable::Track(_)))
        .map(|(i, _)| i)
        .collect()
}

/// Compares two timelines.
pub fn diff_timelines(a: &Timeline, b: &Timeline, opts: &DiffOptions) -> Diff {
    let ta: Vec<&Track> = a.track_list().collect();
    let tb: Vec<&Track> = b.track_list().collect();
    let (pa, pb) = (track_positions(a), track_positions(b));
    let map = match_tracks(&ta, &tb);
    let mut changes = Vec::new();
    for (i, t) in ta.iter().enumerate() {
        if !map.contains(&Some(i)) {
            let path = format!("tracks.children[{}]", pa.get(i).copied().unwrap_or(i));
            changes.push(
                Change::new(K::Remove, T::Track, i, format!("track{i}"))
                    .at(path)
                    .named(t.base.name())
                    .says(format!("{} track '{}' removed", t.kind, t.base.name())),
            );
        }
    }
    for (j, m) in map.iter().enumerate() {
        let path = format!("tracks.children[{}]", pb.get(j).copied().unwrap_or(j));
        let tr = tb[j];
        let Some(&i) = m.as_ref() else {
            let clips = tr.children.iter().filter(|c| matches!(c, Composable::Clip(_))).count();
            changes.push(
                Change::new(K::Insert, T::Track, j, format!("+track{j}"))
                    .at(path)
                    .named(tr.base.name())
                    .detail("index", j)
                    .detail("clips", clips)
                    .says(format!(
                        "{} track '{}' added with {clips} clips",
                        tr.kind,
                        tr.base.name()
                    ))
                    .payload(Payload::Track(tr.clone(), j)),
            );
            continue;
        };
        if is_caption_track(ta[i]) {
            changes.extend(caption_diff::diff_captions(ta[i], tr, i, &path, opts.summary_only));
        } else {
            changes.extend(diff_track(ta[i], tr, i, &path, opts));
        }
        let of_track = |kind| Change::new(kind, T::Track, i, format!("track{i}")).at(path.clone());
        if ta[i].base.name != tr.base.name {
            changes.push(
                of_track(K::Rename)
                    .named(tr.base.name())
                    .says(format!("track '{}' renamed '{}'", ta[i].base.name(), tr.base.name()))
                    .payload(Payload::Name(tr.base.name.clone())),
            );
        }
        if ta[i].base.enabled != tr.base.enabled {
            let on = tr.base.enabled;
            changes.push(
                of_track(if on { K::Enable } else { K::Disable })
                    .named(tr.base.name())
                    .says(format!(
                        "track '{}' {}",
                        tr.base.name(),
                        if on { "enabled" } else { "disabled" }
                    ))
                    .payload(Payload::Enabled(on)),
            );
        }
    }
    Diff { changes }
}

fn target_of(e: &Entry) -> T {
    match e.kind {
        EntryKind::Clip => T::Clip,
        EntryKind::Gap => T::Gap,
        EntryKind::Transition => T::Transition,
        EntryKind::Other => T::Item,
    }
}

fn describe(e: &Entry) -> String {
    match e.kind {
        EntryKind::Clip => format!("'{}'", e.name),
        EntryKind::Gap => "a gap".into(),
        EntryKind::Transition => format!("transition '{}'", e.name),
        EntryKind::Other => "an item".into(),
    }
}

/// Clip-level comparison of one matched pair of tracks.
pub fn diff_track(
    a: &Track,
    b: &Track,
    track: usize,
    tpath: &str,
    opts: &DiffOptions,
) -> Vec<Change> {
    let Matching { ea, eb, a_to_b, b_to_a } = match_children(&a.children, &b.children, opts);
    // Ids in the old timeline's terms.
    let id_b = |j: usize| -> String {
        match b_to_a[j] {
            Some(i) => ea[i].key.clone(),
            None => format!("+{}", eb[j].key),
        }
    };
    let clip_ord_a: Vec<usize> = ordinals(&ea);
    let clip_ord_b: Vec<usize> = ordinals(&eb);
    let mut out = Vec::new();
    let path_b = |j: usize| format!("{tpath}.children[{j}]");
    // 3. removals.
    for (i, e) in ea.iter().enumerate() {
        if a_to_b[i].is_none() {
            let what = describe(e);
            let summary = match e.kind {
                EntryKind::Clip => format!("{what} removed (was {})", ordinal(clip_ord_a[i])),
                _ => format!("{what} removed"),
            };
            out.push(
                Change::new(K::Remove, target_of(e), track, e.key.clone())
                    .at(format!("{tpath}.children[{i}]"))
                    .named(e.name.clone())
                    .says(summary),
            );
        }
    }
    // 4. moves: matched pairs in old order whose new positions are not on the LIS.
    let matched: Vec<(usize, usize)> =
        (0..ea.len()).filter_map(|i| a_to_b[i].map(|j| (i, j))).collect();
    let seq: Vec<usize> = matched.iter().map(|p| p.1).collect();
    let mut stable = vec![false; ea.len()];
    for k in lis(&seq) {
        if let Some(&(i, _)) = matched.get(k) {
            stable[i] = true;
        }
    }
    let after_of = |j: usize| if j == 0 { None } else { Some(id_b(j - 1)) };
    for j in 0..eb.len() {
        let e = &eb[j];
        match b_to_a[j] {
            None => {
                let summary = match e.kind {
                    EntryKind::Clip => {
                        format!("{} inserted as {}", describe(e), ordinal(clip_ord_b[j]))
                    }
                    _ => format!("{} inserted before {}", describe(e), next_clip_name(&eb, j)),
                };
                let item = b.children.get(j).cloned().map(Payload::Item).unwrap_or(Payload::None);
                out.push(
                    Change::new(K::Insert, target_of(e), track, id_b(j))
                        .at(path_b(j))
                        .named(e.name.clone())
                        .after(after_of(j))
                        .detail("index", j)
                        .says(summary)
                        .payload(item),
                );
            }
            Some(i) if !stable[i] => {
                let summary = format!(
                    "{} moved from {} to {}",
                    describe(e),
                    ordinal(clip_ord_a[i]),
                    ordinal(clip_ord_b[j])
                );
                out.push(
                    Change::new(K::Move, target_of(e), track, id_b(j))
                        .at(path_b(j))
                        .named(e.name.clone())
                        .after(after_of(j))
                        .detail("from", i)
                        .detail("to", j)
                        .says(summary),
                );
            }
            _ => {}
        }
    }
    // 5. property changes of matched items, then slides and ripples.
    let mut shifted = 0usize;
    let mut first_shift: Option<(String, i64)> = None;
    let mut slid = vec![false; eb.len()];
    for j in 0..eb.len() {
        let Some(i) = b_to_a[j] else { continue };
        let (ca, cb) = match (a.children.get(ea[i].index), b.children.get(j)) {
            (Some(x), Some(y)) => (x, y),
            _ => continue,
        };
        let before = out.len();
        item_changes(&ea[i], &eb[j], ca, cb, track, &path_b(j), &mut out);
        let own_edit = out.len() > before;
        let dr = eb[j].record_start - ea[i].record_start;
        if dr != Time::ZERO && !own_edit && eb[j].kind == EntryKind::Clip {
            // A slide: neighbours changed length in opposite ways by exactly the shift.
            let nb = |k: Option<usize>| {
                k.and_then(|k| b_to_a[k].map(|i2| eb[k].duration - ea[i2].duration))
            };
            let prev = (0..j).rev().find(|&k| eb[k].kind != EntryKind::Transition);
            let next = (j + 1..eb.len()).find(|&k| eb[k].kind != EntryKind::Transition);
            if nb(prev) == Some(dr) && nb(next) == Some(Time::ZERO - dr) && stable[i] {
                slid[j] = true;
                let f = frames(dr, eb[j].rate);
                let dir = if f > 0 { "later" } else { "earlier" };
                let summary = format!(
                    "{} slid {} {dir} between its neighbours",
                    describe(&eb[j]),
                    plural(f.abs())
                );
                out.push(
                    Change::new(K::Slide, T::Clip, track, id_b(j))
                        .at(path_b(j))
                        .named(eb[j].name.clone())
                        .detail("frames", f)
                        .says(summary),
                );
            } else if stable[i] {
                shifted += 1;
                first_shift.get_or_insert((eb[j].name.clone(), frames(dr, eb[j].rate)));
            }
        }
    }
    if shifted > 0 {
        let (name, f) = first_shift.unwrap_or_default();
        let summary = format!(
            "{shifted} clip{} shifted in record time by earlier changes (ripple; '{name}' by {})",
            if shifted == 1 { "" } else { "s" },
            plural(f)
        );
        out.push(
            Change::new(K::Ripple, T::Track, track, format!("track{track}"))
                .at(tpath)
                .named(b.base.name())
                .detail("clips", shifted)
                .detail("first", name)
                .detail("frames", f)
                .says(summary),
        );
    }
    out
}

fn next_clip_name(es: &[Entry], j: usize) -> String {
    es[j + 1..]
        .iter()
        .find(|e| e.kind == EntryKind::Clip)
        .map(|e| format!("'{}'", e.name))
        .unwrap_or_else(|| "the end".into())
}

/// 1-based position of each clip among the track's clips (0 for non-clips).
fn ordinals(es: &[Entry]) -> Vec<usize> {
    let mut n = 0;
    es.iter()
        .map(|e| {
            if e.kind == EntryKind::Clip {
                n += 1;
                n
            } else {
                0
            }
        })
        .collect()
}

fn range_of(c: &Composable) -> Option<TimeRange> {
    match c {
        Composable::Clip(cl) => cl.trimmed_range(),
        _ => c.base().and_then(|b| b.source_range.clone()),
    }
}

/// Changes of one matched item: trims, slip, speed, media, enable, markers, effects.
fn item_changes(
    ea: &Entry,
    eb: &Entry,
    ca: &Composable,
    cb: &Composable,
    track: usize,
    path: &str,
    out: &mut Vec<Change>,
) {
    let what = describe(eb);
    let target = target_of(eb);
    let change =
        |kind, target| Change::new(kind, target, track, ea.key.clone()).at(path).named(&eb.name);
    if let (Composable::Transition(x), Composable::Transition(y)) = (ca, cb) {
        if x.in_offset.time() != y.in_offset.time()
            || x.out_offset.time() != y.out_offset.time()
            || x.transition_type != y.transition_type
        {
            let (i, o) = (y.in_offset.value(), y.out_offset.value());
            out.push(
                change(K::Retime, T::Transition)
                    .detail("in_offset", i)
                    .detail("out_offset", o)
                    .says(format!("{what} now {i} + {o} frames"))
                    .payload(Payload::Transition(y.clone())),
            );
        }
        return;
    }
    if let (Some((sa, enda)), Some((sb, endb)), Some(rb)) = (ea.source, eb.source, range_of(cb)) {
        let (ds, de) = (sb - sa, endb - enda);
        if ds != Time::ZERO && ds == de {
            let f = frames(ds, eb.rate);
            let dir = if f > 0 { "later in its source" } else { "earlier in its source" };
            out.push(
                change(K::Slip, target)
                    .detail("frames", f)
                    .says(format!("{what} slipped {} {dir}", plural(f.abs())))
                    .payload(Payload::Slip(rb.clone())),
            );
        } else {
            if ds != Time::ZERO {
                let f = frames(ds, eb.rate);
                let verb = if f > 0 { "lost" } else { "gained" };
                out.push(
                    change(K::TrimHead, target)
                        .detail("frames", -f)
                        .says(format!("{what} {verb} {} at its head", plural(f.abs())))
                        .payload(Payload::Start(rb.clone())),
                );
            }
            if de != Time::ZERO {
                let f = frames(de, eb.rate);
                let verb = if f > 0 { "gained" } else { "lost" };
                out.push(
                    change(K::TrimTail, target)
                        .detail("frames", f)
                        .says(format!("{what} {verb} {} at its tail", plural(f.abs())))
                        .payload(Payload::End(rb.clone())),
                );
            }
        }
    } else if ea.duration != eb.duration {
        let f = frames(eb.duration - ea.duration, eb.rate);
        let verb = if f > 0 { "grew by" } else { "shrank by" };
        out.push(
            change(K::TrimTail, target)
                .detail("frames", f)
                .says(format!("{what} {verb} {}", plural(f.abs())))
                .payload(Payload::End(TimeRange::new(
                    RationalTime::new(0.0, eb.rate),
                    RationalTime::from_time(eb.duration, eb.rate),
                ))),
        );
    }
    let (Some(ba), Some(bb)) = (ca.base(), cb.base()) else { return };
    if ba.name != bb.name {
        out.push(
            change(K::Rename, target)
                .says(format!("'{}' renamed '{}'", ba.name(), bb.name()))
                .payload(Payload::Name(bb.name.clone())),
        );
    }
    let (sa, sb) = (ba.speed(), bb.speed());
    if sa != sb {
        let s = if sb == 0.0 {
            "frozen".to_string()
        } else {
            format!("now plays at {sb}x (was {sa}x)")
        };
        out.push(
            change(K::Speed, T::Effect)
                .detail("from", sa)
                .detail("to", sb)
                .says(format!("{what} {s}"))
                .payload(Payload::Speed(sb)),
        );
    }
    if media_of(ca) != media_of(cb) {
        if let Composable::Clip(c) = cb {
            let to = media_of(cb).unwrap_or_default();
            out.push(
                change(K::SwapMedia, target)
                    .detail("from", media_of(ca))
                    .detail("to", media_of(cb))
                    .says(format!("{what} now shows {to}"))
                    .payload(Payload::Media(c.media_references.clone(), c.active_key.clone())),
            );
        }
    }
    if ba.enabled != bb.enabled {
        let on = bb.enabled;
        out.push(
            change(if on { K::Enable } else { K::Disable }, target)
                .says(format!("{what} {}", if on { "enabled" } else { "disabled" }))
                .payload(Payload::Enabled(on)),
        );
    }
    let mkey = |m: &Marker| (m.name.clone().unwrap_or_default(), m.marked_range.start());
    let ma: Vec<_> = ba.markers.iter().map(mkey).collect();
    let mb: Vec<_> = bb.markers.iter().map(mkey).collect();
    if ma != mb {
        let added: Vec<&String> = mb.iter().filter(|k| !ma.contains(k)).map(|k| &k.0).collect();
        let removed: Vec<&String> = ma.iter().filter(|k| !mb.contains(k)).map(|k| &k.0).collect();
        let kind = if removed.is_empty() {
            K::Insert
        } else if added.is_empty() {
            K::Remove
        } else {
            K::Retime
        };
        out.push(
            change(kind, T::Marker)
                .detail("added", &added)
                .detail("removed", &removed)
                .says(format!("{what}: markers added {added:?}, removed {removed:?}"))
                .payload(Payload::Markers(bb.markers.clone())),
        );
    }
    let fx = |b: &ItemBase| -> Vec<String> {
        b.effects
            .iter()
            .filter(|e| e.time_scalar.is_none())
            .map(|e| e.effect_name.clone().unwrap_or_default())
            .collect()
    };
    let (fa, fb) = (fx(ba), fx(bb));
    if fa != fb {
        let kind = if fa.len() < fb.len() {
            K::Insert
        } else if fa.len() > fb.len() {
            K::Remove
        } else {
            K::Change
        };
        out.push(
            change(kind, T::Effect)
                .detail("from", &fa)
                .detail("to", &fb)
                .says(format!("{what}: effects now {fb:?} (were {fa:?})"))
                .payload(Payload::Effects(bb.effects.clone())),
        );
    }
}
