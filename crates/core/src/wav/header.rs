//! The RIFF/WAVE header: parsing it (our own small chunk walker) and
//! building it (with hound for integer formats).
//!
//! Parsing is ours rather than hound's because the fast block readers need
//! the byte offset of the data, which `hound::WavReader` does not expose, and
//! because hound refuses files we must accept: a data size that is not a
//! whole number of frames, as left by recorders that were killed or that
//! write `0xFFFFFFFF` while streaming, and odd-sized chunks followed by their
//! RIFF pad byte. Writing is hound's: it picks `WAVEFORMATEXTENSIBLE` where
//! the spec requires it, which is what sox and other readers expect.

use super::format::SampleFormat;
use super::WavSpec;
use crate::error::{Error, ErrorKind, Result};
use std::io::{self, Read, Seek, SeekFrom};

const WAVE_FORMAT_PCM: u16 = 1;
const WAVE_FORMAT_IEEE_FLOAT: u16 = 3;
const WAVE_FORMAT_EXTENSIBLE: u16 = 0xfffe;
/// The tail shared by the KSDATAFORMAT_SUBTYPE GUIDs of the basic formats
/// (bytes 2.. of the SubFormat field; bytes 0..2 hold the format tag).
pub(crate) const SUBTYPE_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/// What the header of a WAV file says, checked and capped by the file size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The format of the samples.
    pub spec: WavSpec,
    /// Byte offset of the first sample.
    pub data_start: u64,
    /// Whole frames of data actually present (never more than the file holds).
    pub frames: u64,
}

fn format_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WavFormat, message)
}

/// Reads exactly `buf.len()` bytes; running out means the header is
/// truncated, which is a format error, not an I/O one.
pub(crate) fn read_exact_or_truncated(r: &mut impl Read, buf: &mut [u8], what: &str) -> Result<()> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => format_error(format!("truncated WAV header: {what}")),
        _ => Error::from(e),
    })
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Parses the `fmt ` chunk body (its first `len` bytes are in `b`).
pub(super) fn parse_fmt(b: &[u8]) -> Result<WavSpec> {
    if b.len() < 16 {
        return Err(format_error(format!(
            "fmt chunk is {} bytes, expected at least 16",
            b.len()
        )));
    }
    let mut tag = u16_at(b, 0);
    let channels = u16_at(b, 2);
    let samplerate = u32_at(b, 4);
    let block_align = u16_at(b, 12);
    let bits = u16_at(b, 14);
    if tag == WAVE_FORMAT_EXTENSIBLE {
        if b.len() < 40 {
            return Err(format_error(
                "WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes",
            ));
        }
        if b[26..40] != SUBTYPE_TAIL {
            return Err(format_error(
                "unsupported WAVE_FORMAT_EXTENSIBLE sub-format (not PCM or IEEE float)",
            ));
        }
        tag = u16_at(b, 24);
    }
    if channels == 0 {
        return Err(format_error("the file has 0 channels"));
    }
    if samplerate == 0 {
        return Err(format_error("the file has a sample rate of 0"));
    }
    if block_align == 0 || !block_align.is_multiple_of(channels) {
        return Err(format_error(format!(
            "block align {block_align} is not a multiple of the {channels} channels"
        )));
    }
    // The container size decides the layout; valid bits below it are
    // MSB-aligned, so decoding the whole container is right for them too.
    let container = block_align / channels;
    // In u32: a container of 8192 bytes or more overflows u16 bits.
    if bits == 0 || u32::from(bits) > u32::from(container) * 8 {
        return Err(format_error(format!(
            "{bits} bits per sample do not fit {container}-byte samples"
        )));
    }
    let format = match (tag, container) {
        (WAVE_FORMAT_PCM, 1) => SampleFormat::U8,
        (WAVE_FORMAT_PCM, 2) => SampleFormat::I16,
        (WAVE_FORMAT_PCM, 3) => SampleFormat::I24,
        (WAVE_FORMAT_PCM, 4) => SampleFormat::I32,
        (WAVE_FORMAT_IEEE_FLOAT, 4) => SampleFormat::F32,
        (WAVE_FORMAT_PCM, n) => {
            return Err(format_error(format!(
                "unsupported encoding: {}-bit integer PCM",
                u32::from(n) * 8
            )))
        }
        (WAVE_FORMAT_IEEE_FLOAT, n) => {
            return Err(format_error(format!(
                "unsupported encoding: {}-bit float",
                u32::from(n) * 8
            )))
        }
        (t, _) => {
            return Err(format_error(format!(
                "unsupported encoding: format tag {t:#06x} (only PCM and IEEE float are supported)"
            )))
        }
    };
    Ok(WavSpec {
        samplerate,
        channels,
        format,
    })
}

/// Parses the header of the file `r` (positioned at its start, `file_len`
/// bytes long) and leaves `r` at the first sample.
pub fn parse<R: Read + Seek>(r: &mut R, file_len: u64) -> Result<Header> {
    let mut riff = [0u8; 12];
    r.read_exact(&mut riff).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => format_error("not a WAV file: shorter than a RIFF header"),
        _ => Error::from(e),
    })?;
    if &riff[0..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return Err(format_error("not a WAV file: no RIFF/WAVE header"));
    }
    let mut pos: u64 = 12;
    let mut spec = None;
    loop {
        let mut ch = [0u8; 8];
        read_exact_or_truncated(r, &mut ch, "no data chunk")?;
        pos += 8;
        let len = u64::from(u32_at(&ch, 4));
        match &ch[0..4] {
            b"fmt " => {
                // A fixed buffer: the fields we need fit in 40 bytes, whatever
                // size the chunk claims.
                let mut body = [0u8; 40];
                let n = len.min(40) as usize;
                read_exact_or_truncated(r, &mut body[..n], "fmt chunk")?;
                spec = Some(parse_fmt(&body[..n])?);
            }
            b"data" => {
                let spec = spec.ok_or_else(|| format_error("data chunk before any fmt chunk"))?;
                let present = len.min(file_len.saturating_sub(pos));
                let block = spec.block_align() as u64;
                return Ok(Header {
                    spec,
                    data_start: pos,
                    frames: present / block,
                });
            }
            _ => {}
        }
        // Chunks are padded to even sizes.
        pos += len + (len & 1);
        if pos > file_len {
            return Err(format_error("truncated WAV file: no data chunk"));
        }
        r.seek(SeekFrom::Start(pos))?;
    }
}

/// A header ready to write, and where its size fields are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The header bytes, ending with the data chunk's size field (the RIFF
    /// size field is at offset 4).
    pub bytes: Vec<u8>,
    /// Offset of the `fact` chunk's frame count, if there is one.
    pub fact_offset: Option<u64>,
}

/// The header for `spec` with an empty data chunk.
///
/// Integer formats use hound's header. Float gets the layout sox writes
/// (`WAVE_FORMAT_IEEE_FLOAT`, `cbSize` 0, a `fact` chunk) rather than hound's
/// `WAVE_FORMAT_EXTENSIBLE` one, which sox reads but warns about.
pub fn build(spec: &WavSpec) -> Result<Built> {
    if spec.format.is_float() {
        let align = spec.block_align() as u16;
        let mut b = Vec::with_capacity(58);
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&50u32.to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&18u32.to_le_bytes());
        b.extend_from_slice(&WAVE_FORMAT_IEEE_FLOAT.to_le_bytes());
        b.extend_from_slice(&spec.channels.to_le_bytes());
        b.extend_from_slice(&spec.samplerate.to_le_bytes());
        b.extend_from_slice(&(spec.samplerate * u32::from(align)).to_le_bytes());
        b.extend_from_slice(&align.to_le_bytes());
        b.extend_from_slice(&32u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(b"fact");
        b.extend_from_slice(&4u32.to_le_bytes());
        let fact_offset = b.len() as u64;
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&0u32.to_le_bytes());
        return Ok(Built {
            bytes: b,
            fact_offset: Some(fact_offset),
        });
    }
    let hspec = hound::WavSpec {
        channels: spec.channels,
        sample_rate: spec.samplerate,
        bits_per_sample: spec.format.bits(),
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = io::Cursor::new(Vec::with_capacity(68));
    hound::WavWriter::new(&mut out, hspec)
        .and_then(|w| w.finalize())
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot build a WAV header: {e}")))?;
    Ok(Built {
        bytes: out.into_inner(),
        fact_offset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn spec(format: SampleFormat, channels: u16) -> WavSpec {
        WavSpec {
            samplerate: 44100,
            channels,
            format,
        }
    }

    #[test]
    fn parses_what_it_builds() {
        for f in SampleFormat::ALL {
            for ch in [1, 2, 3, 8] {
                let s = spec(f, ch);
                let mut h = build(&s).unwrap().bytes;
                let hl = h.len() as u64;
                let data = 10 * s.block_align();
                let n = h.len();
                h[n - 4..].copy_from_slice(&(data as u32).to_le_bytes());
                h.resize(h.len() + data, 0);
                let parsed = parse(&mut Cursor::new(&h), h.len() as u64).unwrap();
                assert_eq!(parsed.spec, s);
                assert_eq!(parsed.data_start, hl);
                assert_eq!(parsed.frames, 10);
            }
        }
    }

    #[test]
    fn caps_claimed_size_by_the_file() {
        let s = spec(SampleFormat::I16, 2);
        let mut h = build(&s).unwrap().bytes;
        let n = h.len();
        h[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        h.extend([0u8; 1001]);
        let parsed = parse(&mut Cursor::new(&h), h.len() as u64).unwrap();
        assert_eq!(parsed.frames, 250);
    }

    #[test]
    fn rejects_garbage_and_truncation_as_format_errors() {
        let good = build(&spec(SampleFormat::I24, 2)).unwrap().bytes;
        let cases: Vec<Vec<u8>> = vec![
            b"hello world, this is not a wav file".to_vec(),
            vec![],
            good[..30].to_vec(),
            good[..good.len() - 2].to_vec(),
        ];
        for c in cases {
            let e = parse(&mut Cursor::new(&c), c.len() as u64).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}");
        }
        // Found by the fuzzer: a container of 8192 bytes or more overflowed
        // the bit counts (a panic in debug builds).
        for (align, bits) in [(0x2000u16, 16u16), (0xfffe, 0xffff), (0x4000, 8)] {
            let mut big = build(&spec(SampleFormat::I16, 1)).unwrap().bytes;
            big[32..34].copy_from_slice(&align.to_le_bytes());
            big[34..36].copy_from_slice(&bits.to_le_bytes());
            let e = parse(&mut Cursor::new(&big), big.len() as u64).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}");
        }
        // A-law (tag 6) is an unsupported encoding.
        let mut alaw = build(&spec(SampleFormat::U8, 1)).unwrap().bytes;
        alaw[20] = 6;
        let e = parse(&mut Cursor::new(&alaw), alaw.len() as u64).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WavFormat);
        assert!(e.message().contains("unsupported"), "{e}");
    }
}
