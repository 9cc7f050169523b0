//! The output's video configuration and which segments fit it. A segment whose codec, profile
//! and size are the output's is copied (smart cut); any other is re-encoded whole, scaled into
//! the output's frame (letterboxed where its aspect differs) and keeping its own frame timing.

use crate::media::{self, Action, Codec, Container, MediaError, PlannedPacket, Track, TrackPlan};
use crate::Time;

/// A video codec a render can encode to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoCodec {
    H264,
    Vp8,
    Vp9,
}

/// The caller's `video` option: any field left out is the first segment's source's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VideoOptions {
    pub codec: Option<VideoCodec>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Bits per second of re-encoded segments.
    pub bitrate: Option<u32>,
}

/// What the output's video is, and so what a segment re-encoded whole becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The output track's codec: the first source's configuration, or an empty one of the asked
    /// codec (the encoder's comes with its first frame).
    pub codec: Codec,
    /// The encoder's codec string: H.264 Baseline at the level the size needs (no B-frames, so
    /// frames keep their places), or the output's own VP8/VP9 string.
    pub encoder: String,
    pub width: u32,
    pub height: u32,
    pub annex_b: bool,
    pub bitrate: u32,
    /// The output's configuration differs from the first source's: its track description is
    /// made anew, and the first segment is re-encoded too.
    pub new: bool,
}

fn no_encoder(first: &Track) -> MediaError {
    MediaError::Unsupported(format!(
        "track {}: {} video cannot be re-encoded here; pass video: {{codec: \"h264\"}} to make the output H.264",
        first.id, first.codec_string
    ))
}

impl Target {
    /// The output configuration for a render whose first segment's video is `first`.
    pub fn new(first: &Track, o: &VideoOptions) -> Result<Target, MediaError> {
        let width = o.width.unwrap_or(first.width);
        let height = o.height.unwrap_or(first.height);
        let (codec, codec_string) = match (o.codec, &first.codec) {
            (None, c) => (c.clone(), first.codec_string.clone()),
            (Some(VideoCodec::H264), c @ Codec::H264 { .. })
            | (Some(VideoCodec::Vp8), c @ Codec::Vp8)
            | (Some(VideoCodec::Vp9), c @ Codec::Vp9 { .. }) => {
                (c.clone(), first.codec_string.clone())
            }
            (Some(VideoCodec::H264), _) => (Codec::H264 { avcc: Vec::new() }, String::new()),
            (Some(VideoCodec::Vp8), _) => (Codec::Vp8, "vp8".into()),
            (Some(VideoCodec::Vp9), _) => (Codec::Vp9 { vpcc: Vec::new() }, "vp09.00.40.08".into()),
        };
        let new = (width, height) != (first.width, first.height) || codec != first.codec;
        let fps = frame_rate(first);
        let encoder = match &codec {
            Codec::H264 { .. } => format!("avc1.42E0{:02X}", h264_level(width, height, fps)),
            Codec::Vp8 | Codec::Vp9 { .. } | Codec::Av1 { .. } => codec_string,
            // Copying needs no encoder (a trim of HEVC on keyframes): a segment that must be
            // re-encoded whole fails then (`Target::encodable`).
            _ if !new => String::new(),
            _ => return Err(no_encoder(first)),
        };
        // Twice the first source's rate per pixel, so that a re-encoded segment is no worse
        // than the copied ones (the browsers' encoders run in real-time modes).
        let pixels = |w: u32, h: u32| (w as f64 * h as f64).max(1.0);
        let bitrate = o.bitrate.unwrap_or_else(|| {
            let per_pixel = bits_per_second(first) / pixels(first.width, first.height);
            (per_pixel * pixels(width, height) * 2.0).clamp(500_000.0, 80_000_000.0) as u32
        });
        let annex_b = first.annex_b && !new;
        Ok(Target { codec, encoder, width, height, annex_b, bitrate, new })
    }

    /// Fails, naming the first source's track, when segments re-encoded whole could not be
    /// encoded in the output's codec (one with no WebCodecs encoder, such as HEVC).
    pub fn encodable(&self, first: &Track) -> Result<(), MediaError> {
        if self.encoder.is_empty() {
            return Err(no_encoder(first));
        }
        Ok(())
    }

    /// Whether `t`'s packets can be copied into the output: the same codec, profile, size and
    /// storage.
    pub fn fits(&self, t: &Track) -> bool {
        !self.new
            && std::mem::discriminant(&self.codec) == std::mem::discriminant(&t.codec)
            && profile(&self.codec) == profile(&t.codec)
            && (self.width, self.height) == (t.width, t.height)
            && self.annex_b == t.annex_b
    }

    /// The output track's metadata for a render whose first video track is `first`: `first`
    /// itself, or one of the new configuration, described for `container` (H.264's description
    /// waits for the encoder's avcC).
    pub fn track(&self, first: &Track, container: Container) -> Result<Track, MediaError> {
        let mut t = first.clone();
        t.samples = Vec::new();
        if !self.new {
            return Ok(t);
        }
        t.codec = self.codec.clone();
        t.codec_string.clone_from(&self.encoder);
        (t.width, t.height) = (self.width, self.height);
        t.pixel_aspect = (1, 1);
        t.annex_b = false;
        t.descriptions = match &self.codec {
            Codec::H264 { .. } if container == Container::Mp4 => Vec::new(),
            _ => vec![media::describe(&t, container)?.0],
        };
        Ok(t)
    }
}

/// What must match, beyond the codec, for packets to be copied: H.264's profile, VP9's and
/// AV1's profile and bit depth (from their codec strings' configuration records).
fn profile(c: &Codec) -> Vec<u8> {
    match c {
        Codec::H264 { avcc } => avcc.get(1).copied().into_iter().collect(),
        Codec::Vp9 { vpcc } => vpcc.get(4..7).map(|p| vec![p[0], p[2] >> 4]).unwrap_or_default(),
        Codec::Av1 { av1c } => {
            av1c.get(1..3).map(|p| vec![p[0] >> 5, p[1] >> 5]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn frame_rate(t: &Track) -> f64 {
    let first = t.samples.iter().map(|s| s.pts).min().unwrap_or(0);
    let seconds = (t.end() - Time::new(first, t.timescale)).seconds().max(1e-3);
    (t.samples.len() as f64 / seconds).clamp(1.0, 240.0)
}

fn bits_per_second(t: &Track) -> f64 {
    let first = t.samples.iter().map(|s| s.pts).min().unwrap_or(0);
    let seconds = (t.end() - Time::new(first, t.timescale)).seconds().max(1e-3);
    t.samples.iter().map(|s| s.size as f64).sum::<f64>() * 8.0 / seconds
}

/// The lowest H.264 level (as `level_idc`) whose frame size and macroblock rate fit.
pub fn h264_level(width: u32, height: u32, fps: f64) -> u8 {
    const LEVELS: [(u8, u64, u64); 9] = [
        (0x1e, 1620, 40500),
        (0x1f, 3600, 108000),
        (0x20, 5120, 216000),
        (0x28, 8192, 245760),
        (0x2a, 8704, 522240),
        (0x32, 22080, 589824),
        (0x33, 36864, 983040),
        (0x34, 36864, 2073600),
        (0x3c, 139264, 4177920),
    ];
    let mbs = (width as u64).div_ceil(16) * (height as u64).div_ceil(16);
    let rate = (mbs as f64 * fps).ceil() as u64;
    LEVELS.iter().find(|&&(_, f, r)| mbs <= f && rate <= r).map_or(0x3c, |l| l.0)
}

/// Where a `w`×`h` picture (display size) goes in a `width`×`height` frame: (x, y, w, h),
/// scaled to fit and centred, the offsets rounded down (as ffmpeg's `pad=(ow-iw)/2`).
pub fn letterbox(w: u32, h: u32, width: u32, height: u32) -> (u32, u32, u32, u32) {
    let (w, h) = (w.max(1) as u64, h.max(1) as u64);
    let (width, height) = (width as u64, height as u64);
    // The side that limits: the width when w/h >= width/height (compared exactly).
    let (dw, dh) = if w * height >= h * width {
        (width, (h * width + w / 2) / w)
    } else {
        ((w * height + h / 2) / h, height)
    };
    (((width - dw) / 2) as u32, ((height - dh) / 2) as u32, dw as u32, dh as u32)
}

/// Turns a video track's plan into a whole re-encode: every shown frame re-encoded, in
/// presentation order (the encoder does not reorder), decoded from the IDR at or before the
/// first; nothing hidden, nothing copied.
pub fn reencode_whole(tp: &mut TrackPlan, t: &Track) -> Result<(), MediaError> {
    let mut shown: Vec<PlannedPacket> =
        tp.packets.iter().filter(|p| p.action != Action::Hidden).copied().collect();
    crate::sort::sort_by_key(&mut shown, |p| p.pts);
    for p in &mut shown {
        p.action = Action::Reencode;
        p.dts = p.pts;
    }
    let (Some(lo), Some(hi)) =
        (shown.iter().map(|p| p.sample).min(), shown.iter().map(|p| p.sample).max())
    else {
        return Ok(());
    };
    let from = (0..=lo)
        .rev()
        .find(|&k| t.samples[k].decode_start)
        .ok_or(MediaError::NoIdr { track: t.id, frame: lo as u64 })?;
    tp.decode = (from..=hi).collect();
    tp.frames_reencoded = shown.len() as u64;
    tp.frames_copied = 0;
    tp.packets = shown;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h264_levels_follow_size_and_rate() {
        assert_eq!(h264_level(320, 240, 30.0), 0x1e);
        assert_eq!(h264_level(1280, 720, 30.0), 0x1f);
        assert_eq!(h264_level(1920, 1080, 30.0), 0x28);
        assert_eq!(h264_level(1920, 1080, 60.0), 0x2a);
    }

    fn h264(profile: u8, w: u32, h: u32) -> Track {
        let mut t = Track::new(1, crate::media::TrackKind::Video, 90_000);
        t.codec = Codec::H264 { avcc: vec![1, profile, 0, 0x1f, 0xff] };
        t.codec_string = format!("avc1.{profile:02x}001f");
        (t.width, t.height) = (w, h);
        t
    }

    #[test]
    fn a_segment_fits_by_codec_profile_size_and_storage() {
        let first = h264(100, 320, 240);
        let out = Target::new(&first, &VideoOptions::default()).unwrap();
        assert!(!out.new && out.fits(&first));
        assert!(!out.fits(&h264(77, 320, 240)), "another profile");
        assert!(!out.fits(&h264(100, 160, 120)), "another size");
        let mut annex_b = h264(100, 320, 240);
        annex_b.annex_b = true;
        assert!(!out.fits(&annex_b), "another storage");
        let mut vp9 = h264(100, 320, 240);
        vp9.codec = Codec::Vp9 { vpcc: Vec::new() };
        assert!(!out.fits(&vp9), "another codec");
        // Another size asked: a new configuration, which nothing fits, Baseline at its level.
        let o = VideoOptions { width: Some(1280), height: Some(720), ..Default::default() };
        let out = Target::new(&first, &o).unwrap();
        assert!(out.new && !out.fits(&first));
        assert_eq!(out.encoder, "avc1.42E01F");
        let o = VideoOptions { codec: Some(VideoCodec::Vp9), bitrate: Some(1_000_000), ..o };
        let out = Target::new(&first, &o).unwrap();
        assert!(matches!(out.codec, Codec::Vp9 { .. }) && out.bitrate == 1_000_000);
    }

    /// A trim of HEVC on keyframes copies everything: it needs no encoder, and gets none asked
    /// for until a segment must be re-encoded whole.
    #[test]
    fn a_codec_without_encoder_is_fine_until_something_must_be_encoded() {
        let mut hevc = h264(0x64, 1280, 720);
        hevc.codec = Codec::Hevc { hvcc: Vec::new() };
        hevc.codec_string = "hvc1.1.6.L93.B0".into();
        let t = Target::new(&hevc, &VideoOptions::default()).unwrap();
        assert!(t.fits(&hevc), "the same track is copied");
        assert!(t.encodable(&hevc).is_err(), "nothing could be encoded whole");
        let smaller = VideoOptions { width: Some(640), height: Some(360), ..Default::default() };
        let e = Target::new(&hevc, &smaller).unwrap_err().to_string();
        assert!(e.contains("cannot be re-encoded here"), "{e}");
    }

    #[test]
    fn letterbox_fits_and_centres() {
        assert_eq!(letterbox(640, 480, 1280, 720), (160, 0, 960, 720));
        assert_eq!(letterbox(1920, 1080, 640, 480), (0, 60, 640, 360));
        assert_eq!(letterbox(240, 240, 320, 240), (40, 0, 240, 240));
        assert_eq!(letterbox(320, 240, 320, 240), (0, 0, 320, 240));
    }
}
