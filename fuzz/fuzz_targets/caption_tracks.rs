//! Fuzzes the WebVTT text track writers (MP4 `wvtt`, WebM `D_WEBVTT/SUBTITLES`, Matroska
//! `S_TEXT/WEBVTT`): cues made from the input (overlapping, touching, long, empty, with any text)
//! are written as a file, probed back with our demuxers, and must come back as they went in:
//! text, id, settings, start and end to the millisecond.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::media::{self, Container, TextCue, TextTrackSpec};
use outtake::{Rounding, Time};

/// Takes `n` bytes (fewer at the end of the input).
fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let n = n.min(data.len());
    let (head, rest) = data.split_at(n);
    *data = rest;
    head
}

fn int(data: &mut &[u8], n: usize) -> u64 {
    take(data, n).iter().fold(0u64, |a, &b| (a << 8) | b as u64)
}

fn line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace(['\r', '\n'], "")
}

/// Cues from the input: per cue a start (ms, up to ~18 h), a length (0 to ~17 min), lengths of
/// id, settings and text, and their bytes.
fn cues(mut data: &[u8]) -> Vec<TextCue> {
    let mut out = Vec::new();
    while data.len() >= 6 && out.len() < 64 {
        let start = int(&mut data, 3) << 2;
        let len = int(&mut data, 2) << 4;
        let sizes = int(&mut data, 1);
        let id = line(take(&mut data, (sizes & 3) as usize * 3));
        let settings = line(take(&mut data, (sizes >> 2 & 3) as usize * 5));
        let text = String::from_utf8_lossy(take(&mut data, (sizes >> 4) as usize * 4)).into_owned();
        out.push(TextCue {
            start: Time::from_millis(start as i64),
            end: Time::from_millis((start + len) as i64),
            id,
            settings,
            text,
        });
    }
    out
}

type Key = (i64, i64, String, String, String);

fn keys(cues: &[TextCue]) -> Vec<Key> {
    let mut k: Vec<Key> = cues
        .iter()
        .map(|c| {
            (
                c.start.millis(Rounding::Nearest),
                c.end.millis(Rounding::Nearest),
                c.id.clone(),
                c.settings.clone(),
                c.text.clone(),
            )
        })
        .filter(|k| k.1 > k.0)
        .collect();
    k.sort();
    k
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let cues = cues(rest);
    let want = keys(&cues);
    let scale = [1000, 90000, 15360, 30000][(pick & 3) as usize];
    for container in [Container::Mp4, Container::Webm, Container::Matroska] {
        let spec = TextTrackSpec {
            id: 1,
            header: "WEBVTT".into(),
            language: "en".into(),
            label: Some("fuzz".into()),
        };
        let end = Time::from_millis((pick >> 2) as i64 * 1000);
        let track = media::text_track(&cues, &spec, container, scale, end);
        let mut out = Vec::new();
        let mut none: &[u8] = &[];
        media::write(&[track], container, &mut none, &mut out).expect("a text track writes");
        let mut src = out.as_slice();
        let info = media::probe(&mut src).expect("the written file probes");
        let back = media::read_text_track(&info, &mut src).expect("its text track reads back");
        // Our WebM demuxer starts a file at its earliest block (`media::rebase`; the MP4 one
        // follows the edit list, and the wvtt track starts at 0): compare from the first cue.
        let from = |k: &[Key]| match container {
            Container::Mp4 => 0,
            _ => k.first().map_or(0, |c| c.0),
        };
        let (got, mut want) = (keys(&back), want.clone());
        let shift = from(&want) - from(&got);
        for c in &mut want {
            (c.0, c.1) = (c.0 - shift, c.1 - shift);
        }
        assert_eq!(got, want, "{container:?}");
    }
});
