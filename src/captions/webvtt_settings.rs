//! WebVTT cue settings and region settings, parsed as the spec says: each setting that does not
//! validate is skipped (recorded as a [`Skip`] so that users learn why), the others apply in order,
//! including the rule that a cue given `vertical`, `line` or `size` drops out of its region.

use super::model::{Align, Cue, Line, LineAlign, PositionAlign, Region, Vertical};

/// A setting that was skipped: the byte offset of its token in the parsed string, and why.
pub(crate) type Skip = (usize, String);

/// Splits `s` on ASCII whitespace, yielding each token with its byte offset.
pub(crate) fn tokens(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && !is_ws(b[i]) {
            i += 1;
        }
        Some((start, &s[start..i]))
    })
}

/// ASCII whitespace as WebVTT means it: tab, LF, FF, CR, space (not vertical tab).
pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Splits a setting into name and value at its first colon; `None` when there is no colon or the
/// colon is the first or last character.
fn name_value(setting: &str) -> Option<(&str, &str)> {
    let colon = setting.find(':')?;
    if colon == 0 || colon + 1 == setting.len() {
        return None;
    }
    Some((&setting[..colon], &setting[colon + 1..]))
}

/// "Parse a percentage string": digits, optionally `.` and digits, then `%`; 0 to 100.
pub(crate) fn percentage(s: &str) -> Option<f64> {
    let num = s.strip_suffix('%')?;
    let b = num.as_bytes();
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int == 0 {
        return None;
    }
    if int < b.len() {
        let frac = &b[int..];
        if frac[0] != b'.' || frac.len() < 2 || !frac[1..].iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    let v = float(num)?;
    (0.0..=100.0).contains(&v).then_some(v)
}

/// HTML's "rules for parsing floating-point number values" on a string already checked to be
/// `-?digits(.digits)?`: the nearest double, an error past the finite range, and never -0.
fn float(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    Some(if v == 0.0 { 0.0 } else { v })
}

/// The `line` setting's position part: a percentage, or a number of lines.
fn line_position(linepos: &str) -> Result<Line, &'static str> {
    let b = linepos.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return Err("needs a digit");
    }
    if linepos.ends_with('%') {
        return percentage(linepos).map(Line::Percent).ok_or("is not a percentage from 0% to 100%");
    }
    if !b.iter().all(|&c| c == b'-' || c == b'.' || c.is_ascii_digit()) {
        return Err("may only hold digits, '-' and '.'");
    }
    if b.iter().skip(1).any(|&c| c == b'-') {
        return Err("has '-' after its first character");
    }
    let dots: Vec<usize> =
        b.iter().enumerate().filter(|(_, &c)| c == b'.').map(|(i, _)| i).collect();
    if dots.len() > 1 {
        return Err("has more than one '.'");
    }
    if let Some(&d) = dots.first() {
        let digit = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_digit);
        if !digit(d.checked_sub(1)) || !digit(Some(d + 1)) {
            return Err("needs digits on both sides of '.'");
        }
    }
    float(linepos).map(Line::Number).ok_or("is out of range")
}

/// "Parse the WebVTT cue settings" from `s` into `cue`; `region:` names a region only when
/// `has_region` knows its id (the cue then refers to the last region with that id).
pub(crate) fn parse_cue_settings(
    s: &str,
    has_region: &dyn Fn(&str) -> bool,
    cue: &mut Cue,
    skips: &mut Vec<Skip>,
) {
    for (at, setting) in tokens(s) {
        let Some((name, value)) = name_value(setting) else {
            skips.push((at, format!("cue setting '{setting}' ignored: expected name:value")));
            continue;
        };
        let st = &mut cue.settings;
        let mut skip =
            |why: String| skips.push((at, format!("cue setting '{setting}' ignored: {why}")));
        match name {
            "region" => match has_region(value) {
                true => st.region = Some(value.to_string()),
                false => {
                    st.region = None;
                    skip(format!("no region has id '{value}'"));
                }
            },
            "vertical" => {
                match value {
                    "rl" => st.vertical = Vertical::Rl,
                    "lr" => st.vertical = Vertical::Lr,
                    _ => skip("expected rl or lr".into()),
                }
                if st.vertical != Vertical::Horizontal {
                    drop_region(st, at, setting, skips);
                }
            }
            "line" => {
                let (linepos, linealign) = match value.split_once(',') {
                    Some((p, a)) => (p, Some(a)),
                    None => (value, None),
                };
                let line = match line_position(linepos) {
                    Ok(line) => line,
                    Err(why) => {
                        skip(format!("line position '{linepos}' {why}"));
                        continue;
                    }
                };
                let align = match linealign {
                    None => st.line_align,
                    Some("start") => LineAlign::Start,
                    Some("center") => LineAlign::Center,
                    Some("end") => LineAlign::End,
                    Some(other) => {
                        skip(format!("line alignment '{other}' is not start, center or end"));
                        continue;
                    }
                };
                st.line_align = align;
                st.line = line;
                drop_region(st, at, setting, skips);
            }
            "position" => {
                let (colpos, colalign) = match value.split_once(',') {
                    Some((p, a)) => (p, Some(a)),
                    None => (value, None),
                };
                let Some(number) = percentage(colpos) else {
                    skip(format!("'{colpos}' is not a percentage from 0% to 100%"));
                    continue;
                };
                let align = match colalign {
                    None => st.position_align,
                    Some("line-left") => PositionAlign::LineLeft,
                    Some("center") => PositionAlign::Center,
                    Some("line-right") => PositionAlign::LineRight,
                    Some(other) => {
                        skip(format!(
                            "position alignment '{other}' is not line-left, center or line-right"
                        ));
                        continue;
                    }
                };
                st.position_align = align;
                st.position = Some(number);
            }
            "size" => {
                let Some(number) = percentage(value) else {
                    skip(format!("'{value}' is not a percentage from 0% to 100%"));
                    continue;
                };
                st.size = number;
                if number != 100.0 {
                    drop_region(st, at, setting, skips);
                }
            }
            "align" => match value {
                "start" => st.align = Align::Start,
                "center" => st.align = Align::Center,
                "end" => st.align = Align::End,
                "left" => st.align = Align::Left,
                "right" => st.align = Align::Right,
                _ => skip("expected start, center, end, left or right".into()),
            },
            _ => skip(format!("unknown setting '{name}'")),
        }
    }
}

/// A cue positioned with `vertical`, `line` or `size` leaves its region (there are no vertical
/// regions, and explicit placement overrides the region's).
fn drop_region(
    st: &mut super::model::CueSettings,
    at: usize,
    setting: &str,
    skips: &mut Vec<Skip>,
) {
    if let Some(id) = st.region.take() {
        skips.push((at, format!("cue leaves region '{id}': '{setting}' places it explicitly")));
    }
}

/// "Collect WebVTT region settings" from the body of a REGION block into `region`.
pub(crate) fn parse_region_settings(s: &str, region: &mut Region, skips: &mut Vec<Skip>) {
    for (at, setting) in tokens(s) {
        let mut skip =
            |why: String| skips.push((at, format!("region setting '{setting}' ignored: {why}")));
        let Some((name, value)) = name_value(setting) else {
            skip("expected name:value".into());
            continue;
        };
        match name {
            "id" => region.id = value.to_string(),
            "width" => match percentage(value) {
                Some(p) => region.width = p,
                None => skip("not a percentage from 0% to 100%".into()),
            },
            "lines" => {
                if value.bytes().all(|c| c.is_ascii_digit()) {
                    // Digits only, so the parse cannot fail; a huge count becomes a huge float,
                    // as it does in the TextTrack API, and past the float range the largest one.
                    region.lines = value.parse::<f64>().map_or(f64::MAX, |v| v.min(f64::MAX));
                } else {
                    skip("expected a whole number".into());
                }
            }
            "regionanchor" | "viewportanchor" => {
                let anchor =
                    value.split_once(',').and_then(|(x, y)| Some((percentage(x)?, percentage(y)?)));
                match (anchor, name) {
                    (Some(a), "regionanchor") => region.region_anchor = a,
                    (Some(a), _) => region.viewport_anchor = a,
                    (None, _) => skip("expected two percentages from 0% to 100%: X%,Y%".into()),
                }
            }
            "scroll" => match value {
                "up" => region.scroll_up = true,
                _ => skip("expected up".into()),
            },
            _ => skip(format!("unknown setting '{name}'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(percentage("0%"), Some(0.0));
        assert_eq!(percentage("00%"), Some(0.0));
        assert_eq!(percentage("1.5%"), Some(1.5));
        assert_eq!(percentage("100%"), Some(100.0));
        for bad in ["101%", "-0%", "1", "%", "1%%", ".5%", "1.%", "1.5.5%", " 1%", "1x%"] {
            assert_eq!(percentage(bad), None, "{bad}");
        }
    }

    #[test]
    fn line_positions() {
        assert_eq!(line_position("-0"), Ok(Line::Number(0.0)));
        assert_eq!(line_position("1.5"), Ok(Line::Number(1.5)));
        assert_eq!(line_position("50%"), Ok(Line::Percent(50.0)));
        for bad in ["auto", "1-", "1.", ".1", "1..1", "1.1.1", "-.1", "1e5", "101%", "+1"] {
            assert!(line_position(bad).is_err(), "{bad}");
        }
    }
}
