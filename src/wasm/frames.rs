//! Decoded pictures of a media `Blob`: `shotChanges` (every frame decoded by WebCodecs, drawn
//! small and handed to the core's `ShotDetector` as luma) and `thumbnails` (the frames the core's
//! filmstrip plan picks, drawn as `ImageBitmap`s). Packets are read in slices as they are fed.

use super::args::{self, Fields};
use super::codecs::{self, js_message, CodecError, DecodeAt, DecoderSetup};
use super::error::{js_error, IntoJs, JsResult};
use super::media::{BlobSource, Progress};
use crate::media::{self, Codec, ReadAhead, Spacing, Track, TrackKind};
use crate::shots::{self, ShotDetector, Shown};
use crate::{Rounding, Time};
use js_sys::Array;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    OffscreenCanvas, OffscreenCanvasRenderingContext2d, VideoDecoder, VideoDecoderInit, VideoFrame,
};

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

/// A 2D canvas of `w × h`; `read` when its pixels will be read back each frame.
fn canvas(
    w: u32,
    h: u32,
    read: bool,
) -> JsResult<(OffscreenCanvas, OffscreenCanvasRenderingContext2d)> {
    let c = OffscreenCanvas::new(w, h)?;
    let opts = js_sys::Object::new();
    codecs::set(&opts, "willReadFrequently", read);
    let ctx = c
        .get_context_with_context_options("2d", &opts)?
        .ok_or_else(|| js_error("ERR_DECODE", "no 2D canvas in this worker"))?;
    Ok((c, ctx.unchecked_into()))
}

/// What each decoded frame is given to.
type Take = Box<dyn FnMut(&VideoFrame) -> Result<(), JsValue>>;

/// Feeds `runs` (decode-order sample ranges of `t`) to a `VideoDecoder`, flushing after each,
/// and hands every decoded frame to `take` (which must not keep it: it is closed after).
async fn decode(
    t: &Track,
    setup: &DecoderSetup,
    src: &mut BlobSource,
    runs: &[(usize, usize)],
    take: Take,
    progress: &Progress,
) -> JsResult<()> {
    let failure: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let fed = Rc::new(RefCell::new(0usize));
    let take = Rc::new(RefCell::new(take));
    let on_frame = {
        let failure = failure.clone();
        Closure::<dyn FnMut(VideoFrame)>::new(move |frame: VideoFrame| {
            if failure.borrow().is_none() {
                if let Err(e) = (take.borrow_mut())(&frame) {
                    failure.borrow_mut().get_or_insert(e);
                }
            }
            frame.close();
        })
    };
    let on_error = {
        let (failure, fed) = (failure.clone(), fed.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let at = DecodeAt::AfterPacket(*fed.borrow());
            failure
                .borrow_mut()
                .get_or_insert(CodecError::Decode { at, message: js_message(&e) }.into());
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
                while decoder.decode_queue_size() > codecs::MAX_QUEUE && failure.borrow().is_none()
                {
                    codecs::yield_now().await;
                }
                if let Some(e) = failure.borrow().clone() {
                    return Err(e);
                }
                done += 1;
                if done % 8 == 0 {
                    progress.report(0.99 * done as f64 / total);
                }
            }
            JsFuture::from(decoder.flush()).await.map_err(|e| {
                failure.borrow().clone().unwrap_or_else(|| {
                    CodecError::Decode {
                        at: DecodeAt::Flush { packets: done },
                        message: js_message(&e),
                    }
                    .into()
                })
            })?;
            if let Some(e) = failure.borrow().clone() {
                return Err(e);
            }
        }
        Ok(())
    }
    .await;
    // Close before the closures drop: no callback may run into freed closures.
    let _ = decoder.close();
    result?;
    progress.report(1.0);
    Ok(())
}

/// Where each decoded frame belongs, by its timestamp (µs).
fn by_timestamp(frames: &[Shown], t: &Track) -> Vec<(i64, usize)> {
    let mut v: Vec<(i64, usize)> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| (us(Time::new(t.samples[f.sample].pts, t.timescale)), i))
        .collect();
    v.sort_unstable();
    v
}

fn lookup(index: &[(i64, usize)], timestamp: f64) -> Option<usize> {
    let ts = timestamp as i64;
    index.binary_search_by_key(&ts, |e| e.0).ok().map(|k| index[k].1)
}

/// `{onProgress, signal}` and the keys of `extra`, checked.
fn options(v: &JsValue, extra: &[&str]) -> JsResult<Fields> {
    let mut keys = vec!["onProgress", "signal"];
    keys.extend_from_slice(extra);
    Fields::options(v, "options", &keys)
}

/// The times (seconds from the first frame) where the picture cuts to a new shot: every frame is
/// decoded (WebCodecs), drawn 64 pixels wide, and judged by its change from the frame before
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
    let index = by_timestamp(&frames, &t);
    let (w, h) = scaled(&t, SHOT_WIDTH);
    let (_canvas, ctx) = canvas(w, h, true)?;
    let detector = Rc::new(RefCell::new(ShotDetector::new(w as usize, h as usize)));
    let take = {
        let detector = detector.clone();
        let frames = frames.clone();
        Box::new(move |frame: &VideoFrame| {
            let Some(i) = lookup(&index, frame.timestamp()) else { return Ok(()) };
            ctx.draw_image_with_video_frame_and_dw_and_dh(frame, 0.0, 0.0, w as f64, h as f64)?;
            let rgba = ctx.get_image_data(0, 0, w as i32, h as i32)?.data();
            detector.borrow_mut().push(&shots::luma_of_rgba(&rgba), frames[i].time, frames[i].hint);
            Ok(())
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
    Ok(cuts.iter().map(|c| JsValue::from(c.seconds())).collect::<Array>().into())
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
    let whole = |v: &JsValue, place: &str, max: f64| -> JsResult<u32> {
        let x = args::number(v, place)?;
        if x.fract() != 0.0 || !(1.0..=max).contains(&x) {
            return args::bad(
                place,
                format!("expected a whole number from 1 to {max}, got {}", args::describe(v)),
            );
        }
        Ok(x as u32)
    };
    let count = o.opt("count", |v, p| whole(v, p, media::MAX_THUMBNAILS as f64))?;
    let interval = o.opt("interval", |v, place| {
        let x = args::number(v, place)?;
        if !(x > 0.0 && x.is_finite()) {
            return args::bad(
                place,
                format!("expected a positive number of seconds, got {}", args::describe(v)),
            );
        }
        Time::from_user_seconds(x).js()
    })?;
    let spacing = match (count, interval) {
        (Some(n), None) => Spacing::Count(n),
        (None, Some(i)) => Spacing::Every(i),
        (Some(_), Some(_)) => {
            return args::bad("options.interval", "give count or interval, not both")
        }
        (None, None) => return args::bad("options.count", "is required (or options.interval)"),
    };
    let width = o.opt("width", |v, p| whole(v, p, 4096.0))?.unwrap_or(160);
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
    let (canvas, ctx) = canvas(w, h, false)?;
    let out: Rc<RefCell<Vec<Option<JsValue>>>> =
        Rc::new(RefCell::new(vec![None; plan.picks.len()]));
    let take = {
        let out = out.clone();
        let picks: Vec<i64> = plan
            .picks
            .iter()
            .map(|p| us(Time::new(t.samples[p.sample].pts, t.timescale)))
            .collect();
        let turn = (t.rotation % 360) as f64;
        Box::new(move |frame: &VideoFrame| {
            let ts = frame.timestamp() as i64;
            for (k, _) in picks.iter().enumerate().filter(|(_, &p)| p == ts) {
                // Drawn about the centre, turned as the track says; the unturned picture is
                // (uw, uh) so that, turned, it fills the canvas.
                let (uw, uh) = if turn % 180.0 == 90.0 { (h, w) } else { (w, h) };
                ctx.set_transform(1.0, 0.0, 0.0, 1.0, w as f64 / 2.0, h as f64 / 2.0)?;
                ctx.rotate(turn.to_radians())?;
                ctx.draw_image_with_video_frame_and_dw_and_dh(
                    frame,
                    -(uw as f64) / 2.0,
                    -(uh as f64) / 2.0,
                    uw as f64,
                    uh as f64,
                )?;
                out.borrow_mut()[k] = Some(canvas.transfer_to_image_bitmap()?.into());
            }
            Ok(())
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
    Ok(bitmaps.into_iter().flatten().collect::<Array>().into())
}
