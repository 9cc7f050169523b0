//! Writes captions as a WebVTT file that parses back to the same model: header, REGION blocks,
//! STYLE and NOTE blocks where they were, cue ids, `hh:mm:ss.ttt` timestamps (hours always) and
//! every setting that differs from its default.

use std::fmt::Write as _;

use super::model::{
    Align, Block, BlockKind, Captions, Cue, Line, LineAlign, PositionAlign, Region, Vertical,
};
use crate::time::Rounding;

/// The WebVTT text for `captions`. What WebVTT cannot hold is adjusted so that the file still
/// parses: `-->` in cue text becomes `--&gt;`, blank lines inside a cue or block are dropped, a
/// STYLE block placed after a cue moves before the first one, a negative time is written as 0.
pub fn write_webvtt(captions: &Captions) -> String {
    let mut out = String::with_capacity(64 + captions.cues.len() * 64);
    out.push_str("WEBVTT");
    let header = &captions.header;
    if !header.is_empty() && !header.starts_with([' ', '\t', '\n']) {
        out.push(' ');
    }
    // The first line is the signature's and may say anything; the header lines after it must
    // not hold `-->`, which would end the header there.
    let (first, rest) =
        header.split_once('\n').map_or((header.as_str(), None), |(f, r)| (f, Some(r)));
    out.push_str(first);
    if let Some(rest) = rest {
        out.push('\n');
        push_lines(&mut out, rest, true);
    }
    out.push('\n');
    for region in &captions.regions {
        out.push('\n');
        write_region(&mut out, region);
    }
    // Blocks before the first cue keep their order; STYLE blocks are only read there, so any
    // that the model places later move up too.
    let (head, notes): (Vec<&Block>, Vec<&Block>) = captions
        .blocks
        .iter()
        .partition(|b| b.kind == BlockKind::Style || b.before_cue == 0 || captions.cues.is_empty());
    for block in head {
        write_block(&mut out, block);
    }
    let mut notes = notes.into_iter().peekable();
    for (i, cue) in captions.cues.iter().enumerate() {
        while let Some(note) = notes.next_if(|b| b.before_cue <= i) {
            write_block(&mut out, note);
        }
        out.push('\n');
        write_cue(&mut out, cue);
    }
    for note in notes {
        write_block(&mut out, note);
    }
    out
}

/// Appends `text` with its empty lines (which would end the block) dropped and, when `arrows`,
/// each `-->` broken (it would start a cue).
fn push_lines(out: &mut String, text: &str, arrows: bool) {
    if !(text.contains("\n\n") || text.ends_with('\n') || (arrows && text.contains("-->"))) {
        out.push_str(text);
        return;
    }
    let mut first = true;
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() && i > 0 {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        if arrows && line.contains("-->") {
            out.push_str(&line.replace("-->", "-- >"));
        } else {
            out.push_str(line);
        }
    }
}

fn write_block(out: &mut String, block: &Block) {
    match block.kind {
        BlockKind::Style => {
            out.push_str("\nSTYLE\n");
            push_lines(out, &block.text, true);
        }
        BlockKind::Note => {
            out.push_str("\nNOTE");
            if !block.text.is_empty() {
                out.push(' ');
                push_lines(out, &block.text, true);
            }
        }
    }
    out.push('\n');
}

fn write_region(out: &mut String, r: &Region) {
    let d = Region::default();
    out.push_str("REGION\n");
    let before = out.len();
    if !r.id.is_empty() {
        let _ = writeln!(out, "id:{}", r.id);
    }
    if r.width != d.width {
        let _ = writeln!(out, "width:{}%", r.width);
    }
    if r.lines != d.lines {
        let _ = writeln!(out, "lines:{}", r.lines);
    }
    if r.region_anchor != d.region_anchor {
        let _ = writeln!(out, "regionanchor:{}%,{}%", r.region_anchor.0, r.region_anchor.1);
    }
    if r.viewport_anchor != d.viewport_anchor {
        let _ = writeln!(out, "viewportanchor:{}%,{}%", r.viewport_anchor.0, r.viewport_anchor.1);
    }
    if r.scroll_up {
        out.push_str("scroll:up\n");
    }
    if out.len() == before {
        // A REGION line alone is not a region: it needs at least one settings line.
        let _ = writeln!(out, "width:{}%", r.width);
    }
}

fn write_cue(out: &mut String, cue: &Cue) {
    if !cue.id.is_empty() {
        // An id is one line, without `-->`.
        let id = cue.id.replace('\n', " ");
        out.push_str(&id.replace("-->", "-- >"));
        out.push('\n');
    }
    write_time(out, cue.start.millis(Rounding::Nearest));
    out.push_str(" --> ");
    write_time(out, cue.end.millis(Rounding::Nearest));
    write_settings(out, cue);
    out.push('\n');
    if !cue.text.is_empty() {
        if cue.text.contains("-->") {
            push_lines(out, &cue.text.replace("-->", "--&gt;"), false);
        } else {
            push_lines(out, &cue.text, false);
        }
        out.push('\n');
    }
}

fn write_time(out: &mut String, ms: i64) {
    let ms = ms.max(0);
    let hours = ms / 3_600_000;
    if hours < 100 {
        // The common case without the formatting machinery: this runs twice per cue.
        let digits = |n: i64, width: usize, out: &mut String| {
            let mut buf = [b'0'; 3];
            let mut n = n;
            for slot in buf[..width].iter_mut().rev() {
                *slot = b'0' + (n % 10) as u8;
                n /= 10;
            }
            out.push_str(std::str::from_utf8(&buf[..width]).unwrap_or("00"));
        };
        digits(hours, 2, out);
        out.push(':');
        digits(ms / 60_000 % 60, 2, out);
        out.push(':');
        digits(ms / 1000 % 60, 2, out);
        out.push('.');
        digits(ms % 1000, 3, out);
    } else {
        let _ = write!(
            out,
            "{hours:02}:{:02}:{:02}.{:03}",
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        );
    }
}

/// A cue's settings as a WebVTT cue settings list (`align:start line:0`), empty when every
/// setting is its default: what a container's text track stores beside the cue text.
pub fn settings_text(cue: &Cue) -> String {
    let mut out = String::new();
    write_settings(&mut out, cue);
    out.trim_start().to_string()
}

/// The WebVTT header of `captions`: the signature line, header lines, REGION and STYLE blocks,
/// without a cue (the `vttC` box of MP4, CodecPrivate of Matroska).
pub fn header_text(captions: &Captions) -> String {
    let head = Captions {
        header: captions.header.clone(),
        cues: Vec::new(),
        regions: captions.regions.clone(),
        blocks: captions.blocks.iter().filter(|b| b.kind == BlockKind::Style).cloned().collect(),
    };
    write_webvtt(&head).trim_end_matches('\n').to_string()
}

/// The settings that differ from their defaults. `region` comes last: `vertical`, `line` and
/// `size` written after it would take the cue out of the region again.
fn write_settings(out: &mut String, cue: &Cue) {
    let s = &cue.settings;
    match s.vertical {
        Vertical::Horizontal => {}
        Vertical::Rl => out.push_str(" vertical:rl"),
        Vertical::Lr => out.push_str(" vertical:lr"),
    }
    let line_align = match s.line_align {
        LineAlign::Start => "",
        LineAlign::Center => ",center",
        LineAlign::End => ",end",
    };
    match s.line {
        Line::Auto => {}
        Line::Number(n) if n.is_finite() => {
            let _ = write!(out, " line:{n}{line_align}");
        }
        Line::Percent(p) if (0.0..=100.0).contains(&p) => {
            let _ = write!(out, " line:{p}%{line_align}");
        }
        _ => {}
    }
    if let Some(p) = s.position.filter(|p| (0.0..=100.0).contains(p)) {
        let align = match s.position_align {
            PositionAlign::Auto => "",
            PositionAlign::LineLeft => ",line-left",
            PositionAlign::Center => ",center",
            PositionAlign::LineRight => ",line-right",
        };
        let _ = write!(out, " position:{p}%{align}");
    }
    if s.size != 100.0 && (0.0..=100.0).contains(&s.size) {
        let _ = write!(out, " size:{}%", s.size);
    }
    match s.align {
        Align::Center => {}
        Align::Start => out.push_str(" align:start"),
        Align::End => out.push_str(" align:end"),
        Align::Left => out.push_str(" align:left"),
        Align::Right => out.push_str(" align:right"),
    }
    if let Some(region) = s.region.as_ref().filter(|r| !r.is_empty()) {
        let _ = write!(out, " region:{region}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captions::{parse_webvtt, Cue};
    use crate::time::Time;

    fn cue(start: i64, end: i64, text: &str) -> Cue {
        Cue::new(Time::from_millis(start), Time::from_millis(end), text)
    }

    #[test]
    fn writes_what_webvtt_can_hold() {
        let mut c =
            Captions { header: "Kind: a --> b\nX: 1 --> 2\n\nY".into(), ..Captions::default() };
        c.cues.push(cue(-5, 3_723_004, "a --> b\n\nc"));
        c.cues[0].id = "x-->y\nz".into();
        c.cues.push(cue(360_000_000_000, 360_000_000_001, ""));
        c.blocks.push(Block { kind: BlockKind::Style, text: "::cue{}".into(), before_cue: 1 });
        c.blocks.push(Block { kind: BlockKind::Note, text: "n1 --> n2".into(), before_cue: 1 });
        c.regions.push(Region::default());
        let text = write_webvtt(&c);
        assert_eq!(
            text,
            "WEBVTT Kind: a --> b\nX: 1 -- > 2\nY\n\nREGION\nwidth:100%\n\nSTYLE\n::cue{}\n\nx-- >y z\n\
             00:00:00.000 --> 01:02:03.004\na --&gt; b\nc\n\nNOTE n1 -- > n2\n\n\
             100000:00:00.000 --> 100000:00:00.001\n"
        );
        let p = parse_webvtt(&text).unwrap();
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.captions.header, " Kind: a --> b\nX: 1 -- > 2\nY");
        assert_eq!(p.captions.regions, c.regions);
        assert_eq!(p.captions.cues[0].text, "a --&gt; b\nc");
        assert_eq!(p.captions.cues[1].end, Time::from_millis(360_000_000_001));
    }

    #[test]
    fn region_is_written_last_so_that_it_sticks() {
        let mut c = Captions::default();
        c.regions.push(Region { id: "r".into(), ..Region::default() });
        let mut q = cue(0, 1000, "t");
        q.settings.vertical = Vertical::Rl;
        q.settings.size = 50.0;
        q.settings.region = Some("r".into());
        c.cues.push(q);
        let text = write_webvtt(&c);
        assert!(
            text.contains("00:00:00.000 --> 00:00:01.000 vertical:rl size:50% region:r\n"),
            "{text}"
        );
        assert_eq!(parse_webvtt(&text).unwrap().captions, c);
    }
}
