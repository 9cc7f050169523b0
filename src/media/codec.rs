//! Codec details read from configuration records and from the first bytes of packets: WebCodecs
//! codec strings, and whether an H.264/HEVC keyframe is an IDR (decoding can start there) or an
//! open-GOP I-frame with only a recovery point.

use super::{ByteSource, MediaError};

fn hex2(b: u8) -> String {
    format!("{b:02x}")
}

/// `avc1.PPCCLL` from an AVCDecoderConfigurationRecord.
pub fn avc_string(avcc: &[u8]) -> String {
    match avcc.get(1..4) {
        Some([p, c, l]) => format!("avc1.{}{}{}", hex2(*p), hex2(*c), hex2(*l)),
        _ => "avc1".to_string(),
    }
}

/// `avc1.PPCCLL` from an SPS NAL unit (header byte first), for Annex B streams without avcC.
pub fn avc_string_from_sps(sps: &[u8]) -> String {
    match sps.get(1..4) {
        Some([p, c, l]) => format!("avc1.{}{}{}", hex2(*p), hex2(*c), hex2(*l)),
        _ => "avc1".to_string(),
    }
}

/// `hvc1.P.C.TL.B` (ISO/IEC 14496-15 annex E) from an HEVCDecoderConfigurationRecord.
pub fn hevc_string(hvcc: &[u8]) -> String {
    let Some(h) = hvcc.get(..13) else { return "hvc1".to_string() };
    let space = ["", "A", "B", "C"][(h[1] >> 6) as usize];
    let tier = if h[1] & 0x20 != 0 { 'H' } else { 'L' };
    let profile = h[1] & 0x1f;
    let compat = u32::from_be_bytes([h[2], h[3], h[4], h[5]]).reverse_bits();
    let mut s = format!("hvc1.{space}{profile}.{compat:X}.{tier}{}", h[12]);
    let cons = &h[6..12];
    let last = cons.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    for b in cons.iter().take(last) {
        s.push_str(&format!(".{b:X}"));
    }
    s
}

/// `vp09.PP.LL.DD` from a VPCodecConfigurationRecord (version 1 full-box body).
pub fn vp9_string(vpcc: &[u8]) -> String {
    match vpcc.get(4..7) {
        Some([p, l, bits]) => format!("vp09.{p:02}.{l:02}.{:02}", bits >> 4),
        _ => "vp09.00.10.08".to_string(),
    }
}

/// `vp09.PP.10.DD` from a VP9 keyframe's uncompressed header, for WebM without vpcC. The level
/// is not in the bitstream; 1.0 is the lowest, which decoders accept for any stream.
#[allow(dead_code)]
pub fn vp9_string_from_frame(frame: &[u8]) -> String {
    let Some(&b) = frame.first() else { return "vp09.00.10.08".to_string() };
    let profile = ((b >> 5) & 1) | (((b >> 4) & 1) << 1);
    let depth = if profile >= 2 { 10 } else { 8 };
    format!("vp09.{profile:02}.10.{depth:02}")
}

/// `av01.P.LLT.DD` from an AV1CodecConfigurationRecord.
pub fn av1_string(av1c: &[u8]) -> String {
    let (Some(&a), Some(&b)) = (av1c.get(1), av1c.get(2)) else {
        return "av01.0.04M.08".to_string();
    };
    let profile = a >> 5;
    let level = a & 0x1f;
    let tier = if b & 0x80 != 0 { 'H' } else { 'M' };
    let depth = match (b & 0x40 != 0, b & 0x20 != 0) {
        (true, true) => 12,
        (true, false) => 10,
        _ => 8,
    };
    format!("av01.{profile}.{level:02}{tier}.{depth:02}")
}

/// `mp4a.40.AOT` from an AudioSpecificConfig.
pub fn aac_string(asc: &[u8]) -> String {
    let aot = match asc {
        [a, b, ..] if a >> 3 == 31 => 32 + (((a & 7) << 3) | (b >> 5)),
        [a, ..] => a >> 3,
        [] => 2,
    };
    format!("mp4a.40.{aot}")
}

/// Sample rate and channels from an AudioSpecificConfig, when it says.
pub fn aac_rate_channels(asc: &[u8]) -> Option<(u32, u16)> {
    const RATES: [u32; 13] =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
    let bits =
        u32::from_be_bytes([*asc.first()?, *asc.get(1)?, asc.get(2).copied().unwrap_or(0), 0]);
    if bits >> 27 == 31 {
        return None;
    }
    let idx = (bits >> 23) & 0xf;
    let channels = ((bits >> 19) & 0xf) as u16;
    RATES.get(idx as usize).map(|&r| (r, channels))
}

/// The NAL unit types of an H.264 or HEVC sample, read in small slices through `src`.
/// `length_size` is 1, 2 or 4 for length-prefixed samples, 0 for Annex B start codes.
pub fn nal_types(
    src: &mut dyn ByteSource,
    offset: u64,
    size: u32,
    length_size: u8,
    hevc: bool,
) -> Result<Vec<u8>, MediaError> {
    let ty = |b: u8| if hevc { (b >> 1) & 0x3f } else { b & 0x1f };
    let mut out = Vec::new();
    if length_size == 0 {
        // Parameter sets and SEI come before the first slice; 16 KiB is far more than they take.
        let n = size.min(16 * 1024) as usize;
        let mut buf = vec![0; n];
        src.read_at(offset, &mut buf)?;
        let mut i = 0;
        while i + 3 < buf.len() && out.len() < 64 {
            if buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1 {
                out.push(ty(buf[i + 3]));
                i += 3;
            }
            i += 1;
        }
        return Ok(out);
    }
    let ls = length_size as u64;
    let end = offset.saturating_add(size as u64);
    let mut pos = offset;
    while pos.saturating_add(ls) < end && out.len() < 64 {
        let mut head = [0u8; 5];
        let take = (ls + 1) as usize;
        src.read_at(pos, &mut head[..take])?;
        let mut len = 0u64;
        for &b in &head[..ls as usize] {
            len = (len << 8) | b as u64;
        }
        out.push(ty(head[ls as usize]));
        pos = pos.saturating_add(ls).saturating_add(len);
    }
    Ok(out)
}

/// Whether decoding can start at a sample with these NAL types: H.264 IDR (5); HEVC IDR or BLA
/// (16..=20). A CRA or a non-IDR I-slice may be followed by frames referencing earlier ones.
pub fn nal_is_idr(types: &[u8], hevc: bool) -> bool {
    if hevc {
        types.iter().any(|t| (16..=20).contains(t))
    } else {
        types.contains(&5)
    }
}

/// The first SPS in an Annex B packet, for the codec string of MP4/Matroska without avcC.
pub fn annex_b_sps(buf: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while i + 3 < buf.len() {
        if buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1 && buf[i + 3] & 0x1f == 7 {
            return buf.get(i + 3..);
        }
        i += 1;
    }
    None
}

/// The SPS and PPS of an avcC as length-prefixed NAL units (with the avcC's own length size),
/// ready to put in-band in front of a packet.
pub fn avcc_parameter_sets(avcc: &[u8]) -> Option<Vec<u8>> {
    let ls = (*avcc.get(4)? & 3) as usize + 1;
    let mut out = Vec::new();
    let mut pos = 5;
    for kind in 0..2 {
        let mut count = *avcc.get(pos)? as usize;
        if kind == 0 {
            count &= 0x1f;
        }
        pos += 1;
        for _ in 0..count {
            let len = u16::from_be_bytes([*avcc.get(pos)?, *avcc.get(pos + 1)?]) as usize;
            let nal = avcc.get(pos + 2..pos + 2 + len)?;
            out.extend_from_slice(&(len as u32).to_be_bytes()[4 - ls..]);
            out.extend_from_slice(nal);
            pos += 2 + len;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a packet starts with an Annex B start code.
pub fn starts_with_start_code(buf: &[u8]) -> bool {
    buf.starts_with(&[0, 0, 0, 1]) || buf.starts_with(&[0, 0, 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_strings() {
        assert_eq!(avc_string(&[1, 0x64, 0, 0x1f, 0xff]), "avc1.64001f");
        assert_eq!(aac_string(&[0x12, 0x10]), "mp4a.40.2");
        assert_eq!(aac_rate_channels(&[0x12, 0x10]), Some((44100, 2)));
        assert_eq!(av1_string(&[0x81, 0x04, 0x0c, 0]), "av01.0.04M.08");
        assert_eq!(vp9_string(&[1, 0, 0, 0, 0, 10, 0x80]), "vp09.00.10.08");
    }
}

/// The MP4 `dOps` body (big-endian, version 0) for a WebM OpusHead (little-endian, with its
/// magic); `None` if `head` is not an OpusHead. A `dOps` body is returned as it is.
pub fn dops_from_opus_head(head: &[u8]) -> Option<Vec<u8>> {
    if !head.starts_with(b"OpusHead") {
        return (head.len() >= 11 && head[0] == 0).then(|| head.to_vec());
    }
    let h = head.get(8..19)?;
    let mut d = vec![0, h[1]];
    d.extend_from_slice(&u16::from_le_bytes([h[2], h[3]]).to_be_bytes());
    d.extend_from_slice(&u32::from_le_bytes([h[4], h[5], h[6], h[7]]).to_be_bytes());
    d.extend_from_slice(&i16::from_le_bytes([h[8], h[9]]).to_be_bytes());
    d.push(h[10]);
    if h[10] != 0 {
        // Stream count, coupled count and the channel mapping: single bytes, as they are.
        d.extend_from_slice(head.get(19..21 + h[1] as usize)?);
    }
    Some(d)
}

/// The WebM OpusHead for an MP4 `dOps` body; an OpusHead is returned as it is.
pub fn opus_head_from_dops(dops: &[u8]) -> Option<Vec<u8>> {
    if dops.starts_with(b"OpusHead") {
        return Some(dops.to_vec());
    }
    let d = dops.get(..11)?;
    let mut h = b"OpusHead".to_vec();
    h.extend_from_slice(&[1, d[1]]);
    h.extend_from_slice(&u16::from_be_bytes([d[2], d[3]]).to_le_bytes());
    h.extend_from_slice(&u32::from_be_bytes([d[4], d[5], d[6], d[7]]).to_le_bytes());
    h.extend_from_slice(&i16::from_be_bytes([d[8], d[9]]).to_le_bytes());
    h.push(d[10]);
    if d[10] != 0 {
        h.extend_from_slice(dops.get(11..13 + d[1] as usize)?);
    }
    Some(h)
}

#[cfg(test)]
mod opus_head_tests {
    use super::*;

    #[test]
    fn opus_head_and_dops_convert_both_ways() {
        // Stereo, pre-skip 312, 48 kHz, gain -1, family 0.
        let head =
            [b"OpusHead".as_slice(), &[1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0xff, 0xff, 0]].concat();
        let dops = dops_from_opus_head(&head).unwrap();
        assert_eq!(dops, [0, 2, 0x01, 0x38, 0, 0, 0xbb, 0x80, 0xff, 0xff, 0]);
        assert_eq!(opus_head_from_dops(&dops).unwrap(), head);
        // Family 1 carries the mapping table.
        let six = [
            b"OpusHead".as_slice(),
            &[1, 6, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 1, 4, 2, 0, 4, 1, 2, 3, 5],
        ]
        .concat();
        assert_eq!(opus_head_from_dops(&dops_from_opus_head(&six).unwrap()).unwrap(), six);
        assert_eq!(dops_from_opus_head(b"OpusHead"), None);
    }
}
