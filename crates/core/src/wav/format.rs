//! Sample encodings and the block loops that convert them to and from `f32`.
//!
//! Integer conventions (the same as sox's, so our decoding agrees with
//! `sox file.wav -t f32 -` bit for bit): an `n`-bit integer `v` decodes to
//! `v / 2^(n-1)`, and encoding multiplies by `2^(n-1)`, rounds to nearest and
//! clips to the integer range. So `-1.0` maps to the most negative integer,
//! `+1.0` to the most positive one (32767 for i16, a hair below 1.0 when read
//! back), and every value `k / 2^(n-1)` in range round-trips exactly. 8-bit
//! WAV data is unsigned with 128 as zero, as the format requires.

use crate::error::{Error, Result};
use std::mem::MaybeUninit;

/// How samples are stored in a WAV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SampleFormat {
    /// 32-bit IEEE float.
    F32,
    /// 16-bit signed integer.
    I16,
    /// 24-bit signed integer, packed in 3 bytes.
    I24,
    /// 32-bit signed integer.
    I32,
    /// 8-bit unsigned integer (128 is zero).
    U8,
}

impl SampleFormat {
    /// Every format, for iteration in tests and error messages.
    pub const ALL: [SampleFormat; 5] = [
        SampleFormat::F32,
        SampleFormat::I16,
        SampleFormat::I24,
        SampleFormat::I32,
        SampleFormat::U8,
    ];

    /// The name used by the JS API: `"f32"`, `"i16"`, `"i24"`, `"i32"` or `"u8"`.
    pub const fn name(self) -> &'static str {
        match self {
            SampleFormat::F32 => "f32",
            SampleFormat::I16 => "i16",
            SampleFormat::I24 => "i24",
            SampleFormat::I32 => "i32",
            SampleFormat::U8 => "u8",
        }
    }

    /// The format called `name` (see [`SampleFormat::name`]).
    pub fn from_name(name: &str) -> Result<Self> {
        SampleFormat::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                Error::invalid_arg(format!(
                    "format must be one of 'f32', 'i16', 'i24', 'i32', 'u8', got '{name}'"
                ))
            })
    }

    /// Bytes per sample in the file.
    pub const fn bytes(self) -> usize {
        match self {
            SampleFormat::U8 => 1,
            SampleFormat::I16 => 2,
            SampleFormat::I24 => 3,
            SampleFormat::F32 | SampleFormat::I32 => 4,
        }
    }

    /// Bits per sample in the file.
    pub const fn bits(self) -> u16 {
        self.bytes() as u16 * 8
    }

    /// Whether samples are IEEE floats.
    pub const fn is_float(self) -> bool {
        matches!(self, SampleFormat::F32)
    }
}

const I16_SCALE: f32 = 32768.0;
const I24_SCALE: f32 = 8_388_608.0;
const I32_SCALE: f32 = 2_147_483_648.0;
const U8_SCALE: f32 = 128.0;

/// Decodes the little-endian samples in `bytes` into `out`.
///
/// `bytes.len()` must equal `out.len() * format.bytes()`; the caller slices
/// both to whole samples. Float data is passed through unchanged (NaN and
/// values outside [-1, 1] included: they are the file's content).
pub fn decode(format: SampleFormat, bytes: &[u8], out: &mut [f32]) {
    // SAFETY: `MaybeUninit<f32>` has the layout of `f32`, and `decode_uninit`
    // only writes initialised values, so `out` stays initialised.
    let out = unsafe { &mut *(out as *mut [f32] as *mut [MaybeUninit<f32>]) };
    decode_uninit(format, bytes, out);
}

/// [`decode`] into memory that may be uninitialised: every element of
/// `out` is written once, with the decoding of `bytes`.
pub fn decode_uninit(format: SampleFormat, bytes: &[u8], out: &mut [MaybeUninit<f32>]) {
    assert_eq!(
        bytes.len(),
        out.len() * format.bytes(),
        "whole samples only"
    );
    // Multiplying by the reciprocal of a power of two is exact, so these
    // loops equal a division and the compiler can vectorise them.
    match format {
        SampleFormat::F32 => {
            for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
                o.write(f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            }
        }
        SampleFormat::I16 => {
            for (o, c) in out.iter_mut().zip(bytes.chunks_exact(2)) {
                o.write(f32::from(i16::from_le_bytes([c[0], c[1]])) * (1.0 / I16_SCALE));
            }
        }
        SampleFormat::I24 => {
            for (o, c) in out.iter_mut().zip(bytes.chunks_exact(3)) {
                // Place the 3 bytes in the top of an i32 so the shift sign-extends.
                let v = i32::from_le_bytes([0, c[0], c[1], c[2]]) >> 8;
                o.write(v as f32 * (1.0 / I24_SCALE));
            }
        }
        SampleFormat::I32 => {
            for (o, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
                o.write(i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32 * (1.0 / I32_SCALE));
            }
        }
        SampleFormat::U8 => {
            for (o, &b) in out.iter_mut().zip(bytes) {
                o.write(f32::from(i16::from(b) - 128) * (1.0 / U8_SCALE));
            }
        }
    }
}

/// Scales `x` to an integer of `scale` steps per unit, rounded to nearest
/// (ties away from zero) and clipped to `-scale..=scale - 1`; NaN gives 0.
#[inline(always)]
fn to_int(x: f32, scale: f64) -> i32 {
    // In f64, `v + 0.5` is exact for every |v| up to 2^31, so this rounds
    // like `f64::round` without its libm call. `as` saturates (and maps NaN
    // to 0), so no input can overflow.
    let v = f64::from(x) * scale;
    let r = (v + 0.5f64.copysign(v)) as i64;
    r.clamp(-(scale as i64), scale as i64 - 1) as i32
}

/// [`to_int`] in `f32`, for scales up to 2^23 (every format but i32), in
/// operations the compiler vectorises. Exact: scaling by a power of two is,
/// and so are the truncation and the fraction `v - t` of a clipped value
/// (|v| <= 2^23); rounding on the fraction avoids `v + 0.5`, which rounds
/// 0.49999997 up.
///
/// NaN is replaced by 0 before clipping rather than left to `as`: the
/// saturating `as` (which must map NaN and out-of-range values) compiles to a
/// scalar conversion with branches per sample, while a value known to be
/// finite and in range converts with the packed instruction.
#[inline(always)]
fn to_small_int(x: f32, scale: f32) -> i32 {
    let x = if x.is_nan() { 0.0 } else { x };
    let v = (x * scale).clamp(-scale, scale - 1.0);
    // SAFETY: `x` is not NaN, so `v` is clipped to [-scale, scale - 1]
    // (infinities included): finite and, as scale <= 2^23, inside i32.
    let t: i32 = unsafe { v.to_int_unchecked() };
    let frac = v - t as f32;
    t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
}

/// Encodes `samples` as little-endian `format` samples, appending to `out`.
pub fn encode(format: SampleFormat, samples: &[f32], out: &mut Vec<u8>) {
    let n = samples.len() * format.bytes();
    out.reserve(n);
    let len = out.len();
    encode_uninit(format, samples, &mut out.spare_capacity_mut()[..n]);
    // SAFETY: `encode_uninit` wrote all `n` bytes after `len`, inside the
    // capacity reserved above.
    unsafe { out.set_len(len + n) };
}

/// Writes every byte of `out` (`samples.len() * format.bytes()` of them)
/// with the encoding of `samples`, each byte once.
fn encode_uninit(format: SampleFormat, samples: &[f32], out: &mut [MaybeUninit<u8>]) {
    // The loops are written for the compiler to vectorise; built for the
    // x86-64 baseline they get 4-lane SSE2, so where the CPU has AVX2 the
    // same code compiled for it (8 lanes) runs instead: the i16 encoding of
    // a whole file took twice as long as the write into the page cache.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { encode_uninit_avx2(format, samples, out) };
        return;
    }
    encode_uninit_any(format, samples, out);
}

/// [`encode_uninit_any`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn encode_uninit_avx2(format: SampleFormat, samples: &[f32], out: &mut [MaybeUninit<u8>]) {
    encode_uninit_any(format, samples, out);
}

/// The body of [`encode_uninit`], inlined into each of its builds.
#[inline(always)]
fn encode_uninit_any(format: SampleFormat, samples: &[f32], out: &mut [MaybeUninit<u8>]) {
    assert_eq!(
        out.len(),
        samples.len() * format.bytes(),
        "whole samples only"
    );
    #[inline(always)]
    fn put<const N: usize>(
        out: &mut [MaybeUninit<u8>],
        samples: &[f32],
        f: impl Fn(f32) -> [u8; N],
    ) {
        for (c, &x) in out.chunks_exact_mut(N).zip(samples) {
            for (o, b) in c.iter_mut().zip(f(x)) {
                o.write(b);
            }
        }
    }
    match format {
        SampleFormat::F32 => put(out, samples, f32::to_le_bytes),
        SampleFormat::I16 => put(out, samples, |x| {
            (to_small_int(x, I16_SCALE) as i16).to_le_bytes()
        }),
        SampleFormat::I24 => put(out, samples, |x| {
            let b = to_small_int(x, I24_SCALE).to_le_bytes();
            [b[0], b[1], b[2]]
        }),
        SampleFormat::I32 => put(out, samples, |x| {
            to_int(x, f64::from(I32_SCALE)).to_le_bytes()
        }),
        SampleFormat::U8 => put(out, samples, |x| [(to_small_int(x, U8_SCALE) + 128) as u8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_names_are_invalid_args() {
        for f in SampleFormat::ALL {
            assert_eq!(SampleFormat::from_name(f.name()).unwrap(), f);
        }
        let e = SampleFormat::from_name("f64").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArg);
        assert!(e.message().contains("f64"));
    }

    #[test]
    fn grid_values_round_trip_exactly() {
        for f in SampleFormat::ALL {
            let scale = match f {
                SampleFormat::U8 => 128.0,
                SampleFormat::I16 => 32768.0,
                SampleFormat::I24 => 8_388_608.0,
                SampleFormat::I32 | SampleFormat::F32 => 2_147_483_648.0,
            };
            let ks: [f64; 7] = [-scale, -scale / 2.0, -1.0, 0.0, 1.0, 3.0, scale - 1.0];
            let xs: Vec<f32> = ks.iter().map(|k| (k / scale) as f32).collect();
            let mut bytes = Vec::new();
            encode(f, &xs, &mut bytes);
            assert_eq!(bytes.len(), xs.len() * f.bytes());
            let mut back = vec![0.0; xs.len()];
            decode(f, &bytes, &mut back);
            if f == SampleFormat::I32 {
                // f32 cannot hold 2^31 - 1 steps; the rest is exact.
                assert_eq!(back[..6], xs[..6], "{f:?}");
            } else {
                assert_eq!(back, xs, "{f:?}");
            }
        }
    }

    #[test]
    fn the_f32_rounding_equals_the_f64_one() {
        // Every i16 step and the halves between them, the edges, and values
        // far out of range: the vectorised f32 path must agree bit for bit.
        let mut xs: Vec<f32> = (-70_000..70_000).map(|k| k as f32 / 65536.0).collect();
        xs.extend([
            0.49999997 / 32768.0,
            -0.49999997 / 32768.0,
            1e30,
            -1e30,
            f32::MIN_POSITIVE,
        ]);
        for scale in [U8_SCALE, I16_SCALE, I24_SCALE] {
            for &x in &xs {
                for v in [x, x * 0.999_999_9, x * 1.000_000_1] {
                    assert_eq!(
                        to_small_int(v, scale),
                        to_int(v, f64::from(scale)),
                        "{v} at {scale}"
                    );
                }
            }
        }
        assert_eq!(to_small_int(f32::NAN, I16_SCALE), 0);
    }

    #[test]
    fn the_vectorised_encoding_equals_the_f64_rounding() {
        // `encode` runs the loops as the CPU allows (AVX2 or the baseline);
        // whichever it picks must round every sample as `to_int` does.
        let mut xs: Vec<f32> = (-70_000..70_000).map(|k| k as f32 / 65536.0).collect();
        xs.extend([0.49999997 / 32768.0, 1e30, -1e30, f32::NAN, f32::INFINITY]);
        xs.extend(xs.clone().iter().map(|x| x * 1.000_000_1));
        for (format, scale) in [
            (SampleFormat::U8, U8_SCALE),
            (SampleFormat::I16, I16_SCALE),
            (SampleFormat::I24, I24_SCALE),
        ] {
            let mut bytes = Vec::new();
            encode(format, &xs, &mut bytes);
            for (x, b) in xs.iter().zip(bytes.chunks(format.bytes())) {
                let want = to_int(*x, f64::from(scale));
                let got = match format {
                    SampleFormat::U8 => i32::from(b[0]) - 128,
                    SampleFormat::I16 => i32::from(i16::from_le_bytes([b[0], b[1]])),
                    _ => i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8,
                };
                assert_eq!(got, want, "{x} as {format:?}");
            }
        }
    }

    #[test]
    fn clips_out_of_range_and_nan() {
        let xs = [2.0, -2.0, 1.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY];
        let mut b = Vec::new();
        encode(SampleFormat::I16, &xs, &mut b);
        let v: Vec<i16> = b
            .chunks(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(v, [32767, -32768, 32767, 0, 32767, -32768]);
        b.clear();
        encode(SampleFormat::U8, &xs, &mut b);
        assert_eq!(b, [255, 0, 255, 128, 255, 0]);
        b.clear();
        encode(SampleFormat::I24, &[1.0, -1.0], &mut b);
        assert_eq!(b, [0xff, 0xff, 0x7f, 0x00, 0x00, 0x80]);
        b.clear();
        encode(SampleFormat::I32, &[1.0, -1.0], &mut b);
        assert_eq!(b, [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x80]);
    }
}
