//! Silent audio packets, made without an encoder: for a segment whose source has no audio in a
//! render whose output has. AAC-LC: a raw data block whose channels have no scale factor band
//! (nothing coded, so every coefficient is zero); Opus: a 20 ms CELT frame with its silence flag.

use crate::media::{codec, Codec, MediaError, Track};

/// Appends the low `n` bits of `v` to `bits` (most significant first).
fn put(bits: &mut Vec<bool>, v: u32, n: u32) {
    bits.extend((0..n).rev().map(|i| v >> i & 1 == 1));
}

/// One AAC `individual_channel_stream` with `max_sfb` 0: a long window and no bands, so no
/// section, scale factor or spectral data; no pulse, TNS or gain control.
fn silent_ics(bits: &mut Vec<bool>) {
    put(bits, 100, 8); // global_gain: any value, with nothing to scale.
    put(bits, 0, 1); // ics_reserved_bit
    put(bits, 0, 2); // window_sequence: ONLY_LONG_SEQUENCE
    put(bits, 0, 1); // window_shape
    put(bits, 0, 6); // max_sfb
    put(bits, 0, 1); // predictor_data_present
    put(bits, 0, 3); // pulse, TNS, gain control: absent
}

/// A raw AAC-LC frame of silence for `channels` (1: one SCE; 2: one CPE without a common window).
fn aac_frame(channels: u16) -> Option<Vec<u8>> {
    let mut bits = Vec::new();
    match channels {
        1 => {
            put(&mut bits, 0, 3); // ID_SCE
            put(&mut bits, 0, 4); // element_instance_tag
            silent_ics(&mut bits);
        }
        2 => {
            put(&mut bits, 1, 3); // ID_CPE
            put(&mut bits, 0, 4);
            put(&mut bits, 0, 1); // common_window
            silent_ics(&mut bits);
            silent_ics(&mut bits);
        }
        _ => return None,
    }
    put(&mut bits, 7, 3); // ID_END
    Some(
        bits.chunks(8)
            .map(|c| c.iter().enumerate().fold(0u8, |b, (i, &x)| b | (x as u8) << (7 - i)))
            .collect(),
    )
}

/// A silent packet of `t`'s format and how many samples it holds (at its sample rate; Opus
/// counts at 48 kHz), or why there is none.
pub fn packet(t: &Track, segment: usize) -> Result<(Vec<u8>, u32), MediaError> {
    let refuse = |why: &str| {
        MediaError::Unsupported(format!(
            "segment {segment}: its source has no sound, and silence in {} {why}",
            t.codec_string
        ))
    };
    match &t.codec {
        Codec::Aac { asc } => {
            // Object type 2 (LC), 1024 samples a frame (frameLengthFlag 0).
            let lc = asc.first().is_some_and(|b| b >> 3 == 2)
                && codec::aac_rate_channels(asc).is_some()
                && asc.get(1).is_some_and(|b| b & 0x04 == 0);
            if !lc {
                return Err(refuse("is made for AAC-LC only"));
            }
            let frame =
                aac_frame(t.channels).ok_or_else(|| refuse("is made for 1 or 2 channels"))?;
            Ok((frame, 1024))
        }
        Codec::Opus { .. } => {
            // TOC: configuration 31 (CELT, fullband, 20 ms), mono or stereo, one frame; the
            // bytes FF FE decode the silence flag first.
            let stereo = if t.channels >= 2 { 0x04 } else { 0 };
            if t.channels > 2 {
                return Err(refuse("is made for 1 or 2 channels"));
            }
            Ok((vec![0xf8 | stereo, 0xff, 0xfe], 960))
        }
        _ => Err(refuse("cannot be made here")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aac_frames_hold_their_elements_and_end() {
        // SCE: 3 + 4 + 22 + 3 bits = 32, four bytes; CPE: 3 + 4 + 1 + 44 + 3 = 55, seven.
        let mono = aac_frame(1).unwrap();
        assert_eq!(mono.len(), 4);
        assert_eq!(mono[0] >> 5, 0, "ID_SCE");
        assert_eq!(mono[3] & 7, 7, "ID_END last");
        let stereo = aac_frame(2).unwrap();
        assert_eq!(stereo.len(), 7);
        assert_eq!(stereo[0] >> 5, 1, "ID_CPE");
        assert!(aac_frame(6).is_none());
    }
}
