//! The chunks of a WAVE file in either container: RIFF (32-bit sizes,
//! 4-byte tags, 2-byte alignment) or Sony Wave64 (64-bit sizes, 16-byte
//! GUIDs, 8-byte alignment). Both carry the same `fmt ` and `data`
//! bodies, so one walker finds them and the readers never see the container.

use crate::error::{Error, ErrorKind, Result};
use crate::wav::header::read_exact_or_truncated;
use std::io::{Read, Seek, SeekFrom};

/// The container around the WAVE chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// RIFF/WAVE.
    Riff,
    /// Sony Wave64.
    W64,
}

/// The tail of every Wave64 chunk GUID after its 4-character name
/// (`fmt `, `data`, `fact`, `wave`).
const W64_TAIL: [u8; 12] = [
    0xf3, 0xac, 0xd3, 0x11, 0x8c, 0xd1, 0x00, 0xc0, 0x4f, 0x8e, 0xdb, 0x8a,
];
/// The GUID that opens a Wave64 file (its "riff").
pub const W64_RIFF: [u8; 16] = [
    b'r', b'i', b'f', b'f', 0x2e, 0x91, 0xcf, 0x11, 0xa5, 0xd6, 0x28, 0xdb, 0x04, 0xc1, 0x00, 0x00,
];

/// The Wave64 GUID of the chunk called `name`.
pub fn w64_guid(name: &[u8; 4]) -> [u8; 16] {
    let mut g = [0u8; 16];
    g[..4].copy_from_slice(name);
    g[4..].copy_from_slice(&W64_TAIL);
    g
}

/// The most of a `fmt ` body kept: MS ADPCM's is the longest common one
/// (50 bytes with its 7 coefficient pairs); 256 pairs fit in this.
pub const MAX_FMT_BYTES: usize = 1100;

/// What the chunk walk found, the data range capped by the file's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveChunks {
    /// The `fmt ` body (at most [`MAX_FMT_BYTES`]).
    pub fmt: Vec<u8>,
    /// Byte offset of the first sample.
    pub data_start: u64,
    /// Bytes of samples present.
    pub data_bytes: u64,
}

fn malformed(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WavFormat, message)
}

/// Walks the chunks of `r` (positioned at its start, `file_len` bytes long)
/// up to the data chunk.
///
/// ```
/// use ringstream_core::audio_file::wave_chunks::{walk, Container};
/// let mut f = b"RIFF\x2c\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x44\xac\0\0\x88\x58\x01\0\x02\0\x10\0data\x04\0\0\0\x01\0\x02\0".to_vec();
/// let c = walk(&mut std::io::Cursor::new(&f), f.len() as u64, Container::Riff).unwrap();
/// assert_eq!((c.fmt.len(), c.data_start, c.data_bytes), (16, 44, 4));
/// ```
pub fn walk<R: Read + Seek>(r: &mut R, file_len: u64, container: Container) -> Result<WaveChunks> {
    let (head_len, id_len, align) = match container {
        Container::Riff => (12u64, 4usize, 2u64),
        Container::W64 => (40, 16, 8),
    };
    let mut head = [0u8; 40];
    read_exact_or_truncated(r, &mut head[..head_len as usize], "the file header")?;
    let ok = match container {
        Container::Riff => &head[..4] == b"RIFF" && &head[8..12] == b"WAVE",
        Container::W64 => head[..16] == W64_RIFF && head[24..40] == w64_guid(b"wave"),
    };
    if !ok {
        return Err(malformed("no RIFF/WAVE or Wave64 header"));
    }
    let mut pos = head_len;
    let mut fmt = None;
    loop {
        let mut ch = [0u8; 24];
        let ch = &mut ch[..id_len + if id_len == 4 { 4 } else { 8 }];
        read_exact_or_truncated(r, ch, "no data chunk")?;
        let id = &ch[..4];
        let named = |n: &[u8; 4]| id == n && (id_len == 4 || ch[4..16] == W64_TAIL);
        let (body_start, body_len) = match container {
            Container::Riff => (
                pos + 8,
                u64::from(u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]])),
            ),
            Container::W64 => {
                let size = u64::from_le_bytes(ch[16..24].try_into().unwrap_or_default());
                if size < 24 {
                    return Err(malformed(format!(
                        "Wave64 chunk size {size} is below its 24-byte header"
                    )));
                }
                (pos + 24, size - 24)
            }
        };
        if named(b"data") {
            let fmt = fmt.ok_or_else(|| malformed("data chunk before any fmt chunk"))?;
            return Ok(WaveChunks {
                fmt,
                data_start: body_start,
                data_bytes: body_len.min(file_len.saturating_sub(body_start)),
            });
        }
        if named(b"fmt ") {
            let n = body_len.min(MAX_FMT_BYTES as u64) as usize;
            let mut body = vec![0u8; n];
            read_exact_or_truncated(r, &mut body, "fmt chunk")?;
            fmt = Some(body);
        }
        pos = body_start
            .checked_add(body_len)
            .and_then(|end| end.checked_next_multiple_of(align))
            .filter(|&end| end <= file_len)
            .ok_or_else(|| malformed("truncated WAVE file: no data chunk"))?;
        r.seek(SeekFrom::Start(pos))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn w64(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut f = W64_RIFF.to_vec();
        f.extend_from_slice(&0u64.to_le_bytes());
        f.extend_from_slice(&w64_guid(b"wave"));
        for (name, body) in chunks {
            f.extend_from_slice(&w64_guid(name));
            f.extend_from_slice(&(body.len() as u64 + 24).to_le_bytes());
            f.extend_from_slice(body);
            f.resize(f.len().next_multiple_of(8), 0);
        }
        f
    }

    #[test]
    fn wave64_chunks_are_found_past_padding() {
        let f = w64(&[
            (b"fmt ", &[1; 18]),
            (b"fact", &[7, 0, 0, 0]),
            (b"data", &[9; 12]),
        ]);
        let c = walk(&mut Cursor::new(&f), f.len() as u64, Container::W64).unwrap();
        assert_eq!(c.fmt, vec![1; 18]);
        assert_eq!(c.data_bytes, 12);
        assert_eq!(&f[c.data_start as usize..][..12], &[9; 12]);
    }

    #[test]
    fn broken_walks_are_format_errors() {
        let good = w64(&[(b"fmt ", &[1; 16]), (b"data", &[9; 8])]);
        let mut small = good.clone();
        small[56..64].copy_from_slice(&3u64.to_le_bytes());
        let mut huge = good.clone();
        huge[56..64].copy_from_slice(&u64::MAX.to_le_bytes());
        let no_fmt = w64(&[(b"data", &[9; 8])]);
        for f in [small, huge, no_fmt, good[..50].to_vec(), b"RIFF".to_vec()] {
            let e = walk(&mut Cursor::new(&f), f.len() as u64, Container::W64).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}");
        }
    }
}
