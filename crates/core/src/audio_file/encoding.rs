//! [`Encoding`]: how one sample is stored in an uncompressed file (AU, RAW,
//! AIFF, WAV) or which bit depth a FLAC file keeps, named as sox and
//! pastream name them, and the loops converting it to and from `f32`.

use crate::error::{Error, ErrorKind, Result};
use crate::wav::format::{decode as decode_le, encode as encode_le, SampleFormat};
use crate::wav::pcm::{transcode, PcmFormat};

/// A sample encoding, by the names pastream's `-e` and sox's `-e`/`-b` use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// 8-bit unsigned integer (128 is zero), as WAV stores 8 bits.
    PcmU8,
    /// 8-bit signed integer, as AU and AIFF store 8 bits.
    PcmS8,
    /// 16-bit signed integer.
    Pcm16,
    /// 24-bit signed integer, packed in 3 bytes.
    Pcm24,
    /// 32-bit signed integer.
    Pcm32,
    /// 32-bit IEEE float.
    Float,
    /// 64-bit IEEE float.
    Double,
    /// G.711 µ-law, 8 bits.
    Ulaw,
    /// G.711 A-law, 8 bits.
    Alaw,
}

/// Every encoding with its canonical name and the aliases accepted for it
/// (pastream's `-e` names, soundfile's subtypes, sox's words, numpy dtypes).
const NAMES: [(Encoding, &str, &[&str]); 9] = [
    (Encoding::PcmU8, "pcm_u8", &["u8", "uint8", "unsigned"]),
    (Encoding::PcmS8, "pcm_s8", &["s8", "i8", "int8"]),
    (
        Encoding::Pcm16,
        "pcm_16",
        &["i16", "int16", "s16", "pcm_s16"],
    ),
    (
        Encoding::Pcm24,
        "pcm_24",
        &["i24", "int24", "s24", "pcm_s24"],
    ),
    (
        Encoding::Pcm32,
        "pcm_32",
        &["i32", "int32", "s32", "pcm_s32"],
    ),
    (
        Encoding::Float,
        "float",
        &["f32", "float32", "floating-point"],
    ),
    (Encoding::Double, "double", &["f64", "float64"]),
    (Encoding::Ulaw, "ulaw", &["mu-law", "u-law", "mulaw"]),
    (Encoding::Alaw, "alaw", &["a-law"]),
];

impl Encoding {
    /// Every encoding, for iteration in tests and error messages.
    pub const ALL: [Encoding; 9] = [
        Encoding::PcmU8,
        Encoding::PcmS8,
        Encoding::Pcm16,
        Encoding::Pcm24,
        Encoding::Pcm32,
        Encoding::Float,
        Encoding::Double,
        Encoding::Ulaw,
        Encoding::Alaw,
    ];

    /// The canonical name (`pcm_16`, `float`, `ulaw`, ...).
    ///
    /// ```
    /// use ringstream_core::audio_file::Encoding;
    /// assert_eq!(Encoding::Pcm24.name(), "pcm_24");
    /// ```
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(e, _, _)| *e == self)
            .map(|(_, n, _)| *n)
            .unwrap_or("")
    }

    /// The encoding called `name` (case-insensitive; canonical names and
    /// aliases such as `int16`, `f32`, `mu-law`).
    ///
    /// ```
    /// use ringstream_core::audio_file::Encoding;
    /// assert_eq!(Encoding::from_name("PCM_16").unwrap(), Encoding::Pcm16);
    /// assert_eq!(Encoding::from_name("mu-law").unwrap(), Encoding::Ulaw);
    /// assert!(Encoding::from_name("mp3").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        let lower = name.to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(_, n, aliases)| *n == lower || aliases.contains(&lower.as_str()))
            .map(|(e, _, _)| *e)
            .ok_or_else(|| {
                let names: Vec<&str> = NAMES.iter().map(|(_, n, _)| *n).collect();
                Error::new(
                    ErrorKind::UnsupportedFormat,
                    format!("encoding must be one of {}, got '{name}'", names.join(", ")),
                )
            })
    }

    /// Bytes per sample.
    pub const fn bytes(self) -> usize {
        match self {
            Encoding::PcmU8 | Encoding::PcmS8 | Encoding::Ulaw | Encoding::Alaw => 1,
            Encoding::Pcm16 => 2,
            Encoding::Pcm24 => 3,
            Encoding::Pcm32 | Encoding::Float => 4,
            Encoding::Double => 8,
        }
    }

    /// Bits of an integer PCM encoding (8 for µ-law and A-law, whose
    /// samples FLAC or AIFF would hold as 16-bit), `None` for floats.
    pub const fn int_bits(self) -> Option<u32> {
        match self {
            Encoding::PcmU8 | Encoding::PcmS8 => Some(8),
            Encoding::Pcm16 => Some(16),
            Encoding::Pcm24 => Some(24),
            Encoding::Pcm32 => Some(32),
            _ => None,
        }
    }

    /// The WAV module's format for the same little-endian bytes, if any.
    fn wav_format(self) -> Option<SampleFormat> {
        match self {
            Encoding::PcmU8 => Some(SampleFormat::U8),
            Encoding::Pcm16 => Some(SampleFormat::I16),
            Encoding::Pcm24 => Some(SampleFormat::I24),
            Encoding::Pcm32 => Some(SampleFormat::I32),
            Encoding::Float => Some(SampleFormat::F32),
            _ => None,
        }
    }

    /// The encoding of a WAV sample format.
    pub const fn from_wav(format: SampleFormat) -> Self {
        match format {
            SampleFormat::U8 => Encoding::PcmU8,
            SampleFormat::I16 => Encoding::Pcm16,
            SampleFormat::I24 => Encoding::Pcm24,
            SampleFormat::I32 => Encoding::Pcm32,
            SampleFormat::F32 => Encoding::Float,
        }
    }

    /// The WAV sample format of this encoding, or `ERR_UNSUPPORTED_FORMAT`.
    pub fn to_wav(self) -> Result<SampleFormat> {
        self.wav_format().ok_or_else(|| {
            Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "WAV files are written as pcm_u8, pcm_16, pcm_24, pcm_32 or float, not {}",
                    self.name()
                ),
            )
        })
    }
}

/// A byte order and an encoding: the layout of samples in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    /// How each sample is stored.
    pub encoding: Encoding,
    /// Most significant byte first (AU, AIFF) rather than last (WAV).
    pub big_endian: bool,
}

impl Layout {
    /// An encoding name with an optional `be` suffix (big-endian), as the
    /// pipe paths name the bytes they move: `ulawbe`, `pcm_16be`, `double`.
    ///
    /// ```
    /// use ringstream_core::audio_file::{Encoding, Layout};
    /// let l = Layout::from_name("doublebe").unwrap();
    /// assert_eq!((l.encoding, l.big_endian), (Encoding::Double, true));
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        if let Some(encoding) = name
            .strip_suffix("be")
            .and_then(|b| Encoding::from_name(b).ok())
        {
            return Ok(Layout {
                encoding,
                big_endian: true,
            });
        }
        Encoding::from_name(name).map(|encoding| Layout {
            encoding,
            big_endian: false,
        })
    }
}

/// Converts whole samples of `from` into `to` (a stream ring's layout),
/// appending to `out`: exactly where both are PCM formats of the WAV
/// module, else through `f32` (µ-law, A-law, 8-bit signed, double).
///
/// ```
/// use ringstream_core::audio_file::{encoding::transcode_into, Encoding, Layout};
/// use ringstream_core::wav::{pcm::PcmFormat, SampleFormat};
/// let ulaw = Layout { encoding: Encoding::Ulaw, big_endian: true };
/// let mut out = Vec::new();
/// transcode_into(ulaw, &[0xff, 0x80], PcmFormat::le(SampleFormat::I16), &mut out)?;
/// assert_eq!(out, [0, 0, 0x7c, 0x7d]); // 0 and 32124
/// # Ok::<(), ringstream_core::Error>(())
/// ```
pub fn transcode_into(from: Layout, bytes: &[u8], to: PcmFormat, out: &mut Vec<u8>) -> Result<()> {
    let w = from.encoding.bytes();
    if !bytes.len().is_multiple_of(w) {
        return Err(Error::invalid_arg(format!(
            "{} bytes are not a whole number of {w}-byte samples",
            bytes.len()
        )));
    }
    if let Some(f) = from.encoding.wav_format() {
        let from = PcmFormat {
            format: f,
            big_endian: from.big_endian,
        };
        return transcode(bytes, from, to, out);
    }
    let mut f32s = vec![0.0f32; bytes.len() / w];
    decode(from, bytes, &mut f32s);
    let le: Vec<u8> = f32s.iter().flat_map(|x| x.to_le_bytes()).collect();
    transcode(&le, PcmFormat::le(SampleFormat::F32), to, out)
}

/// Decodes whole samples of `layout` from `bytes` into `out`
/// (`bytes.len() == out.len() * layout.encoding.bytes()`).
///
/// ```
/// use ringstream_core::audio_file::{decode, Encoding, Layout};
/// let mut out = [0.0f32; 2];
/// decode(Layout { encoding: Encoding::Pcm16, big_endian: true }, &[0x40, 0, 0xc0, 0], &mut out);
/// assert_eq!(out, [0.5, -0.5]);
/// ```
pub fn decode(layout: Layout, bytes: &[u8], out: &mut [f32]) {
    let w = layout.encoding.bytes();
    assert_eq!(bytes.len(), out.len() * w, "whole samples only");
    match (layout.encoding.wav_format(), layout.big_endian) {
        (Some(f), false) => decode_le(f, bytes, out),
        (Some(f), true) => {
            let mut le = [0u8; 4 * 256];
            for (o, c) in out.chunks_mut(256).zip(bytes.chunks(256 * w)) {
                let le = &mut le[..c.len()];
                le.copy_from_slice(c);
                le.chunks_exact_mut(w).for_each(<[u8]>::reverse);
                decode_le(f, le, o);
            }
        }
        (None, be) => {
            for (o, c) in out.iter_mut().zip(bytes.chunks_exact(w)) {
                *o = match layout.encoding {
                    Encoding::PcmS8 => f32::from(c[0] as i8) / 128.0,
                    Encoding::Ulaw => f32::from(super::g711::ulaw_to_i16(c[0])) / 32768.0,
                    Encoding::Alaw => f32::from(super::g711::alaw_to_i16(c[0])) / 32768.0,
                    _ => {
                        let mut b = [0u8; 8];
                        b.copy_from_slice(c);
                        (if be {
                            f64::from_be_bytes(b)
                        } else {
                            f64::from_le_bytes(b)
                        }) as f32
                    }
                };
            }
        }
    }
}

/// Encodes `samples` in `layout`, appending to `out`; integers are rounded
/// to nearest and clipped, as the WAV writer does.
///
/// ```
/// use ringstream_core::audio_file::{encode, Encoding, Layout};
/// let mut out = Vec::new();
/// encode(Layout { encoding: Encoding::Pcm16, big_endian: true }, &[0.5, -0.5], &mut out);
/// assert_eq!(out, [0x40, 0, 0xc0, 0]);
/// ```
pub fn encode(layout: Layout, samples: &[f32], out: &mut Vec<u8>) {
    let start = out.len();
    let w = layout.encoding.bytes();
    match layout.encoding.wav_format() {
        Some(f) => encode_le(f, samples, out),
        None => {
            out.reserve(samples.len() * w);
            for &x in samples {
                match layout.encoding {
                    Encoding::PcmS8 => out.push(clip_int(x, 128.0) as i8 as u8),
                    Encoding::Ulaw => {
                        out.push(super::g711::i16_to_ulaw(clip_int(x, 32768.0) as i16))
                    }
                    Encoding::Alaw => {
                        out.push(super::g711::i16_to_alaw(clip_int(x, 32768.0) as i16))
                    }
                    _ => out.extend_from_slice(&f64::from(x).to_le_bytes()),
                }
            }
        }
    }
    if layout.big_endian && w > 1 {
        out[start..].chunks_exact_mut(w).for_each(<[u8]>::reverse);
    }
}

/// `x` scaled to `scale` steps per unit, rounded to nearest and clipped to
/// `-scale..scale`; NaN gives 0.
fn clip_int(x: f32, scale: f32) -> i32 {
    if x.is_nan() {
        return 0;
    }
    (x * scale).round().clamp(-scale, scale - 1.0) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_round_trips_in_both_byte_orders() {
        // Multiples of 1/128 are on every grid but the G.711 ones, which
        // hold them within their step.
        let x: Vec<f32> = (-128..128).map(|i| i as f32 / 128.0).collect();
        for encoding in Encoding::ALL {
            for big_endian in [false, true] {
                let layout = Layout {
                    encoding,
                    big_endian,
                };
                let mut bytes = Vec::new();
                encode(layout, &x, &mut bytes);
                assert_eq!(bytes.len(), x.len() * encoding.bytes());
                let mut back = vec![0f32; x.len()];
                decode(layout, &bytes, &mut back);
                let tol = if matches!(encoding, Encoding::Ulaw | Encoding::Alaw) {
                    0.02
                } else {
                    0.0
                };
                for (a, b) in x.iter().zip(&back) {
                    assert!(
                        (a - b).abs() <= tol,
                        "{encoding:?} be={big_endian}: {a} -> {b}"
                    );
                }
                assert_eq!(Encoding::from_name(encoding.name()).unwrap(), encoding);
            }
        }
    }

    #[test]
    fn unknown_names_are_unsupported_formats() {
        let e = Encoding::from_name("vorbis").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        assert!(e.message().contains("pcm_16"), "{e}");
    }
}
