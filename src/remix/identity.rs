//! Which item in one timeline is "the same" as an item in another: a stable uid in metadata, the
//! media with its source in-point, or the name (`DiffOptions::identity`), and the per-track
//! entries (record position, source range, speed) that the diff, merge and blame compare.

use super::model::*;
use crate::time::Time;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What makes two clips the same clip across versions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Identity {
    /// `metadata.outtake.uid` (or `metadata.uid`) when present, else as `Media`.
    #[default]
    Uid,
    /// Media reference (URL, generator kind) and source in-point; clips without media by name.
    Media,
    /// The clip's name.
    Name,
}

#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    pub identity: Identity,
    /// Leave out what only `apply` and `merge` need (the new cue list of a caption track, a
    /// full copy): for showing a diff, this makes caption-heavy diffs several times cheaper.
    pub summary_only: bool,
}

/// The stable uid a clip carries, if any.
pub fn uid(base: &ItemBase) -> Option<String> {
    let j = base.meta(&["outtake", "uid"]).or_else(|| base.meta(&["uid"]))?;
    j.as_str().map(String::from)
}

/// The media a clip (or nested composition) shows, as a string; `None` when unknown.
pub fn media_of(c: &Composable) -> Option<String> {
    match c {
        Composable::Clip(c) => c.media().and_then(MediaReference::identity),
        Composable::Stack(s) => Some(format!("stack:{}", s.base.name())),
        Composable::Track(t) => Some(format!("track:{}", t.base.name())),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Clip,
    Gap,
    Transition,
    Other,
}

/// One child of a track, placed in record time.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Index among the track's children.
    pub index: usize,
    pub kind: EntryKind,
    /// Exact-match key (identity option applied, made unique by an occurrence suffix).
    pub key: String,
    /// Looser key for a second matching pass: the media alone, or the name.
    pub loose: String,
    pub name: String,
    pub record_start: Time,
    pub duration: Time,
    /// Source range as exact times, when the item has one.
    pub source: Option<(Time, Time)>,
    /// Frame rate of the source range (for counting frames in summaries).
    pub rate: f64,
}

/// The entries of one track's children, with clip keys. Gap and transition keys are set later,
/// from the clips around them, once clips are matched (see `diff`).
pub fn entries(children: &[Composable], opts: &DiffOptions) -> Vec<Entry> {
    let mut out = Vec::with_capacity(children.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut at = Time::ZERO;
    for (index, c) in children.iter().enumerate() {
        let duration = c.duration();
        let (kind, name) = match c {
            Composable::Clip(_) | Composable::Stack(_) | Composable::Track(_) => {
                (EntryKind::Clip, c.base().map(|b| b.name().to_string()).unwrap_or_default())
            }
            Composable::Gap(_) => (EntryKind::Gap, String::new()),
            Composable::Transition(t) => {
                (EntryKind::Transition, t.name.clone().unwrap_or_default())
            }
            Composable::Unknown(_) => (EntryKind::Other, String::new()),
        };
        let range = match c {
            Composable::Clip(cl) => cl.trimmed_range_ref(),
            _ => c.base().and_then(|b| b.source_range.as_ref()),
        };
        let source = range.as_ref().map(|r| (r.start(), r.end()));
        let rate = range
            .as_ref()
            .map(|r| r.duration.rate())
            .filter(|r| r.is_finite() && *r > 0.0)
            .unwrap_or(24.0);
        // NOTE: built with few allocations: this runs for every item of every version in blame.
        let borrowed = match c {
            Composable::Clip(cl) => cl.media().and_then(MediaReference::identity_ref),
            _ => None,
        };
        let owned = if borrowed.is_none() { media_of(c) } else { None };
        let mut loose = String::with_capacity(48);
        match borrowed.or(owned.as_deref()) {
            Some(m) => {
                loose.push_str("media:");
                loose.push_str(m);
            }
            None => {
                loose.push_str("name:");
                loose.push_str(&name);
            }
        }
        let key = match (kind, opts.identity) {
            (EntryKind::Clip, Identity::Name) => format!("name:{name}"),
            (EntryKind::Clip, ident) => {
                let u = if ident == Identity::Uid { c.base().and_then(uid) } else { None };
                match u {
                    Some(u) => format!("uid:{u}"),
                    None => {
                        let mut k = String::with_capacity(loose.len() + 24);
                        k.push_str(&loose);
                        k.push('@');
                        if let Some((s, _)) = source {
                            let r = s.reduced();
                            let _ = write!(k, "{}/{}", r.value(), r.scale());
                        }
                        k
                    }
                }
            }
            (EntryKind::Gap, _) => "gap".into(),
            (EntryKind::Transition, _) => "transition".into(),
            (EntryKind::Other, _) => "other".into(),
        };
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let key = if *n > 1 { format!("{key}#{n}") } else { key };
        out.push(Entry { index, kind, key, loose, name, record_start: at, duration, source, rate });
        if kind != EntryKind::Transition {
            at = at + duration;
        }
    }
    out
}

/// Indices (into `seq`) of one longest strictly increasing subsequence, in O(n log n).
pub fn lis(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into seq of the smallest tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < v);
        prev[i] = if pos > 0 { tails.get(pos - 1).copied() } else { None };
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis_finds_a_longest_run() {
        let seq = [3, 0, 1, 4, 2, 5];
        let l: Vec<usize> = lis(&seq).into_iter().map(|i| seq[i]).collect();
        assert_eq!(l.len(), 4);
        assert!(l.windows(2).all(|w| w[0] < w[1]));
        assert!(lis(&[]).is_empty());
    }
}
