//! Which item of one version of a timeline continues which item of another: tracks by kind and
//! name, clips by identity (then by media with the most source overlap), gaps and transitions by
//! the matched clips around them. The diff, apply and blame all match this way.

use super::caption_diff::is_caption_track;
use super::identity::{entries, DiffOptions, Entry, EntryKind};
use super::model::*;
use crate::time::Time;
use std::collections::HashMap;

/// Matches tracks: same kind and name first, then same kind in order. Returns, for each new
/// track, the old track index it continues.
pub fn match_tracks(a: &[&Track], b: &[&Track]) -> Vec<Option<usize>> {
    let mut used = vec![false; a.len()];
    let mut out = vec![None; b.len()];
    for (j, tb) in b.iter().enumerate() {
        let found = (0..a.len()).find(|&i| {
            !used[i]
                && a[i].kind == tb.kind
                && a[i].base.name == tb.base.name
                && is_caption_track(a[i]) == is_caption_track(tb)
        });
        if let Some(i) = found {
            used[i] = true;
            out[j] = Some(i);
        }
    }
    for (j, tb) in b.iter().enumerate() {
        if out[j].is_some() {
            continue;
        }
        let found = (0..a.len()).find(|&i| {
            !used[i] && a[i].kind == tb.kind && is_caption_track(a[i]) == is_caption_track(tb)
        });
        if let Some(i) = found {
            used[i] = true;
            out[j] = Some(i);
        }
    }
    out
}

/// Gives gaps and transitions keys from the clips around them, in the old timeline's id space.
pub(crate) fn fill_keys(es: &mut [Entry], clip_id: &dyn Fn(usize) -> String) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for k in 0..es.len() {
        if es[k].kind == EntryKind::Clip {
            continue;
        }
        let prev = es[..k]
            .iter()
            .rev()
            .find(|e| e.kind == EntryKind::Clip)
            .map(|e| clip_id(e.index))
            .unwrap_or_else(|| "^".into());
        let next = es[k + 1..]
            .iter()
            .find(|e| e.kind == EntryKind::Clip)
            .map(|e| clip_id(e.index))
            .unwrap_or_else(|| "$".into());
        let base = match es[k].kind {
            EntryKind::Gap => format!("gap<{prev}|{next}>"),
            EntryKind::Transition => format!("transition<{prev}|{next}>"),
            _ => format!("other<{prev}>"),
        };
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        es[k].key = if *n > 1 { format!("{base}#{n}") } else { base };
    }
}

/// Entries of two versions of a track and how they match (`a_to_b`, `b_to_a`): clips by exact
/// identity, then by media (or name) with the most source overlap; gaps and transitions by the
/// matched clips around them.
pub struct Matching {
    pub ea: Vec<Entry>,
    pub eb: Vec<Entry>,
    pub a_to_b: Vec<Option<usize>>,
    pub b_to_a: Vec<Option<usize>>,
}

pub fn match_children(a: &[Composable], b: &[Composable], opts: &DiffOptions) -> Matching {
    let mut ea = entries(a, opts);
    let mut eb = entries(b, opts);
    // 1. clips by exact key, then by media (or name) alone, in order.
    let mut b_to_a: Vec<Option<usize>> = vec![None; eb.len()];
    let mut a_to_b: Vec<Option<usize>> = vec![None; ea.len()];
    let exact: HashMap<&str, usize> = eb
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntryKind::Clip)
        .map(|(j, e)| (e.key.as_str(), j))
        .collect();
    for (i, e) in ea.iter().enumerate().filter(|(_, e)| e.kind == EntryKind::Clip) {
        if let Some(&j) = exact.get(e.key.as_str()) {
            a_to_b[i] = Some(j);
            b_to_a[j] = Some(i);
        }
    }
    // Same media (or name): the candidate whose source range overlaps most, else the first.
    let mut loose: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, e) in
        eb.iter().enumerate().filter(|(j, e)| e.kind == EntryKind::Clip && b_to_a[*j].is_none())
    {
        loose.entry(e.loose.as_str()).or_default().push(j);
    }
    for (i, e) in ea.iter().enumerate().filter(|(_, e)| e.kind == EntryKind::Clip) {
        if a_to_b[i].is_some() {
            continue;
        }
        let Some(cands) = loose.get_mut(e.loose.as_str()) else { continue };
        let overlap = |j: usize| match (e.source, eb[j].source) {
            (Some((s1, e1)), Some((s2, e2))) => e1.min(e2) - s1.max(s2),
            _ => Time::new(1, 1),
        };
        // Without any overlap it is other footage of the same file: not the same clip.
        let best = (0..cands.len())
            .filter(|&x| overlap(cands[x]) > Time::ZERO)
            .max_by(|&x, &y| overlap(cands[x]).cmp(&overlap(cands[y])).then(y.cmp(&x)));
        if let Some(k) = best {
            let j = cands.remove(k);
            a_to_b[i] = Some(j);
            b_to_a[j] = Some(i);
        }
    }
    // 2. gaps and transitions by the (matched) clips around them.
    let a_keys: Vec<String> = ea.iter().map(|e| e.key.clone()).collect();
    fill_keys(&mut ea, &|i| a_keys[i].clone());
    fill_keys(&mut eb, &|j| match b_to_a[j] {
        Some(i) => a_keys[i].clone(),
        None => format!("+{j}"),
    });
    let fillers: HashMap<&str, usize> = eb
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind != EntryKind::Clip)
        .map(|(j, e)| (e.key.as_str(), j))
        .collect();
    let mut pairs_filler = vec![];
    for (i, e) in ea.iter().enumerate().filter(|(_, e)| e.kind != EntryKind::Clip) {
        if let Some(&j) = fillers.get(e.key.as_str()) {
            if ea[i].kind == eb[j].kind {
                pairs_filler.push((i, j));
            }
        }
    }
    for (i, j) in pairs_filler {
        a_to_b[i] = Some(j);
        b_to_a[j] = Some(i);
    }
    Matching { ea, eb, a_to_b, b_to_a }
}
