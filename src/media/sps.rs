//! The colour signalling of H.264 sequence parameter sets (VUI `video_signal_type`): read from the
//! source's SPS and written into another, so that a re-encoded head says the same range and matrix
//! as the frames it was decoded from. Browsers' encoders keep the samples they are given but write
//! their own defaults (limited-range BT.709), which makes full-range footage look washed out.

/// `video_format`, `video_full_range_flag` and `colour_description` (primaries, transfer, matrix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalType {
    pub video_format: u8,
    pub full_range: bool,
    pub colour: Option<(u8, u8, u8)>,
}

struct Bits {
    bits: Vec<bool>,
    pos: usize,
}

impl Bits {
    fn new(bytes: &[u8]) -> Bits {
        Bits {
            bits: bytes.iter().flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1)).collect(),
            pos: 0,
        }
    }
    fn u(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            v = v << 1 | *self.bits.get(self.pos)? as u32;
            self.pos += 1;
        }
        Some(v)
    }
    fn ue(&mut self) -> Option<u32> {
        let mut zeros = 0;
        while !*self.bits.get(self.pos)? {
            zeros += 1;
            self.pos += 1;
            if zeros > 31 {
                return None;
            }
        }
        self.pos += 1;
        Some((1u32 << zeros) - 1 + self.u(zeros)?)
    }
    fn se(&mut self) -> Option<i32> {
        let k = self.ue()?;
        Some(if k % 2 == 1 { (k / 2 + 1) as i32 } else { -((k / 2) as i32) })
    }
}

/// The NAL payload without emulation-prevention bytes.
fn unescape(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

fn escape(rbsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rbsp.len() + 4);
    let mut zeros = 0;
    for &b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.push(3);
            zeros = 0;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

/// Where the VUI's signal type sits in an SPS (bit positions in the unescaped NAL).
struct Layout {
    bits: Bits,
    /// Position of `vui_parameters_present_flag`.
    vui_flag: usize,
    vui: bool,
    /// `video_signal_type_present_flag` and the first bit after the signal type.
    signal_at: usize,
    signal_end: usize,
    signal: Option<SignalType>,
}

fn layout(nal: &[u8]) -> Option<Layout> {
    let mut r = Bits::new(&unescape(nal));
    if r.u(8)? & 0x1f != 7 {
        return None;
    }
    let profile = r.u(8)?;
    r.u(16)?;
    r.ue()?;
    if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(&profile) {
        let chroma = r.ue()?;
        if chroma == 3 {
            r.u(1)?;
        }
        r.ue()?;
        r.ue()?;
        r.u(1)?;
        if r.u(1)? == 1 {
            for i in 0..if chroma == 3 { 12 } else { 8 } {
                if r.u(1)? == 1 {
                    let (mut last, mut next) = (8i32, 8i32);
                    for _ in 0..if i < 6 { 16 } else { 64 } {
                        if next != 0 {
                            next = (last + r.se()? + 256) % 256;
                        }
                        last = if next == 0 { last } else { next };
                    }
                }
            }
        }
    }
    r.ue()?;
    match r.ue()? {
        0 => {
            r.ue()?;
        }
        1 => {
            r.u(1)?;
            r.se()?;
            r.se()?;
            for _ in 0..r.ue()?.min(255) {
                r.se()?;
            }
        }
        _ => {}
    }
    r.ue()?;
    r.u(1)?;
    r.ue()?;
    r.ue()?;
    if r.u(1)? == 0 {
        r.u(1)?;
    }
    r.u(1)?;
    if r.u(1)? == 1 {
        for _ in 0..4 {
            r.ue()?;
        }
    }
    let vui_flag = r.pos;
    let vui = r.u(1)? == 1;
    let (mut signal_at, mut signal, mut signal_end) = (r.pos, None, r.pos);
    if vui {
        if r.u(1)? == 1 && r.u(8)? == 255 {
            r.u(32)?;
        }
        if r.u(1)? == 1 {
            r.u(1)?;
        }
        signal_at = r.pos;
        if r.u(1)? == 1 {
            let video_format = r.u(3)? as u8;
            let full_range = r.u(1)? == 1;
            let colour = if r.u(1)? == 1 {
                Some((r.u(8)? as u8, r.u(8)? as u8, r.u(8)? as u8))
            } else {
                None
            };
            signal = Some(SignalType { video_format, full_range, colour });
        }
        signal_end = r.pos;
    }
    Some(Layout { bits: r, vui_flag, vui, signal_at, signal_end, signal })
}

/// The signal type an SPS NAL unit (header byte first) states, if it states one.
pub fn signal_type(sps: &[u8]) -> Option<SignalType> {
    layout(sps)?.signal
}

fn push(out: &mut Vec<bool>, v: u32, n: usize) {
    out.extend((0..n).rev().map(|i| v >> i & 1 == 1));
}

fn signal_bits(s: &SignalType) -> Vec<bool> {
    let mut b = vec![true];
    push(&mut b, s.video_format as u32, 3);
    b.push(s.full_range);
    b.push(s.colour.is_some());
    if let Some((p, t, m)) = s.colour {
        push(&mut b, p as u32, 8);
        push(&mut b, t as u32, 8);
        push(&mut b, m as u32, 8);
    }
    b
}

/// `sps` (a NAL unit, header byte first) stating `signal` instead of its own; every other field is
/// kept bit for bit. None when the SPS cannot be parsed.
pub fn with_signal_type(sps: &[u8], signal: &SignalType) -> Option<Vec<u8>> {
    let l = layout(sps)?;
    let mut bits: Vec<bool> = Vec::with_capacity(l.bits.bits.len() + 40);
    if l.vui {
        bits.extend_from_slice(&l.bits.bits[..l.signal_at]);
        bits.extend(signal_bits(signal));
        bits.extend_from_slice(&l.bits.bits[l.signal_end..]);
    } else {
        // No VUI: write one that states only the signal type, then the RBSP trailing bits.
        bits.extend_from_slice(&l.bits.bits[..l.vui_flag]);
        bits.extend([true, false, false]);
        bits.extend(signal_bits(signal));
        // chroma_loc, timing, nal_hrd, vcl_hrd, bitstream_restriction: absent.
        bits.extend([false, false, false, false, false]);
        bits.push(true);
        while bits.len() % 8 != 0 {
            bits.push(false);
        }
    }
    let bytes: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | b as u8) << (8 - c.len()))
        .collect();
    Some(escape(&bytes))
}

/// An avcC whose SPS state `signal`; None when an SPS cannot be parsed.
pub fn avcc_with_signal_type(avcc: &[u8], signal: &SignalType) -> Option<Vec<u8>> {
    let mut out = avcc.get(..5)?.to_vec();
    let count = *avcc.get(5)? & 0x1f;
    out.push(*avcc.get(5)?);
    let mut pos = 6;
    for _ in 0..count {
        let len = u16::from_be_bytes([*avcc.get(pos)?, *avcc.get(pos + 1)?]) as usize;
        let sps = with_signal_type(avcc.get(pos + 2..pos + 2 + len)?, signal)?;
        out.extend_from_slice(&u16::try_from(sps.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&sps);
        pos += 2 + len;
    }
    out.extend_from_slice(avcc.get(pos..)?);
    Some(out)
}

/// The signal type the first SPS of an avcC states.
pub fn avcc_signal_type(avcc: &[u8]) -> Option<SignalType> {
    let len = u16::from_be_bytes([*avcc.get(6)?, *avcc.get(7)?]) as usize;
    signal_type(avcc.get(8..8 + len)?)
}
