//! Audio files into speech activity, natively: WAV, and MP4/WebM/Matroska with AAC, MP3, FLAC or
//! Vorbis, decoded by `symphonia` packet by packet straight into the streaming detector, so a
//! long file is never held as PCM. (The browser decodes with WebCodecs instead.)

use super::activity::{SpeechActivity, SpeechDetector};
use super::report::SyncError;
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Decodes the first audio track of the file at `path` and detects speech in it.
pub fn speech_activity_of_file(path: &str) -> Result<SpeechActivity, SyncError> {
    let bad = |message: String| SyncError::BadAudio { path: path.to_string(), message };
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = std::path::Path::new(path).extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(|e| match e {
            Error::Unsupported(what) => {
                bad(format!("not an audio or video file outtake can read ({what})"))
            }
            other => bad(other.to_string()),
        })?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.sample_rate.is_some() || t.codec_params.channels.is_some())
        .ok_or_else(|| SyncError::NoAudio(path.to_string()))?;
    let track_id = track.id;
    let unsupported = |what: String| SyncError::UnsupportedCodec { path: path.to_string(), what };
    if track.codec_params.codec == CODEC_TYPE_NULL {
        return Err(unsupported("the audio track's codec".into()));
    }
    let codec_name = symphonia::default::get_codecs()
        .get_codec(track.codec_params.codec)
        .map(|d| d.short_name.to_string());
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|_| {
            unsupported(format!(
                "audio codec {} (AAC, MP3, FLAC, Vorbis and PCM are supported)",
                codec_name.clone().unwrap_or_else(|| "of the audio track".into())
            ))
        })?;
    // The encoder's priming samples (AAC's 1024 in MP4) are not audio: symphonia 0.5 reads the
    // edit list that says so but does not apply it, so they are skipped here, else every cue
    // would land that much late.
    let mut skip = priming_seconds(path);
    let mut detector: Option<SpeechDetector> = None;
    let mut buffer: Option<SampleBuffer<f32>> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(Error::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(Error::ResetRequired) => break,
            Err(e) => return Err(bad(e.to_string())),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            // A damaged packet costs its few milliseconds, not the file.
            Err(Error::DecodeError(_)) => continue,
            Err(e) => return Err(bad(e.to_string())),
        };
        let spec = *decoded.spec();
        let frames = decoded.capacity() as u64;
        let buf = match &mut buffer {
            Some(b) if b.capacity() as u64 >= frames * spec.channels.count() as u64 => b,
            _ => buffer.insert(SampleBuffer::new(frames, spec)),
        };
        buf.copy_interleaved_ref(decoded);
        let ch = spec.channels.count().max(1);
        let det = detector.get_or_insert_with(|| SpeechDetector::new(spec.rate, ch));
        let samples = buf.samples();
        let from = (((skip * spec.rate as f64).round() as usize) * ch).min(samples.len());
        skip -= (from / ch) as f64 / spec.rate.max(1) as f64;
        det.push(&samples[from..]);
    }
    detector.map(SpeechDetector::finish).ok_or_else(|| bad("no audio could be decoded".into()))
}

/// The first audio track's encoder delay in seconds, from outtake's own MP4/WebM reader (0 when
/// the file is neither, or says nothing).
fn priming_seconds(path: &str) -> f64 {
    let Ok(mut file) = std::fs::File::open(path) else { return 0.0 };
    let Ok(info) = crate::media::probe(&mut file) else { return 0.0 };
    info.tracks
        .iter()
        .find(|t| t.kind == crate::media::TrackKind::Audio)
        .map_or(0.0, |t| t.priming.max(0) as f64 / t.timescale.max(1) as f64)
}
