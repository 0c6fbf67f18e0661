//! WAV headers for the encodings the WAV module does not write: 64-bit
//! float (format tag 3), A-law (6) and µ-law (7), each with the `fact`
//! chunk that non-PCM WAV requires, laid out as sox writes them.

use super::encoding::Encoding;
use crate::error::{Error, ErrorKind, Result};

/// Bytes from the start of the file to the first sample.
pub const HEADER_BYTES: usize = 58;

/// The size a stream of unknown length gives (sox's convention for pipes).
const UNKNOWN: u32 = u32::MAX;

/// The format tag of an encoding this module writes.
fn tag(encoding: Encoding) -> Option<u16> {
    match encoding {
        Encoding::Double => Some(3),
        Encoding::Alaw => Some(6),
        Encoding::Ulaw => Some(7),
        _ => None,
    }
}

/// Whether WAV files hold `encoding` (through the WAV module or here).
pub fn holds(encoding: Encoding) -> bool {
    tag(encoding).is_some() || encoding.to_wav().is_ok()
}

/// `ERR_UNSUPPORTED_FORMAT` naming every encoding a WAV file is written in.
pub fn refuse(encoding: Encoding) -> Error {
    Error::new(
        ErrorKind::UnsupportedFormat,
        format!(
            "WAV files are written as pcm_u8, pcm_16, pcm_24, pcm_32, float, double, ulaw or alaw, not {}",
            encoding.name()
        ),
    )
}

/// The header of a WAV file of `frames` frames of `encoding` (double,
/// µ-law or A-law); `None` writes "unknown" sizes, for a pipe. Sizes too
/// big for 32 bits are written as unknown too: readers take the data to
/// the end of the file.
///
/// ```
/// use ringstream_core::audio_file::wav_coded::{header, HEADER_BYTES};
/// use ringstream_core::audio_file::Encoding;
/// let h = header(8000, 1, Encoding::Ulaw, Some(8000)).unwrap();
/// assert_eq!(h.len(), HEADER_BYTES);
/// assert_eq!(u16::from_le_bytes([h[20], h[21]]), 7);
/// assert!(header(8000, 1, Encoding::Pcm16, None).is_err());
/// ```
pub fn header(
    samplerate: u32,
    channels: u16,
    encoding: Encoding,
    frames: Option<u64>,
) -> Result<Vec<u8>> {
    let tag = tag(encoding).ok_or_else(|| refuse(encoding))?;
    let width = encoding.bytes() as u32;
    let align = width * u32::from(channels);
    let data = frames
        .and_then(|f| f.checked_mul(u64::from(align)))
        .and_then(|d| u32::try_from(d).ok())
        .filter(|&d| d < UNKNOWN - HEADER_BYTES as u32);
    let riff = data.map_or(UNKNOWN, |d| HEADER_BYTES as u32 - 8 + d + (d & 1));
    let mut h = Vec::with_capacity(HEADER_BYTES);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&riff.to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&18u32.to_le_bytes());
    h.extend_from_slice(&tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&samplerate.to_le_bytes());
    h.extend_from_slice(&(samplerate.saturating_mul(align)).to_le_bytes());
    h.extend_from_slice(&(align as u16).to_le_bytes());
    h.extend_from_slice(&((width * 8) as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(b"fact");
    h.extend_from_slice(&4u32.to_le_bytes());
    let fact = frames
        .and_then(|f| u32::try_from(f).ok())
        .unwrap_or(UNKNOWN);
    h.extend_from_slice(&fact.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data.unwrap_or(UNKNOWN).to_le_bytes());
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio_file::{encode, AudioReader, Layout};

    #[test]
    fn written_files_read_back_through_the_decoder() {
        let samples = [0.0f32, 0.5, -0.5, 0.25, -1.0, 0.125];
        for (enc, exact) in [
            (Encoding::Double, true),
            (Encoding::Ulaw, false),
            (Encoding::Alaw, false),
        ] {
            let mut bytes = header(8000, 2, enc, Some(3)).unwrap();
            let layout = Layout {
                encoding: enc,
                big_endian: false,
            };
            encode(layout, &samples, &mut bytes);
            let path = std::env::temp_dir().join(format!(
                "ringstream-wav-coded-{}-{}.wav",
                enc.name(),
                std::process::id()
            ));
            std::fs::write(&path, &bytes).unwrap();
            let mut r = AudioReader::open(&path).unwrap();
            let back = r.read_to_end().unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(r.info().channels, 2);
            assert_eq!(back.len(), samples.len(), "{enc:?}");
            for (a, b) in samples.iter().zip(&back) {
                // G.711 keeps about 13 bits near full scale, far more near zero.
                let tol = if exact { 0.0 } else { 0.03 };
                assert!((a - b).abs() <= tol, "{enc:?}: {a} read back as {b}");
            }
        }
        assert!(refuse(Encoding::PcmS8).message().contains("not pcm_s8"));
        assert!(!holds(Encoding::PcmS8));
        assert!(holds(Encoding::Ulaw) && holds(Encoding::Pcm24));
    }
}
