//! AIFF headers for writing: `FORM`/`AIFF` with `COMM` and `SSND`, big-endian
//! integer PCM (AIFF-C's float and G.711 variants are not written).

use super::encoding::Encoding;
use crate::error::{Error, ErrorKind, Result};

/// Bytes from the start of the file to the first sample.
pub const HEADER_BYTES: usize = 54;

/// `rate` as the 80-bit IEEE extended float AIFF's `COMM` chunk holds.
fn extended(rate: u32) -> [u8; 10] {
    let mut out = [0u8; 10];
    if rate == 0 {
        return out;
    }
    let shift = rate.leading_zeros();
    let exponent = 16383 + 31 - shift as u16;
    let mantissa = u64::from(rate) << (32 + shift);
    out[..2].copy_from_slice(&exponent.to_be_bytes());
    out[2..].copy_from_slice(&mantissa.to_be_bytes());
    out
}

/// The header of an AIFF file of `frames` frames (sizes final, so written
/// once the frame count is known; 0 for a file still being written).
///
/// ```
/// use ringstream_core::audio_file::aiff::{header, HEADER_BYTES};
/// use ringstream_core::audio_file::Encoding;
/// let h = header(44100, 2, Encoding::Pcm16, 10).unwrap();
/// assert_eq!(h.len(), HEADER_BYTES);
/// assert_eq!(&h[8..12], b"AIFF");
/// ```
pub fn header(samplerate: u32, channels: u16, encoding: Encoding, frames: u64) -> Result<Vec<u8>> {
    let bits = match encoding {
        Encoding::PcmS8 | Encoding::Pcm16 | Encoding::Pcm24 | Encoding::Pcm32 => {
            encoding.bytes() * 8
        }
        _ => {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "AIFF files are written as pcm_s8, pcm_16, pcm_24 or pcm_32, not {}",
                    encoding.name()
                ),
            ))
        }
    };
    let data = frames * (encoding.bytes() * channels as usize) as u64;
    let (Ok(frames32), Ok(ssnd)) = (u32::try_from(frames), u32::try_from(data + 8)) else {
        return Err(Error::invalid_arg(format!(
            "{frames} frames do not fit an AIFF header"
        )));
    };
    let form = (HEADER_BYTES as u64 - 8 + data + data % 2).min(u64::from(u32::MAX)) as u32;
    let mut h = Vec::with_capacity(HEADER_BYTES);
    h.extend_from_slice(b"FORM");
    h.extend_from_slice(&form.to_be_bytes());
    h.extend_from_slice(b"AIFFCOMM");
    h.extend_from_slice(&18u32.to_be_bytes());
    h.extend_from_slice(&channels.to_be_bytes());
    h.extend_from_slice(&frames32.to_be_bytes());
    h.extend_from_slice(&(bits as u16).to_be_bytes());
    h.extend_from_slice(&extended(samplerate));
    h.extend_from_slice(b"SSND");
    h.extend_from_slice(&ssnd.to_be_bytes());
    h.extend_from_slice(&[0u8; 8]);
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_exact_extended_floats() {
        assert_eq!(extended(44100), [0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]);
        assert_eq!(extended(8000), [0x40, 0x0b, 0xfa, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            header(8000, 1, Encoding::Float, 0).unwrap_err().kind(),
            ErrorKind::UnsupportedFormat
        );
    }
}
