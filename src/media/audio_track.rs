//! The audio a decoder is fed from: the first audio track of a probed file, what a decoder needs
//! to set itself up (WebCodecs codec string, description, rate, channels), and its packets in
//! decode order with times in microseconds, read one at a time so the file is never held whole.

use super::{codec, ByteSource, Codec, Container, MediaError, MediaInfo, TrackKind};

/// How to set up an audio decoder for the track.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioSetup {
    pub track_id: u32,
    /// The WebCodecs codec string (`mp4a.40.2`, `opus`, `ec-3`).
    pub codec_string: String,
    /// WebCodecs' `description`: the AudioSpecificConfig for AAC, the OpusHead for Opus (also
    /// when an MP4 stores it as `dOps`), none for the rest.
    pub description: Option<Vec<u8>>,
    pub sample_rate: u32,
    pub channels: u32,
    /// Whether WebCodecs in the browsers this crate targets can decode it at all (E-AC-3 and
    /// AC-3 cannot): a browser is asked only when this is true.
    pub decodable: bool,
}

/// One packet's place in the file and its time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    offset: u64,
    size: u32,
    pts: i64,
    duration: u32,
}

/// A packet as read: its bytes go into the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AudioPacket {
    /// Presentation time in µs; negative for priming the file says not to present.
    pub timestamp_us: i64,
    pub duration_us: i64,
}

/// The first audio track of a file, reduced to what decoding needs.
/// NOTE: the probe's sample table holds ~100 bytes a packet (a 2-hour AAC track: 30 MB); this
/// keeps 24, and the probe's table is dropped as soon as this is made.
#[derive(Clone, Debug)]
pub struct AudioTrack {
    pub setup: AudioSetup,
    timescale: u32,
    /// Encoder delay (AAC priming, Opus pre-skip) in µs: the first this much of decoded audio is
    /// not presented. In time, not samples, since a decoder's output rate may not be the track's
    /// (HE-AAC doubles it).
    pub priming_us: i64,
    entries: Vec<Entry>,
    bytes: u64,
    container: Container,
}

/// `v` ticks of `timescale` in µs, when it fits.
fn micros(v: i64, timescale: u32) -> Option<i64> {
    i64::try_from(v as i128 * 1_000_000 / timescale.max(1) as i128).ok()
}

impl AudioTrack {
    /// The first audio track of `info`, or `None` when the file has none.
    pub fn first_of(info: MediaInfo) -> Option<AudioTrack> {
        let track = info.tracks.into_iter().find(|t| t.kind == TrackKind::Audio)?;
        let description = match &track.codec {
            Codec::Aac { asc } if !asc.is_empty() => Some(asc.clone()),
            Codec::Opus { head } => codec::opus_head_from_dops(head),
            _ => None,
        };
        let priming_us = micros(track.priming.max(0), track.timescale).unwrap_or(i64::MAX);
        let entries: Vec<Entry> = track
            .samples
            .iter()
            .map(|s| Entry { offset: s.offset, size: s.size, pts: s.pts, duration: s.duration })
            .collect();
        let bytes = entries.iter().map(|e| e.size as u64).sum();
        Some(AudioTrack {
            setup: AudioSetup {
                track_id: track.id,
                decodable: track.codec.webcodecs_decodable(),
                codec_string: track.codec_string,
                description,
                sample_rate: track.sample_rate,
                channels: track.channels as u32,
            },
            timescale: track.timescale.max(1),
            priming_us,
            entries,
            bytes,
            container: info.container,
        })
    }

    /// Packets in the track.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes of all the packets, for progress by bytes read.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The presentation length in seconds (the end of the last packet, priming excluded).
    pub fn duration_seconds(&self) -> f64 {
        let end =
            self.entries.iter().map(|e| e.pts.saturating_add(e.duration as i64)).max().unwrap_or(0);
        end.max(0) as f64 / self.timescale as f64
    }

    /// Reads packet `i` (decode order) into `buf`, replacing what it held.
    pub fn read(
        &self,
        src: &mut dyn ByteSource,
        i: usize,
        buf: &mut Vec<u8>,
    ) -> Result<AudioPacket, MediaError> {
        let e = self.entries.get(i).ok_or_else(|| MediaError::Io {
            offset: 0,
            reason: format!("packet {i} of {} asked for", self.entries.len()),
        })?;
        buf.resize(e.size as usize, 0);
        src.read_at(e.offset, buf)?;
        // NOTE: a time past ±292,000 years in µs is refused rather than wrapped around.
        let timestamp_us = micros(e.pts, self.timescale).ok_or_else(|| {
            MediaError::corrupt(
                self.container,
                &format!("audio track {} packet {i}", self.setup.track_id),
                e.offset,
                format!("time {}/{} s does not fit in microseconds", e.pts, self.timescale),
            )
        })?;
        let duration_us = micros(e.duration as i64, self.timescale).unwrap_or(i64::MAX);
        Ok(AudioPacket { timestamp_us, duration_us })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{Container, Sample, Track};
    use crate::Time;

    fn sample(pts: i64, offset: u64, size: u32) -> Sample {
        Sample {
            dts: pts,
            pts,
            duration: 1024,
            offset,
            size,
            keyframe: true,
            decode_start: true,
            depends: Default::default(),
            description: 0,
            discard_padding_ns: 0,
            addition: None,
        }
    }

    fn info(tracks: Vec<Track>) -> MediaInfo {
        MediaInfo { container: Container::Mp4, duration: Time::new(1, 1), tracks }
    }

    #[test]
    fn the_first_audio_track_is_taken_with_its_priming_in_output_samples() {
        let video = Track::new(1, TrackKind::Video, 30);
        let mut aac = Track::new(2, TrackKind::Audio, 44_100);
        aac.codec = Codec::Aac { asc: vec![0x12, 0x10] };
        aac.codec_string = "mp4a.40.2".into();
        aac.sample_rate = 44_100;
        aac.channels = 2;
        aac.priming = 1024;
        aac.samples = vec![sample(-1024, 100, 3), sample(0, 103, 2)];
        let mut second = aac.clone();
        second.id = 3;
        let t = AudioTrack::first_of(info(vec![video, aac, second])).unwrap();
        assert_eq!(t.setup.track_id, 2);
        assert_eq!(t.setup.description.as_deref(), Some(&[0x12, 0x10][..]));
        assert_eq!((t.setup.sample_rate, t.setup.channels, t.setup.decodable), (44_100, 2, true));
        assert_eq!(t.priming_us, 23_219);
        assert_eq!((t.len(), t.bytes()), (2, 5));
        let file: Vec<u8> = (0..110).collect();
        let mut buf = vec![9; 50];
        let p = t.read(&mut file.as_slice(), 0, &mut buf).unwrap();
        assert_eq!(buf, [100, 101, 102]);
        assert_eq!(p, AudioPacket { timestamp_us: -23_219, duration_us: 23_219 });
        t.read(&mut file.as_slice(), 1, &mut buf).unwrap();
        assert_eq!(buf, [103, 104]);
        assert!((t.duration_seconds() - 1024.0 / 44_100.0).abs() < 1e-9);
    }

    #[test]
    fn opus_in_mp4_gets_an_opus_head() {
        let mut opus = Track::new(1, TrackKind::Audio, 48_000);
        let dops = [0, 2, 0x01, 0x38, 0, 0, 0xbb, 0x80, 0, 0, 0];
        opus.codec = Codec::Opus { head: dops.to_vec() };
        opus.codec_string = "opus".into();
        opus.sample_rate = 44_100;
        opus.priming = 312;
        let t = AudioTrack::first_of(info(vec![opus])).unwrap();
        assert!(t.setup.description.as_ref().unwrap().starts_with(b"OpusHead"));
        assert_eq!(t.priming_us, 6_500);
    }

    #[test]
    fn no_audio_track_and_undecodable_codecs_are_told_apart() {
        assert!(AudioTrack::first_of(info(vec![Track::new(1, TrackKind::Video, 30)])).is_none());
        let mut eac3 = Track::new(1, TrackKind::Audio, 48_000);
        eac3.codec = Codec::Eac3;
        let t = AudioTrack::first_of(info(vec![eac3])).unwrap();
        assert!(!t.setup.decodable);
        assert_eq!(t.setup.description, None);
    }

    /// Found by the audio_track fuzz target: a time past i64 microseconds wrapped around (to
    /// 6.8e18 µs for 9.9e19 µs), and so could the priming, to a negative skip.
    #[test]
    fn times_past_what_microseconds_hold_are_refused_not_wrapped() {
        let mut aac = Track::new(1, TrackKind::Audio, 1);
        aac.priming = i64::MAX / 2;
        aac.samples = vec![sample(0, 0, 1), sample(i64::MAX / 1000, 1, 1)];
        let t = AudioTrack::first_of(info(vec![aac])).unwrap();
        assert_eq!(t.priming_us, i64::MAX);
        let mut buf = Vec::new();
        assert_eq!(
            t.read(&mut [0u8; 4].as_slice(), 0, &mut buf).unwrap().duration_us,
            1_024_000_000
        );
        let err = t.read(&mut [0u8; 4].as_slice(), 1, &mut buf).unwrap_err();
        assert_eq!(crate::Coded::code(&err), "ERR_MP4_CORRUPT");
        assert!(err.to_string().contains("audio track 1 packet 1"), "{err}");
        assert!(t.duration_seconds() > 0.0);
    }

    #[test]
    fn a_packet_past_the_end_of_the_file_is_an_error_not_a_panic() {
        let mut aac = Track::new(1, TrackKind::Audio, 48_000);
        aac.samples = vec![sample(0, 8, 100)];
        let t = AudioTrack::first_of(info(vec![aac])).unwrap();
        let mut buf = Vec::new();
        let err = t.read(&mut [0u8; 20].as_slice(), 0, &mut buf).unwrap_err();
        assert_eq!(crate::Coded::code(&err), "ERR_IO");
        assert!(t.read(&mut [0u8; 20].as_slice(), 5, &mut buf).is_err());
    }
}
