//! Raw PCM byte streams: a [`PcmFormat`] (an encoding and a byte order) and
//! [`transcode`], which converts whole samples from one format to another.
//!
//! Used where audio arrives or leaves as bytes rather than as a WAV file the
//! core opens itself: RAW files and WAV data piped through stdin / stdout,
//! and the raw PCM of a stream's rings (whose dtypes `f32`, `i16` and `i32`
//! are the little-endian formats of the same names on every supported
//! target). Conversions go through `f32` with the conventions of
//! [`super::format`], so they agree with what WAV files hold.

use super::format::{decode, encode, SampleFormat};
use crate::error::{Error, Result};

/// A sample encoding plus its byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PcmFormat {
    /// How each sample is stored.
    pub format: SampleFormat,
    /// Big-endian bytes (WAV data is always little-endian).
    pub big_endian: bool,
}

impl PcmFormat {
    /// Little-endian `format`.
    pub const fn le(format: SampleFormat) -> Self {
        PcmFormat {
            format,
            big_endian: false,
        }
    }

    /// Parses `"i16"`, `"i16le"`, `"i16be"` (and likewise `f32`, `i24`,
    /// `i32`, `u8`): an encoding name with an optional byte order suffix
    /// (little-endian when there is none).
    pub fn from_name(name: &str) -> Result<Self> {
        let (base, big_endian) = if let Some(b) = name.strip_suffix("be") {
            (b, true)
        } else if let Some(b) = name.strip_suffix("le") {
            (b, false)
        } else {
            (name, false)
        };
        let format = SampleFormat::from_name(base).map_err(|_| {
            Error::invalid_arg(format!(
                "PCM format must be one of f32, i16, i24, i32, u8 with an optional le/be suffix, got '{name}'"
            ))
        })?;
        Ok(PcmFormat { format, big_endian })
    }

    /// Bytes per sample.
    pub const fn bytes(self) -> usize {
        self.format.bytes()
    }
}

/// Samples converted per step: bounds the `f32` scratch.
const STEP: usize = 4096;

/// Reverses the bytes of every `width`-byte sample in `bytes`.
fn swap_each(bytes: &mut [u8], width: usize) {
    if width > 1 {
        for s in bytes.chunks_exact_mut(width) {
            s.reverse();
        }
    }
}

/// Converts the samples in `src` (format `from`, a whole number of samples)
/// to format `to`, appending them to `out`. Integer targets round to nearest
/// and clip, as WAV writing does.
pub fn transcode(src: &[u8], from: PcmFormat, to: PcmFormat, out: &mut Vec<u8>) -> Result<()> {
    let (fb, tb) = (from.bytes(), to.bytes());
    if !src.len().is_multiple_of(fb) {
        return Err(Error::invalid_arg(format!(
            "{} bytes are not a whole number of {fb}-byte samples",
            src.len()
        )));
    }
    let n = src.len() / fb;
    if from == to {
        out.extend_from_slice(src);
        return Ok(());
    }
    out.reserve(n * tb);
    let mut swapped = Vec::new();
    let mut scratch = vec![0.0f32; STEP.min(n)];
    for chunk in src.chunks(STEP * fb) {
        let k = chunk.len() / fb;
        let le = if from.big_endian {
            swapped.clear();
            swapped.extend_from_slice(chunk);
            swap_each(&mut swapped, fb);
            &swapped[..]
        } else {
            chunk
        };
        decode(from.format, le, &mut scratch[..k]);
        let start = out.len();
        encode(to.format, &scratch[..k], out);
        if to.big_endian {
            swap_each(&mut out[start..], tb);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn names_parse_with_byte_orders() {
        assert_eq!(
            PcmFormat::from_name("i16").unwrap(),
            PcmFormat::le(SampleFormat::I16)
        );
        assert_eq!(
            PcmFormat::from_name("i24be").unwrap(),
            PcmFormat {
                format: SampleFormat::I24,
                big_endian: true
            }
        );
        assert_eq!(
            PcmFormat::from_name("f32le").unwrap(),
            PcmFormat::le(SampleFormat::F32)
        );
        let e = PcmFormat::from_name("f64").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArg);
        assert!(e.message().contains("f64"), "{e}");
    }

    #[test]
    fn every_pair_of_formats_round_trips_grid_values() {
        // Values on the 8-bit grid are exact in every format.
        let xs: Vec<f32> = (0..10_000)
            .map(|i| ((i % 256) as f32 - 128.0) / 128.0)
            .collect();
        let mut f32le = Vec::new();
        encode(SampleFormat::F32, &xs, &mut f32le);
        let base = PcmFormat::le(SampleFormat::F32);
        for format in SampleFormat::ALL {
            for big_endian in [false, true] {
                let to = PcmFormat { format, big_endian };
                let mut there = Vec::new();
                transcode(&f32le, base, to, &mut there).unwrap();
                assert_eq!(there.len(), xs.len() * format.bytes());
                let mut back = Vec::new();
                transcode(&there, to, base, &mut back).unwrap();
                assert_eq!(back, f32le, "{to:?}");
            }
        }
    }

    #[test]
    fn big_endian_bytes_are_reversed_and_ragged_input_is_refused() {
        let mut out = Vec::new();
        let from = PcmFormat::le(SampleFormat::I16);
        let to = PcmFormat {
            format: SampleFormat::I16,
            big_endian: true,
        };
        transcode(&[0x01, 0x02, 0x03, 0x04], from, to, &mut out).unwrap();
        assert_eq!(out, [0x02, 0x01, 0x04, 0x03]);
        let e = transcode(&[0, 1, 2], from, to, &mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArg);
    }
}
