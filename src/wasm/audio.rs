//! Speech activity from a media `Blob`: the first audio track is demuxed in slices (the core's
//! `AudioTrack`), decoded by WebCodecs' `AudioDecoder`, and each decoded chunk is down-mixed
//! straight into the streaming detector, so neither the file nor its PCM is ever held whole.

use super::codecs::{js_message, set, verdict, CodecError, DecodeAt};
use super::error::{js_error, IntoJs, JsResult};
use super::media::{BlobSource, Progress};
use crate::media::{self, AudioSetup, AudioTrack, ReadAhead};
use crate::sync::{SpeechActivity, SpeechDetector, SyncError};
use crate::Coded;
use js_sys::{Function, Object, Promise, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AudioData, AudioDataCopyToOptions, AudioDecoder, AudioDecoderConfig, AudioDecoderInit,
    AudioSampleFormat, EncodedAudioChunk, EncodedAudioChunkInit,
};

/// How far feeding may run ahead of the decoded audio the detector has taken, in µs: past
/// `HIGH`, feeding waits until the detector is back within `LOW` of it.
/// NOTE: the decoder's own queue (`decodeQueueSize`) is no brake: Chromium hands packets to its
/// decoder thread at once and posts every decoded chunk to this thread as a task, so with the
/// detector slower than the decoder the decoded PCM would pile up (all of it, for a long file).
/// Pacing on the audio taken keeps it to two seconds' worth; the gap between the marks lets the
/// decoder work on a batch while the detector works through the last, instead of one packet
/// and one wake-up at a time.
const AHEAD_HIGH_US: i64 = 2_000_000;
const AHEAD_LOW_US: i64 = 500_000;

/// How long to wait for decoded audio before feeding more anyway (ms): a decoder that holds its
/// output until it has more input must not stall the loop.
const STALL_MS: i32 = 2_000;

/// The share of `onProgress` that decoding takes; the alignment after it takes the rest.
pub const DECODE_SHARE: f64 = 0.97;

/// Reads the Blob's first audio track and returns its speech track. `place` names the argument
/// in errors: no audio track (`ERR_SYNC_NO_AUDIO`), a codec this browser cannot decode
/// (`ERR_UNSUPPORTED_CODEC`), a damaged file (the demuxer's codes, or `ERR_DECODE`).
pub async fn activity_of_blob(
    blob: &JsValue,
    place: &str,
    progress: &Progress,
) -> JsResult<SpeechActivity> {
    let mut src = BlobSource::new(blob, place)?;
    let info = media::probe(&mut src).js()?;
    let tracks = info.tracks.iter().map(|t| t.codec_string.clone()).collect::<Vec<_>>().join(", ");
    let Some(track) = AudioTrack::first_of(info) else {
        let has = if tracks.is_empty() { "no tracks".into() } else { format!("only {tracks}") };
        let message = format!("{place}: the file has no audio track ({has})");
        return Err(js_error(SyncError::NoAudio(String::new()).code(), &message));
    };
    let setup = &track.setup;
    let cannot = |why: String| SyncError::UnsupportedCodec {
        path: place.to_string(),
        what: format!("{} audio (track {}){why}", setup.codec_string, setup.track_id),
    };
    if !setup.decodable {
        return Err(cannot(": this browser has no decoder for it".into())).js();
    }
    let config = decoder_config(setup);
    supported(&config).await.map_err(cannot).js()?;
    if track.is_empty() {
        return Err(SyncError::BadAudio {
            path: place.to_string(),
            message: format!("audio track {} has no packets", setup.track_id),
        })
        .js();
    }
    decode(&track, &config, &mut src, progress).await
}

fn decoder_config(setup: &AudioSetup) -> AudioDecoderConfig {
    let cfg = Object::new();
    set(&cfg, "codec", setup.codec_string.as_str());
    set(&cfg, "sampleRate", setup.sample_rate);
    set(&cfg, "numberOfChannels", setup.channels);
    if let Some(d) = &setup.description {
        set(&cfg, "description", Uint8Array::from(d.as_slice()));
    }
    cfg.unchecked_into()
}

/// `Ok` when `AudioDecoder.isConfigSupported` says yes, else why not (in words that follow the
/// codec's name).
async fn supported(config: &AudioDecoderConfig) -> Result<(), String> {
    verdict(AudioDecoder::is_config_supported(config).unchecked_into()).await.map_err(|refusal| {
        match refusal {
            None => ": this browser has no decoder for it".into(),
            Some(m) => format!(": this browser refused its setup ({m})"),
        }
    })
}

/// What the decoder's callbacks share with the feeding loop.
struct Sink {
    detector: Option<SpeechDetector>,
    /// Decoded frames still to drop: the encoder's priming (known in µs until the first output
    /// says the rate).
    skip: Option<u64>,
    priming_us: i64,
    mono: Vec<f32>,
    bytes: Vec<u8>,
    failure: Option<CodecError>,
    /// The packet last fed, for errors reported later by the decoder.
    fed: usize,
    /// The end (µs) of the decoded audio taken so far (the first packet's start before any).
    taken_until_us: i64,
}

impl Sink {
    /// Down-mixes one decoded chunk into the detector and closes it.
    fn take(&mut self, data: &AudioData) -> Result<(), JsValue> {
        self.taken_until_us = self.taken_until_us.max((data.timestamp() + data.duration()) as i64);
        let frames = data.number_of_frames() as usize;
        let channels = data.number_of_channels().max(1);
        let rate = data.sample_rate().round() as u32;
        let skip = self.skip.get_or_insert_with(|| {
            (self.priming_us.max(0) as u64 * rate as u64 + 500_000) / 1_000_000
        });
        let from = (*skip).min(frames as u64) as usize;
        *skip -= from as u64;
        if from == frames {
            return Ok(());
        }
        let n = frames - from;
        self.mono.clear();
        self.mono.resize(n, 0.0);
        self.bytes.resize(n * 4, 0);
        // NOTE: planar f32 is the one conversion every WebCodecs implementation must offer, and
        // mixing here keeps a chunk's copy at one channel's worth of bytes at a time.
        for c in 0..channels {
            let opts = AudioDataCopyToOptions::new(c);
            opts.set_format(AudioSampleFormat::F32Planar);
            opts.set_frame_offset(from as u32);
            data.copy_to_with_u8_slice(&mut self.bytes, &opts)?;
            for (m, b) in self.mono.iter_mut().zip(self.bytes.chunks_exact(4)) {
                *m += f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
        }
        if channels > 1 {
            let scale = 1.0 / channels as f32;
            self.mono.iter_mut().for_each(|m| *m *= scale);
        }
        self.detector.get_or_insert_with(|| SpeechDetector::new(rate, 1)).push(&self.mono);
        Ok(())
    }

    fn fail(&mut self, e: CodecError) {
        self.failure.get_or_insert(e);
    }
}

/// Feeds every packet of `track` to an `AudioDecoder` and the detector; `progress` hears the
/// share of bytes fed.
async fn decode(
    track: &AudioTrack,
    config: &AudioDecoderConfig,
    src: &mut BlobSource,
    progress: &Progress,
) -> JsResult<SpeechActivity> {
    let sink = Rc::new(RefCell::new(Sink {
        detector: None,
        skip: None,
        priming_us: track.priming_us,
        mono: Vec::new(),
        bytes: Vec::new(),
        failure: None,
        fed: 0,
        taken_until_us: 0,
    }));
    // Woken by the decoder when it gives audio or fails (or by a timer), so the loop never spins.
    let waker: Rc<RefCell<Option<Function>>> = Rc::default();
    let wake = {
        let waker = waker.clone();
        move || {
            if let Some(f) = waker.borrow_mut().take() {
                let _ = f.call0(&JsValue::UNDEFINED);
            }
        }
    };
    let on_output = {
        let (sink, wake) = (sink.clone(), wake.clone());
        Closure::<dyn FnMut(AudioData)>::new(move |data: AudioData| {
            let mut s = sink.borrow_mut();
            if s.failure.is_none() {
                if let Err(e) = s.take(&data) {
                    let at = DecodeAt::AfterPacket(s.fed);
                    s.fail(CodecError::Decode { at, message: js_message(&e) });
                }
            }
            data.close();
            drop(s);
            wake();
        })
    };
    let on_error = {
        let (sink, wake) = (sink.clone(), wake.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let mut s = sink.borrow_mut();
            let at = DecodeAt::AfterPacket(s.fed);
            s.fail(CodecError::Decode { at, message: js_message(&e) });
            drop(s);
            wake();
        })
    };
    let on_timer = Closure::<dyn FnMut()>::new(wake);
    let decoder = AudioDecoder::new(&AudioDecoderInit::new(
        on_error.as_ref().unchecked_ref(),
        on_output.as_ref().unchecked_ref(),
    ))
    .map_err(|e| CodecError::Decode { at: DecodeAt::Setup, message: js_message(&e) })?;
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();

    let failed = || sink.borrow().failure.clone();
    let result: Result<(), CodecError> = async {
        decoder.configure(config).map_err(|e| CodecError::CannotDecode {
            codec: track.setup.codec_string.clone(),
            why: format!(": {}", js_message(&e)),
        })?;
        // Packets are mostly contiguous: one 1 MB slice of the Blob serves hundreds of them.
        let mut ahead = ReadAhead::new(src, 1 << 20);
        let mut buf = Vec::new();
        let (total, mut done) = (track.bytes().max(1) as f64, 0u64);
        for i in 0..track.len() {
            sink.borrow_mut().fed = i;
            let p = track.read(&mut ahead, i, &mut buf).map_err(|e| CodecError::Decode {
                at: DecodeAt::Packet { index: i, timestamp_us: 0 },
                message: e.to_string(),
            })?;
            let init = Object::new();
            set(&init, "type", "key");
            set(&init, "timestamp", p.timestamp_us as f64);
            set(&init, "duration", p.duration_us as f64);
            set(&init, "data", Uint8Array::from(buf.as_slice()));
            let at = DecodeAt::Packet { index: i, timestamp_us: p.timestamp_us };
            let chunk = EncodedAudioChunk::new(init.unchecked_ref::<EncodedAudioChunkInit>())
                .map_err(|e| CodecError::Decode { at: at.clone(), message: js_message(&e) })?;
            decoder
                .decode(&chunk)
                .map_err(|e| CodecError::Decode { at, message: js_message(&e) })?;
            let fed_until = p.timestamp_us + p.duration_us;
            if i == 0 {
                sink.borrow_mut().taken_until_us = p.timestamp_us;
            }
            let ahead = || fed_until - sink.borrow().taken_until_us;
            let mut limit = AHEAD_HIGH_US;
            while ahead() > limit && failed().is_none() {
                limit = AHEAD_LOW_US;
                let taken = sink.borrow().taken_until_us;
                let turn = Promise::new(&mut |resolve, _| *waker.borrow_mut() = Some(resolve));
                let timer = global
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        on_timer.as_ref().unchecked_ref(),
                        STALL_MS,
                    )
                    .unwrap_or(0);
                let _ = JsFuture::from(turn).await;
                global.clear_timeout_with_handle(timer);
                if sink.borrow().taken_until_us == taken {
                    break; // the timer: no audio came, feed on
                }
            }
            if let Some(e) = failed() {
                return Err(e);
            }
            // Progress by bytes in steps of half a percent, not a message per packet.
            let before = (done as f64 / total * 200.0) as u32;
            done += buf.len() as u64;
            if (done as f64 / total * 200.0) as u32 != before {
                progress.report(DECODE_SHARE * done as f64 / total);
            }
        }
        // A decoder that failed closes itself and its flush then fails too ("closed codec"): the
        // error its callback recorded is the one that says why.
        JsFuture::from(decoder.flush()).await.map_err(|e| {
            failed().unwrap_or(CodecError::Decode {
                at: DecodeAt::Flush { packets: track.len() },
                message: js_message(&e),
            })
        })?;
        failed().map_or(Ok(()), Err)
    }
    .await;
    // Close before the closures drop: no callback may run into freed closures.
    let _ = decoder.close();
    result?;
    let detector = sink.borrow_mut().detector.take();
    detector.map(SpeechDetector::finish).ok_or_else(|| {
        CodecError::Decode {
            at: DecodeAt::Flush { packets: track.len() },
            message: "the decoder gave no audio".into(),
        }
        .into()
    })
}
