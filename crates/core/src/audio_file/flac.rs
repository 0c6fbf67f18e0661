//! FLAC encoding through flacenc: integer samples of 8 to 24 bits.

use super::encoding::Encoding;
use crate::error::{Error, ErrorKind, Result};
use flacenc::component::BitRepr;
use flacenc::error::Verify;

/// Frames per FLAC block: `flac -5`'s block size.
pub const BLOCK_FRAMES: usize = 4096;

/// The bits per sample FLAC keeps for `encoding`, or `ERR_UNSUPPORTED_FORMAT`.
pub fn bits_for(encoding: Encoding) -> Result<u32> {
    match encoding {
        Encoding::PcmU8 | Encoding::PcmS8 => Ok(8),
        Encoding::Pcm16 => Ok(16),
        Encoding::Pcm24 => Ok(24),
        _ => Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "FLAC files are written as pcm_s8, pcm_16 or pcm_24, not {}",
                encoding.name()
            ),
        )),
    }
}

/// `samples` (interleaved `f32`) as integers of `bits` bits, rounded to
/// nearest and clipped as the WAV writer does.
pub fn to_ints(samples: &[f32], bits: u32, out: &mut Vec<i32>) {
    let scale = (1u32 << (bits - 1)) as f32;
    out.extend(samples.iter().map(|&x| {
        if x.is_nan() {
            0
        } else {
            (f64::from(x) * f64::from(scale))
                .round()
                .clamp(-f64::from(scale), f64::from(scale) - 1.0) as i32
        }
    }));
}

/// The complete FLAC file of `samples` (interleaved, whole frames).
///
/// ```
/// use ringstream_core::audio_file::{flac, Encoding};
/// let bytes = flac::encode(&[0.0, 0.5, -0.5, 0.25], 2, 44100, Encoding::Pcm16).unwrap();
/// assert_eq!(&bytes[..4], b"fLaC");
/// ```
pub fn encode(
    samples: &[f32],
    channels: u16,
    samplerate: u32,
    encoding: Encoding,
) -> Result<Vec<u8>> {
    let bits = bits_for(encoding)?;
    let mut ints = Vec::with_capacity(samples.len());
    to_ints(samples, bits, &mut ints);
    let source = flacenc::source::MemSource::from_samples(
        &ints,
        channels as usize,
        bits as usize,
        samplerate as usize,
    );
    let config = flacenc::config::Encoder::default()
        .into_verified()
        .map_err(|(_, e)| Error::new(ErrorKind::UnsupportedFormat, format!("FLAC encoder: {e}")))?;
    let stream =
        flacenc::encode_with_fixed_block_size(&config, source, BLOCK_FRAMES).map_err(|e| {
            Error::new(
                ErrorKind::UnsupportedFormat,
                format!("cannot encode FLAC: {e}"),
            )
        })?;
    let mut sink = flacenc::bitsink::ByteSink::new();
    stream.write(&mut sink).map_err(|e| {
        Error::new(
            ErrorKind::UnsupportedFormat,
            format!("cannot encode FLAC: {e:?}"),
        )
    })?;
    let mut bytes = sink.into_inner();
    fix_min_block(&mut bytes);
    Ok(bytes)
}

/// Sets STREAMINFO's minimum block size to the maximum: flacenc puts the
/// short last block's size there, which the format excludes ("the minimum
/// block size (excluding the last block)") and which makes a fixed-block
/// stream look variable, so symphonia refuses it (libFLAC does not mind).
fn fix_min_block(bytes: &mut [u8]) {
    // `fLaC`, then the STREAMINFO block header, then min and max block size.
    if bytes.len() >= 12 && &bytes[..4] == b"fLaC" && bytes[4] & 0x7f == 0 {
        let (min, max) = bytes[8..12].split_at_mut(2);
        min.copy_from_slice(max);
    }
}
