//! CMX 3600 EDL import into the timeline model, following otio-cmx3600-adapter's reading so that
//! both give the same clips, ranges, gaps, transitions and speed effects: events become clips on
//! the tracks their channel names (`V`, `A1`, `AA` = A1+A2…), a repeated event number carries a
//! dissolve or wipe into that clip, and `M2` / `* * FREEZE FRAME` comments become time warps.

use super::error::RemixError;
use super::json::{Json, Num, Obj};
use super::model::*;

/// How to read an EDL: EDLs do not say their frame rate.
#[derive(Clone, Debug)]
pub struct EdlOptions {
    /// Frames per second of every timecode (24 by default, 25 for PAL material).
    pub rate: f64,
    /// Accept events whose source and record durations differ (the record side follows the
    /// source) and shift overlapping events later, instead of failing.
    pub ignore_timecode_mismatch: bool,
}

impl Default for EdlOptions {
    fn default() -> EdlOptions {
        EdlOptions { rate: 24.0, ignore_timecode_mismatch: false }
    }
}

fn err(line: usize, reason: impl Into<String>) -> RemixError {
    RemixError::Edl { line, reason: reason.into() }
}

/// Timecode (`01:00:04:05`, `;` for drop-frame) or a bare frame count, as frames at `rate`.
fn frames(tc: &str, rate: f64, line: usize) -> Result<i64, RemixError> {
    if !tc.contains([':', ';']) {
        // Bounded so that later sums and differences cannot overflow.
        return tc
            .parse::<i64>()
            .ok()
            .filter(|v| v.abs() < 1_000_000_000_000)
            .ok_or_else(|| err(line, format!("bad timecode '{tc}'")));
    }
    let parts: Vec<&str> = tc.split([':', ';']).collect();
    let nums: Option<Vec<i64>> = parts
        .iter()
        .map(|p| p.parse::<i64>().ok().filter(|v| (0..1_000_000).contains(v)))
        .collect();
    let (Some(nums), 4) = (nums, parts.len()) else {
        return Err(err(line, format!("bad timecode '{tc}'")));
    };
    let (h, m, s, f) = (nums[0], nums[1], nums[2], nums[3]);
    let nominal = rate.round() as i64;
    if f >= nominal {
        return Err(err(
            line,
            format!("timecode '{tc}' has frames beyond {} at {rate} fps", nominal - 1),
        ));
    }
    let mut total = ((h * 60 + m) * 60 + s) * nominal + f;
    if tc.contains(';') && rate.fract() != 0.0 {
        // Drop-frame: two frame numbers (four at 59.94) skipped each minute except every tenth.
        let drop = (rate * 0.066666).round() as i64;
        let minutes = h * 60 + m;
        total -= drop * (minutes - minutes / 10);
    }
    Ok(total)
}

/// The comments the adapter understands, in its matching order (`FROM CLIP NAME` before
/// `FROM CLIP`).
const COMMENT_IDS: [(&str, &str); 9] = [
    ("FROM CLIP NAME", "clip_name"),
    ("TO CLIP NAME", "dest_clip_name"),
    ("FROM CLIP", "media_reference"),
    ("FROM FILE", "media_reference"),
    ("LOC", "locators"),
    ("ASC_SOP", "asc_sop"),
    ("ASC_SAT", "asc_sat"),
    ("M2", "motion_effect"),
    ("* FREEZE FRAME", "freeze_frame"),
];

/// The speed of an `M2` comment's body (`REEL SPEED TIMECODE`), in frames per second: a finite
/// number, negative for reverse, at most 100 times the rate either way (faster is no edit
/// anyone makes, and a typo such as -1e20 would become a nonsense time warp).
fn m2_speed(body: &str, rate: f64) -> Result<f64, String> {
    let toks: Vec<&str> = body.split_whitespace().collect();
    let Some(word) = toks.len().checked_sub(2).and_then(|i| toks.get(i)) else {
        return Err("expected a reel, a speed and a timecode".into());
    };
    let speed: f64 = word.parse().map_err(|_| format!("speed '{word}' is not a number"))?;
    if !speed.is_finite() || speed.abs() > 100.0 * rate {
        return Err(format!("speed {word} fps is out of range (at most 100 × {rate} fps)"));
    }
    Ok(speed)
}

#[derive(Default)]
struct Comments {
    handled: Vec<(&'static str, String)>,
    locators: Vec<String>,
    unhandled: Vec<String>,
}

impl Comments {
    fn get(&self, key: &str) -> Option<&str> {
        self.handled.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    fn read(lines: &[&str]) -> Comments {
        let mut c = Comments::default();
        for comment in lines {
            let s = comment.strip_prefix('*').unwrap_or(comment).trim_start();
            let mut found = None;
            for (id, kind) in COMMENT_IDS {
                if let Some(rest) = s.strip_prefix(id) {
                    found = Some((kind, rest));
                    break;
                }
            }
            if found.is_none() {
                if let Some(rest) = s.strip_prefix("* OTIO REFERENCE ") {
                    let letters =
                        rest.find(|ch: char| !ch.is_ascii_alphabetic()).unwrap_or(rest.len());
                    if letters > 0 {
                        found = Some(("media_reference", &rest[letters..]));
                    }
                }
            }
            match found {
                Some((kind, rest)) => {
                    let body = rest.strip_prefix(':').unwrap_or(rest).trim().to_string();
                    if kind == "locators" {
                        c.locators.push(body);
                    } else {
                        c.handled.push((kind, body));
                    }
                }
                None => {
                    let stripped = comment.trim_start_matches('*').trim();
                    if !stripped.is_empty() {
                        c.unhandled.push(stripped.to_string());
                    }
                }
            }
        }
        c
    }
}

/// The fields of an event line (and of its transition line, which overrides them).
#[derive(Default)]
struct Event {
    clip_num: String,
    reel: String,
    channel: String,
    transition_id: Option<String>,
    transition_type: String,
    transition_data: String,
    src: [String; 2],
    rec: [String; 2],
}

impl Event {
    fn parse(&mut self, text: &str, line: usize) -> Result<(), RemixError> {
        let f: Vec<&str> = text.split_whitespace().collect();
        match f.len() {
            9 => {
                self.transition_id = Some(f[0].to_string());
                self.reel = f[1].into();
                self.channel = f[2].into();
                self.transition_type = f[3].into();
                self.transition_data = f[4].into();
                self.src = [f[5].into(), f[6].into()];
                self.rec = [f[7].into(), f[8].into()];
            }
            8 => {
                if f[3] != "C" {
                    return Err(err(
                        line,
                        format!("edit type '{}' in a line without a duration (expected C)", f[3]),
                    ));
                }
                self.clip_num = f[0].into();
                self.reel = f[1].into();
                self.channel = f[2].into();
                self.src = [f[4].into(), f[5].into()];
                self.rec = [f[6].into(), f[7].into()];
            }
            n => return Err(err(line, format!("an event needs 8 or 9 fields, found {n}"))),
        }
        Ok(())
    }
}

fn basename_stem(url: &str) -> String {
    let base = url.rsplit('/').next().unwrap_or(url);
    match base.rfind('.') {
        Some(i) if base[..i].chars().any(|c| c != '.') => base[..i].to_string(),
        _ => base.to_string(),
    }
}

struct TrackState {
    track: Track,
    /// `-record_in` of the first event, in frames, once known.
    start: Option<i64>,
    duration: i64,
}

struct Parser {
    rate: f64,
    ignore: bool,
    tracks: Vec<TrackState>,
}

fn channel_tracks(code: &str) -> Vec<&str> {
    match code {
        "A" => vec!["A1"],
        "AA" => vec!["A1", "A2"],
        "B" => vec!["V", "A1"],
        "A2/V" => vec!["V", "A2"],
        "AA/V" => vec!["V", "A1", "A2"],
        other => vec![other],
    }
}

fn rt(frames: i64, rate: f64) -> RationalTime {
    RationalTime::frames(frames, rate)
}

fn range(start: i64, dur: i64, rate: f64) -> TimeRange {
    TimeRange::new(rt(start, rate), rt(dur, rate))
}

fn obj(members: Vec<(&str, Json)>) -> Json {
    Json::Obj(Obj(members.into_iter().map(|(k, v)| (name_of(k), v)).collect()))
}

fn float_list(v: &[f64]) -> Json {
    Json::Arr(v.iter().map(|x| Json::f64(*x)).collect())
}

/// `(0.1 0.2 0.3) (1.0 -0.0122 0.0305) (1.0 0.0 1.0)`, commas optional.
fn parse_sop(s: &str) -> Option<[f64; 9]> {
    let mut out = [0.0; 9];
    let mut n = 0;
    for group in s.split(')') {
        let group = group.trim();
        if group.is_empty() {
            continue;
        }
        let inner = group.strip_prefix('(')?;
        for tok in inner.split([' ', ',']).filter(|t| !t.is_empty()) {
            *out.get_mut(n)? = tok.parse().ok()?;
            n += 1;
        }
    }
    (n == 9).then_some(out)
}

impl Parser {
    fn make_clip(&self, ev: &Event, c: &Comments, line: usize) -> Result<Clip, RemixError> {
        let mut name = ev.clip_num.clone();
        let media = match ev.reel.as_str() {
            "BL" | "BLACK" | "BARS" => {
                let mut m = MediaReference::missing();
                m.schema = "GeneratorReference.1".into();
                let kind = if ev.reel == "BARS" { "SMPTEBars" } else { "black" };
                m.raw = Obj(vec![
                    ("OTIO_SCHEMA".into(), Json::str("GeneratorReference.1")),
                    ("metadata".into(), Json::Obj(Obj::default())),
                    ("name".into(), Json::str("")),
                    ("available_range".into(), Json::Null),
                    ("available_image_bounds".into(), Json::Null),
                    ("generator_kind".into(), Json::str(kind)),
                    ("parameters".into(), Json::Obj(Obj::default())),
                ])
                .into();
                m
            }
            _ => match c.get("media_reference") {
                Some(url) => MediaReference::external(url, None),
                None => MediaReference::missing(),
            },
        };
        if let Some(n) = c.get("clip_name") {
            name = n.to_string();
        } else if let Some(url) = &media.target_url {
            name = basename_stem(url);
        }
        let mut metadata = Obj::default();
        let (sop, sat) = (c.get("asc_sop"), c.get("asc_sat"));
        if sop.is_some() || sat.is_some() {
            let mut v = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
            if let Some(s) = sop {
                v = parse_sop(s).ok_or_else(|| err(line, format!("invalid ASC_SOP: {s}")))?;
            }
            let sat = match sat {
                Some(s) => {
                    s.parse::<f64>().map_err(|_| err(line, format!("invalid ASC_SAT: {s}")))?
                }
                None => 1.0,
            };
            let sop = obj(vec![
                ("slope", float_list(&v[0..3])),
                ("offset", float_list(&v[3..6])),
                ("power", float_list(&v[6..9])),
            ]);
            metadata.set("cdl", obj(vec![("asc_sat", Json::f64(sat)), ("asc_sop", sop)]));
        }
        if let Some(n) = c.get("dest_clip_name") {
            name = n.to_string();
        }
        let src_in = frames(&ev.src[0], self.rate, line)?;
        let src_out = frames(&ev.src[1], self.rate, line)?;
        let mut clip = Clip::new(&name, media, Some(range(src_in, src_out - src_in, self.rate)));
        clip.base.metadata = Json::Obj(metadata);
        for loc in &c.locators {
            let mut words = loc.splitn(2, char::is_whitespace);
            let tc = words.next().unwrap_or("");
            let Ok(at) = frames(tc, self.rate, line) else { continue };
            if tc.len() != 11 {
                continue;
            }
            let rest = words.next().unwrap_or("").trim_start();
            let color_word: String =
                rest.chars().take_while(|ch| ch.is_alphanumeric() || *ch == '_').collect();
            let label = rest[color_word.len()..].trim_start().to_string();
            let up = color_word.to_ascii_uppercase();
            let known = [
                "PINK", "RED", "ORANGE", "YELLOW", "GREEN", "CYAN", "BLUE", "PURPLE", "MAGENTA",
                "BLACK", "WHITE",
            ];
            let color = if known.contains(&up.as_str()) { up } else { "RED".into() };
            clip.base.markers.push(Marker {
                schema: "Marker.2".into(),
                name: Some(label),
                color: Json::str(color),
                marked_range: TimeRange::new(rt(at, self.rate), RationalTime::new(0.0, 1.0)),
                comment: None,
                metadata: obj(vec![("cmx_3600", obj(vec![("color", Json::str(color_word))]))]),
                raw: Obj::default(),
            });
        }
        Ok(clip)
    }

    fn make_transition(
        &self,
        ev: &Event,
        clip: &Clip,
        c: &Comments,
        line: usize,
    ) -> Result<Transition, RemixError> {
        if ev.transition_id.as_deref() != Some(ev.clip_num.as_str()) {
            return Err(err(
                line,
                format!(
                    "event {} repeats without a transition (expected D or W### with a duration)",
                    ev.clip_num
                ),
            ));
        }
        let t = ev.transition_type.as_str();
        let kind = if t == "D" {
            "SMPTE_Dissolve"
        } else if t.len() == 4 && t.starts_with('W') && t[1..].bytes().all(|b| b.is_ascii_digit()) {
            "SMPTE_Wipe"
        } else {
            return Err(err(line, format!("transition type '{t}' is not supported")));
        };
        let dur: f64 = ev
            .transition_data
            .parse()
            .map_err(|_| err(line, format!("bad transition duration '{}'", ev.transition_data)))?;
        if !dur.is_finite() {
            return Err(err(line, format!("bad transition duration '{}'", ev.transition_data)));
        }
        let mut name = format!("{kind} to {}", clip.base.name());
        if let (Some(from), Some(to)) = (c.get("clip_name"), c.get("dest_clip_name")) {
            name = format!("{kind} from {from} to {to}");
        }
        let mut tr = Transition::dissolve(
            RationalTime::new(0.0, self.rate),
            RationalTime::new(dur, self.rate),
        );
        tr.transition_type = kind.into();
        tr.name = Some(name);
        tr.metadata = obj(vec![(
            "cmx_3600",
            obj(vec![("transition", Json::str(t)), ("transition_duration", Json::f64(dur))]),
        )]);
        Ok(tr)
    }

    fn add_event(
        &mut self,
        text: &str,
        line: usize,
        comments: &[&str],
        transition: Option<(&str, usize)>,
    ) -> Result<(), RemixError> {
        let mut c = Comments::read(comments);
        let mut ev = Event::default();
        ev.parse(text, line)?;
        if let Some((t, tl)) = transition {
            ev.parse(t, tl)?;
        }
        let line = transition.map_or(line, |(_, l)| l);
        let mut clip = self.make_clip(&ev, &c, line)?;
        if let Some(m) = c.get("motion_effect").map(str::to_string) {
            // Diagnosed whether or not it applies: a speed that is not one is the user's mistake.
            m2_speed(&m, self.rate).map_err(|why| err(line, format!("M2 '{m}': {why}")))?;
            // An M2 the adapter ignores (the clip runs at its own speed, or a freeze frame rules)
            // is kept as a comment, so the line survives a conversion. (The reference adapter
            // drops it; tests/python/edl_equiv.py allows exactly this difference.)
            let rec_dur =
                frames(&ev.rec[1], self.rate, line)? - frames(&ev.rec[0], self.rate, line)?;
            let src_dur = clip.base.source_range.as_ref().map_or(0, |r| r.duration.value() as i64);
            if rec_dur == src_dur || c.get("freeze_frame").is_some() {
                c.unhandled.push(format!("M2 {m}"));
            }
        }
        let trans = match transition {
            Some(_) => Some(self.make_transition(&ev, &clip, &c, line)?),
            None => None,
        };
        if !c.unhandled.is_empty() || (ev.reel != "AX" && !ev.reel.is_empty()) {
            let mut cmx = Obj::default();
            if !c.unhandled.is_empty() {
                cmx.set(
                    "comments",
                    Json::Arr(c.unhandled.iter().map(|s| Json::str(s.as_str())).collect()),
                );
            }
            if ev.reel != "AX" {
                cmx.set("reel", Json::str(ev.reel.as_str()));
            }
            if let Json::Obj(m) = &mut clip.base.metadata {
                m.set("cmx_3600", Json::Obj(cmx));
            }
        }
        let rec_in = frames(&ev.rec[0], self.rate, line)?;
        let rec_out = frames(&ev.rec[1], self.rate, line)?;
        let rec_dur = rec_out - rec_in;
        let (src_start, src_dur) = {
            let r =
                clip.base.source_range.as_ref().map(|r| (r.start_time.value(), r.duration.value()));
            let (s, d) = r.unwrap_or((0.0, 0.0));
            (s as i64, d as i64)
        };
        // A length below zero is no range: OTIO readers (ours included) refuse it, so the event
        // is refused here, where its line can be named. (A motion effect or freeze frame takes
        // its length from the record side.)
        let effect = c.get("motion_effect").is_some() || c.get("freeze_frame").is_some();
        if rec_dur < 0 || (src_dur < 0 && !effect) {
            let (side, [a, b]) =
                if rec_dur < 0 { ("record", &ev.rec) } else { ("source", &ev.src) };
            return Err(err(line, format!("the {side} out point {b} is before its in point {a}")));
        }
        let mut dur = src_dur;
        if rec_dur != src_dur {
            let motion = c.get("motion_effect");
            let freeze = c.get("freeze_frame");
            if motion.is_some() || freeze.is_some() {
                dur = rec_dur;
                clip.base.source_range = Some(range(src_start, rec_dur, self.rate));
                if freeze.is_some() {
                    let mut ff = Effect::linear_time_warp(0.0);
                    ff.schema = "FreezeFrame.1".into();
                    ff.effect_name = Some("FreezeFrame".into());
                    ff.raw = Obj(vec![("time_scalar".into(), Json::Num(Num::new("0.0")))]);
                    clip.base.effects.push(ff);
                    if let Some(n) = clip.base.name.as_mut().filter(|n| n.ends_with(" FF")) {
                        n.truncate(n.len() - 3);
                    }
                } else if let Some(m) = motion {
                    let speed = m2_speed(m, self.rate)
                        .map_err(|why| err(line, format!("M2 '{m}': {why}")))?;
                    clip.base.effects.push(Effect::linear_time_warp(speed / self.rate));
                }
            } else if !self.ignore {
                return Err(err(
                    line,
                    format!("source and record durations differ ({src_dur} and {rec_dur} frames) for clip {}", clip.base.name()),
                ));
            }
        }
        let names = channel_tracks(&ev.channel);
        let mut rec_in = rec_in;
        for name in names {
            let idx = match self.tracks.iter().position(|t| t.track.base.name() == name) {
                Some(i) => i,
                None => {
                    let kind = if name.starts_with('A') { "Audio" } else { "Video" };
                    let track = Track {
                        base: ItemBase::new("Track.1", name),
                        kind: kind.into(),
                        children: vec![],
                    };
                    self.tracks.push(TrackState { track, start: None, duration: 0 });
                    self.tracks.len() - 1
                }
            };
            let Some(ts) = self.tracks.get_mut(idx) else { continue };
            let start = *ts.start.get_or_insert(-rec_in);
            let track_end = ts.duration - start;
            if rec_in < track_end {
                if self.ignore {
                    rec_in = track_end;
                } else {
                    return Err(err(
                        line,
                        format!(
                            "record in {} overlaps the previous event on track {name}",
                            ev.rec[0]
                        ),
                    ));
                }
            }
            if rec_in > track_end && !ts.track.children.is_empty() {
                let mut gap = ItemBase::new("Gap.1", "");
                gap.source_range = Some(range(0, rec_in - track_end, self.rate));
                ts.track.children.push(Composable::Gap(gap));
                ts.duration += rec_in - track_end;
            }
            if let Some(t) = &trans {
                if ts.track.children.is_empty() {
                    return Err(err(line, "a transition cannot open a track"));
                }
                ts.track.children.push(Composable::Transition(t.clone()));
            }
            ts.track.children.push(Composable::Clip(clip.clone()));
            ts.duration += dur;
        }
        Ok(())
    }
}

/// Reads a CMX 3600 EDL. Errors name the line (1-based) of the event that failed.
pub fn import_edl(text: &str, opts: &EdlOptions) -> Result<Timeline, RemixError> {
    if !opts.rate.is_finite() || opts.rate <= 0.0 || opts.rate > 1000.0 {
        return Err(err(0, format!("frame rate must be positive, got {}", opts.rate)));
    }
    // Read as they come (not collected: a line's slot would weigh half an event's clip).
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let mut p = Parser { rate: opts.rate, ignore: opts.ignore_timecode_mismatch, tracks: vec![] };
    let mut title = String::new();
    let starts_digit = |l: &str| l.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let leading_num = |l: &str| -> Option<u64> {
        let d: String = l.chars().take_while(char::is_ascii_digit).collect();
        d.parse().ok()
    };
    while let Some((no, line)) = lines.next() {
        if let Some(t) = line.strip_prefix("TITLE:") {
            title = t.trim().to_string();
        } else if line.starts_with("FCM") {
        } else if line.starts_with("SPLIT") {
            let (audio, video) = (line.contains("AUDIO DELAY"), line.contains("VIDEO DELAY"));
            if audio == video {
                return Err(err(
                    no,
                    "SPLIT must declare exactly one of AUDIO DELAY or VIDEO DELAY",
                ));
            }
            let (Some((n1, l1)), Some((n2, l2))) = (lines.next(), lines.next()) else {
                return Err(err(no, "SPLIT needs two event lines after it"));
            };
            let mut comments = vec![];
            while let Some((_, l)) = lines.next_if(|(_, l)| !starts_digit(l)) {
                comments.push(l);
            }
            p.add_event(l1, n1, &comments, None)?;
            p.add_event(l2, n2, &comments, None)?;
        } else if starts_digit(line) {
            let id = leading_num(line);
            let mut comments = vec![];
            let mut transition: Option<(&str, usize)> = None;
            while let Some(&(n, l)) = lines.peek() {
                if !starts_digit(l) {
                    comments.push(l);
                } else if leading_num(l) == id {
                    if transition.is_some() {
                        return Err(err(
                            n,
                            format!("a second transition for event {}", id.unwrap_or(0)),
                        ));
                    }
                    transition = Some((l, n));
                } else {
                    break;
                }
                lines.next();
            }
            p.add_event(line, no, &comments, transition)?;
        } else {
            return Err(err(no, format!("unknown event type: {line}")));
        }
    }
    let mut t = Timeline::new(&title);
    for ts in p.tracks {
        let mut track = ts.track;
        let start = ts.start.unwrap_or(0);
        if start != 0 {
            track.base.source_range = Some(range(start, ts.duration, opts.rate));
        }
        t.tracks.children.push(Composable::Track(track));
    }
    Ok(t)
}
