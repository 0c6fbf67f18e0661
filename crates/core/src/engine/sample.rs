//! Sample formats exchanged with JS through rings, and their conversion to
//! and from the engine's [`Sample`].

use crate::error::{Error, Result};

/// The engine's sample: what its blocks, the device buffers it is handed and
/// the virtual card's bus carry. f64 holds every int32 and float32 sample
/// exactly (the int32 scale is a power of two), so an int32 or float32
/// stream through the engine is bit-exact end to end.
pub type Sample = f64;

/// The sample type of a stream's rings and typed arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// 32-bit float in [-1, 1].
    Float32,
    /// 16-bit signed integer.
    Int16,
    /// 32-bit signed integer.
    Int32,
}

impl Dtype {
    /// Parses `'float32' | 'int16' | 'int32'`.
    pub fn parse(s: &str) -> Result<Dtype> {
        match s {
            "float32" => Ok(Dtype::Float32),
            "int16" => Ok(Dtype::Int16),
            "int32" => Ok(Dtype::Int32),
            other => Err(Error::invalid_arg(format!(
                "dtype must be 'float32', 'int16' or 'int32', got '{other}'"
            ))),
        }
    }

    /// Bytes per sample.
    pub const fn size(self) -> usize {
        match self {
            Dtype::Float32 | Dtype::Int32 => 4,
            Dtype::Int16 => 2,
        }
    }

    /// The name used in options.
    pub const fn name(self) -> &'static str {
        match self {
            Dtype::Float32 => "float32",
            Dtype::Int16 => "int16",
            Dtype::Int32 => "int32",
        }
    }

    /// Decodes the sample starting at `b[0]` (native endian); exact for
    /// every type.
    #[inline]
    pub fn decode(self, b: &[u8]) -> Sample {
        match self {
            Dtype::Float32 => f32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as Sample,
            Dtype::Int16 => i16::from_ne_bytes([b[0], b[1]]) as Sample / 32768.0,
            Dtype::Int32 => {
                i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as Sample / 2_147_483_648.0
            }
        }
    }

    /// Decodes a whole buffer of samples of this type into f32 (exact for
    /// float32 and int16; int32 rounds to f32's 24-bit precision).
    pub fn decode_all(self, bytes: &[u8]) -> Result<Vec<f32>> {
        if !bytes.len().is_multiple_of(self.size()) {
            return Err(crate::Error::invalid_arg(format!(
                "{} bytes are not a whole number of {} samples",
                bytes.len(),
                self.name()
            )));
        }
        Ok(bytes
            .chunks_exact(self.size())
            .map(|b| self.decode(b) as f32)
            .collect())
    }

    /// Encodes `v` into `b` (native endian), clipping integers to their
    /// range; what [`Dtype::decode`] gave comes back bit for bit.
    #[inline]
    pub fn encode(self, v: Sample, b: &mut [u8]) {
        match self {
            Dtype::Float32 => b[..4].copy_from_slice(&(v as f32).to_ne_bytes()),
            Dtype::Int16 => {
                let i = (v * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
                b[..2].copy_from_slice(&i.to_ne_bytes());
            }
            Dtype::Int32 => {
                let i = (v * 2_147_483_648.0)
                    .round()
                    .clamp(-2_147_483_648.0, 2_147_483_647.0) as i32;
                b[..4].copy_from_slice(&i.to_ne_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_the_grid_and_clips() {
        let mut b = [0u8; 4];
        for d in [Dtype::Float32, Dtype::Int16, Dtype::Int32] {
            for v in [0.0, 0.5, -0.5, -1.0, 0.25] {
                d.encode(v, &mut b);
                assert_eq!(d.decode(&b), v, "{d:?} {v}");
            }
        }
        Dtype::Int16.encode(2.0, &mut b);
        assert_eq!(i16::from_ne_bytes([b[0], b[1]]), 32767);
        assert!(Dtype::parse("float64").is_err());
    }

    #[test]
    fn int32_and_float32_survive_decode_and_encode_bit_for_bit() {
        let mut b = [0u8; 4];
        for i in [1_340_290_652i32, i32::MIN, i32::MAX, -1, 1, 0x0123_4567] {
            Dtype::Int32.encode(Dtype::Int32.decode(&i.to_ne_bytes()), &mut b);
            assert_eq!(i32::from_ne_bytes(b), i, "{i}");
        }
        for f in [0.1f32, -1e-30, 3.5, f32::MAX] {
            Dtype::Float32.encode(Dtype::Float32.decode(&f.to_ne_bytes()), &mut b);
            assert_eq!(f32::from_ne_bytes(b).to_bits(), f.to_bits(), "{f}");
        }
    }
}
