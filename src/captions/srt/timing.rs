//! SRT timing lines: `start --> end [extra]`, read as leniently as players read them. Each side
//! parses on its own, so that a line with one bad time still gives the other, and every
//! irregularity the reader accepts is returned as a note for the caller to report.

use crate::time::Time;

/// A repair needed to read a timing line: (1-based column, diagnostic code, message).
pub(super) type Note = (usize, &'static str, String);

/// A timing line read side by side. A side that cannot be read is `Err((column, message))`.
pub(super) struct Timing {
    pub(super) start: Result<Time, (usize, String)>,
    pub(super) end: Result<Time, (usize, String)>,
    pub(super) notes: Vec<Note>,
}

impl Timing {
    /// Both times, when both sides read.
    pub(super) fn both(&self) -> Option<(Time, Time)> {
        Some((*self.start.as_ref().ok()?, *self.end.as_ref().ok()?))
    }

    /// The first side that could not be read, for the diagnostic.
    pub(super) fn first_error(&self) -> Option<&(usize, String)> {
        self.start.as_ref().err().or(self.end.as_ref().err())
    }
}

/// Where the arrow is, and how long it is: `-->`, or the `->` some hand-written files use.
fn find_arrow(line: &str) -> Option<(usize, usize)> {
    line.find("-->").map(|p| (p, 3)).or_else(|| line.find("->").map(|p| (p, 2)))
}

/// Whether a line is meant as a timing line, readable or not: it starts like a time and has a
/// `-->`, or reads completely with a `->`. Dialogue such as `a -> b` is not.
pub(super) fn looks_like_timing(line: &str) -> bool {
    (line.contains("-->") && line.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        || parse_timing(line).is_some()
}

/// Reads `start --> end [extra]`. `None` when the line has no arrow at all.
pub(super) fn read_timing(line: &str) -> Option<Timing> {
    let (arrow, len) = find_arrow(line)?;
    let mut notes = Vec::new();
    if len == 2 {
        notes.push((first_non_space(line), "SRT_TIMESTAMP_FORM", "`->` read as `-->`".into()));
    }
    let left = &line[..arrow];
    let start = parse_stamp(left.trim(), first_non_space(left), &mut notes);
    let right = &line[arrow + len..];
    let right_trim = right.trim_start();
    let end_col = line[..arrow + len].chars().count() + right.chars().count()
        - right_trim.chars().count()
        + 1;
    let (end_text, extra) = match right_trim.find(char::is_whitespace) {
        Some(p) => (&right_trim[..p], right_trim[p..].trim()),
        None => (right_trim, ""),
    };
    // NOTE: `->` is taken only between two full stamps with milliseconds, so that dialogue
    // such as `9:00 -> 10:00` stays text.
    if len == 2 && !(left.contains([',', '.']) && end_text.contains([',', '.'])) {
        return None;
    }
    let end = parse_stamp(end_text, end_col, &mut notes);
    if !extra.is_empty() {
        notes.push((
            end_col + end_text.chars().count() + 1,
            "SRT_TIMING_EXTRA",
            format!("ignored `{extra}` after the end time"),
        ));
    }
    Some(Timing { start, end, notes })
}

/// A line that reads completely as a timing line, both sides.
pub(super) fn parse_timing(line: &str) -> Option<Timing> {
    read_timing(line).filter(|t| t.both().is_some())
}

fn first_non_space(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// Parses `[hh:]mm:ss[,.]m{1,3}`; a fraction of fewer than three digits is a decimal fraction
/// (`,5` is 500 ms), as the tools that write such files mean it. Minutes or seconds of 60 or
/// more carry into the next unit, as ffmpeg and players compute them (`00:00:60,000` is one
/// minute), with a note.
fn parse_stamp(s: &str, column: usize, notes: &mut Vec<Note>) -> Result<Time, (usize, String)> {
    let bad = |m: &str| (column, format!("`{s}`: {m}"));
    let (clock, frac, sep) = match s.find([',', '.']) {
        Some(p) => (&s[..p], &s[p + 1..], s[p..].chars().next()),
        None => (s, "", None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, s] => (Some(*h), *m, *s),
        [m, s] => (None, *m, *s),
        _ => return Err(bad("expected hh:mm:ss,mmm")),
    };
    let num = |p: &str, what: &str| -> Result<u64, (usize, String)> {
        if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!("{what} is not a number")));
        }
        p.parse::<u64>().map_err(|_| bad(&format!("{what} is not a number")))
    };
    let hours = match h {
        Some(h) => num(h, "hours")?,
        None => 0,
    };
    let minutes = num(m, "minutes")?;
    let seconds = num(sec, "seconds")?;
    if frac.len() > 3
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (sep.is_some() && frac.is_empty())
    {
        return Err(bad("milliseconds must be 1 to 3 digits"));
    }
    let mut ms: u64 = 0;
    for (k, b) in frac.bytes().enumerate() {
        ms += (b - b'0') as u64 * [100, 10, 1][k.min(2)];
    }
    let mut odd = Vec::new();
    if h.is_none() {
        odd.push("hours missing");
    } else if h.is_some_and(|h| h.len() < 2) {
        odd.push("one-digit hours");
    }
    if m.len() != 2 || sec.len() != 2 {
        odd.push("minutes and seconds not two digits");
    }
    if minutes > 59 || seconds > 59 {
        odd.push("minutes or seconds of 60 or more carried over");
    }
    match sep {
        Some('.') => odd.push("`.` before milliseconds"),
        None => odd.push("milliseconds missing"),
        _ => {}
    }
    if sep.is_some() && frac.len() != 3 {
        odd.push("milliseconds not three digits");
    }
    if !odd.is_empty() {
        notes.push((column, "SRT_TIMESTAMP_FORM", format!("`{s}`: {}", odd.join(", "))));
    }
    // Each part has at most 9 digits, so this cannot overflow an i64.
    let total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
    Ok(Time::from_millis(total as i64))
}
