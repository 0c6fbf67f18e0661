//! Wave64 headers for writing: the WAVE `fmt ` and `data` chunks in Sony's
//! container (GUID names, 64-bit sizes), so a file is not limited to 4 GiB.

use super::encoding::Encoding;
use super::wave_chunks::{w64_guid, W64_RIFF};
use crate::error::{Error, ErrorKind, Result};

/// Bytes of the header written: the file's 40, `fmt ` with a 16-byte body
/// (as sox writes it), and the data chunk's 24.
pub const HEADER_BYTES: usize = 104;

/// The WAVE format tag of each encoding Wave64 holds.
fn tag(encoding: Encoding) -> Option<u16> {
    match encoding {
        Encoding::PcmU8 | Encoding::Pcm16 | Encoding::Pcm24 | Encoding::Pcm32 => Some(1),
        Encoding::Float | Encoding::Double => Some(3),
        Encoding::Alaw => Some(6),
        Encoding::Ulaw => Some(7),
        Encoding::PcmS8 => None,
    }
}

/// The header of a Wave64 file holding `data_bytes` bytes of little-endian
/// samples in `encoding` (the samples follow it directly).
///
/// ```
/// use ringstream_core::audio_file::{w64, Encoding};
/// let h = w64::header(48000, 2, Encoding::Pcm16, 400).unwrap();
/// assert_eq!(h.len(), w64::HEADER_BYTES);
/// assert_eq!(&h[..4], b"riff");
/// assert!(w64::header(48000, 2, Encoding::PcmS8, 0).is_err());
/// ```
pub fn header(
    samplerate: u32,
    channels: u16,
    encoding: Encoding,
    data_bytes: u64,
) -> Result<Vec<u8>> {
    let tag = tag(encoding).ok_or_else(|| {
        Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "Wave64 files cannot hold {}; use pcm_u8, pcm_16, pcm_24, pcm_32, float, double, ulaw or alaw",
                encoding.name()
            ),
        )
    })?;
    let bytes = encoding.bytes() as u16;
    let align = bytes * channels;
    let mut h = Vec::with_capacity(HEADER_BYTES);
    h.extend_from_slice(&W64_RIFF);
    h.extend_from_slice(&(HEADER_BYTES as u64 + data_bytes).to_le_bytes());
    h.extend_from_slice(&w64_guid(b"wave"));
    h.extend_from_slice(&w64_guid(b"fmt "));
    h.extend_from_slice(&40u64.to_le_bytes());
    h.extend_from_slice(&tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&samplerate.to_le_bytes());
    h.extend_from_slice(&(samplerate * u32::from(align)).to_le_bytes());
    h.extend_from_slice(&align.to_le_bytes());
    h.extend_from_slice(&(bytes * 8).to_le_bytes());
    h.extend_from_slice(&w64_guid(b"data"));
    h.extend_from_slice(&(24 + data_bytes).to_le_bytes());
    Ok(h)
}
