//! The WebCodecs path in headless Chromium: re-encoding a run of frames from a key frame keeps
//! exactly the frames asked for, in order, with their timestamps, and decodes on its own.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, Uint8Array};
use outtake::wasm::codecs::{chunk, reencode, CodecError, DecoderSetup, EncoderSetup, Packet};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    EncodedVideoChunk, VideoDecoder, VideoDecoderInit, VideoEncoder, VideoEncoderEncodeOptions,
    VideoEncoderInit, VideoFrame,
};

wasm_bindgen_test_configure!(run_in_browser);

const W: u32 = 160;
const H: u32 = 96;
const FRAME_US: i64 = 33_333;

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    Reflect::set(o, &k.into(), &v.into()).unwrap();
}

/// Frame `i`: flat gray at a level that identifies it after a lossy round trip.
fn level(i: usize) -> u8 {
    30 + (i as u8) * 6
}

fn gray_frame(i: usize) -> VideoFrame {
    let mut data = vec![level(i); (W * H) as usize];
    data.extend(std::iter::repeat(128u8).take((W * H / 2) as usize));
    let init = Object::new();
    set(&init, "format", "I420");
    set(&init, "codedWidth", W);
    set(&init, "codedHeight", H);
    set(&init, "timestamp", (i as i64 * FRAME_US) as f64);
    set(&init, "duration", FRAME_US as f64);
    let buf = Uint8Array::from(data.as_slice());
    VideoFrame::new_with_buffer_source_and_video_frame_buffer_init(&buf, init.unchecked_ref())
        .unwrap()
}

/// The source: `n` gray frames as H.264 with a key frame every `gop`.
async fn encode_source(n: usize, gop: usize) -> (Vec<Packet>, Vec<u8>) {
    let out: Rc<RefCell<(Vec<Packet>, Vec<u8>)>> = Rc::default();
    let o = out.clone();
    let on_chunk = Closure::<dyn FnMut(EncodedVideoChunk, JsValue)>::new(
        move |c: EncodedVideoChunk, meta: JsValue| {
            let mut data = vec![0u8; c.byte_length() as usize];
            c.copy_to_with_u8_slice(&mut data).unwrap();
            if let Ok(cfg) = Reflect::get(&meta, &"decoderConfig".into()) {
                if let Ok(d) = Reflect::get(&cfg, &"description".into()) {
                    if !d.is_undefined() {
                        o.borrow_mut().1 = Uint8Array::new(&d).to_vec();
                    }
                }
            }
            let key = c.type_() == web_sys::EncodedVideoChunkType::Key;
            o.borrow_mut().0.push(Packet {
                data,
                timestamp_us: c.timestamp() as i64,
                duration_us: FRAME_US,
                key,
            });
        },
    );
    let on_error = Closure::<dyn FnMut(JsValue)>::new(|e: JsValue| panic!("source encoder: {e:?}"));
    let enc = VideoEncoder::new(&VideoEncoderInit::new(
        on_error.as_ref().unchecked_ref(),
        on_chunk.as_ref().unchecked_ref(),
    ))
    .unwrap();
    let cfg = Object::new();
    set(&cfg, "codec", "avc1.42001f");
    set(&cfg, "width", W);
    set(&cfg, "height", H);
    set(&cfg, "bitrate", 2_000_000);
    set(&cfg, "framerate", 30.0);
    let avc = Object::new();
    set(&avc, "format", "avc");
    set(&cfg, "avc", avc);
    enc.configure(cfg.unchecked_ref()).unwrap();
    for i in 0..n {
        let f = gray_frame(i);
        let opts = VideoEncoderEncodeOptions::new();
        opts.set_key_frame(i % gop == 0);
        enc.encode_with_options(&f, &opts).unwrap();
        f.close();
    }
    JsFuture::from(enc.flush()).await.unwrap();
    enc.close().unwrap();
    let r = out.borrow().clone();
    r
}

/// Decodes `packets` alone and returns each frame's (timestamp, mean luma).
async fn decode_lumas(packets: &[Packet], description: &[u8]) -> Vec<(i64, f64)> {
    let frames: Rc<RefCell<Vec<VideoFrame>>> = Rc::default();
    let f2 = frames.clone();
    let on_frame =
        Closure::<dyn FnMut(VideoFrame)>::new(move |f: VideoFrame| f2.borrow_mut().push(f));
    let on_error = Closure::<dyn FnMut(JsValue)>::new(|e: JsValue| panic!("check decoder: {e:?}"));
    let dec = VideoDecoder::new(&VideoDecoderInit::new(
        on_error.as_ref().unchecked_ref(),
        on_frame.as_ref().unchecked_ref(),
    ))
    .unwrap();
    let cfg = Object::new();
    set(&cfg, "codec", "avc1.42001f");
    set(&cfg, "description", Uint8Array::from(description));
    dec.configure(cfg.unchecked_ref()).unwrap();
    for p in packets {
        dec.decode(&chunk(p).unwrap()).unwrap();
    }
    JsFuture::from(dec.flush()).await.unwrap();
    dec.close().unwrap();
    let frames = std::mem::take(&mut *frames.borrow_mut());
    let mut out = vec![];
    for f in frames {
        let buf = Uint8Array::new_with_length(f.allocation_size().unwrap());
        JsFuture::from(f.copy_to_with_buffer_source(&buf)).await.unwrap();
        // I420: the Y plane comes first, W×H bytes.
        let y = buf.subarray(0, W * H).to_vec();
        out.push((f.timestamp() as i64, y.iter().map(|&v| v as f64).sum::<f64>() / y.len() as f64));
        f.close();
    }
    out
}

#[wasm_bindgen_test]
async fn reencodes_exactly_the_frames_asked_for() {
    let (source, avcc) = encode_source(30, 10).await;
    assert_eq!(source.len(), 30);
    assert_eq!(source.iter().filter(|p| p.key).count(), 3, "key frames at 0, 10, 20");

    // A cut at frame 5: decode from the key frame at 0, re-encode frames 5..20 (up to the next
    // key frame, from where the source is copied).
    let setup =
        DecoderSetup { codec: "avc1.42001f".into(), description: Some(avcc), width: W, height: H };
    let enc = EncoderSetup {
        codec: "avc1.42001f".into(),
        annex_b: false,
        width: W,
        height: H,
        bitrate: 2_000_000,
        framerate: 30.0,
    };
    let mut ticks = Vec::new();
    let mut read = |i: usize| Ok::<_, CodecError>(source[i].clone());
    let keep: Vec<i64> = (5..20).map(|i| i * FRAME_US).collect();
    let out = reencode(&setup, 20, &mut read, keep, 15, &enc, None, &mut |n| ticks.push(n))
        .await
        .unwrap();
    // Progress is heard once per packet fed, never going back, at least half done when all are fed.
    assert_eq!(ticks.len(), 20);
    assert!(
        ticks.windows(2).all(|w| w[0] <= w[1]) && ticks[19] >= 0.5 && ticks[19] <= 1.0,
        "{ticks:?}"
    );

    let stamps: Vec<i64> = out.packets.iter().map(|p| p.timestamp_us).collect();
    assert_eq!(stamps, (5..20).map(|i| i * FRAME_US).collect::<Vec<_>>());
    assert!(out.packets[0].key, "the first re-encoded frame must be a key frame");
    let desc = out.description.expect("the encoder's own avcC");

    // On its own, the re-encoded run decodes to the right frames in order.
    let frames = decode_lumas(&out.packets, &desc).await;
    assert_eq!(frames.len(), 15);
    for (k, (ts, luma)) in frames.iter().enumerate() {
        let i = k + 5;
        assert_eq!(*ts, i as i64 * FRAME_US);
        assert!(
            (luma - level(i) as f64).abs() < 2.5,
            "frame {i}: luma {luma}, expected {}",
            level(i)
        );
    }
}

/// A run at a render's joint skips frames that stay copied: only the frames asked for are
/// encoded, the first a key frame.
#[wasm_bindgen_test]
async fn reencodes_only_the_listed_frames_skipping_others() {
    let (source, avcc) = encode_source(20, 10).await;
    let setup =
        DecoderSetup { codec: "avc1.42001f".into(), description: Some(avcc), width: W, height: H };
    let enc = EncoderSetup {
        codec: "avc1.42001f".into(),
        annex_b: false,
        width: W,
        height: H,
        bitrate: 2_000_000,
        framerate: 30.0,
    };
    let mut read = |i: usize| Ok::<_, CodecError>(source[i].clone());
    let keep: Vec<i64> = [3, 4, 7, 8, 9].iter().map(|i| i * FRAME_US).collect();
    let out =
        reencode(&setup, 10, &mut read, keep.clone(), 5, &enc, None, &mut |_| {}).await.unwrap();
    let stamps: Vec<i64> = out.packets.iter().map(|p| p.timestamp_us).collect();
    assert_eq!(stamps, keep);
    assert!(out.packets[0].key && out.packets[1..].iter().all(|p| !p.key));
}

#[wasm_bindgen_test]
async fn an_undecodable_codec_fails_before_any_work() {
    let setup =
        DecoderSetup { codec: "hvc1.1.6.L93.B0".into(), description: None, width: W, height: H };
    let enc = EncoderSetup {
        codec: "avc1.42001f".into(),
        annex_b: false,
        width: W,
        height: H,
        bitrate: 1_000_000,
        framerate: 30.0,
    };
    let err = reencode(
        &setup,
        0,
        &mut |_| Err(CodecError::Encode("no packet".into())),
        vec![0],
        1,
        &enc,
        None,
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(outtake::Coded::code(&err), "ERR_UNSUPPORTED_CODEC");
    assert!(err.to_string().contains("hvc1.1.6.L93.B0"), "{err}");
}
