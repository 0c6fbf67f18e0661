//! WAV headers for data that streams through a pipe: parsing a header from
//! the first bytes of a stream ([`parse_prefix`]), and building one whose
//! length is not known yet ([`streaming_header`]) or is known at the end
//! ([`header_with_frames`], for rewriting the header of a seekable output).
//!
//! An unknown length is written as sox writes it to a pipe: a data size of
//! [`UNKNOWN_DATA_BYTES`] (`0x7ffff000`), which sox reads to the end of the
//! stream without a warning, and which [`super::WavReader`] caps by the file
//! size like any other claim.

use super::header::{build, parse_fmt};
use super::WavSpec;
use crate::error::{Error, ErrorKind, Result};

/// The data size sox writes when it cannot seek back to fix it.
pub const UNKNOWN_DATA_BYTES: u32 = 0x7fff_f000;

/// The most header bytes [`parse_prefix`] waits for before giving up.
pub const MAX_HEADER_BYTES: usize = 1 << 20;

/// A WAV header read from the start of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamHeader {
    /// The format of the samples.
    pub spec: WavSpec,
    /// Bytes before the first sample (the header's length).
    pub data_start: usize,
    /// Bytes of sample data the header announces; `None` when it does not
    /// know (`0`, `0xFFFFFFFF` or sox's [`UNKNOWN_DATA_BYTES`]): read to the
    /// end of the stream.
    pub data_bytes: Option<u64>,
}

fn format_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WavFormat, message)
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Parses the header at the start of `bytes`, the first bytes of a stream.
/// Returns `Ok(None)` when more bytes are needed to reach the data chunk, an
/// error when they are not a WAV header this library reads (or no data chunk
/// starts within [`MAX_HEADER_BYTES`]).
pub fn parse_prefix(bytes: &[u8]) -> Result<Option<StreamHeader>> {
    if bytes.len() >= 4 && &bytes[0..4] != b"RIFF" {
        return Err(format_error("not a WAV stream: no RIFF header"));
    }
    if bytes.len() < 12 {
        return Ok(None);
    }
    if &bytes[8..12] != b"WAVE" {
        return Err(format_error("not a WAV stream: RIFF but not WAVE"));
    }
    let mut pos = 12usize;
    let mut spec = None;
    loop {
        if pos + 8 > bytes.len() {
            return more(bytes);
        }
        let len = u32_at(bytes, pos + 4);
        let body = pos + 8;
        match &bytes[pos..pos + 4] {
            b"fmt " => {
                let n = (len as usize).min(40);
                if body + n > bytes.len() {
                    return more(bytes);
                }
                spec = Some(parse_fmt(&bytes[body..body + n])?);
            }
            b"data" => {
                let spec = spec.ok_or_else(|| format_error("data chunk before any fmt chunk"))?;
                let known = !matches!(len, 0 | UNKNOWN_DATA_BYTES | u32::MAX);
                return Ok(Some(StreamHeader {
                    spec,
                    data_start: body,
                    data_bytes: known.then_some(u64::from(len)),
                }));
            }
            _ => {}
        }
        // Chunks are padded to even sizes.
        pos = body
            .checked_add(len as usize + (len as usize & 1))
            .ok_or_else(|| format_error("WAV chunk size overflows"))?;
    }
}

fn more(bytes: &[u8]) -> Result<Option<StreamHeader>> {
    if bytes.len() >= MAX_HEADER_BYTES {
        return Err(format_error(format!(
            "no WAV data chunk within the first {MAX_HEADER_BYTES} bytes"
        )));
    }
    Ok(None)
}

/// Writes `frames` (or, for `None`, the unknown length) into the size fields
/// of a header built by [`build`].
fn with_sizes(spec: &WavSpec, frames: Option<u64>) -> Result<Vec<u8>> {
    let built = build(spec)?;
    let mut b = built.bytes;
    let head = b.len() as u64;
    let align = spec.block_align() as u64;
    let data = match frames {
        None => u64::from(UNKNOWN_DATA_BYTES),
        Some(f) => f
            .checked_mul(align)
            .filter(|d| head - 8 + d + (d & 1) <= u64::from(u32::MAX))
            .ok_or_else(|| {
                Error::invalid_arg(format!("{f} frames do not fit a WAV file's 32-bit sizes"))
            })?,
    };
    let riff = (head - 8 + data + (data & 1)) as u32;
    b[4..8].copy_from_slice(&riff.to_le_bytes());
    let n = b.len();
    b[n - 4..].copy_from_slice(&(data as u32).to_le_bytes());
    if let Some(at) = built.fact_offset {
        let at = at as usize;
        b[at..at + 4].copy_from_slice(&((data / align) as u32).to_le_bytes());
    }
    Ok(b)
}

/// The header of a WAV stream of unknown length (sox's convention for pipes).
pub fn streaming_header(spec: &WavSpec) -> Result<Vec<u8>> {
    spec.validate()?;
    with_sizes(spec, None)
}

/// The header of a WAV file holding `frames` frames: the same length as
/// [`streaming_header`]'s, so it can overwrite it once the length is known.
/// If the data ends odd (8-bit mono), the file needs one pad byte after it.
pub fn header_with_frames(spec: &WavSpec, frames: u64) -> Result<Vec<u8>> {
    spec.validate()?;
    with_sizes(spec, Some(frames))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::format::SampleFormat;
    use crate::wav::{read_wav, WavReader};

    fn spec(format: SampleFormat) -> WavSpec {
        WavSpec {
            samplerate: 48000,
            channels: 2,
            format,
        }
    }

    #[test]
    fn a_prefix_parses_once_complete_and_says_when_the_length_is_unknown() {
        for f in SampleFormat::ALL {
            let h = streaming_header(&spec(f)).unwrap();
            for cut in 0..h.len() {
                assert_eq!(parse_prefix(&h[..cut]).unwrap(), None, "{f:?} at {cut}");
            }
            let p = parse_prefix(&h).unwrap().unwrap();
            assert_eq!(p.spec, spec(f));
            assert_eq!(p.data_start, h.len());
            assert_eq!(p.data_bytes, None);
            let k = header_with_frames(&spec(f), 10).unwrap();
            assert_eq!(k.len(), h.len());
            let p = parse_prefix(&k).unwrap().unwrap();
            assert_eq!(p.data_bytes, Some(10 * spec(f).block_align() as u64));
        }
    }

    #[test]
    fn garbage_is_a_format_error_early() {
        for bad in [&b"RIFX"[..], b"hello world!", b"RIFF\0\0\0\0WAVX"] {
            let e = parse_prefix(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}");
        }
        let mut no_data = b"RIFF\0\0\0\0WAVEjunk".to_vec();
        no_data.extend_from_slice(&(MAX_HEADER_BYTES as u32).to_le_bytes());
        no_data.resize(MAX_HEADER_BYTES + 16, 0);
        assert_eq!(
            parse_prefix(&no_data).unwrap_err().kind(),
            ErrorKind::WavFormat
        );
    }

    #[test]
    fn the_file_reader_reads_a_streamed_file_to_its_end() {
        let dir = std::env::temp_dir().join(format!("ringstream-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.wav");
        let s = spec(SampleFormat::I16);
        let mut b = streaming_header(&s).unwrap();
        b.extend(std::iter::repeat_n(0u8, 4 * 100));
        std::fs::write(&path, &b).unwrap();
        assert_eq!(WavReader::open(&path).unwrap().frames(), 100);
        assert_eq!(read_wav(&path).unwrap().frames, 100);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
