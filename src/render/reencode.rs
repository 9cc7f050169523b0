//! The one step of a render that touches pixels, behind a small interface: a [`Reencoder`]
//! decodes a run of a source's packets and encodes some of the frames. WebCodecs implements it in
//! the browser; native tests implement it with ffmpeg or with stand-ins; the CLI refuses.

use super::join::Joined;
use super::{Prepared, Target};
use crate::media::{
    self, require_copy_only, ByteSource, Concat, CutPlan, MediaError, MediaInfo, PacketData, Track,
};

/// Which bytes of a source sample a run reads: the frame, or its alpha (the Matroska
/// BlockAdditional of VP8/VP9 with alpha, a second stream of the same codec whose luma is the
/// alpha plane).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plane {
    Colour,
    Alpha,
}

/// One run of frames to re-encode, all of one source track.
#[derive(Debug)]
pub struct Run<'a> {
    /// The source's index among the render's inputs.
    pub source: usize,
    pub track: &'a Track,
    /// Samples to feed the decoder, in decode order: the first is a decode start (an IDR).
    pub decode: std::ops::RangeInclusive<usize>,
    /// Samples whose decoded frames are encoded, in presentation order; the first becomes a key
    /// frame, and the encoder must not reorder (no B-frames), so that they keep their places.
    pub frames: Vec<usize>,
    pub plane: Plane,
    /// `None`: encode as the source is (a smart cut's head or tail, at its size, in its codec);
    /// `Some`: the whole segment into the output's configuration, each frame scaled to its size
    /// (letterboxed where the aspect differs).
    pub to: Option<&'a Target>,
}

/// One encoded frame, named by the source sample it replaces.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedFrame {
    pub sample: usize,
    pub data: Vec<u8>,
    pub key: bool,
}

/// What a run made: one frame per asked frame, and the encoder's out-of-band configuration
/// (an avcC for H.264) when it has one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EncodedRun {
    pub frames: Vec<EncodedFrame>,
    pub description: Option<Vec<u8>>,
}

/// Decodes and encodes for a render.
// NOTE: `async fn` in a public trait cannot say its futures are `Send`; none needs to be: the
// browser's codecs live on one worker thread, and native callers poll in place (`run_now`).
#[allow(async_fn_in_trait)]
pub trait Reencoder {
    type Error: From<MediaError>;

    /// Called before any decoding for each segment whose plan re-encodes frames (`to`: the
    /// whole segment into the output's configuration): fails when this re-encoder cannot do it
    /// (an unsupported codec), so that nothing is wasted.
    async fn check(
        &mut self,
        source: usize,
        info: &MediaInfo,
        plan: &CutPlan,
        to: Option<&Target>,
    ) -> Result<(), Self::Error>;

    /// Decodes `run.decode` from `src` and encodes the frames of `run.frames`. `tick` hears how
    /// much of the run is done (0..1).
    async fn reencode(
        &mut self,
        run: &Run<'_>,
        src: &mut dyn ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error>;
}

/// A re-encoder that re-encodes nothing: a cut that needs it fails with `ERR_NEEDS_REENCODE`
/// naming the frames (the CLI, which has no encoder).
pub struct CopyOnly;

impl Reencoder for CopyOnly {
    type Error = MediaError;

    async fn check(
        &mut self,
        _: usize,
        info: &MediaInfo,
        plan: &CutPlan,
        _: Option<&Target>,
    ) -> Result<(), MediaError> {
        require_copy_only(info, plan)
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        _: &mut dyn ByteSource,
        _: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, MediaError> {
        Err(MediaError::Unsupported(format!(
            "track {}: {} frame(s) need re-encoding and this caller has no encoder",
            run.track.id,
            run.frames.len()
        )))
    }
}

/// A re-encoded run once filled in: its packets in its output track, and the encoder's configuration (H.264 parameter sets are placed from it).
#[derive(Clone, Debug)]
pub struct FilledRun {
    pub track: usize,
    pub packets: std::ops::Range<usize>,
    pub description: Option<Vec<u8>>,
}

/// Consecutive pending packets of one segment: each run decodes from its own IDR.
fn runs(joined: &Joined, track: usize) -> Vec<std::ops::Range<usize>> {
    let t = &joined.tracks[track];
    let origins = &joined.origins[track];
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for i in t.pending() {
        match out.last_mut() {
            Some(r) if r.end == i && origins[r.start].segment == origins[i].segment => {
                r.end = i + 1
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Re-encodes every pending packet of `joined` (and its alpha), run by run. Progress goes from
/// 0.02 to `super::MUX_FROM` with the frames encoded.
pub async fn fill<R: Reencoder>(
    joined: &mut Joined,
    prepared: &Prepared,
    src: &mut Concat<'_, '_>,
    reencoder: &mut R,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<FilledRun>, R::Error> {
    let planes = |j: &Joined, t: usize, i: usize| {
        1 + matches!(j.tracks[t].packets[i].addition, Some((_, PacketData::Pending))) as usize
    };
    let total: usize = (0..joined.tracks.len())
        .map(|t| joined.tracks[t].pending().iter().map(|&i| planes(joined, t, i)).sum::<usize>())
        .sum::<usize>()
        .max(1);
    let mut done = 0usize;
    let mut filled = Vec::new();
    for t in 0..joined.tracks.len() {
        for run in runs(joined, t) {
            let origin = joined.origins[t][run.start];
            let Some(track) = prepared.track(origin.source, origin.track) else { continue };
            let samples: Vec<usize> =
                run.clone().filter_map(|i| joined.tracks[t].packets[i].source_sample).collect();
            let (Some(&lo), Some(&hi)) = (samples.iter().min(), samples.iter().max()) else {
                continue;
            };
            let from = (0..=lo)
                .rev()
                .find(|&k| track.samples[k].decode_start)
                .ok_or(MediaError::NoIdr { track: track.id, frame: lo as u64 })?;
            let mut frames = samples.clone();
            media::sort_by_pts(track, &mut frames);
            let alpha = run.clone().any(|i| joined.tracks[t].packets[i].addition.is_some());
            let mut description = None;
            for plane in [Plane::Colour, Plane::Alpha] {
                if plane == Plane::Alpha && !alpha {
                    continue;
                }
                let r = Run {
                    source: origin.source,
                    track,
                    decode: from..=hi,
                    frames: frames.clone(),
                    plane,
                    to: prepared
                        .target
                        .as_ref()
                        .filter(|_| prepared.segments[origin.segment].whole),
                };
                let part = src.part(origin.source).ok_or(MediaError::Mux(format!(
                    "no input {} to re-encode from",
                    origin.source
                )))?;
                let n = run.len();
                let mut tick = |f: f64| {
                    progress(
                        0.02 + (super::MUX_FROM - 0.02) * (done as f64 + f * n as f64)
                            / total as f64,
                    )
                };
                let encoded = reencoder.reencode(&r, part, &mut tick).await?;
                if encoded.frames.len() != n {
                    return Err(MediaError::Encode(format!(
                        "track {}: the encoder returned {} frame(s) for {n}",
                        track.id,
                        encoded.frames.len()
                    ))
                    .into());
                }
                for f in encoded.frames {
                    let k = samples.iter().position(|&s| s == f.sample).ok_or_else(|| {
                        MediaError::Encode(format!(
                            "track {}: an encoded frame names sample {}, not one of the run",
                            track.id, f.sample
                        ))
                    })?;
                    let packet = &mut joined.tracks[t].packets[run.start + k];
                    match plane {
                        Plane::Colour => {
                            packet.data = PacketData::Memory(f.data);
                            packet.keyframe = f.key;
                        }
                        Plane::Alpha => {
                            if let Some((_, data)) = &mut packet.addition {
                                *data = PacketData::Memory(f.data);
                            }
                        }
                    }
                }
                if plane == Plane::Colour {
                    description = encoded.description;
                }
                done += n;
            }
            filled.push(FilledRun { track: t, packets: run, description });
        }
    }
    Ok(filled)
}
