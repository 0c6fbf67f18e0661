//! WAVE files read without symphonia: Wave64 in every encoding, and the
//! ADPCM encodings of both containers (symphonia's ADPCM decode is not
//! sox's). The chunks come from [`super::wave_chunks`], the `fmt ` body is
//! read here, and the samples go to [`PcmFileReader`] or [`AdpcmReader`].

use super::adpcm::{AdpcmCodec, AdpcmLayout, AdpcmReader};
use super::encoding::{Encoding, Layout};
use super::format::FileFormat;
use super::info::{AudioInfo, Tags};
use super::ms_adpcm::MsAdpcm;
use super::pcm_file::PcmFileReader;
use super::wave_chunks::{walk, Container};
use crate::error::{Error, ErrorKind, Result};
use crate::wav::header::SUBTYPE_TAIL;
use std::fs::File;
use std::io::{Seek, SeekFrom};

const TAG_PCM: u16 = 1;
const TAG_MS_ADPCM: u16 = 2;
const TAG_FLOAT: u16 = 3;
const TAG_ALAW: u16 = 6;
const TAG_ULAW: u16 = 7;
const TAG_IMA_ADPCM: u16 = 0x11;
const TAG_EXTENSIBLE: u16 = 0xfffe;

/// The samples of a WAVE file, as the reader that decodes them.
#[derive(Debug)]
pub enum WaveStream {
    /// Uncompressed samples (little-endian).
    Pcm(PcmFileReader),
    /// IMA or MS ADPCM blocks.
    Adpcm(AdpcmReader),
}

/// The fields of a `fmt ` body this module uses.
struct Fmt<'a> {
    tag: u16,
    channels: u16,
    samplerate: u32,
    block_align: u16,
    /// Bytes after the 18-byte WAVEFORMATEX (empty if there are none).
    extension: &'a [u8],
}

fn malformed(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WavFormat, message)
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    b.get(i..i + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn parse_fmt(b: &[u8]) -> Result<Fmt<'_>> {
    if b.len() < 16 {
        return Err(malformed(format!(
            "fmt chunk is {} bytes, expected at least 16",
            b.len()
        )));
    }
    let mut tag = u16_at(b, 0);
    if tag == TAG_EXTENSIBLE && b.len() >= 40 && b[26..40] == SUBTYPE_TAIL {
        tag = u16_at(b, 24);
    }
    let fmt = Fmt {
        tag,
        channels: u16_at(b, 2),
        samplerate: u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        block_align: u16_at(b, 12),
        extension: b.get(18..).unwrap_or(&[]),
    };
    if fmt.channels == 0 || fmt.samplerate == 0 || fmt.block_align == 0 {
        return Err(malformed(format!(
            "{} channels at {} Hz in blocks of {} bytes: none may be 0",
            fmt.channels, fmt.samplerate, fmt.block_align
        )));
    }
    Ok(fmt)
}

/// The uncompressed encoding of a tag and sample size, if it is one.
fn encoding(tag: u16, bytes: u16) -> Option<Encoding> {
    Some(match (tag, bytes) {
        (TAG_PCM, 1) => Encoding::PcmU8,
        (TAG_PCM, 2) => Encoding::Pcm16,
        (TAG_PCM, 3) => Encoding::Pcm24,
        (TAG_PCM, 4) => Encoding::Pcm32,
        (TAG_FLOAT, 4) => Encoding::Float,
        (TAG_FLOAT, 8) => Encoding::Double,
        (TAG_ALAW, 1) => Encoding::Alaw,
        (TAG_ULAW, 1) => Encoding::Ulaw,
        _ => return None,
    })
}

/// MS ADPCM's predictor table from the fmt extension (after the samples per
/// block: a count, then that many pairs), capped by the bytes present.
fn ms_coefficients(ext: &[u8]) -> Vec<(i16, i16)> {
    let count = usize::from(u16_at(ext, 2));
    ext.get(4..)
        .unwrap_or(&[])
        .chunks_exact(4)
        .take(count)
        .map(|p| {
            (
                i16::from_le_bytes([p[0], p[1]]),
                i16::from_le_bytes([p[2], p[3]]),
            )
        })
        .collect()
}

/// Opens the WAVE file `file` in `container`. `Ok(None)`: an encoding read
/// elsewhere (a RIFF file the WAV module or symphonia reads); a Wave64 file
/// in an encoding ringstream does not know is `ERR_UNSUPPORTED_FORMAT`.
pub fn open_wave(mut file: File, container: Container) -> Result<Option<(WaveStream, AudioInfo)>> {
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(0))?;
    let chunks = walk(&mut file, len, container)?;
    let fmt = parse_fmt(&chunks.fmt)?;
    let channels = usize::from(fmt.channels);
    let codec = match fmt.tag {
        TAG_IMA_ADPCM => Some(AdpcmCodec::Ima),
        TAG_MS_ADPCM => Some(AdpcmCodec::Ms(MsAdpcm::new(
            channels,
            ms_coefficients(fmt.extension),
        ))),
        _ => None,
    };
    let format = match container {
        Container::Riff => FileFormat::Wav,
        Container::W64 => FileFormat::W64,
    };
    let mut info = AudioInfo {
        format,
        encoding: String::new(),
        samplerate: fmt.samplerate,
        channels: fmt.channels,
        frames: None,
        tags: Tags::default(),
    };
    if let Some(codec) = codec {
        let layout = AdpcmLayout {
            data_start: chunks.data_start,
            data_bytes: chunks.data_bytes,
            block_align: usize::from(fmt.block_align),
            frames_per_block: usize::from(u16_at(fmt.extension, 0)),
            channels,
        };
        let r = AdpcmReader::new(file, codec, layout)?;
        info.encoding = r.encoding().to_string();
        info.frames = Some(r.frames());
        return Ok(Some((WaveStream::Adpcm(r), info)));
    }
    if container == Container::Riff {
        return Ok(None);
    }
    let bytes = fmt.block_align / fmt.channels;
    let enc = encoding(fmt.tag, bytes)
        .filter(|_| fmt.block_align.is_multiple_of(fmt.channels))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "Wave64 format tag {:#06x} in {}-byte samples is not an encoding ringstream reads",
                    fmt.tag, bytes
                ),
            )
        })?;
    let layout = Layout {
        encoding: enc,
        big_endian: false,
    };
    let r = PcmFileReader::new(
        file,
        chunks.data_start,
        Some(chunks.data_bytes),
        layout,
        fmt.channels,
    )?;
    info.encoding = enc.name().to_string();
    info.frames = Some(r.frames());
    Ok(Some((WaveStream::Pcm(r), info)))
}
