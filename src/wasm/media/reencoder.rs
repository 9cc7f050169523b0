//! WebCodecs as the render's [`Reencoder`]: codec checks before any work (naming the codec and
//! the keyframes a copy-only cut could start at), then each run decoded from its IDR and the
//! asked frames encoded. Where the packets go, and their parameter sets, is the core's job.

use super::letterbox::Letterbox;
use crate::media::{ByteSource, Codec, CutPlan, MediaError, MediaInfo, Track, TrackKind};
use crate::render::{h264_level, EncodedFrame, EncodedRun, Plane, Reencoder, Run, Target};
use crate::wasm::codecs::{self, DecoderSetup, EncoderSetup, Packet};
use crate::wasm::error::{js_error, IntoJs, JsResult};
use crate::{Rounding, Time};
use wasm_bindgen::JsValue;

fn us(ticks: i64, scale: u32) -> i64 {
    Time::new(ticks, scale).rescale(1_000_000, Rounding::Nearest).value()
}

/// The WebCodecs re-encoder: the setups of every (input, track, whole or not) it has checked.
#[derive(Default)]
pub struct WebCodecs {
    /// By (input, track id, into the output's configuration); a handful at most, so a list.
    setups: Vec<((usize, u32, bool), DecoderSetup, EncoderSetup)>,
}

impl Reencoder for WebCodecs {
    type Error = JsValue;

    /// Fails with `ERR_UNSUPPORTED_CODEC` naming the codec, before any decoding, when a track
    /// that the cut must re-encode cannot be decoded or encoded here.
    async fn check(
        &mut self,
        source: usize,
        info: &MediaInfo,
        plan: &CutPlan,
        to: Option<&Target>,
    ) -> JsResult<()> {
        let first_video = info.tracks.iter().find(|t| t.kind == TrackKind::Video).map(|t| t.id);
        for tp in plan.tracks.iter().filter(|t| t.frames_reencoded > 0) {
            let Some(t) = info.tracks.iter().find(|t| t.id == tp.track_id) else { continue };
            // The output's configuration is the first video track's (see `render::Target`).
            let to = to.filter(|_| Some(t.id) == first_video);
            let key = (source, t.id, to.is_some());
            if self.setups.iter().any(|s| s.0 == key) {
                continue;
            }
            let unsupported = |why: &str| {
                let keys: Vec<String> = crate::media::keyframes_from_first_frame(info, t)
                    .iter()
                    .take(5)
                    .map(|k| format!("{:.3}", k.seconds()))
                    .collect();
                js_error(
                    "ERR_UNSUPPORTED_CODEC",
                    &format!(
                        "track {}: {} ({why}), and this cut must re-encode {} frame(s); an in-point on a keyframe ({} s …) is copied without decoding",
                        t.id,
                        t.codec_string,
                        tp.frames_reencoded,
                        keys.join(", ")
                    ),
                )
            };
            if !t.codec.webcodecs_decodable() {
                let name = match &t.codec {
                    Codec::Hevc { .. } => "HEVC: WebCodecs here cannot decode it".to_string(),
                    other => format!("{other:?}: WebCodecs here cannot decode it")
                        .chars()
                        .take(80)
                        .collect(),
                };
                return Err(unsupported(&name));
            }
            let (decoder, mut encoder) =
                setups(t).ok_or_else(|| unsupported("no WebCodecs encoder for it"))?;
            if let Some(to) = to {
                encoder = EncoderSetup {
                    codec: to.encoder.clone(),
                    annex_b: to.annex_b,
                    width: to.width,
                    height: to.height,
                    bitrate: to.bitrate,
                    framerate: encoder.framerate,
                };
            }
            codecs::check_decodable(&decoder).await.js()?;
            codecs::check_encodable(&encoder).await.js()?;
            self.setups.push((key, decoder, encoder));
        }
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        src: &mut dyn ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> JsResult<EncodedRun> {
        let t = run.track;
        let (_, decoder, encoder) =
            self.setups.iter().find(|s| s.0 == (run.source, t.id, run.to.is_some())).ok_or_else(
                || {
                    js_error(
                        "ERR_INTERNAL",
                        &format!("track {}: re-encoded without a codec check", t.id),
                    )
                },
            )?;
        let stamps: Vec<i64> =
            run.frames.iter().map(|&k| us(t.samples[k].pts, t.timescale)).collect();
        let mut keep = stamps.clone();
        keep.sort_unstable();
        let from = *run.decode.start();
        let count = run.decode.end() + 1 - from;
        let mut read = |i: usize| read_packet(src, t, from + i, run.plane);
        // A whole segment into the output's configuration: each frame fitted into its size.
        let map: Option<codecs::FrameMap> = match run.to {
            Some(to) => {
                let fit = Letterbox::new(to.width, to.height)?;
                Some(Box::new(move |f: &web_sys::VideoFrame| fit.fit(f)))
            }
            None => None,
        };
        let n = run.frames.len();
        let encoded =
            codecs::reencode(decoder, count, &mut read, keep, n, encoder, map, tick).await?;
        // The encoder keeps the frames' timestamps: match by them, in case it reordered.
        let mut frames = Vec::with_capacity(encoded.packets.len());
        for p in encoded.packets {
            let k = stamps.iter().position(|&s| s == p.timestamp_us).ok_or_else(|| {
                JsValue::from(MediaError::Encode(format!(
                    "track {}: encoded frame at {} µs matches no frame to re-encode",
                    t.id, p.timestamp_us
                )))
            })?;
            frames.push(EncodedFrame { sample: run.frames[k], data: p.data, key: p.key });
        }
        Ok(EncodedRun { frames, description: encoded.description })
    }
}

/// The decoder for the source and the encoder for its re-encoded frames: H.264 becomes Baseline
/// (no B-frames, so frames come out in the order they went in) at the source's size and 2×
/// its bitrate, so that the re-encoded head is no worse than the copied rest.
fn setups(t: &Track) -> Option<(DecoderSetup, EncoderSetup)> {
    let first = t.samples.iter().map(|s| s.pts).min().unwrap_or(0);
    let seconds = (t.end() - Time::new(first, t.timescale)).seconds().max(1e-3);
    let bytes: u64 = t.samples.iter().map(|s| s.size as u64).sum();
    let framerate = (t.samples.len() as f64 / seconds).clamp(1.0, 240.0);
    // NOTE: the browsers' VP8/VP9/AV1 encoders run in real-time modes that need far more bits
    // than an offline encode for the same quality (measured: VP9 at 1.2× is ~35 dB PSNR against
    // the source); the head is at most a GOP, so the extra bytes are few.
    // H.264: 1.2× (lossless-cut's figure) measured 39.8–41 dB PSNR against x264 sources here;
    // 1.5× gave 43.4 dB on rotate-buck-bunny.mp4 run alone but 39.6–40.1 dB within the full
    // suite (cause not found; the encoder is not deterministic across runs), so 2×.
    let factor = if matches!(t.codec, Codec::H264 { .. }) { 2.0 } else { 3.0 };
    let bitrate = (bytes as f64 * 8.0 / seconds * factor).clamp(200_000.0, 80_000_000.0) as u32;
    let (description, codec) = match &t.codec {
        // Annex B: the decoder takes the parameter sets in-band, with no description.
        Codec::H264 { avcc } => (
            (!t.annex_b).then(|| avcc.clone()),
            format!("avc1.42E0{:02X}", h264_level(t.width, t.height, framerate)),
        ),
        // VP8/VP9/AV1 re-encode to their own codec; their configuration records are optional.
        Codec::Vp8 => (None, "vp8".to_string()),
        Codec::Vp9 { .. } | Codec::Av1 { .. } => (None, t.codec_string.clone()),
        _ => return None,
    };
    let decoder = DecoderSetup {
        codec: t.codec_string.clone(),
        description,
        width: t.width,
        height: t.height,
    };
    let encoder = EncoderSetup {
        codec,
        annex_b: t.annex_b,
        width: t.width,
        height: t.height,
        bitrate,
        framerate,
    };
    Some((decoder, encoder))
}

/// Source sample `k`'s packet, for one plane.
fn read_packet(src: &mut dyn ByteSource, t: &Track, k: usize, plane: Plane) -> JsResult<Packet> {
    let s = &t.samples[k];
    let (offset, size) = match plane {
        Plane::Colour => (s.offset, s.size),
        Plane::Alpha => match s.addition {
            Some((_, offset, size)) => (offset, size),
            None => return Err(js_error("ERR_UNSUPPORTED_CODEC", &format!("track {}: frame {k} has no alpha (BlockAdditional) where the frames around it have", t.id))),
        },
    };
    let data = crate::media::read_vec(src, offset, size as u64).js()?;
    Ok(Packet {
        data,
        timestamp_us: us(s.pts, t.timescale),
        duration_us: us(s.duration as i64, t.timescale),
        key: s.decode_start,
    })
}
