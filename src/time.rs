//! Exact media time, shared by every engine: captions, timelines and cut planning.
//!
//! A [`Time`] is a rational `value / scale` seconds, never an `f64`, so that 1001/30000 frame
//! durations, millisecond caption stamps and 90 kHz packet times meet without drift. Seconds as
//! `f64` exist only at the edges (JS, JSON and the command line), through
//! [`Time::from_user_seconds`] and [`Time::seconds`]. Frame grids and the rounding rules that land
//! times on them live here too.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Neg, Sub};

/// How a time that falls between two representable values is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Towards negative infinity.
    Floor,
    /// Towards positive infinity.
    Ceil,
    /// To the nearest; exact halves go up (towards positive infinity), as frame-snapping expects.
    Nearest,
}

impl Rounding {
    /// Parses the JS/CLI spelling: `floor`, `ceil` or `nearest`.
    pub fn parse(s: &str) -> Option<Rounding> {
        match s {
            "floor" => Some(Rounding::Floor),
            "ceil" => Some(Rounding::Ceil),
            "nearest" => Some(Rounding::Nearest),
            _ => None,
        }
    }
}

/// Divides with the given rounding; `d` must be positive.
fn div_round(n: i128, d: i128, rounding: Rounding) -> i128 {
    debug_assert!(d > 0);
    match rounding {
        Rounding::Floor => n.div_euclid(d),
        Rounding::Ceil => -((-n).div_euclid(d)),
        Rounding::Nearest => (2 * n + d).div_euclid(2 * d),
    }
}

/// The greatest common divisor (`gcd(0, 0) == 0`).
pub fn gcd(mut a: u64, mut b: u64) -> u64 {
    // NOTE: u64, not u128: 128-bit division is a library call, and this runs on every mixed-scale
    // addition (a diff of 10,000 cues makes hundreds of thousands).
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Why a time or rate could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeError {
    #[error("{what} must be a finite number, got {value}")]
    NotFinite { what: &'static str, value: f64 },
    #[error("{what} is out of range: {value:e} s (the limit is a year)")]
    OutOfRange { what: &'static str, value: f64 },
    #[error("not a frame rate: {0} (expected a positive number or a fraction such as 30000/1001)")]
    BadRate(String),
    #[error("a timescale of 0 ticks per second (time {value}/0) is not a time")]
    ZeroScale { value: i64 },
}

impl crate::error::Coded for TimeError {
    fn code(&self) -> &'static str {
        match self {
            TimeError::NotFinite { .. }
            | TimeError::OutOfRange { .. }
            | TimeError::ZeroScale { .. } => "ERR_TIME_RANGE",
            TimeError::BadRate(_) => "ERR_FRAME_RATE",
        }
    }
}

/// The largest magnitude in seconds we accept from the outside: about 292 years at 1 GHz ticks
/// would overflow i64 long before, but media never needs more than a few days; a year is ample.
const MAX_SECONDS: f64 = 366.0 * 24.0 * 3600.0;

/// An exact instant or duration: `value / scale` seconds. Comparison and equality are by value,
/// so `1/2 == 500/1000`. The fields are private so that the scale is never zero: every
/// constructor checks it.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawTime")]
pub struct Time {
    value: i64,
    scale: u32,
}

/// A time as serde reads it, before its scale is checked.
#[derive(serde::Deserialize)]
struct RawTime {
    value: i64,
    scale: u32,
}

impl TryFrom<RawTime> for Time {
    type Error = TimeError;
    fn try_from(raw: RawTime) -> Result<Time, TimeError> {
        Time::try_new(raw.value, raw.scale)
    }
}

/// Ticks per second of a time given in seconds from the outside: microseconds.
pub const USER_SCALE: u32 = 1_000_000;

impl Time {
    pub const ZERO: Time = Time { value: 0, scale: 1 };

    /// `value / scale` seconds, for scales the code already knows to be positive (constants, and
    /// timescales a demuxer checked when it read them). A zero scale is taken as 1, so that no
    /// `Time` divides by zero; use [`Time::try_new`] for a scale that comes from outside.
    pub const fn new(value: i64, scale: u32) -> Time {
        Time { value, scale: if scale == 0 { 1 } else { scale } }
    }

    /// `value / scale` seconds; a zero scale is an error.
    pub fn try_new(value: i64, scale: u32) -> Result<Time, TimeError> {
        if scale == 0 {
            return Err(TimeError::ZeroScale { value });
        }
        Ok(Time { value, scale })
    }

    pub const fn from_millis(ms: i64) -> Time {
        Time::new(ms, 1000)
    }

    /// Ticks: the numerator.
    pub const fn value(self) -> i64 {
        self.value
    }

    /// Ticks per second: the denominator, never zero.
    pub const fn scale(self) -> u32 {
        self.scale
    }

    /// Seconds from the outside world (JS, JSON, the command line) as an exact time. The one
    /// rounding rule: the nearest whole microsecond ([`USER_SCALE`]), exact halves up. A float of
    /// seconds carries binary noise (`1.0005` is `1.000499999…`); whole microseconds absorb it, so
    /// coarser grids (caption milliseconds, frames) round from the time the user wrote. Rejects
    /// NaN, infinities and magnitudes beyond a year.
    pub fn from_user_seconds(seconds: f64) -> Result<Time, TimeError> {
        if !seconds.is_finite() {
            return Err(TimeError::NotFinite { what: "time", value: seconds });
        }
        if seconds.abs() > MAX_SECONDS {
            return Err(TimeError::OutOfRange { what: "time", value: seconds });
        }
        // NOTE: the product is exact enough at these magnitudes (below 2^45 µs); the rounding
        // decides the last tick.
        let ticks = (seconds * USER_SCALE as f64 + 0.5).floor();
        Ok(Time { value: ticks as i64, scale: USER_SCALE })
    }

    /// Seconds as a float, for the JS boundary and JSON only.
    pub fn seconds(self) -> f64 {
        self.value as f64 / self.scale as f64
    }

    /// The same instant at another scale, rounded as asked.
    pub fn rescale(self, scale: u32, rounding: Rounding) -> Time {
        let scale = scale.max(1);
        if scale == self.scale {
            return self;
        }
        let n = self.value as i128 * scale as i128;
        Time::new(clamp_i64(div_round(n, self.scale as i128, rounding)), scale)
    }

    /// Whole milliseconds, rounded as asked (what WebVTT and SRT stamps hold).
    pub fn millis(self, rounding: Rounding) -> i64 {
        self.rescale(1000, rounding).value
    }

    /// The smallest equivalent form (`500/1000` becomes `1/2`).
    pub fn reduced(self) -> Time {
        let g = gcd(self.value.unsigned_abs(), self.scale as u64).max(1);
        Time::new((self.value as i128 / g as i128) as i64, (self.scale as u64 / g) as u32)
    }

    pub fn is_negative(self) -> bool {
        self.value < 0
    }

    pub fn max(self, other: Time) -> Time {
        if other > self {
            other
        } else {
            self
        }
    }

    pub fn min(self, other: Time) -> Time {
        if other < self {
            other
        } else {
            self
        }
    }

    /// `self * num / den`, exact when the result fits the common scale, else rounded to nearest.
    /// Used for speed changes (a segment at 2× halves its durations).
    pub fn mul_ratio(self, num: i64, den: i64) -> Time {
        if den == 0 {
            return self;
        }
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        // Keep the scale when the division is exact; otherwise widen it by den if that fits.
        let n = self.value as i128 * num as i128;
        if n % den as i128 == 0 {
            return Time::new(clamp_i64(n / den as i128), self.scale);
        }
        let wide = self.scale as u64 * den as u64;
        if wide <= u32::MAX as u64 {
            return Time::new(clamp_i64(n), wide as u32).reduced();
        }
        Time::new(clamp_i64(div_round(n, den as i128, Rounding::Nearest)), self.scale)
    }

    /// Puts two times on one scale so that they can be added or subtracted exactly. The scale is
    /// the least common multiple when it fits in a u32 (after reducing both, if need be), else
    /// the larger of the two (rounded).
    fn common(a: Time, b: Time) -> (i128, i128, u32) {
        // Fast paths first: equal scales, or one a multiple of the other (ms and µs, 1 and any).
        if a.scale == b.scale {
            return (a.value as i128, b.value as i128, a.scale);
        }
        if b.scale % a.scale == 0 {
            return (a.value as i128 * (b.scale / a.scale) as i128, b.value as i128, b.scale);
        }
        if a.scale % b.scale == 0 {
            return (a.value as i128, b.value as i128 * (a.scale / b.scale) as i128, a.scale);
        }
        let lcm = |a: Time, b: Time| {
            a.scale as u64 / gcd(a.scale as u64, b.scale as u64) * b.scale as u64
        };
        let (a, b) = if lcm(a, b) <= u32::MAX as u64 { (a, b) } else { (a.reduced(), b.reduced()) };
        let l = lcm(a, b);
        if l <= u32::MAX as u64 {
            let (ka, kb) = (l / a.scale as u64, l / b.scale as u64);
            return (a.value as i128 * ka as i128, b.value as i128 * kb as i128, l as u32);
        }
        let scale = a.scale.max(b.scale);
        let ra = a.rescale(scale, Rounding::Nearest);
        let rb = b.rescale(scale, Rounding::Nearest);
        (ra.value as i128, rb.value as i128, scale)
    }
}

fn clamp_i64(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

impl PartialEq for Time {
    fn eq(&self, other: &Time) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Time {}

impl Ord for Time {
    fn cmp(&self, other: &Time) -> Ordering {
        (self.value as i128 * other.scale as i128).cmp(&(other.value as i128 * self.scale as i128))
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Time) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for Time {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let r = self.reduced();
        r.value.hash(state);
        r.scale.hash(state);
    }
}

impl Add for Time {
    type Output = Time;
    fn add(self, rhs: Time) -> Time {
        let (a, b, scale) = Time::common(self, rhs);
        Time::new(clamp_i64(a + b), scale)
    }
}

impl Sub for Time {
    type Output = Time;
    fn sub(self, rhs: Time) -> Time {
        let (a, b, scale) = Time::common(self, rhs);
        Time::new(clamp_i64(a - b), scale)
    }
}

impl Neg for Time {
    type Output = Time;
    fn neg(self) -> Time {
        Time::new(self.value.saturating_neg(), self.scale)
    }
}

impl fmt::Display for Time {
    /// `h:mm:ss.mmm`, rounded to the nearest millisecond; negative times get a leading `-`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.millis(Rounding::Nearest);
        let sign = if ms < 0 { "-" } else { "" };
        let ms = ms.unsigned_abs();
        write!(
            f,
            "{sign}{}:{:02}:{:02}.{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    }
}

/// Frames per second as an exact fraction (`30000/1001` for NTSC 29.97).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    pub num: u32,
    pub den: u32,
}

impl Rate {
    pub fn new(num: u32, den: u32) -> Result<Rate, TimeError> {
        if num == 0 || den == 0 {
            return Err(TimeError::BadRate(format!("{num}/{den}")));
        }
        let g = gcd(num as u64, den as u64) as u32;
        Ok(Rate { num: num / g, den: den / g })
    }

    /// Parses `30`, `29.97`, `23.976` or `30000/1001`. The broadcast decimals 23.976, 29.97,
    /// 47.952, 59.94 and 119.88 mean their exact NTSC fractions, as editors mean them.
    pub fn parse(s: &str) -> Result<Rate, TimeError> {
        let s = s.trim();
        if let Some((n, d)) = s.split_once('/') {
            let n: u32 = n.trim().parse().map_err(|_| TimeError::BadRate(s.to_string()))?;
            let d: u32 = d.trim().parse().map_err(|_| TimeError::BadRate(s.to_string()))?;
            return Rate::new(n, d);
        }
        let f: f64 = s.parse().map_err(|_| TimeError::BadRate(s.to_string()))?;
        Rate::from_fps(f)
    }

    /// A rate from a float, recognising the NTSC family (`n * 1000/1001` within 0.01 fps).
    pub fn from_fps(fps: f64) -> Result<Rate, TimeError> {
        if !fps.is_finite() || fps <= 0.0 || fps > 1_000_000.0 {
            return Err(TimeError::BadRate(fps.to_string()));
        }
        let ntsc = (fps * 1.001).round();
        if (fps - ntsc * 1000.0 / 1001.0).abs() < 0.01 && (fps - fps.round()).abs() > 0.001 {
            return Rate::new(ntsc as u32 * 1000, 1001);
        }
        if (fps - fps.round()).abs() < 1e-9 {
            return Rate::new(fps.round() as u32, 1);
        }
        // Arbitrary decimals: keep three decimal places exactly.
        Rate::new((fps * 1000.0).round() as u32, 1000)
    }

    pub fn fps(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The duration of one frame.
    pub fn frame_duration(self) -> Time {
        Time::new(self.den as i64, self.num)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// A constant-rate grid of frame boundaries starting at `origin`: frame `n` begins at
/// `origin + n / rate`. Snapping captions, counting frames between cues and finding the frame
/// showing at an instant all go through here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameGrid {
    pub rate: Rate,
    pub origin: Time,
}

impl FrameGrid {
    pub fn new(rate: Rate) -> FrameGrid {
        FrameGrid { rate, origin: Time::ZERO }
    }

    /// The index of the frame boundary at or around `t`, rounded as asked. With `Floor` this is
    /// the frame on screen at `t`.
    pub fn frame_at(&self, t: Time, rounding: Rounding) -> i64 {
        let d = t - self.origin;
        // frames = d * num / den, computed exactly in i128.
        let n = d.value as i128 * self.rate.num as i128;
        let den = d.scale as i128 * self.rate.den as i128;
        clamp_i64(div_round(n, den, rounding))
    }

    /// When frame `n` begins, exactly.
    pub fn time_of(&self, frame: i64) -> Time {
        self.origin + Time::new(frame.saturating_mul(self.rate.den as i64), self.rate.num)
    }

    /// `t` moved onto the grid.
    pub fn snap(&self, t: Time, rounding: Rounding) -> Time {
        self.time_of(self.frame_at(t, rounding))
    }

    /// Whole frames from `a` to `b` (negative when `b` is earlier), rounding each to the nearest
    /// boundary first, as a gap measured in frames is meant.
    pub fn frames_between(&self, a: Time, b: Time) -> i64 {
        self.frame_at(b, Rounding::Nearest) - self.frame_at(a, Rounding::Nearest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equality_is_by_value() {
        assert_eq!(Time::new(1, 2), Time::new(500, 1000));
        assert!(Time::new(1, 3) < Time::new(334, 1000));
        assert!(Time::new(1, 3) > Time::new(333, 1000));
    }

    #[test]
    fn ntsc_frames_land_exactly() {
        let grid = FrameGrid::new(Rate::parse("29.97").unwrap());
        assert_eq!(grid.rate, Rate { num: 30000, den: 1001 });
        // Frame 30 starts at 1.001 s exactly, not 1.0 s.
        assert_eq!(grid.time_of(30), Time::from_millis(1001));
        assert_eq!(grid.frame_at(Time::from_millis(1001), Rounding::Floor), 30);
        assert_eq!(grid.frame_at(Time::from_millis(1000), Rounding::Floor), 29);
        assert_eq!(grid.frame_at(Time::from_millis(1000), Rounding::Ceil), 30);
    }

    #[test]
    fn rounding_of_halves_goes_up() {
        let grid = FrameGrid::new(Rate::new(2, 1).unwrap());
        assert_eq!(grid.frame_at(Time::from_millis(250), Rounding::Nearest), 1);
        assert_eq!(grid.frame_at(Time::from_millis(-250), Rounding::Nearest), 0);
        assert_eq!(grid.frame_at(Time::from_millis(-251), Rounding::Nearest), -1);
    }

    #[test]
    fn display_is_a_webvtt_stamp() {
        assert_eq!(Time::new(3_723_004, 1000).to_string(), "1:02:03.004");
        assert_eq!(Time::new(-1, 2).to_string(), "-0:00:00.500");
    }

    #[test]
    fn rate_parsing() {
        assert_eq!(Rate::parse("25").unwrap(), Rate { num: 25, den: 1 });
        assert_eq!(Rate::parse("23.976").unwrap(), Rate { num: 24000, den: 1001 });
        assert_eq!(Rate::parse("60000/1001").unwrap(), Rate { num: 60000, den: 1001 });
        assert_eq!(Rate::parse("12.5").unwrap(), Rate { num: 25, den: 2 });
        assert!(Rate::parse("0").is_err());
        assert!(Rate::parse("-3").is_err());
        assert!(Rate::parse("abc").is_err());
        assert!(Rate::parse("1/0").is_err());
    }

    #[test]
    fn from_user_seconds_rejects_what_is_not_time() {
        assert!(Time::from_user_seconds(f64::NAN).is_err());
        assert!(Time::from_user_seconds(f64::INFINITY).is_err());
        assert!(Time::from_user_seconds(f64::NEG_INFINITY).is_err());
        assert!(Time::from_user_seconds(1e12).is_err());
        assert!(Time::from_user_seconds(-1e12).is_err());
        assert!(Time::from_user_seconds(366.0 * 24.0 * 3600.0).is_ok());
    }

    #[test]
    fn from_user_seconds_rounds_to_the_nearest_microsecond_halves_up() {
        let us = |s: f64| Time::from_user_seconds(s).unwrap();
        assert_eq!(us(1.2345), Time::new(1_234_500, USER_SCALE));
        assert_eq!(us(0.0000004), Time::ZERO);
        assert_eq!(us(0.0000005), Time::new(1, USER_SCALE));
        assert_eq!(us(-0.0000005), Time::ZERO);
        assert_eq!(us(-0.0000006), Time::new(-1, USER_SCALE));
        assert_eq!(us(1.0 / 3.0), Time::new(333_333, USER_SCALE));
        assert_eq!(us(1.0).scale(), USER_SCALE);
        // The float's binary noise does not survive: 1.0005 (1.000499999…) is half a millisecond,
        // which a millisecond grid then rounds up.
        assert_eq!(us(1.0005), Time::new(1_000_500, USER_SCALE));
        assert_eq!(us(1.0005).millis(Rounding::Nearest), 1001);
    }

    #[test]
    fn zero_timescale_is_refused() {
        assert_eq!(Time::try_new(5, 0), Err(TimeError::ZeroScale { value: 5 }));
        assert_eq!(Time::try_new(5, 10).unwrap(), Time::new(1, 2));
        // `new` is for scales known to be positive; a zero still never divides.
        assert_eq!(Time::new(3, 0).scale(), 1);
        // Nor can serde make one.
        assert!(serde_json::from_str::<Time>(r#"{"value": 1, "scale": 0}"#).is_err());
        let t: Time = serde_json::from_str(r#"{"value": 1, "scale": 4}"#).unwrap();
        assert_eq!((t.value(), t.scale()), (1, 4));
    }

    #[test]
    fn gcd_of_zero_is_the_other() {
        assert_eq!(gcd(0, 7), 7);
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(0, 0), 0);
    }

    #[test]
    fn speed_scaling_is_exact() {
        assert_eq!(Time::from_millis(1000).mul_ratio(1, 3), Time::new(1, 3));
        assert_eq!(Time::from_millis(1500).mul_ratio(2, 1), Time::from_millis(3000));
    }

    /// Timescales that media and captions really use; sums across any two of them stay exact.
    const MEDIA_SCALES: [u32; 12] =
        [1, 25, 30, 1000, 24000, 30000, 44100, 48000, 60000, 90000, 1_000_000, 16000];

    proptest! {
        #[test]
        fn add_then_sub_is_identity(a in -1_000_000_000i64..1_000_000_000, sa in 0usize..MEDIA_SCALES.len(),
                                    b in -1_000_000_000i64..1_000_000_000, sb in 0usize..MEDIA_SCALES.len()) {
            let (x, y) = (Time::new(a, MEDIA_SCALES[sa]), Time::new(b, MEDIA_SCALES[sb]));
            prop_assert_eq!((x + y) - y, x);
        }

        #[test]
        fn sums_are_exact_whenever_the_common_scale_fits(a in -1_000_000_000i64..1_000_000_000, sa in 1u32..2_000_000,
                                                         b in -1_000_000_000i64..1_000_000_000, sb in 1u32..2_000_000) {
            let (x, y) = (Time::new(a, sa), Time::new(b, sb));
            let (sum, diff) = (x + y, x - y);
            // Exact fractions: (a*sb ± b*sa) / (sa*sb), compared by cross-multiplication.
            let den = sa as i128 * sb as i128;
            let exact = |num: i128, t: Time| num * t.scale as i128 == t.value as i128 * den;
            let lcm = sa as u64 / gcd(sa as u64, sb as u64) * sb as u64;
            let (rx, ry) = (x.reduced(), y.reduced());
            let lcm_reduced = rx.scale as u64 / gcd(rx.scale as u64, ry.scale as u64) * ry.scale as u64;
            if lcm <= u32::MAX as u64 || lcm_reduced <= u32::MAX as u64 {
                prop_assert!(exact(a as i128 * sb as i128 + b as i128 * sa as i128, sum), "{x:?} + {y:?} = {sum:?}");
                prop_assert!(exact(a as i128 * sb as i128 - b as i128 * sa as i128, diff), "{x:?} - {y:?} = {diff:?}");
            }
        }

        #[test]
        fn snapped_time_is_on_grid_and_within_a_frame(ms in -10_000_000i64..10_000_000, num in 1u32..240_000, den in 1u32..1002) {
            let grid = FrameGrid::new(Rate::new(num, den).unwrap());
            let t = Time::from_millis(ms);
            let f = grid.frame_at(t, Rounding::Floor);
            prop_assert!(grid.time_of(f) <= t);
            prop_assert!(t < grid.time_of(f + 1));
            let s = grid.snap(t, Rounding::Nearest);
            prop_assert_eq!(grid.snap(s, Rounding::Floor), s);
        }
    }
}
