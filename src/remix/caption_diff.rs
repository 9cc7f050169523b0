//! Captions inside a timeline and their word-level diff.
//!
//! Convention (survives an OTIO round trip, since it is plain markers and metadata): a Track whose
//! `metadata.outtake.kind` is `"captions"` holds one Marker per cue; the marker's `marked_range`
//! is the cue's time on the track, its `name` the cue text, and `metadata.outtake.words` lists
//! the words as `{"text": "Hello", "start": "3/2", "end": "2/1"}` with exact rational seconds
//! on the track. Words are aligned by text (Myers), so a shift or an inserted word does not make
//! every later word look changed; matched words that moved by the shift most of them share are
//! reported once, as one retime.

use super::change::{Change, ChangeKind as K, ChangeTarget, Payload};
use super::json::{Json, Obj};
use super::model::*;
use crate::time::Time;
use std::collections::HashMap;
use std::sync::Arc;

/// One word of a cue, at exact track times.
#[derive(Clone, Debug, PartialEq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: Time,
    pub end: Time,
    /// Index of its cue on the track.
    pub cue: usize,
}

fn parse_rational(s: &str) -> Option<Time> {
    let (n, d) = s.split_once('/').unwrap_or((s, "1"));
    let n: i64 = n.trim().parse().ok()?;
    let d: u32 = d.trim().parse().ok().filter(|d| *d > 0)?;
    Some(Time::new(n, d))
}

pub fn rational(t: Time) -> String {
    let r = t.reduced();
    format!("{}/{}", r.value(), r.scale())
}

/// Builds a caption cue marker (see the module doc for the convention).
pub fn cue_marker(
    text: &str,
    start: Time,
    end: Time,
    words: &[(String, Time, Time)],
    rate: f64,
) -> Marker {
    let ws: Vec<Json> = words
        .iter()
        .map(|(t, s, e)| {
            Json::Obj(Obj(vec![
                ("text".into(), Json::str(t.as_str())),
                ("start".into(), Json::str(rational(*s))),
                ("end".into(), Json::str(rational(*e))),
            ]))
        })
        .collect();
    let meta = Json::Obj(Obj(vec![(
        "outtake".into(),
        Json::Obj(Obj(vec![("words".into(), Json::Arr(ws))])),
    )]));
    Marker {
        schema: "Marker.2".into(),
        name: Some(text.to_string()),
        color: Json::str("YELLOW"),
        marked_range: TimeRange::new(
            RationalTime::from_time(start, rate),
            RationalTime::from_time(end - start, rate),
        ),
        comment: None,
        metadata: meta,
        raw: Obj::default(),
    }
}

/// True for a track holding captions (`metadata.outtake.kind == "captions"`).
pub fn is_caption_track(t: &Track) -> bool {
    t.base.meta(&["outtake", "kind"]).and_then(|k| k.as_str()) == Some("captions")
}

/// A new, empty caption track.
pub fn caption_track(name: &str) -> Track {
    let mut base = ItemBase::new("Track.1", name);
    base.set_meta("outtake", "kind", Json::str("captions"));
    Track { base, kind: "Video".into(), children: vec![] }
}

/// The words of a caption track, in order, as they show: a listed word is held to its cue's
/// time, and one that shows for no time (its video was cut away and the cue clipped) is not
/// on screen, so not a word of the track. Cues without word metadata give their text's words,
/// spread evenly over the cue.
pub fn words(t: &Track) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    for (cue, m) in t.base.markers.iter().enumerate() {
        let listed = m.metadata.at(&["outtake", "words"]).and_then(Json::as_arr);
        let (cue_start, cue_end) = (m.marked_range.start(), m.marked_range.end());
        let mut got = false;
        if let Some(ws) = listed {
            for w in ws {
                let text = w.get("text").and_then(Json::as_str);
                let s = w.get("start").and_then(Json::as_str).and_then(parse_rational);
                let e = w.get("end").and_then(Json::as_str).and_then(parse_rational);
                if let (Some(text), Some(start), Some(end)) = (text, s, e) {
                    got = true;
                    let (start, end) = (start.max(cue_start), end.min(cue_end));
                    if start < end {
                        out.push(Word { text, start, end, cue });
                    }
                }
            }
        }
        if !got {
            let toks: Vec<&str> = m.name.as_deref().unwrap_or("").split_whitespace().collect();
            let (s, d) = (m.marked_range.start(), m.marked_range.dur());
            let n = toks.len().max(1) as i64;
            for (k, t) in toks.iter().enumerate() {
                let k = k as i64;
                out.push(Word {
                    text: t,
                    start: s + d.mul_ratio(k, n),
                    end: s + d.mul_ratio(k + 1, n),
                    cue,
                });
            }
        }
    }
    out
}

/// Matched index pairs of a longest common subsequence of `a` and `b` (Myers' O(ND) algorithm,
/// after trimming the common prefix and suffix). Beyond `MAX_D` differences the middle is
/// treated as replaced, which keeps the time bounded.
pub fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    const MAX_D: usize = 2000;
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut pairs: Vec<(usize, usize)> = (0..pre).map(|i| (i, i)).collect();
    let (n, m) = (am.len() as isize, bm.len() as isize);
    if n > 0 && m > 0 {
        // V is indexed by diagonal k in [-d, d], so its size is bounded by the differences
        // explored, not by the input length: the trace stays O(D^2).
        let max = ((n + m) as usize).min(MAX_D + 1);
        let off = max as isize + 1;
        let mut v = vec![0isize; 2 * max + 4];
        let mut trace: Vec<Vec<isize>> = Vec::new();
        let mut found = false;
        'outer: for d in 0..=max.min(MAX_D) as isize {
            trace.push(v.clone());
            let mut k = -d;
            while k <= d {
                let idx = (k + off) as usize;
                let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                    v[idx + 1]
                } else {
                    v[idx - 1] + 1
                };
                let mut y = x - k;
                while x < n && y < m && am[x as usize] == bm[y as usize] {
                    x += 1;
                    y += 1;
                }
                v[idx] = x;
                if x >= n && y >= m {
                    found = true;
                    break 'outer;
                }
                k += 2;
            }
        }
        if found {
            // Walk back through the trace collecting diagonal (matched) steps.
            let mut mid = Vec::new();
            let (mut x, mut y) = (n, m);
            for d in (1..trace.len() as isize).rev() {
                let vd = &trace[d as usize];
                let k = x - y;
                let down =
                    k == -d || (k != d && vd[(k - 1 + off) as usize] < vd[(k + 1 + off) as usize]);
                let prev_k = if down { k + 1 } else { k - 1 };
                let px = vd[(prev_k + off) as usize];
                let py = px - prev_k;
                while x > px && y > py {
                    x -= 1;
                    y -= 1;
                    mid.push((x as usize, y as usize));
                }
                x = px;
                y = py;
            }
            while x > 0 && y > 0 {
                x -= 1;
                y -= 1;
                mid.push((x as usize, y as usize));
            }
            mid.reverse();
            pairs.extend(mid.into_iter().map(|(x, y)| (x + pre, y + pre)));
        }
    }
    pairs.extend((0..suf).map(|k| (a.len() - suf + k, b.len() - suf + k)));
    pairs
}

/// The start-time shift most matched words share (ties prefer no shift), with its count.
/// One pass checks the first pair's shift; only when it is not a majority is every shift counted.
pub fn dominant_shift(pairs: &[(usize, usize)], wa: &[Word], wb: &[Word]) -> (Time, usize) {
    let delta = |&(i, j): &(usize, usize)| wb[j].start - wa[i].start;
    let Some(first) = pairs.first().map(delta) else { return (Time::ZERO, 0) };
    let n = pairs.iter().filter(|p| delta(p) == first).count();
    if n * 2 > pairs.len() {
        return (first, n);
    }
    let mut deltas: HashMap<Time, usize> = HashMap::new();
    for p in pairs {
        *deltas.entry(delta(p)).or_default() += 1;
    }
    deltas.into_iter().max_by_key(|(t, n)| (*n, t.value() == 0)).unwrap_or((Time::ZERO, 0))
}

fn text_of(ws: &[Word], from: usize, to: usize) -> String {
    ws[from..to].iter().map(|w| w.text).collect::<Vec<_>>().join(" ")
}

/// A change to the captions of track `track`.
fn caption_change(kind: K, track: usize, id: String, path: &str) -> Change {
    Change::new(kind, ChangeTarget::Caption, track, id).at(path)
}

/// Word-level changes between two caption tracks: `text` (words reworded, added or removed),
/// `retime`, `split` and `merge` of cues.
pub fn diff_captions(
    a: &Track,
    b: &Track,
    track: usize,
    tpath: &str,
    summary_only: bool,
) -> Vec<Change> {
    let (wa, wb) = (words(a), words(b));
    let ta: Vec<&str> = wa.iter().map(|w| w.text).collect();
    let tb: Vec<&str> = wb.iter().map(|w| w.text).collect();
    let pairs = align(&ta, &tb);
    let mut out = Vec::new();
    let cue_path = |cue: usize| format!("{tpath}.markers[{cue}]");
    // Text changes: the gaps between consecutive matched pairs.
    let mut prev = (0usize, 0usize);
    for &(i, j) in pairs.iter().chain(std::iter::once(&(wa.len(), wb.len()))) {
        if i > prev.0 || j > prev.1 {
            let from = text_of(&wa, prev.0, i);
            let to = text_of(&wb, prev.1, j);
            // Removed words name the cue they were in (old terms, as removed clips do); added
            // and reworded ones the cue they are in now.
            let cue = if to.is_empty() {
                wa.get(prev.0).map(|w| w.cue)
            } else {
                wb.get(prev.1).map(|w| w.cue)
            };
            let cue = cue.unwrap_or(0);
            let summary = match (from.is_empty(), to.is_empty()) {
                (true, _) => format!("caption words \"{to}\" added in cue {}", cue + 1),
                (_, true) => format!("caption words \"{from}\" removed from cue {}", cue + 1),
                _ => format!("caption \"{from}\" reworded to \"{to}\" in cue {}", cue + 1),
            };
            out.push(
                caption_change(K::Text, track, format!("word{}", prev.0), &cue_path(cue))
                    .detail("from", from)
                    .detail("to", to)
                    .detail("word", prev.0)
                    .detail("cue", cue)
                    .says(summary),
            );
        }
        prev = (i + 1, j + 1);
    }
    // Retimes: the shift most matched words share is one change; so is each run of consecutive
    // words that moved together by another shift (a re-cut moves whole stretches of dialogue).
    // Only words whose own length changed are reported one by one. A word at the same time in
    // both is no change, whatever the others did.
    let (shift, shift_words) = dominant_shift(&pairs, &wa, &wb);
    if shift != Time::ZERO {
        out.push(
            caption_change(K::Retime, track, "captions".into(), tpath)
                .detail("seconds", rational(shift))
                .detail("words", shift_words)
                .says(format!("captions shifted by {shift}")),
        );
    }
    let moved = |&(i, j): &(usize, usize)| {
        let (x, y) = (&wa[i], &wb[j]);
        let delta = y.start - x.start;
        let same_length = (y.end - y.start) == (x.end - x.start);
        let unchanged = same_length && (delta == shift || delta == Time::ZERO);
        (!unchanged).then_some((delta, same_length))
    };
    let mut k = 0;
    while k < pairs.len() {
        let Some((delta, same_length)) = moved(&pairs[k]) else {
            k += 1;
            continue;
        };
        // The run: following pairs, adjacent in both tracks, moved by the same shift.
        let mut n = 1;
        while same_length
            && k + n < pairs.len()
            && pairs[k + n].0 == pairs[k + n - 1].0 + 1
            && pairs[k + n].1 == pairs[k + n - 1].1 + 1
            && moved(&pairs[k + n]) == Some((delta, true))
        {
            n += 1;
        }
        let (i, j) = pairs[k];
        let (x, y) = (&wa[i], &wb[j]);
        let change = caption_change(K::Retime, track, format!("word{i}"), &cue_path(y.cue))
            .detail("word", i);
        if n == 1 {
            let summary = if x.start == y.start {
                format!("caption word \"{}\" now ends at {} (was {})", y.text, y.end, x.end)
            } else {
                format!("caption word \"{}\" retimed from {} to {}", y.text, x.start, y.start)
            };
            out.push(
                change
                    .detail("text", y.text)
                    .detail("start", rational(y.start))
                    .detail("end", rational(y.end))
                    .says(summary),
            );
        } else {
            let text = if n <= 4 {
                text_of(&wb, j, j + n)
            } else {
                format!("{} … {}", text_of(&wb, j, j + 3), wb[j + n - 1].text)
            };
            let summary = format!("caption words \"{text}\" ({n} words) shifted by {delta}");
            out.push(
                change
                    .detail("words", n)
                    .detail("text", text)
                    .detail("seconds", rational(delta))
                    .says(summary),
            );
        }
        k += n;
    }
    // Splits and merges from where matched words' cues went.
    // Pairs rise in both sequences, so the cues one cue's words went to arrive in order: a
    // vector per cue, appended only when the cue changes, keeps this linear.
    let mut a_to: Vec<Vec<usize>> = vec![Vec::new(); a.base.markers.len()];
    let mut b_from: Vec<Vec<usize>> = vec![Vec::new(); b.base.markers.len()];
    for &(i, j) in &pairs {
        let (ca, cb) = (wa[i].cue, wb[j].cue);
        if let Some(v) = a_to.get_mut(ca) {
            if v.last() != Some(&cb) {
                v.push(cb);
            }
        }
        if let Some(v) = b_from.get_mut(cb) {
            if v.last() != Some(&ca) {
                v.push(ca);
            }
        }
    }
    let splits: Vec<(usize, Vec<usize>)> =
        a_to.into_iter().enumerate().filter(|(_, v)| v.len() > 1).collect();
    for (ca, into) in splits {
        let summary = format!("cue {} split into {} cues", ca + 1, into.len());
        out.push(
            caption_change(K::Split, track, format!("cue{ca}"), &cue_path(into[0]))
                .detail("cue", ca)
                .detail("into", into)
                .says(summary),
        );
    }
    let merges: Vec<(usize, Vec<usize>)> =
        b_from.into_iter().enumerate().filter(|(_, v)| v.len() > 1).collect();
    for (cb, from) in merges {
        let summary = format!(
            "cues {} merged into cue {}",
            from.iter().map(|c| (c + 1).to_string()).collect::<Vec<_>>().join(", "),
            cb + 1
        );
        out.push(
            caption_change(K::Merge, track, format!("cue{}", from[0]), &cue_path(cb))
                .detail("cue", cb)
                .detail("from", from)
                .says(summary),
        );
    }
    if summary_only {
        return out;
    }
    if let Some(first) = out.first_mut() {
        first.payload = Payload::Cues(Arc::new(b.base.markers.clone()));
    } else if a.base.markers != b.base.markers {
        // Only cue properties outside words changed (colour, comment): still carry the new cues.
        out.push(
            caption_change(K::Retime, track, "captions".into(), tpath)
                .says("caption cues changed")
                .payload(Payload::Cues(Arc::new(b.base.markers.clone()))),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn align_matches_a_longest_common_subsequence() {
        let a: Vec<char> = "abcabba".chars().collect();
        let b: Vec<char> = "cbabac".chars().collect();
        let p = align(&a, &b);
        assert_eq!(p.len(), 4);
        assert!(p.iter().all(|&(i, j)| a[i] == b[j]));
        assert!(p.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert_eq!(align::<u8>(&[], &[1]).len(), 0);
    }
}
