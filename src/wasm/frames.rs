//! Decoded pictures of a media `Blob`: `shotChanges` (every frame decoded by WebCodecs,
//! copied out and averaged down to small luma for the core's `ShotDetector`) and `thumbnails` (the frames the core's
//! filmstrip plan picks, drawn as `ImageBitmap`s). Packets are read in slices as they are fed.

use super::args::{self, Fields};
use super::codecs::{self, js_message, CodecError, DecodeAt, DecoderSetup};
use super::error::{js_error, IntoJs, JsResult};
use super::media::{BlobSource, Progress};
use crate::media::{self, Codec, ReadAhead, Spacing, Track, TrackKind};
use crate::shots::{self, Pixels, ShotDetector, Shown};
use crate::{Rounding, Time};
use js_sys::{Array, Reflect, Uint8Array};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    OffscreenCanvas, OffscreenCanvasRenderingContext2d, VideoDecoder, VideoDecoderInit, VideoFrame,
};

/// Plane 0 of `frame` as small full-range luma: the frame copied whole (`copyTo`) into a JS
/// buffer kept between frames, its first plane into wasm, averaged down by the core.
async fn small_luma(
    frame: &VideoFrame,
    buffer: &RefCell<Option<Uint8Array>>,
    out: (u32, u32),
) -> JsResult<Vec<u8>> {
    let format = Reflect::get(frame, &"format".into())?.as_string().unwrap_or_default();
    let pixels = match format.as_str() {
        "RGBA" | "RGBX" => Pixels::Rgba,
        "BGRA" | "BGRX" => Pixels::Bgra,
        f if f.ends_with("P10") || f.ends_with("AP10") => Pixels::Luma16 { bits: 10 },
        f if f.ends_with("P12") || f.ends_with("AP12") => Pixels::Luma16 { bits: 12 },
        f if f.starts_with('I') || f == "NV12" => Pixels::Luma8,
        _ => {
            return Err(js_error(
                "ERR_UNSUPPORTED_CODEC",
                &format!("decoded frames in a pixel format this cannot read ({format:?})"),
            ))
        }
    };
    let size = frame.allocation_size()?;
    let buf = {
        let mut b = buffer.borrow_mut();
        match b.as_ref().filter(|b| b.length() == size) {
            Some(b) => b.clone(),
            None => b.insert(Uint8Array::new_with_length(size)).clone(),
        }
    };
    let layouts = JsFuture::from(frame.copy_to_with_buffer_source(&buf)).await?;
    let plane = Reflect::get_u32(&layouts, 0)?;
    let number = |k: &str| {
        Reflect::get(&plane, &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32
    };
    let (offset, stride) = (number("offset"), number("stride"));
    let rect = Reflect::get(frame, &"visibleRect".into())?;
    let side = |k: &str| {
        Reflect::get(&rect, &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32
    };
    let (width, height) = (side("width"), side("height"));
    let end = (offset + stride * height).min(size);
    let bytes = buf.subarray(offset.min(end), end).to_vec();
    let dims = (width as usize, height as usize, stride as usize);
    let mut luma = shots::downscale(&bytes, pixels, dims, (out.0 as usize, out.1 as usize));
    let full = Reflect::get(frame, &"colorSpace".into())
        .and_then(|c| Reflect::get(&c, &"fullRange".into()))
        .ok()
        .and_then(|f| f.as_bool())
        .unwrap_or(false);
    if !full && !matches!(pixels, Pixels::Rgba | Pixels::Bgra) {
        shots::full_range(&mut luma);
    }
    Ok(luma)
}

/// The width the shot detector sees: enough for a cut, little to draw and read back.
const SHOT_WIDTH: u32 = 64;

fn us(t: Time) -> i64 {
    t.rescale(1_000_000, Rounding::Nearest).value()
}

/// The Blob's first video track, decodable here; `ERR_NO_VIDEO` or `ERR_UNSUPPORTED_CODEC`.
async fn video_track(src: &mut BlobSource, place: &str) -> JsResult<(Track, DecoderSetup)> {
    let info = media::probe(src).js()?;
    let all = info.tracks.iter().map(|t| t.codec_string.clone()).collect::<Vec<_>>().join(", ");
    let Some(t) = info.tracks.into_iter().find(|t| t.kind == TrackKind::Video) else {
        let has = if all.is_empty() { "no tracks".into() } else { format!("only {all}") };
        return Err(js_error(
            "ERR_NO_VIDEO",
            &format!("{place}: the file has no video track ({has})"),
        ));
    };
    let description = match &t.codec {
        Codec::H264 { avcc } if !t.annex_b => Some(avcc.clone()),
        _ => None,
    };
    let setup = DecoderSetup {
        codec: t.codec_string.clone(),
        description,
        width: t.width,
        height: t.height,
    };
    if !t.codec.webcodecs_decodable() {
        let why = ": WebCodecs here cannot decode it".to_string();
        return Err(CodecError::CannotDecode { codec: setup.codec, why }.into());
    }
    codecs::check_decodable(&setup).await?;
    Ok((t, setup))
}

/// The display size of `t` (pixel aspect and rotation applied) scaled to `width` pixels wide.
fn scaled(t: &Track, width: u32) -> (u32, u32) {
    let (par_h, par_v) = (t.pixel_aspect.0.max(1) as f64, t.pixel_aspect.1.max(1) as f64);
    let (w, h) = (t.width.max(1) as f64 * par_h / par_v, t.height.max(1) as f64);
    let (w, h) = if t.rotation % 180 == 90 { (h, w) } else { (w, h) };
    (width, ((width as f64 * h / w).round() as u32).max(1))
}

/// A 2D canvas of `w × h`.
fn canvas(w: u32, h: u32) -> JsResult<(OffscreenCanvas, OffscreenCanvasRenderingContext2d)> {
    let c = OffscreenCanvas::new(w, h)?;
    let ctx = c
        .get_context("2d")?
        .ok_or_else(|| js_error("ERR_DECODE", "no 2D canvas in this worker"))?;
    Ok((c, ctx.unchecked_into()))
}

/// What each decoded frame is given to, in presentation order, one at a time: the frame is
/// closed when its future ends.
type Take = Box<dyn FnMut(VideoFrame) -> Pin<Box<dyn Future<Output = JsResult<()>>>>>;

/// Feeds `runs` (decode-order sample ranges of `t`) to a `VideoDecoder`, flushing after each,
/// and hands every decoded frame to `take`. Frames wait in a queue that is emptied after every
/// packet, so that `take` may await (a `copyTo`) and the decoder still never runs far ahead.
async fn decode(
    t: &Track,
    setup: &DecoderSetup,
    src: &mut BlobSource,
    runs: &[(usize, usize)],
    mut take: Take,
    progress: &Progress,
) -> JsResult<()> {
    let failure: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let fed = Rc::new(RefCell::new(0usize));
    let queue: Rc<RefCell<Vec<VideoFrame>>> = Rc::default();
    let on_frame = {
        let queue = queue.clone();
        Closure::<dyn FnMut(VideoFrame)>::new(move |frame: VideoFrame| {
            queue.borrow_mut().push(frame);
        })
    };
    let on_error = {
        let (failure, fed) = (failure.clone(), fed.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let at = DecodeAt::AfterPacket(*fed.borrow());
            let e = CodecError::Decode { at, message: js_message(&e) };
            failure.borrow_mut().get_or_insert(e.into());
        })
    };
    let decoder = VideoDecoder::new(&VideoDecoderInit::new(
        on_error.as_ref().unchecked_ref(),
        on_frame.as_ref().unchecked_ref(),
    ))
    .map_err(|e| CodecError::Decode { at: DecodeAt::Setup, message: js_message(&e) })?;
    let total = runs.iter().map(|r| r.1 + 1 - r.0).sum::<usize>().max(1) as f64;
    let result: JsResult<()> = async {
        codecs::configure(&decoder, setup)?;
        let mut ahead = ReadAhead::new(src, 1 << 20);
        let mut done = 0usize;
        for &(from, to) in runs {
            for k in from..=to {
                *fed.borrow_mut() = k;
                let s = &t.samples[k];
                let packet = codecs::Packet {
                    data: media::read_vec(&mut ahead, s.offset, s.size as u64).js()?,
                    timestamp_us: us(Time::new(s.pts, t.timescale)),
                    duration_us: us(Time::new(s.duration as i64, t.timescale)),
                    key: k == from,
                };
                let at = DecodeAt::Packet { index: k, timestamp_us: packet.timestamp_us };
                let chunk = codecs::chunk(&packet)
                    .map_err(|e| CodecError::Decode { at: at.clone(), message: js_message(&e) })?;
                decoder
                    .decode(&chunk)
                    .map_err(|e| CodecError::Decode { at, message: js_message(&e) })?;
                drain(&queue, &failure, &mut take).await?;
                while decoder.decode_queue_size() > codecs::MAX_QUEUE {
                    codecs::yield_now().await;
                    drain(&queue, &failure, &mut take).await?;
                }
                done += 1;
                if done % 8 == 0 {
                    progress.report(0.99 * done as f64 / total);
                }
            }
            JsFuture::from(decoder.flush()).await.map_err(|e| {
                failure.borrow().clone().unwrap_or_else(|| {
                    let at = DecodeAt::Flush { packets: done };
                    CodecError::Decode { at, message: js_message(&e) }.into()
                })
            })?;
            drain(&queue, &failure, &mut take).await?;
        }
        Ok(())
    }
    .await;
    // Close before the closures drop: no callback may run into freed closures.
    let _ = decoder.close();
    std::mem::take(&mut *queue.borrow_mut()).iter().for_each(VideoFrame::close);
    result?;
    progress.report(1.0);
    Ok(())
}

/// Hands the queued frames to `take`, closing each after; then any decoder failure.
async fn drain(
    queue: &RefCell<Vec<VideoFrame>>,
    failure: &RefCell<Option<JsValue>>,
    take: &mut Take,
) -> JsResult<()> {
    let frames = std::mem::take(&mut *queue.borrow_mut());
    let mut frames = frames.into_iter();
    while let Some(frame) = frames.next() {
        // NOTE: `Clone::clone`, a second handle to the same frame: `VideoFrame::clone` is the
        // JS method that makes a new frame.
        let r = take(Clone::clone(&frame)).await;
        frame.close();
        if let Err(e) = r {
            frames.for_each(|f| f.close());
            return Err(e);
        }
    }
    failure.borrow().clone().map_or(Ok(()), Err)
}

/// Each shown frame's timestamp (µs), ascending as `shown` lists them, for `lookup`.
fn timestamps(frames: &[Shown], t: &Track) -> Vec<i64> {
    frames.iter().map(|f| us(Time::new(t.samples[f.sample].pts, t.timescale))).collect()
}

/// The frame (index into `timestamps`) a decoded frame is, by its timestamp.
fn lookup(timestamps: &[i64], frame: &VideoFrame) -> Option<usize> {
    timestamps.binary_search(&(frame.timestamp() as i64)).ok()
}

/// `{onProgress, signal}` and the keys of `extra`, checked.
fn options(v: &JsValue, extra: &[&str]) -> JsResult<Fields> {
    let mut keys = vec!["onProgress", "signal"];
    keys.extend_from_slice(extra);
    Fields::options(v, "options", &keys)
}

/// The times (seconds from the first frame) where the picture cuts to a new shot: every frame is
/// decoded (WebCodecs), its luma averaged down to 64 pixels wide, and judged by its change from the frame before
/// against its neighbours', flashes and fades left out; keyframes the encoder put off its
/// cadence count as a hint. The result feeds `lintCaptions`' `shotChanges` as it is.
///
/// @example
/// ```js
/// import { shotChanges, lintCaptions } from 'outtake';
/// const cuts = await shotChanges(file, { onProgress: (f) => (bar.value = f) }); // [2, 4, 5.6]
/// await lintCaptions(captions, 'netflix-en-adult', { frameRate: 25, shotChanges: cuts });
/// ```
#[wasm_bindgen(js_name = shotChanges)]
pub async fn shot_changes(blob: JsValue, options_v: JsValue) -> JsResult<JsValue> {
    let o = options(&options_v, &[])?;
    let progress = Progress::new(o.function("onProgress")?);
    let mut src = BlobSource::new(&blob, "input")?;
    let (t, setup) = video_track(&mut src, "input").await?;
    let frames = shots::shown(&t);
    let stamps = timestamps(&frames, &t);
    let (w, h) = scaled(&t, SHOT_WIDTH);
    let detector = Rc::new(RefCell::new(ShotDetector::new(w as usize, h as usize)));
    // NOTE: copyTo, not drawImage: drawing a 1080p frame small and reading it back cost 177–184%
    // over decoding alone in Chromium, copying it whole 2–8% (BENCHMARKS.md, shots). The copy goes
    // to a JS buffer, then plane 0 into wasm: copyTo may finish after it returns (a GPU frame),
    // and wasm memory may grow meanwhile.
    let buffer: Rc<RefCell<Option<Uint8Array>>> = Rc::default();
    let take: Take = {
        let (detector, frames) = (detector.clone(), frames.clone());
        Box::new(move |frame: VideoFrame| {
            let (detector, buffer, frames) = (detector.clone(), buffer.clone(), frames.clone());
            let i = lookup(&stamps, &frame);
            Box::pin(async move {
                let Some(i) = i else { return Ok(()) };
                let luma = small_luma(&frame, &buffer, (w, h)).await?;
                detector.borrow_mut().push(&luma, frames[i].time, frames[i].hint);
                Ok(())
            })
        })
    };
    let runs: Vec<(usize, usize)> = match frames.iter().map(|f| f.sample).min() {
        // From the first decode start at or before the first shown frame, to the last packet.
        Some(first) => {
            let start = (0..=first).rev().find(|&k| t.samples[k].decode_start).unwrap_or(0);
            vec![(start, t.samples.len() - 1)]
        }
        None => Vec::new(),
    };
    decode(&t, &setup, &mut src, &runs, take, &progress).await?;
    let cuts = detector.replace(ShotDetector::new(1, 1)).finish();
    // A Float64Array moves out of the worker without a copy; the JS shell makes it an array.
    let seconds: Vec<f64> = cuts.iter().map(|c| c.seconds()).collect();
    Ok(js_sys::Float64Array::from(seconds.as_slice()).into())
}

/// A filmstrip of the Blob's video: `count` thumbnails evenly spaced from the first frame, or one
/// every `interval` seconds, each `width` pixels wide (default 160; the height follows the
/// picture's aspect and rotation), as `ImageBitmap`s. Each shows the frame on screen at its time,
/// decoded from the keyframe before it; with `keyframesOnly` the nearest keyframe instead, each
/// decoded alone (far less work on long GOPs).
///
/// @example
/// ```js
/// import { thumbnails } from 'outtake';
/// const strip = await thumbnails(file, { count: 10, width: 160 });
/// strip.forEach((bitmap, i) => ctx.drawImage(bitmap, i * 160, 0));
/// ```
#[wasm_bindgen]
pub async fn thumbnails(blob: JsValue, options_v: JsValue) -> JsResult<JsValue> {
    let o = options(&options_v, &["count", "interval", "width", "keyframesOnly"])?;
    // Read as plain numbers and checked here: a reader closure per option would each cost the
    // package its own copy of `Fields::opt`.
    let whole = |key: &str, max: f64| -> JsResult<Option<u32>> {
        match o.opt_number(key)? {
            Some(x) if x != x.trunc() || !(1.0..=max).contains(&x) => args::bad(
                &o.at(key),
                format!("expected a whole number from 1 to {max}, got {}", args::number_words(x)),
            ),
            x => Ok(x.map(|x| x as u32)),
        }
    };
    let count = whole("count", media::MAX_THUMBNAILS as f64)?;
    let interval = match o.opt_number("interval")? {
        Some(x) if !(x > 0.0 && x.is_finite()) => {
            return args::bad(
                "options.interval",
                format!("expected a positive number of seconds, got {}", args::number_words(x)),
            )
        }
        Some(x) => Some(Time::from_user_seconds(x).js()?),
        None => None,
    };
    let spacing = match (count, interval) {
        (Some(n), None) => Spacing::Count(n),
        (None, Some(i)) => Spacing::Every(i),
        (Some(_), Some(_)) => {
            return args::bad("options.interval", "give count or interval, not both")
        }
        (None, None) => return args::bad("options.count", "is required (or options.interval)"),
    };
    let width = whole("width", 4096.0)?.unwrap_or(160);
    let keyframes_only = o.bool("keyframesOnly", false)?;
    let progress = Progress::new(o.function("onProgress")?);
    let mut src = BlobSource::new(&blob, "input")?;
    let (t, setup) = video_track(&mut src, "input").await?;
    let plan = media::plan_filmstrip(&t, spacing, keyframes_only).ok_or_else(|| {
        args::error(
            "options.interval",
            format!("makes more than {} thumbnails", media::MAX_THUMBNAILS),
        )
    })?;
    let (w, h) = scaled(&t, width);
    let (canvas, ctx) = canvas(w, h)?;
    let out: Rc<RefCell<Vec<Option<JsValue>>>> =
        Rc::new(RefCell::new(vec![None; plan.picks.len()]));
    let take: Take = {
        let out = out.clone();
        let picks: Vec<i64> = plan
            .picks
            .iter()
            .map(|p| us(Time::new(t.samples[p.sample].pts, t.timescale)))
            .collect();
        let turn = t.rotation % 360;
        Box::new(move |frame: VideoFrame| {
            let ts = frame.timestamp() as i64;
            let mut drawn = Ok(());
            for (k, _) in picks.iter().enumerate().filter(|(_, &p)| p == ts) {
                // Drawn about the centre, turned as the track says; the unturned picture is
                // (uw, uh) so that, turned, it fills the canvas.
                let (uw, uh) = if turn % 180 == 90 { (h, w) } else { (w, h) };
                drawn = drawn
                    .and_then(|_| {
                        ctx.set_transform(1.0, 0.0, 0.0, 1.0, w as f64 / 2.0, h as f64 / 2.0)
                    })
                    .and_then(|_| ctx.rotate((turn as f64).to_radians()))
                    .and_then(|_| {
                        ctx.draw_image_with_video_frame_and_dw_and_dh(
                            &frame,
                            -(uw as f64) / 2.0,
                            -(uh as f64) / 2.0,
                            uw as f64,
                            uh as f64,
                        )
                    })
                    .and_then(|_| canvas.transfer_to_image_bitmap())
                    .map(|b| out.borrow_mut()[k] = Some(b.into()));
            }
            Box::pin(std::future::ready(drawn))
        })
    };
    decode(&t, &setup, &mut src, &plan.runs, take, &progress).await?;
    let bitmaps = out.take();
    let missing = bitmaps.iter().position(Option::is_none);
    if let Some(k) = missing {
        let at = plan.picks[k].time.seconds();
        return Err(CodecError::Decode {
            at: DecodeAt::Flush { packets: plan.runs.len() },
            message: format!("the decoder gave no frame for the thumbnail at {at:.3} s"),
        }
        .into());
    }
    let list = Array::new();
    for b in bitmaps.into_iter().flatten() {
        list.push(&b);
    }
    Ok(list.into())
}
