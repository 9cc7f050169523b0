//! WebVTT in MP4 (ISO/IEC 14496-30): the `wvtt` sample entry with its `vttC` header, samples
//! that tile the track's time with no gap (`vtte` where no cue shows, else one `vttc` per cue
//! showing, in cue order), and the reader of such samples back to cues.
//!
//! Overlapping cues are cut at every start and end of another, so that a sample holds every cue
//! shown during it; a cue cut into several samples carries the same `vsid` in each (the spec's
//! way of telling its pieces from another cue with the same text), so that it can be put back.

use super::boxes::children;
use super::mux::W;
use crate::media::MediaError;

/// One cue in track ticks: `[start, end)`, its id, settings list and text (markup kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VttCue {
    pub start: i64,
    pub end: i64,
    pub id: String,
    pub settings: String,
    pub text: String,
}

/// One sample of the track: where it starts, how long it lasts (ticks) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WvttSample {
    pub start: i64,
    pub duration: u32,
    pub data: Vec<u8>,
}

/// A cue as one sample holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleCue {
    pub source_id: Option<u32>,
    pub id: String,
    pub settings: String,
    pub text: String,
}

/// The `wvtt` sample entry: SampleEntry fields (data reference 1), then `vttC` holding the
/// WebVTT header (`WEBVTT` and what follows it up to the first cue).
pub fn wvtt_entry(config: &str) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.boxed(b"wvtt", |w| {
        w.bytes(&[0; 6]);
        w.u16(1);
        w.boxed(b"vttC", |w| w.bytes(config.as_bytes()));
    });
    w.0
}

/// The samples of `cues` (any order, may overlap) tiling `[0, end)`: `end` is at least the last
/// cue's end. Cues that end before they start, or start before 0, are clipped or left out.
pub fn wvtt_samples(cues: &[VttCue], end: i64) -> Vec<WvttSample> {
    let cues: Vec<VttCue> = cues
        .iter()
        .map(|c| VttCue { start: c.start.max(0), ..c.clone() })
        .filter(|c| c.end > c.start)
        .collect();
    let end = cues.iter().map(|c| c.end).fold(end.max(0), i64::max);
    let mut cuts: Vec<i64> = vec![0, end];
    cuts.extend(cues.iter().flat_map(|c| [c.start, c.end]));
    cuts.sort_unstable();
    cuts.dedup();
    // A sample's duration is 32 bits: longer stretches are cut again.
    let mut bounds = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let mut at = w[0];
        while w[1] - at > u32::MAX as i64 {
            bounds.push(at);
            at += u32::MAX as i64;
        }
        bounds.push(at);
    }
    bounds.push(end);
    let spans: Vec<(i64, i64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    // A cue that spans more than one sample gets a source id: its index, from 1.
    let split: Vec<bool> = cues
        .iter()
        .map(|c| spans.iter().filter(|&&(a, b)| a < c.end && c.start < b).nth(1).is_some())
        .collect();
    let mut order: Vec<usize> = (0..cues.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| cues[i].start);
    let mut out = Vec::with_capacity(spans.len());
    let mut first = 0;
    for &(a, b) in &spans {
        // Cues sorted by start: those that started by `a` are candidates.
        while first < order.len() && cues[order[first]].end <= a {
            first += 1;
        }
        let mut w = W(Vec::new());
        for &i in order[first..].iter().take_while(|&&i| cues[i].start <= a) {
            let c = &cues[i];
            if c.end <= a {
                continue;
            }
            w.boxed(b"vttc", |w| {
                if split[i] {
                    w.boxed(b"vsid", |w| w.u32(i as u32 + 1));
                }
                if !c.id.is_empty() {
                    w.boxed(b"iden", |w| w.bytes(c.id.as_bytes()));
                }
                if !c.settings.is_empty() {
                    w.boxed(b"sttg", |w| w.bytes(c.settings.as_bytes()));
                }
                w.boxed(b"payl", |w| w.bytes(c.text.as_bytes()));
            });
        }
        if w.0.is_empty() {
            w.boxed(b"vtte", |_| {});
        }
        out.push(WvttSample { start: a, duration: (b - a) as u32, data: w.0 });
    }
    out
}

fn text(body: &[u8], at: u64, path: &str) -> Result<String, MediaError> {
    String::from_utf8(body.to_vec()).map_err(|_| MediaError::Corrupt {
        container: crate::media::Container::Mp4,
        offset: at,
        path: path.into(),
        reason: "text that is not UTF-8".into(),
    })
}

/// The cues of one sample (none for `vtte`); `at` is the sample's offset, for errors.
pub fn read_wvtt_sample(data: &[u8], at: u64) -> Result<Vec<SampleCue>, MediaError> {
    let mut cues = Vec::new();
    for b in children(data, at, "wvtt sample")? {
        match &b.kind {
            b"vttc" => {
                let mut cue = SampleCue {
                    source_id: None,
                    id: String::new(),
                    settings: String::new(),
                    text: String::new(),
                };
                for c in children(b.body, b.body_offset, "vttc")? {
                    match &c.kind {
                        b"vsid" => {
                            let v: [u8; 4] = c.body.try_into().map_err(|_| {
                                MediaError::corrupt(
                                    crate::media::Container::Mp4,
                                    "vttc/vsid",
                                    c.body_offset,
                                    "a source id of other than 4 bytes",
                                )
                            })?;
                            cue.source_id = Some(u32::from_be_bytes(v));
                        }
                        b"iden" => cue.id = text(c.body, c.body_offset, "vttc/iden")?,
                        b"sttg" => cue.settings = text(c.body, c.body_offset, "vttc/sttg")?,
                        b"payl" => cue.text = text(c.body, c.body_offset, "vttc/payl")?,
                        _ => {}
                    }
                }
                cues.push(cue);
            }
            b"vtte" | b"vtta" => {}
            _ => {}
        }
    }
    Ok(cues)
}

/// Cues back from samples `(start, duration, cues)` in time order: a cue with a source id is
/// one cue from the first to the last consecutive sample that holds that id; a cue without is
/// the sample's.
pub fn cues_from_samples(samples: &[(i64, u32, Vec<SampleCue>)]) -> Vec<VttCue> {
    let mut out: Vec<VttCue> = Vec::new();
    // Open cues by source id: index into `out`.
    let mut open: Vec<(u32, usize)> = Vec::new();
    for (start, duration, cues) in samples {
        let end = start.saturating_add(*duration as i64);
        let mut still = Vec::new();
        for c in cues {
            let cue = VttCue {
                start: *start,
                end,
                id: c.id.clone(),
                settings: c.settings.clone(),
                text: c.text.clone(),
            };
            match c.source_id {
                Some(sid) => match open.iter().find(|(s, i)| *s == sid && out[*i].end == *start) {
                    Some(&(_, i)) => {
                        out[i].end = end;
                        still.push((sid, i));
                    }
                    None => {
                        out.push(cue);
                        still.push((sid, out.len() - 1));
                    }
                },
                None => out.push(cue),
            }
        }
        open = still;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: i64, end: i64, text: &str) -> VttCue {
        VttCue { start, end, id: String::new(), settings: String::new(), text: text.into() }
    }

    fn read(samples: &[WvttSample]) -> Vec<(i64, u32, Vec<SampleCue>)> {
        samples
            .iter()
            .map(|s| (s.start, s.duration, read_wvtt_sample(&s.data, 0).unwrap()))
            .collect()
    }

    #[test]
    fn samples_tile_the_track_and_overlaps_split() {
        let mut a = cue(1000, 3000, "<b>a</b>");
        a.id = "one".into();
        a.settings = "align:start".into();
        let cues = vec![a.clone(), cue(2000, 4000, "b")];
        let s = wvtt_samples(&cues, 5000);
        let spans: Vec<(i64, u32)> = s.iter().map(|s| (s.start, s.duration)).collect();
        assert_eq!(spans, vec![(0, 1000), (1000, 1000), (2000, 1000), (3000, 1000), (4000, 1000)]);
        let r = read(&s);
        assert!(r[0].2.is_empty() && r[4].2.is_empty(), "vtte where no cue shows");
        let texts: Vec<Vec<&str>> =
            r.iter().map(|x| x.2.iter().map(|c| c.text.as_str()).collect()).collect();
        assert_eq!(texts[2], vec!["<b>a</b>", "b"], "both cues where they overlap, in order");
        assert_eq!(r[1].2[0].id, "one");
        assert_eq!(r[1].2[0].settings, "align:start");
        assert!(r[1].2[0].source_id.is_some(), "a split cue has a source id");
        assert_eq!(cues_from_samples(&r), cues);
    }

    #[test]
    fn same_text_twice_is_two_cues() {
        let cues = vec![cue(0, 1000, "x"), cue(1000, 2000, "x")];
        let back = cues_from_samples(&read(&wvtt_samples(&cues, 0)));
        assert_eq!(back, cues);
    }
}
