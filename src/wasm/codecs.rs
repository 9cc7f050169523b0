//! WebCodecs through web-sys: decode a run of packets from a key frame and re-encode the frames
//! that a cut must re-encode. Everything else in a trim is copied, so this is the only place that
//! touches pixels. Frames are closed as soon as the encoder has them (the decoder stalls otherwise).

use crate::Coded;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    EncodedVideoChunk, EncodedVideoChunkInit, VideoDecoder, VideoDecoderConfig, VideoDecoderInit,
    VideoEncoder, VideoEncoderConfig, VideoEncoderEncodeOptions, VideoEncoderInit, VideoFrame,
};

/// Why a codec step failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CodecError {
    #[error("this browser cannot decode {codec}{why}")]
    CannotDecode { codec: String, why: String },
    #[error("this browser cannot encode {codec}{why}")]
    CannotEncode { codec: String, why: String },
    #[error("decoding failed {at}: {message}")]
    Decode { at: DecodeAt, message: String },
    #[error("encoding failed: {0}")]
    Encode(String),
}

impl From<CodecError> for JsValue {
    fn from(e: CodecError) -> JsValue {
        super::error::js_error(e.code(), &e.to_string())
    }
}

impl Coded for CodecError {
    fn code(&self) -> &'static str {
        match self {
            CodecError::CannotDecode { .. } | CodecError::CannotEncode { .. } => {
                "ERR_UNSUPPORTED_CODEC"
            }
            CodecError::Decode { .. } => "ERR_DECODE",
            CodecError::Encode(_) => "ERR_ENCODE",
        }
    }
}

/// Where a decode failed. WebCodecs reports some errors later, through its error callback, when
/// only the last packet fed is known, not its timestamp.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeAt {
    Packet { index: usize, timestamp_us: i64 },
    AfterPacket(usize),
    Setup,
    Flush { packets: usize },
}

impl std::fmt::Display for DecodeAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeAt::Packet { index, timestamp_us } => {
                write!(f, "at packet {index} (timestamp {timestamp_us} µs)")
            }
            DecodeAt::AfterPacket(i) => write!(f, "after packet {i} was fed"),
            DecodeAt::Setup => write!(f, "while setting up the decoder"),
            DecodeAt::Flush { packets } => write!(f, "at the end, after all {packets} packets"),
        }
    }
}

/// A compressed video packet, timestamps in microseconds (WebCodecs' unit).
#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    pub data: Vec<u8>,
    pub timestamp_us: i64,
    pub duration_us: i64,
    pub key: bool,
}

/// How to decode: the WebCodecs codec string, the codec's out-of-band setup (avcC, …) if any.
#[derive(Clone, Debug)]
pub struct DecoderSetup {
    pub codec: String,
    pub description: Option<Vec<u8>>,
    pub width: u32,
    pub height: u32,
}

/// How to encode the re-encoded frames.
#[derive(Clone, Debug)]
pub struct EncoderSetup {
    pub codec: String,
    /// H.264 as Annex B (start codes, parameter sets in-band at key frames), for sources stored
    /// that way; otherwise length-prefixed with an avcC description.
    pub annex_b: bool,
    pub width: u32,
    pub height: u32,
    pub bitrate: u32,
    pub framerate: f64,
}

/// What the encoder made: packets in decode order, and its own out-of-band setup (a fresh
/// avcC for H.264, which the muxer stores as a second sample description).
#[derive(Clone, Debug, Default)]
pub struct Encoded {
    pub packets: Vec<Packet>,
    pub description: Option<Vec<u8>>,
}

pub(super) fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

pub(super) fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    // NOTE: setting a property on a plain fresh Object cannot fail.
    let _ = Reflect::set(obj, &key.into(), &value.into());
}

fn decoder_config(setup: &DecoderSetup) -> VideoDecoderConfig {
    let cfg = Object::new();
    set(&cfg, "codec", setup.codec.as_str());
    set(&cfg, "codedWidth", setup.width);
    set(&cfg, "codedHeight", setup.height);
    if let Some(d) = &setup.description {
        set(&cfg, "description", Uint8Array::from(d.as_slice()));
    }
    cfg.unchecked_into()
}

fn encoder_config(setup: &EncoderSetup) -> VideoEncoderConfig {
    let cfg = Object::new();
    set(&cfg, "codec", setup.codec.as_str());
    set(&cfg, "width", setup.width);
    set(&cfg, "height", setup.height);
    set(&cfg, "bitrate", setup.bitrate);
    set(&cfg, "framerate", setup.framerate);
    set(&cfg, "latencyMode", "quality");
    if setup.codec.starts_with("avc1") {
        // `avc` format: length-prefixed NAL units with an avcC description, as MP4 stores them;
        // `annexb` for sources stored as Annex B, whose copied frames carry their own parameter
        // sets in-band. web-sys has no field for it: set it by name.
        let avc = Object::new();
        set(&avc, "format", if setup.annex_b { "annexb" } else { "avc" });
        set(&cfg, "avc", avc);
    }
    cfg.unchecked_into()
}

/// The browser's verdict from an `isConfigSupported` promise: `Ok(())`; `Err(None)` when it
/// answers no; `Err(Some(why))` when it refuses the configuration itself.
pub(super) async fn verdict(promise: js_sys::Promise) -> Result<(), Option<String>> {
    match JsFuture::from(promise).await {
        Ok(v) => match Reflect::get(&v, &"supported".into()).ok().and_then(|s| s.as_bool()) {
            Some(true) => Ok(()),
            _ => Err(None),
        },
        Err(e) => Err(Some(js_message(&e))),
    }
}

/// `verdict`'s refusal as the words that follow a codec's name in a `CodecError`.
fn why(refusal: Option<String>) -> String {
    refusal.map_or_else(String::new, |m| format!(": {m}"))
}

/// Fails with `ERR_UNSUPPORTED_CODEC` naming the codec when this browser cannot decode `setup`,
/// so a trim stops before any work is wasted.
pub async fn check_decodable(setup: &DecoderSetup) -> Result<(), CodecError> {
    verdict(VideoDecoder::is_config_supported(&decoder_config(setup)).unchecked_into())
        .await
        .map_err(|r| CodecError::CannotDecode { codec: setup.codec.clone(), why: why(r) })
}

/// Fails with `ERR_UNSUPPORTED_CODEC` when this browser cannot encode `setup`.
pub async fn check_encodable(setup: &EncoderSetup) -> Result<(), CodecError> {
    verdict(VideoEncoder::is_config_supported(&encoder_config(setup)).unchecked_into())
        .await
        .map_err(|r| CodecError::CannotEncode { codec: setup.codec.clone(), why: why(r) })
}

/// Configures `decoder` for `setup`; a refusal is `ERR_UNSUPPORTED_CODEC` naming the codec.
pub(super) fn configure(decoder: &VideoDecoder, setup: &DecoderSetup) -> Result<(), CodecError> {
    decoder.configure(&decoder_config(setup)).map_err(|e| CodecError::CannotDecode {
        codec: setup.codec.clone(),
        why: format!(": {}", js_message(&e)),
    })
}

/// An EncodedVideoChunk for `p`. Built by name: web-sys's typed setter takes the timestamp as an
/// i32 of microseconds, which overflows after 35 minutes.
pub fn chunk(p: &Packet) -> Result<EncodedVideoChunk, JsValue> {
    let init = Object::new();
    set(&init, "type", if p.key { "key" } else { "delta" });
    set(&init, "timestamp", p.timestamp_us as f64);
    set(&init, "duration", p.duration_us as f64);
    set(&init, "data", Uint8Array::from(p.data.as_slice()));
    EncodedVideoChunk::new(init.unchecked_ref::<EncodedVideoChunkInit>())
}

/// Gives the event loop a turn, so codec callbacks run while we wait for queues to drain.
pub(super) async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&global, &resolve, &0.into());
            }
            None => {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// What becomes of each decoded frame before it is encoded (a scaling), when not itself.
pub type FrameMap = Box<dyn Fn(&VideoFrame) -> Result<VideoFrame, JsValue>>;

/// How many frames may wait in a codec's queue: enough to keep both busy, few enough that a
/// 1080p GOP never sits in memory whole.
pub(super) const MAX_QUEUE: u32 = 6;

/// Decodes `count` packets (decode order, the first a key frame), each asked of `read` just
/// before it is fed, so that a GOP never sits in memory whole; and re-encodes, in presentation
/// order (each through `map` first, if any), the `expected` frames whose timestamps are in
/// `keep` (µs, sorted: a run at a joint
/// may skip frames that are copied); the first kept frame becomes a key frame. The encoded packets carry the
/// source frames' timestamps and durations. `tick` hears how much of the work is done (0..1:
/// half for the packets fed to the decoder, half for the frames out of the encoder), once per
/// packet fed. Counting fed packets matters: an encoder in quality mode may hold every frame
/// until it is flushed.
#[allow(clippy::too_many_arguments)]
pub async fn reencode<E: From<CodecError>>(
    decode: &DecoderSetup,
    count: usize,
    read: &mut dyn FnMut(usize) -> Result<Packet, E>,
    keep: Vec<i64>,
    expected: usize,
    encode: &EncoderSetup,
    map: Option<FrameMap>,
    tick: &mut dyn FnMut(f64),
) -> Result<Encoded, E> {
    let expected = expected.max(1) as f64;
    let fed = count.max(1) as f64;
    check_decodable(decode).await?;
    check_encodable(encode).await?;

    let out: Rc<RefCell<Encoded>> = Rc::default();
    let failure: Rc<RefCell<Option<CodecError>>> = Rc::default();

    let on_chunk = {
        let (out, failure) = (out.clone(), failure.clone());
        Closure::<dyn FnMut(EncodedVideoChunk, JsValue)>::new(
            move |c: EncodedVideoChunk, meta: JsValue| {
                let mut data = vec![0u8; c.byte_length() as usize];
                if let Err(e) = c.copy_to_with_u8_slice(&mut data) {
                    failure.borrow_mut().get_or_insert(CodecError::Encode(js_message(&e)));
                    return;
                }
                let mut out = out.borrow_mut();
                if let Some(desc) = description_of(&meta) {
                    out.description = Some(desc);
                }
                out.packets.push(Packet {
                    data,
                    timestamp_us: c.timestamp() as i64,
                    duration_us: c.duration().unwrap_or(0.0) as i64,
                    key: c.type_() == web_sys::EncodedVideoChunkType::Key,
                });
            },
        )
    };
    let on_encode_error = {
        let failure = failure.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            failure.borrow_mut().get_or_insert(CodecError::Encode(js_message(&e)));
        })
    };
    let encoder = VideoEncoder::new(&VideoEncoderInit::new(
        on_encode_error.as_ref().unchecked_ref(),
        on_chunk.as_ref().unchecked_ref(),
    ))
    .map_err(|e| CodecError::Encode(js_message(&e)))?;
    encoder.configure(&encoder_config(encode)).map_err(|e| CodecError::Encode(js_message(&e)))?;

    let index = Rc::new(RefCell::new(0usize));
    let first = Rc::new(RefCell::new(true));
    let on_frame = {
        let (encoder, failure, first) = (encoder.clone(), failure.clone(), first.clone());
        Closure::<dyn FnMut(VideoFrame)>::new(move |frame: VideoFrame| {
            if keep.binary_search(&(frame.timestamp() as i64)).is_ok() {
                let mapped = match map.as_ref().map(|m| m(&frame)).transpose() {
                    Ok(m) => m,
                    Err(e) => {
                        failure.borrow_mut().get_or_insert(CodecError::Encode(js_message(&e)));
                        frame.close();
                        return;
                    }
                };
                let opts = VideoEncoderEncodeOptions::new();
                opts.set_key_frame(std::mem::replace(&mut *first.borrow_mut(), false));
                if let Err(e) =
                    encoder.encode_with_options(mapped.as_ref().unwrap_or(&frame), &opts)
                {
                    failure.borrow_mut().get_or_insert(CodecError::Encode(js_message(&e)));
                }
                if let Some(m) = mapped {
                    m.close();
                }
            }
            frame.close();
        })
    };
    let on_decode_error = {
        let (failure, index) = (failure.clone(), index.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let i = *index.borrow();
            failure.borrow_mut().get_or_insert(CodecError::Decode {
                at: DecodeAt::AfterPacket(i),
                message: js_message(&e),
            });
        })
    };
    let decoder = VideoDecoder::new(&VideoDecoderInit::new(
        on_decode_error.as_ref().unchecked_ref(),
        on_frame.as_ref().unchecked_ref(),
    ))
    .map_err(|e| CodecError::Decode { at: DecodeAt::Setup, message: js_message(&e) })?;

    let result: Result<(), E> = async {
        configure(&decoder, decode)?;
        for i in 0..count {
            *index.borrow_mut() = i;
            let p = read(i)?;
            let c = chunk(&p).map_err(|e| CodecError::Decode {
                at: DecodeAt::Packet { index: i, timestamp_us: p.timestamp_us },
                message: js_message(&e),
            })?;
            drop(p);
            decoder.decode(&c).map_err(|e| CodecError::Decode {
                at: DecodeAt::Packet { index: i, timestamp_us: c.timestamp() as i64 },
                message: js_message(&e),
            })?;
            while decoder.decode_queue_size() > MAX_QUEUE || encoder.encode_queue_size() > MAX_QUEUE
            {
                yield_now().await;
                if let Some(e) = failure.borrow().clone() {
                    return Err(e.into());
                }
            }
            if let Some(e) = failure.borrow().clone() {
                return Err(e.into());
            }
            tick(
                0.5 * (i + 1) as f64 / fed
                    + 0.5 * (out.borrow().packets.len() as f64 / expected).min(1.0),
            );
        }
        // A codec that failed closes itself, and then its flush fails too ("closed codec"): the
        // error its callback recorded is the one that says why.
        let recorded = || failure.borrow().clone();
        JsFuture::from(decoder.flush()).await.map_err(|e| {
            recorded().unwrap_or(CodecError::Decode {
                at: DecodeAt::Flush { packets: count },
                message: js_message(&e),
            })
        })?;
        JsFuture::from(encoder.flush())
            .await
            .map_err(|e| recorded().unwrap_or(CodecError::Encode(js_message(&e))))?;
        match failure.borrow().clone() {
            Some(e) => Err(E::from(e)),
            None => Ok(()),
        }
    }
    .await;
    // Close both before the closures drop: no callback may run into freed closures.
    let _ = decoder.close();
    let _ = encoder.close();
    result?;
    let out = std::mem::take(&mut *out.borrow_mut());
    Ok(out)
}

/// The `decoderConfig.description` of an encoder's output metadata, as bytes.
fn description_of(meta: &JsValue) -> Option<Vec<u8>> {
    let cfg = Reflect::get(meta, &"decoderConfig".into()).ok().filter(|v| v.is_object())?;
    let desc = Reflect::get(&cfg, &"description".into()).ok().filter(|v| v.is_object())?;
    let bytes = if let Some(buf) = desc.dyn_ref::<js_sys::ArrayBuffer>() {
        Uint8Array::new(buf)
    } else {
        let view = desc.dyn_ref::<js_sys::Object>()?;
        let buffer = Reflect::get(view, &"buffer".into()).ok()?;
        let offset = Reflect::get(view, &"byteOffset".into()).ok()?.as_f64()? as u32;
        let len = Reflect::get(view, &"byteLength".into()).ok()?.as_f64()? as u32;
        Uint8Array::new_with_byte_offset_and_length(&buffer, offset, len)
    };
    Some(bytes.to_vec())
}
