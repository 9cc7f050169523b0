//! Helpers of the render tests: timelines in milliseconds, the frames a range shows by trim's
//! rule, and two re-encoders: `Stamp`, a stand-in whose frames name the source frame they stand
//! for, and `Ffmpeg`, which encodes the asked frames for real (libx264 Baseline or libvpx VP9).
#![allow(dead_code)]

use crate::media_support::*;
use outtake::media::{self, ByteSource, Codec, MediaInfo};
use outtake::render::{
    self, EncodedFrame, EncodedRun, Input, Options, Reencoder, Run, Segment, Target, Timeline,
};
use outtake::Time;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn t(ms: i64) -> Time {
    Time::new(ms, 1000)
}

/// A timeline of one source: (start, end) in milliseconds.
pub fn timeline(ranges: &[(i64, i64)]) -> Timeline {
    Timeline {
        segments: ranges.iter().map(|&(a, b)| Segment::new("a", t(a), Some(t(b)))).collect(),
    }
}

/// A stand-in re-encoder: each "encoded" frame is the bytes `RE` and its sample index, so that
/// the output says which source frame every re-encoded packet stands for; its avcC is the
/// source's with a different PPS, so that parameter sets change at every joint.
pub struct Stamp {
    pub runs: Vec<(usize, Vec<usize>, std::ops::RangeInclusive<usize>)>,
}

impl Reencoder for Stamp {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
        _: Option<&Target>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        _: &mut dyn ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error> {
        tick(1.0);
        self.runs.push((run.source, run.frames.clone(), run.decode.clone()));
        // Into the output's configuration: its codec's; otherwise the source's.
        let avcc = match (&run.track.codec, run.to.map(|t| &t.codec)) {
            (_, Some(Codec::H264 { avcc })) if !avcc.is_empty() => Some(avcc),
            (Codec::H264 { avcc }, None) => Some(avcc),
            _ => None,
        };
        let ours = avcc.map(|avcc| {
            let mut ours = avcc.clone();
            *ours.last_mut().unwrap() ^= 0x01;
            ours
        });
        let frames = run
            .frames
            .iter()
            .enumerate()
            .map(|(k, &s)| EncodedFrame {
                sample: s,
                data: [b"RE".as_slice(), &(s as u32).to_be_bytes()].concat(),
                key: k == 0,
            })
            .collect();
        Ok(EncodedRun { frames, description: ours })
    }
}

/// The layout of a render of `ranges` of `path` with the stand-in re-encoder.
pub fn layout(path: &Path, ranges: &[(i64, i64)]) -> (render::Layout, Stamp, MediaInfo) {
    let mut f = std::fs::File::open(path).unwrap();
    let mut stamp = Stamp { runs: Vec::new() };
    let l = render::run_now(render::layout(
        &timeline(ranges),
        &mut [Input::new("a", &mut f)],
        &Options::default(),
        &mut stamp,
        &mut |_| {},
    ))
    .unwrap();
    (l, stamp, open(path))
}

/// Shown frames of a track in presentation order: (sample index, pts).
pub fn shown(t: &media::Track) -> Vec<(usize, i64)> {
    let mut v: Vec<(usize, i64)> =
        t.samples.iter().enumerate().filter(|(_, s)| s.pts >= 0).map(|(i, s)| (i, s.pts)).collect();
    v.sort_by_key(|x| x.1);
    v
}

/// The frames of `[a, b)` ms by trim's rule, from the sample table: (first, last) indices among
/// shown frames.
pub fn expected(frames: &[(usize, i64)], scale: u32, a: i64, b: i64) -> (usize, usize) {
    let at = |k: usize| Time::new(frames[k].1, scale);
    let first = (0..frames.len()).rev().find(|&k| at(k) <= t(a)).unwrap();
    let last = (0..frames.len()).rev().find(|&k| at(k) < t(b)).unwrap();
    (first, last)
}

pub fn bframes() -> Option<PathBuf> {
    fixtures().map(|d| d.join("bframes.mp4"))
}

// Three ranges of x264 with B-pyramids (a keyframe each second): mid-GOP in- and out-points, the
// second going back in time, the third repeating part of the first.
pub const RANGES: [(i64, i64); 3] = [(1_117, 2_217), (383, 1_450), (1_617, 2_950)];

/// ffmpeg as the re-encoder: the asked frames (by presentation index) encoded with libx264
/// Baseline, no B-frames, into an MP4 whose samples and avcC are taken back (or libvpx-vp9);
/// a run into the output's configuration (`run.to`) scaled and letterboxed by [`fit`].
pub struct Ffmpeg {
    pub path: PathBuf,
    pub dir: PathBuf,
    pub n: usize,
}

impl Reencoder for Ffmpeg {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
        _: Option<&Target>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        _: &mut dyn ByteSource,
        _: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error> {
        let order = shown(run.track);
        let index: Vec<usize> =
            run.frames.iter().map(|s| order.iter().position(|x| x.0 == *s).unwrap()).collect();
        let select: Vec<String> = index.iter().map(|i| format!("eq(n\\,{i})")).collect();
        self.n += 1;
        let out = self.dir.join(format!("run-{}.mp4", self.n));
        let codec = run.to.map_or(&run.track.codec, |t| &t.codec);
        let h264 = matches!(codec, Codec::H264 { .. });
        let (codec, ext): (&[&str], &str) = if h264 {
            (&["libx264", "-profile:v", "baseline", "-bf", "0", "-g", "1000", "-crf", "12"], "mp4")
        } else {
            // No alt-ref (hidden) frames: one shown frame per packet, as the plan expects.
            (&["libvpx-vp9", "-crf", "10", "-b:v", "0", "-g", "1000", "-auto-alt-ref", "0"], "webm")
        };
        let out = out.with_extension(ext);
        let mut select = format!("select='{}'", select.join("+"));
        if let Some(to) = run.to {
            select = format!("{select},{}", fit(to.width, to.height));
        }
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-i"])
            .arg(&self.path)
            .args(["-an", "-vf", &select, "-fps_mode", "passthrough", "-c:v"])
            .args(codec)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        let info = open(&out);
        let t = &info.tracks[0];
        assert_eq!(t.samples.len(), run.frames.len());
        let description = match &t.codec {
            Codec::H264 { avcc } => Some(avcc.clone()),
            _ => None,
        };
        let bytes = std::fs::read(&out).unwrap();
        let frames = run
            .frames
            .iter()
            .zip(&t.samples)
            .map(|(&sample, s)| EncodedFrame {
                sample,
                data: bytes[s.offset as usize..(s.offset + s.size as u64) as usize].to_vec(),
                key: s.keyframe,
            })
            .collect();
        Ok(EncodedRun { frames, description })
    }
}

/// The ffmpeg filter that scales a picture into `w`×`h`, letterboxed: what a segment re-encoded
/// into the output's configuration should look like.
pub fn fit(w: u32, h: u32) -> String {
    format!(
        "scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )
}

/// A re-encoder for renders of several sources: each run goes to the `Ffmpeg` of its input.
pub struct BySource(pub Vec<Ffmpeg>);

impl Reencoder for BySource {
    type Error = media::MediaError;

    async fn check(
        &mut self,
        _: usize,
        _: &MediaInfo,
        _: &media::CutPlan,
        _: Option<&Target>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn reencode(
        &mut self,
        run: &Run<'_>,
        src: &mut dyn ByteSource,
        tick: &mut dyn FnMut(f64),
    ) -> Result<EncodedRun, Self::Error> {
        self.0[run.source].reencode(run, src, tick).await
    }
}

impl BySource {
    /// One `Ffmpeg` per path, writing under `dir`.
    pub fn new(paths: &[&Path], dir: &Path) -> BySource {
        BySource(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let dir = dir.join(format!("run-{i}"));
                    std::fs::create_dir_all(&dir).unwrap();
                    Ffmpeg { path: p.to_path_buf(), dir, n: 0 }
                })
                .collect(),
        )
    }
}

pub fn hashes(path: &Path) -> Vec<String> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit(',').next().map(|h| h.trim().to_string()))
        .collect()
}

/// A clip of generated video and a tone, x264 with B-frames and `refs` reference frames (which
/// changes its SPS), cached under target/.
pub fn clip(name: &str, video: &str, refs: &str) -> Option<PathBuf> {
    if !have_ffmpeg() {
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/render-out");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let st = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", video])
            .args(["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=3"])
            .args(["-c:v", "libx264", "-g", "30", "-bf", "3", "-refs", refs, "-c:a", "aac"])
            .args(["-shortest"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(st.success());
    }
    Some(path)
}
