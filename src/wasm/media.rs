//! Trimming and rendering in the browser: `probe`, `cutPoints`, `trim` and `render` over JS
//! `Blob`s. A Blob is read in slices with `FileReaderSync` (workers only), so a file never enters
//! memory whole; the output is collected as parts of a new `Blob`. The sequence itself is the
//! core's (`crate::render`); WebCodecs is its re-encoder (`reencoder`).

mod letterbox;
mod reencoder;

use super::args::{self, Fields};
use super::error::{js_error, IntoJs, JsResult};
use crate::media::{self, ByteSink, ByteSource, Concat, Container, MediaError};
use crate::render::{self, Input, Segment, Timeline, UndecodableAudio, VideoCodec, VideoOptions};
use crate::Time;
use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, FileReaderSync};

/// A `Blob` read in slices. Each read is one `Blob.slice` + `FileReaderSync.readAsArrayBuffer`;
/// the core's `ReadAhead` batches the small ones.
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
}

impl BlobSource {
    /// Checks that `v` is a Blob (or File) and that this realm can read it synchronously.
    pub fn new(v: &JsValue, place: &str) -> JsResult<BlobSource> {
        let Some(blob) = v.dyn_ref::<Blob>().cloned() else {
            return args::bad(place, format!("expected a Blob or File, got {}", args::describe(v)));
        };
        // NOTE: FileReaderSync exists only in workers. The package runs these calls in its worker;
        // someone calling the raw wasm export on the page's thread gets this instead of a TypeError.
        let in_worker = Reflect::has(&js_sys::global(), &"FileReaderSync".into()).unwrap_or(false);
        let reader = if in_worker { FileReaderSync::new().ok() } else { None };
        let Some(reader) = reader else {
            return Err(js_error(
                "ERR_WORKER",
                "media calls read the Blob with FileReaderSync, which only workers have: call them through the outtake package, which runs them in its worker",
            ));
        };
        let len = blob.size() as u64;
        Ok(BlobSource { blob, reader, len })
    }
}

impl ByteSource for BlobSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), MediaError> {
        let io = |reason: String| MediaError::Io { offset, reason };
        let end =
            offset.checked_add(buf.len() as u64).filter(|&e| e <= self.len).ok_or_else(|| {
                io(format!("read of {} bytes past the end ({} bytes)", buf.len(), self.len))
            })?;
        if buf.is_empty() {
            return Ok(());
        }
        let slice = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| io(format!("{e:?}")))?;
        let bytes = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| io(format!("the file could not be read: {e:?}")))?;
        let view = Uint8Array::new(&bytes);
        if view.length() as usize != buf.len() {
            return Err(io("the file changed while it was being read".into()));
        }
        view.copy_to(buf);
        Ok(())
    }
}

/// Output collected as parts of a new `Blob`: bytes made here (headers, re-encoded frames, small
/// packets) as `Uint8Array`s of about a megabyte, and copied packets as `Blob.slice`s of the
/// inputs. A Blob made of slices of a `File` refers to the file rather than copying it, so the
/// copied part of a render (nearly all of it) never passes through wasm or JS memory: memory
/// follows the re-encoded frames and the headers, not the output. (The output then reads from
/// the input files: if one changes on disk, reading the output fails, as the input's would.)
pub struct BlobSink {
    /// The inputs, at the offsets the core's `Concat` gives them.
    inputs: Vec<Blob>,
    bases: Vec<u64>,
    parts: Array,
    buf: Vec<u8>,
    /// A byte range of one input (offsets as in `Concat`) still growing: contiguous copied
    /// packets join it.
    slice: Option<(u64, u64)>,
    written: u64,
    expected: u64,
    progress: Progress,
}

const PART: usize = 1 << 20;

/// Copied packets smaller than this are read and written as bytes: a slice per audio packet
/// would cost the Blob more in bookkeeping than the bytes.
const SLICE_MIN: u64 = 16 * 1024;

impl BlobSink {
    fn new(inputs: Vec<Blob>, progress: Progress) -> BlobSink {
        let bases = Concat::bases(inputs.iter().map(|b| b.size() as u64));
        BlobSink {
            inputs,
            bases,
            parts: Array::new(),
            buf: Vec::with_capacity(PART),
            slice: None,
            written: 0,
            expected: 0,
            progress,
        }
    }

    fn flush_bytes(&mut self) {
        if !self.buf.is_empty() {
            self.parts.push(&Uint8Array::from(self.buf.as_slice()));
            self.buf.clear();
        }
    }

    fn flush_slice(&mut self) -> Result<(), MediaError> {
        if let Some((a, b)) = self.slice.take() {
            let (k, local) = Concat::locate(&self.bases, a);
            let blob = self
                .inputs
                .get(k)
                .ok_or(MediaError::Io { offset: a, reason: "a copy from no input".into() })?;
            let part = blob
                .slice_with_f64_and_f64(local as f64, (local + (b - a)) as f64)
                .map_err(|e| MediaError::Io { offset: a, reason: format!("{e:?}") })?;
            self.parts.push(&part);
        }
        Ok(())
    }

    fn advance(&mut self, n: u64) {
        let before = self.written;
        self.written += n;
        // Report about every half percent, not per packet.
        let step = (self.expected / 200).max(1);
        if self.expected > 0 && self.written / step != before / step {
            self.progress.report(
                render::MUX_FROM
                    + (1.0 - render::MUX_FROM)
                        * (self.written as f64 / self.expected as f64).min(1.0),
            );
        }
    }

    fn finish(mut self, mime: &str) -> JsResult<Blob> {
        // Only one of the two is open at a time, so the order holds.
        self.flush_bytes();
        self.flush_slice().js()?;
        let bag = BlobPropertyBag::new();
        bag.set_type(mime);
        Blob::new_with_blob_sequence_and_options(&self.parts, &bag)
    }
}

impl ByteSink for BlobSink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), MediaError> {
        self.flush_slice()?;
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= PART {
            self.flush_bytes();
        }
        self.advance(bytes.len() as u64);
        Ok(())
    }

    fn copy_from(
        &mut self,
        src: &mut dyn ByteSource,
        offset: u64,
        len: u64,
    ) -> Result<(), MediaError> {
        let (k, local) = Concat::locate(&self.bases, offset);
        // A slice grows only within one input.
        let extends = matches!(self.slice, Some((a, b)) if b == offset
            && Concat::locate(&self.bases, a).0 == k);
        if len < SLICE_MIN && !extends {
            return media::read_through(self, src, offset, len);
        }
        let size = self.inputs.get(k).map_or(0, |b| b.size() as u64);
        let end = local.checked_add(len).filter(|&e| e <= size).ok_or(MediaError::Io {
            offset,
            reason: format!("a copy of {len} bytes past the end of input {k}"),
        })?;
        let end = offset + (end - local);
        self.flush_bytes();
        match &mut self.slice {
            Some((_, b)) if extends => *b = end,
            _ => {
                self.flush_slice()?;
                self.slice = Some((offset, end));
            }
        }
        self.advance(len);
        Ok(())
    }

    fn expect(&mut self, bytes: u64) {
        self.expected = bytes;
    }
}

/// The caller's `onProgress(fraction)`, if any. Called with 0..1, never with the same value twice.
#[derive(Clone, Default)]
pub struct Progress {
    callback: Option<Function>,
    last: std::rc::Rc<std::cell::Cell<f64>>,
}

impl Progress {
    pub fn new(callback: Option<Function>) -> Progress {
        Progress { callback, last: Default::default() }
    }

    pub fn report(&self, fraction: f64) {
        let Some(f) = &self.callback else { return };
        let fraction = fraction.clamp(0.0, 1.0);
        if fraction > self.last.get() {
            self.last.set(fraction);
            // NOTE: a progress callback that throws must not abort the trim.
            let _ = f.call1(&JsValue::NULL, &fraction.into());
        }
    }
}

/// `{start, end, onProgress, undecodableAudio, format}` checked once.
struct CutOptions {
    start: Time,
    end: Option<Time>,
    progress: Progress,
    render: render::Options,
}

/// `undecodableAudio` and `format`, which trim and render share.
fn render_options(o: &Fields) -> JsResult<render::Options> {
    let undecodable_audio = o
        .enum_of(
            "undecodableAudio",
            &[
                ("error", UndecodableAudio::Error),
                ("drop", UndecodableAudio::Drop),
                ("copy", UndecodableAudio::Copy),
            ],
        )?
        .unwrap_or(UndecodableAudio::Error);
    let format = o.opt("format", |v, place| {
        let name = v.as_string().unwrap_or_default();
        Container::from_name(&name).map_or_else(
            || {
                args::bad(
                    place,
                    format!(
                        "expected {}, got {}",
                        args::or_list(&["mp4", "webm", "matroska"]),
                        args::describe(v)
                    ),
                )
            },
            Ok,
        )
    })?;
    Ok(render::Options { format, undecodable_audio, ..Default::default() })
}

/// `video: {codec, width, height, bitrate}`: the output's video where it is not the first
/// segment's source's.
fn video_options(o: &Fields) -> JsResult<VideoOptions> {
    let Some(v) = o.opt("video", |v, place| {
        Fields::object(
            v,
            place,
            &["codec", "width", "height", "bitrate"],
            "an object {codec, width, height, bitrate}",
        )
    })?
    else {
        return Ok(VideoOptions::default());
    };
    let size = |key| v.opt(key, |x, place| args::whole_in(x, place, 16, 8192, true));
    Ok(VideoOptions {
        codec: v.enum_of(
            "codec",
            &[("h264", VideoCodec::H264), ("vp8", VideoCodec::Vp8), ("vp9", VideoCodec::Vp9)],
        )?,
        width: size("width")?,
        height: size("height")?,
        bitrate: v
            .opt("bitrate", |x, place| args::whole_in(x, place, 10_000, 200_000_000, false))?,
    })
}

fn cut_options(v: &JsValue) -> JsResult<CutOptions> {
    let o = Fields::object(
        v,
        "options",
        // NOTE: `signal` is the JS shell's (it never reaches here); it is listed so that a
        // misspelt key is matched against it too.
        &["start", "end", "onProgress", "undecodableAudio", "format", "signal"],
        "an object {start, end}",
    )?;
    Ok(CutOptions {
        start: o.seconds("start")?,
        end: o.opt_seconds("end")?,
        progress: Progress::new(o.function("onProgress")?),
        render: render_options(&o)?,
    })
}

impl CutOptions {
    /// A trim is the render of one segment.
    fn timeline(&self) -> Timeline {
        Timeline { segments: vec![Segment::new("blob", self.start, self.end)] }
    }
}

impl From<MediaError> for JsValue {
    fn from(e: MediaError) -> JsValue {
        js_error(crate::Coded::code(&e), &e.to_string())
    }
}

/// Our own serde output as a JS object.
fn to_js<T: serde::Serialize>(v: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(v).map_err(|e| js_error("ERR_INTERNAL", &e.to_string()))?;
    Ok(super::json_to_js(&text))
}

/// Tracks, codecs, duration, frame counts, frame rates and keyframe times of a media file. Runs
/// in a worker (the package's `probe` does that for you).
///
/// @example
/// ```js
/// import { probe } from 'outtake';
/// const info = await probe(file); // {container: "mp4", duration: 3, tracks: [{kind: "video", codec: "avc1.64000d", frames: 90, keyframes: [0, 1, 2], frameRate: {nominal: "30", nominalFps: 30, average: 30, variable: false}, …}]}
/// ```
#[wasm_bindgen]
pub fn probe(blob: JsValue) -> JsResult<JsValue> {
    let mut src = BlobSource::new(&blob, "blob")?;
    let info = media::probe(&mut src).js()?;
    to_js(&media::ProbeSummary::new(&info))
}

/// Where the cut `[start, end)` (seconds) really lands and how many frames a trim will re-encode.
///
/// @example
/// ```js
/// import { cutPoints } from 'outtake';
/// const cut = await cutPoints(file, { start: 1.1, end: 2.5 });
/// cut.tracks[0].framesReencoded; // frames from 1.1 s to the next keyframe
/// ```
#[wasm_bindgen(js_name = cutPoints)]
pub fn cut_points(blob: JsValue, options: JsValue) -> JsResult<JsValue> {
    let o = cut_options(&options)?;
    let mut src = BlobSource::new(&blob, "blob")?;
    let prepared =
        render::prepare(&o.timeline(), &mut [Input::new("blob", &mut src)], &o.render).js()?;
    to_js(&media::CutSummary::new(&prepared.segments[0].plan))
}

/// The frame-exact cut `[start, end)` of an MP4 or WebM as a new Blob of the same container
/// (or the one `format` names: "mp4", "webm", "matroska"): packets are copied where they can be, and only the frames before the first usable keyframe
/// (and, in WebM, a tail whose references lie past the out-point) are re-encoded with WebCodecs.
///
/// @example
/// ```js
/// import { trim } from 'outtake';
/// const clip = await trim(file, { start: 10.5, end: 40.5, onProgress: (f) => bar.value = f });
/// video.src = URL.createObjectURL(clip);
/// ```
#[wasm_bindgen]
pub async fn trim(blob: JsValue, options: JsValue) -> JsResult<JsValue> {
    let o = cut_options(&options)?;
    let mut src = BlobSource::new(&blob, "blob")?;
    let sink = BlobSink::new(vec![src.blob.clone()], o.progress.clone());
    run(&o.timeline(), &mut [Input::new("blob", &mut src)], &o.render, sink, &o.progress).await
}

/// The render pipeline with WebCodecs, into a Blob.
async fn run(
    timeline: &Timeline,
    inputs: &mut [Input<'_>],
    options: &render::Options,
    mut sink: BlobSink,
    progress: &Progress,
) -> JsResult<JsValue> {
    let mut reencoder = reencoder::WebCodecs::default();
    let done = render::render(timeline, inputs, options, &mut reencoder, &mut sink, &mut |f| {
        progress.report(f)
    })
    .await?;
    let out = sink.finish(done.mime())?;
    progress.report(1.0);
    Ok(out.into())
}

/// A render's arguments, checked.
struct RenderArgs {
    timeline: Timeline,
    sources: Vec<(String, BlobSource)>,
    options: render::Options,
    progress: Progress,
}

/// `{sources, onProgress, undecodableAudio, format, video}` and the timeline checked once: every
/// segment's source must be a key of `sources`, every source a Blob.
fn render_args(timeline: &JsValue, options: &JsValue) -> JsResult<RenderArgs> {
    let o = Fields::object(
        options,
        "options",
        &[
            "sources",
            "onProgress",
            "undecodableAudio",
            "format",
            "video",
            "signal",
            "captions",
            "captionsLanguage",
            "captionsLabel",
            "captionsSource",
        ],
        "an object {sources}",
    )?;
    let sources_v = o.get("sources");
    // Any key is an id: the keys first, then each Blob.
    if !sources_v.is_object() || Array::is_array(&sources_v) || sources_v.is_instance_of::<Blob>() {
        return args::bad(
            &o.at("sources"),
            format!("expected an object of Blobs by id, got {}", args::describe(&sources_v)),
        );
    }
    let ids: Vec<String> = js_sys::Object::keys(sources_v.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    let t = Fields::object(timeline, "timeline", &["segments"], "an object {segments}")?;
    let segments = t
        .list("segments", |v, place| {
            let s = Fields::object(
                v,
                place,
                &["source", "start", "end", "speed"],
                "a segment {source, start, end}",
            )?;
            let source = s.required("source", "(an id of options.sources)", args::string)?;
            if !ids.contains(&source) {
                let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                return args::bad(
                    &s.at("source"),
                    format!(
                        "no source \"{source}\" in options.sources (its keys are {})",
                        if known.is_empty() { "none".to_string() } else { args::or_list(&known) }
                    ),
                );
            }
            let start = s.seconds("start")?;
            let end = s.opt_seconds("end")?;
            let speed = match s.opt_number("speed")? {
                None => Time::new(1, 1),
                Some(x) if x > 0.0 && x.is_finite() => Time::from_user_seconds(x).js()?,
                Some(x) => {
                    return args::bad(
                        &s.at("speed"),
                        format!("expected a positive number, got {x}"),
                    )
                }
            };
            Ok(Segment { source, start, end, speed })
        })?
        .unwrap_or_default();
    if segments.is_empty() {
        return args::bad("timeline.segments", "expected at least one segment");
    }
    // Only the sources a segment uses are read.
    let mut inputs = Vec::new();
    for id in &ids {
        if !segments.iter().any(|s| &s.source == id) {
            continue;
        }
        let v = js_sys::Reflect::get(&sources_v, &id.into()).unwrap_or(JsValue::UNDEFINED);
        inputs.push((id.clone(), BlobSource::new(&v, &format!("options.sources.{id}"))?));
    }
    let progress = Progress::new(o.function("onProgress")?);
    let mut options = render::Options { video: video_options(&o)?, ..render_options(&o)? };
    options.captions = soft_captions(&o, &inputs)?;
    Ok(RenderArgs { timeline: Timeline { segments }, sources: inputs, options, progress })
}

/// `captions` (text, or the object parseCaptions gives), `captionsLanguage`, `captionsLabel`,
/// `captionsSource` (the id of the source whose captions they are).
fn soft_captions(
    o: &Fields,
    inputs: &[(String, BlobSource)],
) -> JsResult<Option<render::SoftCaptions>> {
    let Some(captions) = o.opt("captions", super::captions::captions_arg)? else {
        for key in ["captionsLanguage", "captionsLabel", "captionsSource"] {
            if o.opt(key, |_, _| Ok(()))?.is_some() {
                return args::bad(&o.at(key), "needs options.captions, the captions to write");
            }
        }
        return Ok(None);
    };
    let mut soft = render::SoftCaptions::new(captions);
    if let Some(tag) = o.opt_string("captionsLanguage")? {
        if !media::language::is_tag(&tag) {
            return args::bad(
                &o.at("captionsLanguage"),
                format!(
                    "expected a BCP 47 language tag such as \"en\" or \"pt-BR\", got \"{tag}\""
                ),
            );
        }
        soft.language = tag;
    }
    soft.label = o.opt_string("captionsLabel")?;
    if let Some(id) = o.opt_string("captionsSource")? {
        // `inputs` holds the sources a segment uses, in the render's order.
        let Some(i) = inputs.iter().position(|(x, _)| *x == id) else {
            let ids: Vec<String> = inputs.iter().map(|(x, _)| format!("\"{x}\"")).collect();
            return args::bad(
                &o.at("captionsSource"),
                format!(
                    "no segment shows source \"{id}\", so none of its captions would show (the timeline's sources are {})",
                    ids.join(", ")
                ),
            );
        };
        soft.source = Some(i);
    }
    Ok(Some(soft))
}

/// Joins ranges of one or many sources into one file in one pass: each segment `{source, start,
/// end}` (seconds from that source's first frame) shows every frame on screen at some instant
/// of `[start, end)`. Packets are copied where they can be; only the frames from an in-point to
/// the next keyframe, and those an out-point needs, are re-encoded with WebCodecs. A segment
/// whose video does not fit the output's (the first segment's source's codec, profile and size,
/// or `video: {codec, width, height, bitrate}`) is re-encoded whole, scaled and letterboxed,
/// keeping its frame timing. Audio packets are copied, each segment's placed within half a
/// packet of its video; a segment whose source has no sound gets silence.
/// `options.captions` (WebVTT or SRT text, or what parseCaptions gives, in the sources' time)
/// is re-timed through the timeline as `retimeCaptions` does and written as a soft WebVTT track
/// (MP4 `wvtt`, WebM `D_WEBVTT/SUBTITLES`, Matroska `S_TEXT/WEBVTT`), language
/// `captionsLanguage` (default "und"), name `captionsLabel`, on the segments of
/// `captionsSource` (the first segment's source unless given). Chromium shows no in-band text
/// track: to show them in a page, use `retimeCaptions` with the same timeline as a `<track>`.
///
/// @example
/// ```js
/// import { render } from 'outtake';
/// const timeline = { segments: [{ source: 'a', start: 1, end: 2.5 }, { source: 'a', start: 0, end: 1 }] };
/// const clip = await render(timeline, { sources: { a: file } });
/// video.src = URL.createObjectURL(clip);
/// ```
#[wasm_bindgen]
pub async fn render(timeline: JsValue, options: JsValue) -> JsResult<JsValue> {
    let RenderArgs { timeline, mut sources, options, progress } = render_args(&timeline, &options)?;
    let blobs = sources.iter().map(|(_, s)| s.blob.clone()).collect();
    let sink = BlobSink::new(blobs, progress.clone());
    let mut inputs: Vec<Input> = sources
        .iter_mut()
        .map(|(id, s)| Input::new(id.clone(), s as &mut dyn ByteSource))
        .collect();
    run(&timeline, &mut inputs, &options, sink, &progress).await
}
