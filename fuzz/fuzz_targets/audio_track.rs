//! Fuzzes the audio a sync decodes (`media::AudioTrack`): any file that probes gives its first
//! audio track, whose every packet reads back as the bytes the probe placed, at the time the
//! probe gave it (exactly, in µs), in decode order; a time µs cannot hold is an error, never a
//! wrap-around.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outtake::media::{self, AudioTrack, TrackKind};

fuzz_target!(|data: &[u8]| {
    let Ok(info) = media::probe(&mut &data[..]) else { return };
    let probed = info.tracks.iter().find(|t| t.kind == TrackKind::Audio).cloned();
    let Some(track) = AudioTrack::first_of(info) else {
        assert!(probed.is_none(), "an audio track was probed but not taken");
        return;
    };
    let probed = probed.expect("taken from a probed audio track");
    assert_eq!(track.setup.track_id, probed.id);
    assert_eq!(track.len(), probed.samples.len());
    assert_eq!(track.bytes(), probed.samples.iter().map(|s| s.size as u64).sum::<u64>());
    assert!(track.priming_us >= 0);
    let d = track.duration_seconds();
    assert!(d.is_finite() && d >= 0.0, "duration {d}");
    let ts = probed.timescale.max(1) as i128;
    let mut buf = Vec::new();
    for (i, s) in probed.samples.iter().enumerate() {
        let exact = s.pts as i128 * 1_000_000 / ts;
        let p = match track.read(&mut &data[..], i, &mut buf) {
            Ok(p) => p,
            Err(_) if i64::try_from(exact).is_err() => continue,
            Err(e) => panic!("packet {i} does not read: {e}"),
        };
        let at = s.offset as usize;
        assert_eq!(buf, data[at..at + s.size as usize], "packet {i}: bytes");
        assert_eq!(p.timestamp_us as i128, exact, "packet {i}: time");
        assert_eq!(p.duration_us as i128, s.duration as i128 * 1_000_000 / ts, "packet {i}");
    }
    assert!(track.read(&mut &data[..], probed.samples.len(), &mut buf).is_err());
});
