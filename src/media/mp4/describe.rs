//! MP4 sample entries made from a track's codec configuration, for tracks that come from
//! another container (a WebM trimmed to MP4): `avc1`/`hvc1` with their records as they are,
//! `vp08`/`vp09` with a `vpcC` built from the codec string, `av01` with the Matroska
//! CodecPrivate (it is the `av1C` record), `Opus` with a `dOps` turned from the OpusHead, and
//! `mp4a` with an `esds` around the AudioSpecificConfig.

use super::mux::{visual_entry_with, W};
use crate::media::{codec, Codec, MediaError, Track, TrackKind};

/// The sample entry for `t` in MP4, or why its codec has none here.
pub fn sample_entry_for(t: &Track) -> Result<Vec<u8>, MediaError> {
    let unsupported =
        |why: &str| MediaError::Unsupported(format!("track {}: {} {why}", t.id, t.codec_string));
    let mut w = W(Vec::new());
    match &t.codec {
        Codec::H264 { avcc } if !avcc.is_empty() && !t.annex_b => {
            visual(&mut w, t, b"avc1", b"avcC", avcc)
        }
        Codec::H264 { .. } => {
            return Err(unsupported("is stored as Annex B without an avcC record, which MP4 needs"))
        }
        Codec::Hevc { hvcc } if !hvcc.is_empty() => visual(&mut w, t, b"hvc1", b"hvcC", hvcc),
        Codec::Vp8 | Codec::Vp9 { .. } => {
            let fourcc = if matches!(t.codec, Codec::Vp8) { b"vp08" } else { b"vp09" };
            visual(&mut w, t, fourcc, b"vpcC", &vpcc_from_string(&t.codec_string))
        }
        Codec::Av1 { av1c } if av1c.len() >= 4 => visual(&mut w, t, b"av01", b"av1C", av1c),
        Codec::Opus { head } => {
            let dops = codec::dops_from_opus_head(head)
                .ok_or_else(|| unsupported("has no readable OpusHead"))?;
            audio(&mut w, t, b"Opus", 48_000, |w| w.boxed(b"dOps", |w| w.bytes(&dops)));
        }
        Codec::Aac { asc } if !asc.is_empty() => audio(&mut w, t, b"mp4a", t.sample_rate, |w| {
            w.full(b"esds", 0, 0, |w| w.bytes(&es_descriptor(asc)))
        }),
        _ => return Err(unsupported("has no MP4 sample entry here")),
    }
    Ok(w.0)
}

fn visual(w: &mut W, t: &Track, fourcc: &[u8; 4], config_kind: &[u8; 4], config: &[u8]) {
    debug_assert_eq!(t.kind, TrackKind::Video);
    // Said even when square: WebM always states its display size, so nothing is left open.
    let mut pasp = W(Vec::new());
    pasp.boxed(b"pasp", |w| {
        w.u32(t.pixel_aspect.0.max(1));
        w.u32(t.pixel_aspect.1.max(1));
    });
    let (width, height) = (t.width.min(0xffff) as u16, t.height.min(0xffff) as u16);
    w.bytes(&visual_entry_with(fourcc, width, height, config_kind, config, &[&pasp.0]));
}

fn audio(w: &mut W, t: &Track, fourcc: &[u8; 4], rate: u32, config: impl FnOnce(&mut W)) {
    w.boxed(fourcc, |w| {
        w.bytes(&[0; 6]);
        w.u16(1);
        w.bytes(&[0; 8]);
        w.u16(t.channels.max(1));
        w.u16(16);
        w.u32(0);
        // 16.16 fixed point: rates of 64 kHz and up do not fit, and the codec's own record says.
        w.u32(if rate < 0x1_0000 { rate << 16 } else { 0 });
        config(w);
    });
}

/// A `vpcC` (version 1, with its full-box header) from `vp09.PP.LL.DD` or `vp8`: profile, level
/// and bit depth from the string, 4:2:0 and the colour left unspecified (2), as the WebM had no
/// more to say.
fn vpcc_from_string(s: &str) -> Vec<u8> {
    let parts: Vec<u8> = s.split('.').skip(1).filter_map(|p| p.parse().ok()).collect();
    let (profile, level, depth) = match parts.as_slice() {
        [p, l, d, ..] => (*p, *l, *d),
        _ => (0, 10, 8),
    };
    vec![1, 0, 0, 0, profile, level, (depth << 4) | (1 << 1), 2, 2, 2, 0, 0]
}

/// An ES_Descriptor holding AAC's DecoderConfigDescriptor and `asc`, as `esds` carries it.
fn es_descriptor(asc: &[u8]) -> Vec<u8> {
    fn desc(tag: u8, body: &[u8]) -> Vec<u8> {
        // The 4-byte length form fits every size a config can have.
        let n = body.len() as u32;
        let mut d = vec![
            tag,
            0x80 | (n >> 21) as u8 & 0x7f,
            0x80 | (n >> 14) as u8 & 0x7f,
            0x80 | (n >> 7) as u8 & 0x7f,
            n as u8 & 0x7f,
        ];
        d.extend_from_slice(body);
        d
    }
    // objectTypeIndication 0x40 (MPEG-4 audio), streamType 5 (audio) << 2 | 1, no buffer or
    // bitrate figures.
    let mut config = vec![0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    config.extend(desc(0x05, asc));
    let mut es = vec![0, 0, 0];
    es.extend(desc(0x04, &config));
    es.extend(desc(0x06, &[0x02]));
    desc(0x03, &es)
}
