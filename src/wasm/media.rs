//! Trimming in the browser: `probe`, `cutPoints` and `trim` over a JS `Blob`. The Blob is read in
//! slices with `FileReaderSync` (workers only), so a file never enters memory whole; the output is
//! collected as `Uint8Array` parts of a new `Blob`. The re-encoding of a smart cut is `smart_cut`.

mod smart_cut;

use super::args::{self, Fields};
use super::error::{js_error, IntoJs, JsResult};
use crate::media::{self, ByteSink, ByteSource, Container, MediaError, MediaInfo, ReadAhead};
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
/// input. A Blob made of slices of a `File` refers to the file rather than copying it, so the
/// copied part of a trim (nearly all of it) never passes through wasm or JS memory: memory
/// follows the re-encoded head and the headers, not the output. (The output then reads from the
/// input file: if that file changes on disk, reading the output fails, as the input's would.)
pub struct BlobSink {
    input: Blob,
    parts: Array,
    buf: Vec<u8>,
    /// A byte range of the input still growing (contiguous copied packets join it).
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
    fn new(input: Blob, expected: u64, progress: Progress) -> BlobSink {
        BlobSink {
            input,
            parts: Array::new(),
            buf: Vec::with_capacity(PART),
            slice: None,
            written: 0,
            expected,
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
            let part = self
                .input
                .slice_with_f64_and_f64(a as f64, b as f64)
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
                MUX_FROM + (1.0 - MUX_FROM) * (self.written as f64 / self.expected as f64).min(1.0),
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
        let extends = matches!(self.slice, Some((_, b)) if b == offset);
        if len < SLICE_MIN && !extends {
            return media::read_through(self, src, offset, len);
        }
        let end = offset.checked_add(len).filter(|&e| e <= self.input.size() as u64).ok_or(
            MediaError::Io {
                offset,
                reason: format!("a copy of {len} bytes past the end of the input"),
            },
        )?;
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
}

/// Where muxing starts on the 0..1 progress scale (re-encoding takes the part before it).
const MUX_FROM: f64 = 0.6;

/// The caller's `onProgress(fraction)`, if any. Called with 0..1, never with the same value twice.
#[derive(Clone, Default)]
pub struct Progress {
    callback: Option<Function>,
    last: std::rc::Rc<std::cell::Cell<f64>>,
}

impl Progress {
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

/// What to do with an audio track this browser cannot decode (E-AC-3, AC-3): copying it is
/// possible, but the output would not play here, so by default the trim refuses before any work.
#[derive(Clone, Copy, PartialEq)]
enum UndecodableAudio {
    Error,
    Drop,
    Copy,
}

/// `{start, end, onProgress, undecodableAudio, format}` checked once.
struct CutOptions {
    start: Time,
    end: Option<Time>,
    progress: Progress,
    undecodable_audio: UndecodableAudio,
    /// The output container; `None`: the input's.
    format: Option<Container>,
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
    Ok(CutOptions {
        start: o.seconds("start")?,
        end: o.opt_seconds("end")?,
        progress: Progress { callback: o.function("onProgress")?, last: Default::default() },
        undecodable_audio,
        format,
    })
}

/// Probes `src` and applies the options that shape the output before any planning: the audio
/// policy, then the output container (whose rules the plan follows: WebM cannot hide a B-frame
/// tail). Returns the info, with `container` the output's, and the input's container.
fn probe_for_output(src: &mut BlobSource, o: &CutOptions) -> JsResult<(MediaInfo, Container)> {
    let mut info = media::probe(src).js()?;
    audio_policy(&mut info, o)?;
    let from = info.container;
    let to = o.format.unwrap_or(from);
    media::check_format(&info, to).js()?;
    info.container = to;
    Ok((info, from))
}

/// Applies `undecodableAudio` to the probed tracks: fails naming the first audio track this
/// browser cannot decode, or leaves such tracks out, or keeps them.
fn audio_policy(info: &mut MediaInfo, o: &CutOptions) -> JsResult<()> {
    let undecodable =
        |t: &media::Track| t.kind == media::TrackKind::Audio && !t.codec.webcodecs_decodable();
    match o.undecodable_audio {
        UndecodableAudio::Copy => {}
        UndecodableAudio::Error => {
            if let Some(t) = info.tracks.iter().find(|t| undecodable(t)) {
                return Err(js_error(
                    "ERR_UNSUPPORTED_CODEC",
                    &format!(
                        "track {}: {} audio cannot be decoded by this browser, so the output would not play here; pass undecodableAudio: \"drop\" to leave the track out, or \"copy\" to keep it as it is",
                        t.id, t.codec_string
                    ),
                ));
            }
        }
        UndecodableAudio::Drop => {
            info.tracks.retain(|t| !undecodable(t));
            if info.tracks.is_empty() {
                return Err(js_error("ERR_UNSUPPORTED_CODEC", "every track is audio this browser cannot decode: nothing is left after dropping them"));
            }
        }
    }
    Ok(())
}

fn plan(info: &MediaInfo, o: &CutOptions) -> JsResult<media::CutPlan> {
    media::plan_cut_from_first_frame(info, o.start, o.end.unwrap_or(info.duration)).js()
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
    let (info, _) = probe_for_output(&mut src, &o)?;
    to_js(&media::CutSummary::new(&plan(&info, &o)?))
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
    let (info, from) = probe_for_output(&mut src, &o)?;
    let plan = plan(&info, &o)?;
    // Every codec check comes before any decoding, so an unsupported file costs nothing.
    let jobs = smart_cut::prepare(&info, &plan).await?;
    o.progress.report(0.02);
    let mut tracks = media::output_tracks(&info, &plan);
    media::retarget(&mut tracks, from, info.container).js()?;
    smart_cut::fill(&info, &jobs, &mut tracks, &mut src, &o.progress).await?;
    let expected: u64 =
        tracks.iter().flat_map(|t| &t.packets).filter_map(|p| p.data.size()).map(u64::from).sum();
    let mut sink = BlobSink::new(src.blob.clone(), expected, o.progress.clone());
    // Copied packets mostly become slices, never read: the window only serves small packets
    // (audio) and Matroska additions, so it stays small (each window read is garbage for the GC).
    let mut ahead = ReadAhead::new(&mut src, 64 * 1024);
    media::write(&tracks, info.container, &mut ahead, &mut sink).js()?;
    let has_video = tracks.iter().any(|t| t.track.kind == media::TrackKind::Video);
    let mime = match (info.container, has_video) {
        (Container::Mp4, true) => "video/mp4",
        (Container::Mp4, false) => "audio/mp4",
        (Container::Webm, true) => "video/webm",
        (Container::Webm, false) => "audio/webm",
        (Container::Matroska, _) => "video/x-matroska",
    };
    let out = sink.finish(mime)?;
    o.progress.report(1.0);
    Ok(out.into())
}
