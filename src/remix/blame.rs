//! Blame: for one node of a chain, which remix introduced each clip segment (and gap, transition)
//! and each caption word, and which last changed it. Walks the first-parent lineage from the
//! root, matching each version to the next as the diff does, so a clip that only rippled keeps
//! its blame while a trim, speed change or re-link moves "changed" to the node that made it.

use super::caption_diff::{align, dominant_shift, is_caption_track, words};
use super::chain::{Chain, Node};
use super::error::RemixError;
use super::identity::DiffOptions;
use super::matching::{match_children, match_tracks};
use super::model::*;
use crate::time::Time;
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub introduced: String,
    pub changed: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemBlame {
    pub index: usize,
    /// `clip`, `gap`, `transition` or `item`.
    pub kind: String,
    pub name: String,
    pub record_start: Time,
    pub duration: Time,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WordBlame {
    pub text: String,
    pub start: Time,
    pub end: Time,
    pub cue: usize,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrackBlame {
    pub name: String,
    pub kind: String,
    pub items: Vec<ItemBlame>,
    pub words: Vec<WordBlame>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Blame {
    pub node: String,
    pub tracks: Vec<TrackBlame>,
}

impl Blame {
    /// Times are numbers of seconds, as users of the JS API and `--json` expect.
    pub fn to_json(&self) -> Value {
        let o = |o: &Origin| json!({"introduced": o.introduced, "changed": o.changed});
        json!({"node": self.node, "tracks": self.tracks.iter().map(|t| json!({
            "name": t.name, "kind": t.kind,
            "items": t.items.iter().map(|i| json!({"index": i.index, "kind": i.kind, "name": i.name,
                "recordStart": i.record_start.seconds(), "duration": i.duration.seconds(), "origin": o(&i.origin)})).collect::<Vec<_>>(),
            "words": t.words.iter().map(|w| json!({"text": w.text, "start": w.start.seconds(), "end": w.end.seconds(),
                "cue": w.cue, "origin": o(&w.origin)})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()})
    }

    /// One line per clip and caption word: `'Tango'  introduced 3f2a1c…  changed 9b0e4d…`.
    pub fn summary(&self) -> String {
        let short = |s: &str| s.chars().take(12).collect::<String>();
        let mut out = String::new();
        for t in &self.tracks {
            out.push_str(&format!("track '{}' ({})\n", t.name, t.kind));
            for i in t.items.iter().filter(|i| i.kind == "clip") {
                out.push_str(&format!(
                    "  {:<24} at {}  introduced {}  changed {}\n",
                    format!("'{}'", i.name),
                    i.record_start,
                    short(&i.origin.introduced),
                    short(&i.origin.changed)
                ));
            }
            for w in &t.words {
                out.push_str(&format!(
                    "  {:<24} at {}  introduced {}  changed {}\n",
                    format!("\"{}\"", w.text),
                    w.start,
                    short(&w.origin.introduced),
                    short(&w.origin.changed)
                ));
            }
        }
        out
    }
}

/// An origin while walking: positions in the lineage, not ids, so that carrying 1,000 origins
/// through 100 steps copies integers rather than allocating 200,000 strings.
#[derive(Clone, Copy)]
struct Org {
    introduced: usize,
    changed: usize,
}

struct State {
    items: Vec<Org>,
    words: Vec<Org>,
}

fn fresh(t: &Track, node: usize) -> State {
    let o = || Org { introduced: node, changed: node };
    State {
        items: t.children.iter().map(|_| o()).collect(),
        words: if is_caption_track(t) { words(t).iter().map(|_| o()).collect() } else { vec![] },
    }
}

/// Blames every clip segment and caption word of `node`.
pub fn blame(chain: &Chain, node: &str, opts: &DiffOptions) -> Result<Blame, RemixError> {
    blame_lineage(&chain.lineage(node)?, opts)
}

/// Blames the last node of a first-parent lineage given root first (what `Chain::lineage`
/// returns), for callers that hold the nodes some other way than in a `Chain`.
pub fn blame_lineage(path: &[&Node], opts: &DiffOptions) -> Result<Blame, RemixError> {
    let Some(first) = path.first() else {
        return Err(RemixError::Chain { node: String::new(), reason: "empty lineage".into() });
    };
    let mut prev: &Timeline = &first.timeline;
    let mut states: Vec<State> = prev.track_list().map(|t| fresh(t, 0)).collect();
    for (k, n) in path.iter().enumerate().skip(1) {
        let ta: Vec<&Track> = prev.track_list().collect();
        let tb: Vec<&Track> = n.timeline.track_list().collect();
        let map = match_tracks(&ta, &tb);
        let mut next = Vec::with_capacity(tb.len());
        for (j, b) in tb.iter().enumerate() {
            let Some(i) = map[j] else {
                next.push(fresh(b, k));
                continue;
            };
            let (a, st) = (ta[i], &states[i]);
            // Items equal at the same place at both ends are unchanged: only the middle, where
            // the step edited, needs matching (a one-clip trim compares, it does not match 1,000).
            let (ac, bc) = (&a.children, &b.children);
            let pre = ac.iter().zip(bc).take_while(|(x, y)| x == y).count();
            let suf = ac[pre..]
                .iter()
                .rev()
                .zip(bc[pre..].iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            let (am, bm) = (&ac[pre..ac.len() - suf], &bc[pre..bc.len() - suf]);
            let m = match_children(am, bm, opts);
            // Moved items (off the longest in-order run of matches) count as changed.
            let matched: Vec<(usize, usize)> =
                (0..m.ea.len()).filter_map(|i| m.a_to_b[i].map(|j| (i, j))).collect();
            let seq: Vec<usize> = matched.iter().map(|p| p.1).collect();
            let mut stable = vec![false; am.len()];
            for k in super::identity::lis(&seq) {
                if let Some(&(ii, _)) = matched.get(k) {
                    stable[ii] = true;
                }
            }
            let fresh_origin = || Org { introduced: k, changed: k };
            let mut items: Vec<Org> = Vec::with_capacity(bc.len());
            items.extend(st.items.iter().take(pre).copied());
            for jj in 0..bm.len() {
                items.push(
                    match m.b_to_a[jj].and_then(|ii| st.items.get(ii + pre).map(|o| (ii, o))) {
                        Some((ii, o)) => {
                            let same = stable.get(ii) == Some(&true) && am.get(ii) == bm.get(jj);
                            Org {
                                introduced: o.introduced,
                                changed: if same { o.changed } else { k },
                            }
                        }
                        None => fresh_origin(),
                    },
                );
            }
            items.extend(st.items.iter().skip(ac.len() - suf).copied());
            items.resize_with(bc.len(), fresh_origin);
            let words_out = if is_caption_track(b) && is_caption_track(a) {
                word_origins(a, b, st, k)
            } else {
                fresh(b, k).words
            };
            next.push(State { items, words: words_out });
        }
        states = next;
        prev = &n.timeline;
    }
    let last = path.last().map(|n| n.id.clone()).unwrap_or_default();
    let id = |k: usize| path.get(k).map(|n| n.id.clone()).unwrap_or_default();
    let origin_of = |o: Org| Origin { introduced: id(o.introduced), changed: id(o.changed) };
    let tracks = prev
        .track_list()
        .zip(states)
        .map(|(t, st)| {
            let es = super::identity::entries(&t.children, opts);
            let items = es
                .iter()
                .zip(st.items)
                .map(|(e, origin)| ItemBlame {
                    index: e.index,
                    kind: match e.kind {
                        super::identity::EntryKind::Clip => "clip",
                        super::identity::EntryKind::Gap => "gap",
                        super::identity::EntryKind::Transition => "transition",
                        super::identity::EntryKind::Other => "item",
                    }
                    .into(),
                    name: e.name.clone(),
                    record_start: e.record_start,
                    duration: e.duration,
                    origin: origin_of(origin),
                })
                .collect();
            let ws = if is_caption_track(t) { words(t) } else { vec![] };
            let words = ws
                .into_iter()
                .zip(st.words)
                .map(|(w, origin)| WordBlame {
                    text: w.text.to_string(),
                    start: w.start,
                    end: w.end,
                    cue: w.cue,
                    origin: origin_of(origin),
                })
                .collect();
            TrackBlame { name: t.base.name().into(), kind: t.kind.clone(), items, words }
        })
        .collect();
    Ok(Blame { node: last, tracks })
}

/// Words matched by text keep their origin; a matched word whose timing moved other than by the
/// shift most words share counts as changed here (one left where it was is unchanged, as in the
/// diff).
fn word_origins(a: &Track, b: &Track, st: &State, node: usize) -> Vec<Org> {
    let (wa, wb) = (words(a), words(b));
    let ta: Vec<&str> = wa.iter().map(|w| w.text).collect();
    let tb: Vec<&str> = wb.iter().map(|w| w.text).collect();
    let pairs = align(&ta, &tb);
    let (shift, _) = dominant_shift(&pairs, &wa, &wb);
    let mut out: Vec<Org> = wb.iter().map(|_| Org { introduced: node, changed: node }).collect();
    for (i, j) in pairs {
        if let (Some(o), Some(slot)) = (st.words.get(i), out.get_mut(j)) {
            let delta = wb[j].start - wa[i].start;
            let same = (delta == shift || delta == Time::ZERO)
                && wb[j].end - wb[j].start == wa[i].end - wa[i].start;
            *slot = Org { introduced: o.introduced, changed: if same { o.changed } else { node } };
        }
    }
    out
}
