//! MP4 sample entries (`stsd`): which codec a track holds, its configuration record, picture
//! size and pixel aspect, audio rate and channels; and the per-track finishing pass that reads
//! keyframe NAL headers to tell IDR frames from open-GOP I-frames.

use super::boxes::{children, find, Bx, R};
use crate::media::codec;
use crate::media::{ByteSource, Codec, MediaError, Track, TrackKind};

pub fn read_stsd(stsd: &Bx, track: &mut Track) -> Result<(), MediaError> {
    let mut r = stsd.reader();
    r.full()?;
    r.u32()?;
    let entries = children(&stsd.body[r.pos..], stsd.body_offset + r.pos as u64, &stsd.path)?;
    for (i, e) in entries.iter().enumerate() {
        track.descriptions.push(e.raw.to_vec());
        if i == 0 {
            read_entry(e, track)?;
        }
    }
    Ok(())
}

fn read_entry(e: &Bx, track: &mut Track) -> Result<(), MediaError> {
    let fourcc = super::boxes::kind_str(e.kind);
    track.codec_id = fourcc.clone();
    let mut r = e.reader();
    let visual = matches!(
        &e.kind,
        b"avc1" | b"avc3" | b"hvc1" | b"hev1" | b"vp08" | b"vp09" | b"av01" | b"encv"
    );
    let audio =
        matches!(&e.kind, b"mp4a" | b"Opus" | b"ec-3" | b"ac-3" | b"enca" | b"fLaC" | b".mp3");
    let boxes = if visual {
        r.skip(24)?;
        track.width = r.u16()? as u32;
        track.height = r.u16()? as u32;
        r.skip(50)?;
        children(&e.body[r.pos..], e.body_offset + r.pos as u64, &e.path)?
    } else if audio {
        r.skip(8)?;
        let version = r.u16()?;
        r.skip(6)?;
        track.channels = r.u16()?;
        r.skip(6)?;
        track.sample_rate = r.u32()? >> 16;
        match version {
            1 => r.skip(16)?,
            2 => {
                r.skip(4)?;
                let rate = f64::from_bits(r.u64()?);
                if rate.is_finite() && rate > 0.0 && rate < 1e7 {
                    track.sample_rate = rate as u32;
                }
                track.channels = r.u32()? as u16;
                r.skip(20)?;
            }
            _ => {}
        }
        children(&e.body[r.pos..], e.body_offset + r.pos as u64, &e.path)?
    } else {
        Vec::new()
    };
    let body = |k: &[u8; 4]| find(&boxes, k).map(|b| b.body.to_vec());
    if let Some(p) = find(&boxes, b"pasp") {
        let mut r = p.reader();
        let (h, v) = (r.u32()?, r.u32()?);
        if h > 0 && v > 0 {
            track.pixel_aspect = (h, v);
        }
    }
    match &e.kind {
        b"avc1" | b"avc3" => {
            let avcc = body(b"avcC").unwrap_or_default();
            track.codec_string = codec::avc_string(&avcc);
            track.codec = Codec::H264 { avcc };
        }
        b"hvc1" | b"hev1" => {
            let hvcc = body(b"hvcC").unwrap_or_default();
            track.codec_string = codec::hevc_string(&hvcc);
            track.codec = Codec::Hevc { hvcc };
        }
        b"vp08" => {
            track.codec_string = "vp8".into();
            track.codec = Codec::Vp8;
        }
        b"vp09" => {
            let vpcc = body(b"vpcC").unwrap_or_default();
            track.codec_string = codec::vp9_string(&vpcc);
            track.codec = Codec::Vp9 { vpcc };
        }
        b"av01" => {
            let av1c = body(b"av1C").unwrap_or_default();
            track.codec_string = codec::av1_string(&av1c);
            track.codec = Codec::Av1 { av1c };
        }
        b"mp4a" => {
            let Some(esds) = find(&boxes, b"esds") else {
                track.codec = Codec::Other("mp4a".into());
                track.codec_string = "mp4a".into();
                return Ok(());
            };
            let (oti, asc) = read_esds(esds)?;
            match oti {
                0x40 | 0x66 | 0x67 | 0x68 => {
                    track.codec_string = codec::aac_string(&asc);
                    if let Some((rate, ch)) = codec::aac_rate_channels(&asc) {
                        if ch > 0 {
                            track.channels = ch;
                        }
                        let _ = rate;
                    }
                    track.codec = Codec::Aac { asc };
                }
                0x69 | 0x6b => {
                    track.codec_string = "mp3".into();
                    track.codec = Codec::Other("mp3".into());
                }
                other => {
                    track.codec_string = format!("mp4a.{other:02x}");
                    track.codec = Codec::Other(track.codec_string.clone());
                }
            }
        }
        b"Opus" => {
            let head = body(b"dOps").unwrap_or_default();
            if let Some(&[a, b]) = head.get(2..4).and_then(|s| <&[u8; 2]>::try_from(s).ok()) {
                track.priming = track.priming.max(u16::from_be_bytes([a, b]) as i64);
            }
            track.codec_string = "opus".into();
            track.codec = Codec::Opus { head };
        }
        b"ec-3" => {
            track.codec_string = "ec-3".into();
            track.codec = Codec::Eac3;
        }
        b"ac-3" => {
            track.codec_string = "ac-3".into();
            track.codec = Codec::Ac3;
        }
        _ => {
            track.codec_string = fourcc.clone();
            track.codec = Codec::Other(fourcc);
        }
    }
    Ok(())
}

/// The MPEG-4 descriptor length: up to four 7-bit groups.
fn desc_len(r: &mut R) -> Result<usize, MediaError> {
    let mut n = 0usize;
    for _ in 0..4 {
        let b = r.u8()?;
        n = (n << 7) | (b & 0x7f) as usize;
        if b & 0x80 == 0 {
            break;
        }
    }
    Ok(n)
}

/// objectTypeIndication and DecoderSpecificInfo from an `esds`.
fn read_esds(esds: &Bx) -> Result<(u8, Vec<u8>), MediaError> {
    let mut r = esds.reader();
    r.full()?;
    if r.u8()? != 3 {
        return Err(r.err("esds: no ES_Descriptor"));
    }
    desc_len(&mut r)?;
    r.skip(2)?;
    let flags = r.u8()?;
    if flags & 0x80 != 0 {
        r.skip(2)?;
    }
    if flags & 0x40 != 0 {
        let n = r.u8()? as usize;
        r.skip(n)?;
    }
    if flags & 0x20 != 0 {
        r.skip(2)?;
    }
    if r.u8()? != 4 {
        return Err(r.err("esds: no DecoderConfigDescriptor"));
    }
    desc_len(&mut r)?;
    let oti = r.u8()?;
    r.skip(12)?;
    if r.remaining() == 0 || r.u8()? != 5 {
        return Ok((oti, Vec::new()));
    }
    let n = desc_len(&mut r)?;
    Ok((oti, r.bytes(n)?.to_vec()))
}

/// Per-track work that needs sample bytes: Annex B detection, the codec string of Annex B H.264
/// without avcC, and IDR flags of H.264/HEVC keyframes.
pub fn finish_track(track: &mut Track, src: &mut dyn ByteSource) -> Result<(), MediaError> {
    // Other codecs can start decoding at any sync sample.
    for s in track.samples.iter_mut() {
        s.decode_start = s.keyframe;
    }
    let (hevc, config) = match &track.codec {
        Codec::H264 { avcc } => (false, avcc.clone()),
        Codec::Hevc { hvcc } => (true, hvcc.clone()),
        _ => return Ok(()),
    };
    let Some(first) = track.samples.first().copied() else { return Ok(()) };
    let mut head = vec![0u8; first.size.min(4096) as usize];
    src.read_at(first.offset, &mut head)?;
    // A 4-byte length prefix of 1 is never a real slice, so a leading 00 00 00 01 is a start code.
    track.annex_b = config.is_empty() || codec::starts_with_start_code(&head);
    if track.annex_b && !hevc && config.is_empty() {
        if let Some(sps) = codec::annex_b_sps(&head) {
            track.codec_string = codec::avc_string_from_sps(sps);
        }
    }
    let length_size = if track.annex_b {
        0
    } else if hevc {
        config.get(21).map_or(4, |b| (b & 3) + 1)
    } else {
        config.get(4).map_or(4, |b| (b & 3) + 1)
    };
    for s in track.samples.iter_mut().filter(|s| s.keyframe) {
        let types = codec::nal_types(src, s.offset, s.size, length_size, hevc)?;
        s.decode_start = codec::nal_is_idr(&types, hevc);
    }
    for s in track.samples.iter_mut().filter(|s| !s.keyframe) {
        s.decode_start = false;
    }
    let _ = TrackKind::Video;
    Ok(())
}
