//! Sun/NeXT AU (`.snd`) headers: 24 bytes, big-endian, then an optional
//! annotation and the samples (big-endian PCM, float, µ-law or A-law).

use super::encoding::{Encoding, Layout};
use crate::error::{Error, ErrorKind, Result};

/// Bytes of the fixed header.
pub const HEADER_BYTES: usize = 24;
/// The data size of a stream whose length was unknown when written.
const UNKNOWN_SIZE: u32 = u32::MAX;

/// AU's encoding numbers for the encodings ringstream reads and writes.
const CODES: [(u32, Encoding); 8] = [
    (1, Encoding::Ulaw),
    (2, Encoding::PcmS8),
    (3, Encoding::Pcm16),
    (4, Encoding::Pcm24),
    (5, Encoding::Pcm32),
    (6, Encoding::Float),
    (7, Encoding::Double),
    (27, Encoding::Alaw),
];

/// What an AU header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuHeader {
    /// Where the samples start.
    pub data_offset: u64,
    /// Bytes of samples, when the writer knew.
    pub data_bytes: Option<u64>,
    /// The sample layout (always big-endian).
    pub layout: Layout,
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u16,
}

fn malformed(message: String) -> Error {
    Error::new(
        ErrorKind::UnsupportedFormat,
        format!("malformed AU header: {message}"),
    )
}

/// Parses the fixed header at the start of `head`.
///
/// ```
/// use ringstream_core::audio_file::au::{header, parse};
/// use ringstream_core::audio_file::Encoding;
/// let h = parse(&header(8000, 1, Encoding::Ulaw, Some(100)).unwrap()).unwrap();
/// assert_eq!((h.samplerate, h.channels, h.data_bytes), (8000, 1, Some(100)));
/// ```
pub fn parse(head: &[u8]) -> Result<AuHeader> {
    if head.len() < HEADER_BYTES || &head[..4] != b".snd" {
        return Err(malformed(format!(
            "expected 24 bytes starting with '.snd', got {} bytes",
            head.len()
        )));
    }
    let word = |i: usize| u32::from_be_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let (offset, size, code, rate, channels) = (word(4), word(8), word(12), word(16), word(20));
    let encoding = CODES.iter().find(|c| c.0 == code).map(|c| c.1).ok_or_else(|| {
        Error::new(
            ErrorKind::UnsupportedFormat,
            format!("AU encoding {code} is not supported; ringstream reads 1 (µ-law), 2-5 (8-32 bit PCM), 6 (float), 7 (double) and 27 (A-law)"),
        )
    })?;
    if (offset as usize) < HEADER_BYTES {
        return Err(malformed(format!(
            "data offset {offset} is inside the header"
        )));
    }
    if rate == 0 || channels == 0 || channels > u32::from(u16::MAX) {
        return Err(malformed(format!("{rate} Hz and {channels} channels")));
    }
    Ok(AuHeader {
        data_offset: u64::from(offset),
        data_bytes: (size != UNKNOWN_SIZE).then_some(u64::from(size)),
        layout: Layout {
            encoding,
            big_endian: true,
        },
        samplerate: rate,
        channels: channels as u16,
    })
}

/// Bytes of the header written: the fixed part and the 4-byte (empty)
/// annotation the format asks for; sox warns about a header without it.
pub const WRITTEN_HEADER_BYTES: usize = 28;

/// The header of an AU file, with an empty annotation: the samples start
/// at byte 28.
/// `data_bytes` of `None`, or one too big for the header, writes "unknown",
/// which every reader takes as "to the end of the file".
pub fn header(
    samplerate: u32,
    channels: u16,
    encoding: Encoding,
    data_bytes: Option<u64>,
) -> Result<Vec<u8>> {
    let code = CODES.iter().find(|c| c.1 == encoding).map(|c| c.0).ok_or_else(|| {
        Error::new(
            ErrorKind::UnsupportedFormat,
            format!("AU files cannot hold {}; use pcm_s8, pcm_16, pcm_24, pcm_32, float, double, ulaw or alaw", encoding.name()),
        )
    })?;
    let size = data_bytes
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n != UNKNOWN_SIZE)
        .unwrap_or(UNKNOWN_SIZE);
    let mut h = Vec::with_capacity(WRITTEN_HEADER_BYTES);
    h.extend_from_slice(b".snd");
    for w in [
        WRITTEN_HEADER_BYTES as u32,
        size,
        code,
        samplerate,
        u32::from(channels),
    ] {
        h.extend_from_slice(&w.to_be_bytes());
    }
    h.resize(WRITTEN_HEADER_BYTES, 0);
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_headers_are_refused_with_a_reason() {
        let good = header(44100, 2, Encoding::Pcm16, None).unwrap();
        assert_eq!(parse(&good).unwrap().data_bytes, None);
        let mut bad = good.clone();
        bad[15] = 23; // G.723
        let e = parse(&bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        assert!(e.message().contains("AU encoding 23"), "{e}");
        let mut bad = good.clone();
        bad[7] = 8;
        assert!(parse(&bad)
            .unwrap_err()
            .message()
            .contains("inside the header"));
        assert!(parse(&good[..20]).is_err());
        assert_eq!(
            header(8000, 1, Encoding::PcmU8, None).unwrap_err().kind(),
            ErrorKind::UnsupportedFormat
        );
    }
}
