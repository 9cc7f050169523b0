//! Rendering a timeline: ranges of one or many sources joined in one pass, each in- and
//! out-point smart cut. The whole sequence has one owner, [`render`], which reads top to bottom;
//! a trim is the render of one segment. Decoding and encoding sit behind [`Reencoder`], so that
//! everything else (every joint's plan) is plain Rust, tested natively.

mod captions;
mod h264;
mod join;
mod reencode;
mod silence;
mod target;
mod timeline;

pub use captions::{caption_track, landed_edits, SoftCaptions};
pub use join::{decode_times, Joined, Origin};
pub use reencode::{CopyOnly, EncodedFrame, EncodedRun, Plane, Reencoder, Run};
pub use target::{h264_level, letterbox, Target, VideoCodec, VideoOptions};
pub use timeline::{Input, Segment, Timeline};

use crate::media::{
    self, ByteSink, Concat, Container, CutPlan, MediaError, MediaInfo, OutPoint, OutTrack,
    ReadAhead, Track, TrackKind,
};
use crate::Time;

/// Where muxing starts on the 0..1 progress scale (re-encoding takes the part before it).
pub const MUX_FROM: f64 = 0.6;

/// What to do with an audio track WebCodecs cannot decode (E-AC-3, AC-3): copying it is
/// possible, but the output would not play in a browser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UndecodableAudio {
    /// Refuse before any work, naming the track.
    #[default]
    Error,
    Drop,
    Copy,
}

/// How to render, beyond the timeline.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The output container; `None`: the first segment's source's.
    pub format: Option<Container>,
    pub undecodable_audio: UndecodableAudio,
    /// Captions to re-time through the timeline and write as a WebVTT text track.
    pub captions: Option<SoftCaptions>,
    /// The output's video configuration, where it is not the first segment's source's.
    pub video: VideoOptions,
}

/// One segment's plan, on its source's sample tables.
#[derive(Clone, Debug)]
pub struct SegmentPlan {
    /// Index of the input.
    pub source: usize,
    pub plan: CutPlan,
    /// Its video does not fit the output's configuration: re-encoded whole, scaled to it.
    pub whole: bool,
}

/// Steps 1 and 2 of a render: every used source probed once (its `container` set to the
/// output's, whose rules the plans follow), and every segment planned.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// By input index; `None` for inputs no segment uses.
    pub infos: Vec<Option<MediaInfo>>,
    /// Each input's own container (the infos carry the output's).
    pub from: Vec<Container>,
    pub container: Container,
    pub segments: Vec<SegmentPlan>,
    /// The output's video configuration; `None` without video.
    pub target: Option<Target>,
}

impl Prepared {
    pub fn info(&self, source: usize) -> Result<&MediaInfo, MediaError> {
        self.infos
            .get(source)
            .and_then(Option::as_ref)
            .ok_or_else(|| MediaError::Timeline(format!("input {source} was not probed")))
    }

    /// Track `track` (an index into its `tracks`) of input `source`.
    pub fn track(&self, source: usize, track: usize) -> Option<&Track> {
        self.infos.get(source)?.as_ref()?.tracks.get(track)
    }
}

/// What a render wrote.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub container: Container,
    pub has_video: bool,
    pub bytes: u64,
    pub segments: Vec<SegmentPlan>,
    /// What re-timing did to the captions, when there were any.
    pub captions: Option<crate::captions::retime::RetimeReport>,
}

impl Rendered {
    /// The output's MIME type.
    pub fn mime(&self) -> &'static str {
        match (self.container, self.has_video) {
            (Container::Mp4, true) => "video/mp4",
            (Container::Mp4, false) => "audio/mp4",
            (Container::Webm, true) => "video/webm",
            (Container::Webm, false) => "audio/webm",
            (Container::Matroska, _) => "video/x-matroska",
        }
    }
}

/// Applies `undecodableAudio` to probed tracks: fails naming the first audio track WebCodecs
/// cannot decode, or leaves such tracks out, or keeps them.
fn audio_policy(info: &mut MediaInfo, policy: UndecodableAudio) -> Result<(), MediaError> {
    let undecodable = |t: &Track| t.kind == TrackKind::Audio && !t.codec.webcodecs_decodable();
    match policy {
        UndecodableAudio::Copy => {}
        UndecodableAudio::Error => {
            if let Some(t) = info.tracks.iter().find(|t| undecodable(t)) {
                return Err(MediaError::Unsupported(format!(
                    "track {}: {} audio cannot be decoded by this browser, so the output would not play here; pass undecodableAudio: \"drop\" to leave the track out, or \"copy\" to keep it as it is",
                    t.id, t.codec_string
                )));
            }
        }
        UndecodableAudio::Drop => {
            info.tracks.retain(|t| !undecodable(t));
            if info.tracks.is_empty() {
                return Err(MediaError::Unsupported("every track is audio this browser cannot decode: nothing is left after dropping them".into()));
            }
        }
    }
    Ok(())
}

/// Probes the sources the timeline uses and plans every segment: each in-point and out-point,
/// an out-point followed by another segment planned as a joint ([`OutPoint::Joint`]); a segment
/// whose video does not fit the output's configuration ([`Target`]) is planned re-encoded whole.
pub fn prepare(
    timeline: &Timeline,
    inputs: &mut [Input],
    options: &Options,
) -> Result<Prepared, MediaError> {
    let n = timeline.segments.len();
    if n == 0 {
        return Err(MediaError::Timeline("the timeline has no segment".into()));
    }
    let mut infos: Vec<Option<MediaInfo>> = inputs.iter().map(|_| None).collect();
    let mut from: Vec<Container> = inputs.iter().map(|_| Container::Mp4).collect();
    let mut sources = Vec::with_capacity(n);
    let mut container = options.format;
    for (k, seg) in timeline.segments.iter().enumerate() {
        let Some(i) = inputs.iter().position(|x| x.id == seg.source) else {
            let ids: Vec<String> = inputs.iter().map(|x| format!("\"{}\"", x.id)).collect();
            return Err(MediaError::Timeline(format!(
                "segment {k}: no source \"{}\" (the sources are {})",
                seg.source,
                ids.join(", ")
            )));
        };
        if seg.speed != Time::new(1, 1) {
            return Err(MediaError::Unsupported(format!(
                "segment {k}: speed {} needs frames re-timed, which render does not do yet",
                seg.speed.seconds()
            )));
        }
        if infos[i].is_none() {
            let mut info = media::probe(inputs[i].bytes)?;
            audio_policy(&mut info, options.undecodable_audio)?;
            from[i] = info.container;
            let to = *container.get_or_insert(info.container);
            media::check_format(&info, to)?;
            info.container = to;
            infos[i] = Some(info);
        }
        sources.push(i);
    }
    let mut segments = Vec::with_capacity(n);
    for (k, (seg, &i)) in timeline.segments.iter().zip(&sources).enumerate() {
        let Some(info) = infos[i].as_ref() else { continue };
        let out = if k + 1 == n { OutPoint::Last } else { OutPoint::Joint };
        let end = seg.end.unwrap_or(info.duration);
        let plan =
            media::plan_cut_from_first_frame_at(info, seg.start, end, out).map_err(
                |e| match e {
                    MediaError::CutRange(m) if n > 1 => {
                        MediaError::CutRange(format!("segment {k}: {m}"))
                    }
                    e => e,
                },
            )?;
        segments.push(SegmentPlan { source: i, plan, whole: false });
    }
    let container = container.unwrap_or(Container::Mp4);
    fn video(info: &MediaInfo) -> Option<&Track> {
        info.tracks.iter().find(|t| t.kind == TrackKind::Video)
    }
    let first = infos[sources[0]].as_ref().and_then(video);
    let target = first.map(|t| Target::new(t, &options.video)).transpose()?;
    if let Some(target) = &target {
        for seg in segments.iter_mut() {
            let Some(t) = infos[seg.source].as_ref().and_then(video) else { continue };
            let Some(tp) = seg.plan.tracks.iter_mut().find(|p| p.track_id == t.id) else {
                continue;
            };
            if !target.fits(t) {
                if let Some(first) = first {
                    target.encodable(first)?;
                }
                target::reencode_whole(tp, t)?;
                seg.whole = true;
            }
        }
    }
    Ok(Prepared { infos, from, container, segments, target })
}

/// A render up to the muxer: the plans, and the output tracks with every packet in place.
#[derive(Clone, Debug)]
pub struct Layout {
    pub prepared: Prepared,
    pub joined: Joined,
}

/// Everything of a render but the muxing, in this order: probe the sources; plan every segment
/// and joint (a segment that does not fit the output's video re-encoded whole); check the codecs
/// of every frame to re-encode; lay out the output tracks (copied packets point into the inputs,
/// at the offsets [`Concat`] gives them); re-encode; place H.264 parameter sets at the joints. `progress` hears 0..[`MUX_FROM`].
pub async fn layout<R: Reencoder>(
    timeline: &Timeline,
    inputs: &mut [Input<'_>],
    options: &Options,
    reencoder: &mut R,
    progress: &mut dyn FnMut(f64),
) -> Result<Layout, R::Error> {
    let prepared = prepare(timeline, inputs, options)?;
    // Every codec check comes before any decoding, so an unsupported file costs nothing.
    for seg in prepared.segments.iter().filter(|s| s.plan.needs_reencode()) {
        let to = prepared.target.as_ref().filter(|_| seg.whole);
        reencoder.check(seg.source, prepared.info(seg.source)?, &seg.plan, to).await?;
    }
    progress(0.02);
    let bases = Concat::bases(inputs.iter().map(|i| i.bytes.len()));
    let mut joined = join::join(&prepared, &bases)?;
    let first = prepared.segments[0].source;
    for t in &mut joined.tracks {
        // A video track of a new configuration is described for the output container already.
        if !(t.track.kind == TrackKind::Video && prepared.target.as_ref().is_some_and(|x| x.new)) {
            media::retarget(std::slice::from_mut(t), prepared.from[first], prepared.container)?;
        }
    }
    let mut src = Concat::new(inputs.iter_mut().map(|i| &mut *i.bytes).collect());
    let runs = reencode::fill(&mut joined, &prepared, &mut src, reencoder, progress).await?;
    h264::store(&mut joined, &runs, &prepared, prepared.container)?;
    Ok(Layout { prepared, joined })
}

/// Renders `timeline` from `inputs` into `sink`: [`layout`], then the muxer. A sink that
/// reports progress past [`MUX_FROM`] gets the byte count first ([`ByteSink::expect`]).
pub async fn render<R: Reencoder>(
    timeline: &Timeline,
    inputs: &mut [Input<'_>],
    options: &Options,
    reencoder: &mut R,
    sink: &mut dyn ByteSink,
    progress: &mut dyn FnMut(f64),
) -> Result<Rendered, R::Error> {
    let Layout { prepared, joined } =
        layout(timeline, inputs, options, reencoder, progress).await?;
    let mut tracks: Vec<OutTrack> = joined.tracks;
    let mut report = None;
    if let Some(soft) = &options.captions {
        let (track, r) = captions::caption_track(soft, &prepared, &tracks)?;
        tracks.push(track);
        report = Some(r);
    }
    let expected: u64 =
        tracks.iter().flat_map(|t| &t.packets).filter_map(|p| p.data.size()).map(u64::from).sum();
    sink.expect(expected);
    // Copied packets mostly become slices in a browser, never read: the window only serves
    // small packets (audio) and Matroska additions, so it stays small.
    let mut src = Concat::new(inputs.iter_mut().map(|i| &mut *i.bytes).collect());
    let mut ahead = ReadAhead::new(&mut src, 64 * 1024);
    let bytes = media::write(&tracks, prepared.container, &mut ahead, sink)?;
    Ok(Rendered {
        container: prepared.container,
        has_video: tracks.iter().any(|t| t.track.kind == TrackKind::Video),
        bytes,
        segments: prepared.segments,
        captions: report,
    })
}

/// Runs a render (or any future) whose re-encoder never waits, such as [`CopyOnly`] or a native
/// one that encodes in place: polled once, in place. One that does wait fails, named.
pub fn run_now<T, E: From<MediaError>>(
    f: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
    fn raw() -> RawWaker {
        fn clone(_: *const ()) -> RawWaker {
            raw()
        }
        fn noop(_: *const ()) {}
        static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
        RawWaker::new(std::ptr::null(), &VTABLE)
    }
    // SAFETY: the vtable's functions do nothing and the data pointer is never read.
    let waker = unsafe { Waker::from_raw(raw()) };
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(MediaError::Encode(
            "the re-encoder waits for something that cannot run here".into(),
        )
        .into()),
    }
}
