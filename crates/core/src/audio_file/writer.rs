//! Whole files written in any writable format: [`write_audio`] and
//! [`encode_audio`].

use super::encoding::{encode, Encoding, Layout};
use super::format::FileFormat;
use super::probe::format_for_write;
use super::{aiff, au, flac, w64, wav_coded};
use crate::error::{Error, Result};
use crate::wav::{encode_wav, write_file, WavSpec};
use std::path::Path;

/// What to write: shape, format and encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteSpec {
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// The format; `None` takes the path's extension.
    pub format: Option<FileFormat>,
    /// The encoding; `None` is `pcm_16`, as soundfile (pastream's writer) defaults.
    pub encoding: Option<Encoding>,
    /// RAW only: most significant byte first.
    pub big_endian: bool,
}

/// Writes `samples` (interleaved, whole frames) to `path` in the format
/// its extension or `spec.format` names (see [`format_for_write`]).
///
/// ```no_run
/// use ringstream_core::audio_file::{write_audio, WriteSpec};
/// let spec = WriteSpec { samplerate: 48000, channels: 1, format: None, encoding: None, big_endian: false };
/// write_audio("tone.flac", &[0.0, 0.5, -0.5], spec)?;
/// # Ok::<(), ringstream_core::Error>(())
/// ```
pub fn write_audio(path: impl AsRef<Path>, samples: &[f32], spec: WriteSpec) -> Result<()> {
    let path = path.as_ref();
    let (format, _) = resolve_write(path, spec)?;
    let bytes = encode_audio(
        samples,
        WriteSpec {
            format: Some(format),
            ..spec
        },
    )?;
    write_file(path, &bytes)
}

/// The one rule for what a write to `path` writes (a whole file or an
/// [`super::AudioWriter`]): `spec.format` or the format the path's
/// extension names ([`format_for_write`]), in `spec.encoding` or `pcm_16`,
/// checked by [`check_write`] before anything is created.
///
/// ```
/// use ringstream_core::audio_file::{resolve_write, Encoding, FileFormat, WriteSpec};
/// let spec = WriteSpec { samplerate: 48000, channels: 2, format: None, encoding: None, big_endian: false };
/// assert_eq!(resolve_write("a.flac".as_ref(), spec).unwrap(), (FileFormat::Flac, Encoding::Pcm16));
/// assert!(resolve_write("a.mp3".as_ref(), spec).is_err());
/// ```
pub fn resolve_write(path: &Path, spec: WriteSpec) -> Result<(FileFormat, Encoding)> {
    let format = format_for_write(path, spec.format)?;
    check_write(WriteSpec {
        format: Some(format),
        ..spec
    })
}

/// Checks, before anything is encoded, that `spec` can be written: a
/// positive rate and channel count, a writable format (required here) and
/// an encoding that format holds. Returns the format and the encoding.
pub fn check_write(spec: WriteSpec) -> Result<(FileFormat, Encoding)> {
    let format = spec
        .format
        .ok_or_else(|| Error::invalid_arg("a format is needed to write"))?;
    format.check_writable()?;
    let encoding = spec.encoding.unwrap_or(Encoding::Pcm16);
    WavSpec {
        samplerate: spec.samplerate,
        channels: spec.channels,
        format: crate::wav::SampleFormat::I16,
    }
    .validate()?;
    match format {
        FileFormat::Wav if !wav_coded::holds(encoding) => return Err(wav_coded::refuse(encoding)),
        FileFormat::Flac => flac::bits_for(encoding).map(drop)?,
        FileFormat::Au => au::header(spec.samplerate, spec.channels, encoding, None).map(drop)?,
        FileFormat::Aiff => aiff::header(spec.samplerate, spec.channels, encoding, 0).map(drop)?,
        FileFormat::W64 => w64::header(spec.samplerate, spec.channels, encoding, 0).map(drop)?,
        _ => {}
    }
    Ok((format, encoding))
}

/// The complete file of `samples` in `spec.format` (required here).
pub fn encode_audio(samples: &[f32], spec: WriteSpec) -> Result<Vec<u8>> {
    let (format, encoding) = check_write(spec)?;
    let wav = WavSpec {
        samplerate: spec.samplerate,
        channels: spec.channels,
        format: crate::wav::SampleFormat::I16,
    };
    let ch = spec.channels as usize;
    if !samples.len().is_multiple_of(ch) {
        return Err(Error::invalid_arg(format!(
            "{} samples are not a whole number of {ch}-channel frames",
            samples.len()
        )));
    }
    let frames = (samples.len() / ch) as u64;
    let data_bytes = frames * (ch * encoding.bytes()) as u64;
    let (mut out, layout) = match format {
        FileFormat::Wav => match encoding.to_wav() {
            Ok(format) => return encode_wav(samples, WavSpec { format, ..wav }),
            Err(_) => (
                wav_coded::header(spec.samplerate, spec.channels, encoding, Some(frames))?,
                false,
            ),
        },
        FileFormat::Flac => return flac::encode(samples, spec.channels, spec.samplerate, encoding),
        FileFormat::Au => (
            au::header(spec.samplerate, spec.channels, encoding, Some(data_bytes))?,
            true,
        ),
        FileFormat::Aiff => (
            aiff::header(spec.samplerate, spec.channels, encoding, frames)?,
            true,
        ),
        FileFormat::W64 => (
            w64::header(spec.samplerate, spec.channels, encoding, data_bytes)?,
            false,
        ),
        _ => (Vec::new(), spec.big_endian),
    };
    out.reserve(data_bytes as usize + 1);
    encode(
        Layout {
            encoding,
            big_endian: layout,
        },
        samples,
        &mut out,
    );
    if matches!(format, FileFormat::Aiff | FileFormat::Wav) && !data_bytes.is_multiple_of(2) {
        out.push(0);
    }
    Ok(out)
}

/// The format and the encoding a write names, parsed (either absent:
/// `None`, for the write's rule to choose): the one parser of a writer's
/// or a recording's names. The format is read first, so where both are
/// wrong the error names the format.
///
/// ```
/// use ringstream_core::audio_file::{write_names, Encoding, FileFormat};
/// assert_eq!(write_names(Some("aif"), Some("PCM_16")).unwrap(), (Some(FileFormat::Aiff), Some(Encoding::Pcm16)));
/// assert_eq!(write_names(None, None).unwrap(), (None, None));
/// assert!(write_names(Some("opus"), None).is_err());
/// assert!(write_names(None, Some("mp3")).is_err());
/// ```
pub fn write_names(
    format: Option<&str>,
    encoding: Option<&str>,
) -> Result<(Option<FileFormat>, Option<Encoding>)> {
    Ok((
        format.map(FileFormat::from_name).transpose()?,
        encoding.map(Encoding::from_name).transpose()?,
    ))
}

/// What `signal.save(path, { format, encoding })` writes: the container
/// `format` or the path's extension names, and `encoding` or, if none, the
/// container's [`super::default_record_encoding`] (nothing lost). A
/// `format` that is an encoding name (`f32`, `i16`: pya's `save_wavfile`
/// sense, and this API's before other containers) is taken as the encoding.
///
/// ```
/// use ringstream_core::audio_file::{save_spec, Encoding, FileFormat};
/// assert_eq!(save_spec("a.flac", None, None).unwrap(), (FileFormat::Flac, Encoding::Pcm24));
/// assert_eq!(save_spec("a.wav", Some("i16"), None).unwrap(), (FileFormat::Wav, Encoding::Pcm16));
/// assert_eq!(save_spec("a", Some("au"), Some("u-law")).unwrap(), (FileFormat::Au, Encoding::Ulaw));
/// assert!(save_spec("a.aiff", None, Some("ulaw")).is_err());
/// ```
pub fn save_spec(
    path: &str,
    format: Option<&str>,
    encoding: Option<&str>,
) -> Result<(FileFormat, Encoding)> {
    let (container, encoding) = match (format, encoding) {
        (Some(f), None) if FileFormat::from_extension(f).is_none() => (
            None,
            Some(Encoding::from_name(f).map_err(|_| FileFormat::from_name(f).unwrap_err())?),
        ),
        (f, e) => write_names(f, e)?,
    };
    let container = format_for_write(Path::new(path), container)?;
    let encoding = encoding.unwrap_or(super::default_record_encoding(container));
    check_write(WriteSpec {
        samplerate: 1,
        channels: 1,
        format: Some(container),
        encoding: Some(encoding),
        big_endian: false,
    })
}
