//! [`AudioReader`]: any readable file, opened by what its content says, read
//! blockwise as interleaved `f32` and seekable.

use super::adpcm::AdpcmReader;
use super::au;
use super::decode::{is_refusal, Decoder};
use super::encoding::{Encoding, Layout};
use super::format::FileFormat;
use super::info::{AudioInfo, Tags};
use super::pcm_file::PcmFileReader;
use super::probe::sniff_reader;
use super::wave::{open_wave, WaveStream};
use super::wave_chunks::Container;
use crate::error::{Error, ErrorKind, Result};
use crate::wav::WavReader;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How headerless samples are laid out: what RAW files need said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawSpec {
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// Sample encoding and byte order.
    pub layout: Layout,
}

#[derive(Debug)]
enum Inner {
    Wav(WavReader),
    Pcm(PcmFileReader),
    Adpcm(AdpcmReader),
    Decoded(Box<Decoder>),
}

/// A file open for reading, whatever its format.
#[derive(Debug)]
pub struct AudioReader {
    inner: Inner,
    info: AudioInfo,
}

fn open_file(path: &Path) -> Result<File> {
    let with_path = |e: Error| e.context(path.display());
    let file = File::open(path).map_err(|e| with_path(e.into()))?;
    if file.metadata().map_err(|e| with_path(e.into()))?.is_dir() {
        return Err(with_path(Error::new(
            ErrorKind::Io,
            "is a directory, expected an audio file",
        )));
    }
    Ok(file)
}

impl AudioReader {
    /// Opens `path` in the format its first bytes announce (see
    /// [`super::sniff`]). WAV files the WAV module reads (PCM 8-32 bit,
    /// float32) go through it, ADPCM and Wave64 through [`super::wave`]; other
    /// WAV encodings (float64, µ-law, A-law) and every other format but AU
    /// go through symphonia.
    ///
    /// ```no_run
    /// let mut r = ringstream_core::audio_file::AudioReader::open("song.flac")?;
    /// let mut block = vec![0f32; 1024 * r.info().channels as usize];
    /// let frames = r.read_into(&mut block)?;
    /// # Ok::<(), ringstream_core::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let with_path = |e: Error| e.context(path.display());
        let mut file = open_file(path)?;
        let (format, _) = sniff_reader(&mut file, &path.display().to_string())?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| with_path(e.into()))?;
        AudioReader::open_as(file, path, format).map_err(with_path)
    }

    fn open_as(mut file: File, path: &Path, format: FileFormat) -> Result<Self> {
        match format {
            FileFormat::Wav => match WavReader::open(path) {
                Ok(r) => Ok(AudioReader::from_wav(r)),
                // An encoding the WAV module does not know: ADPCM is ours,
                // the rest symphonia's, and if it knows one but refuses it,
                // its reason is the one.
                Err(e) if e.kind() == ErrorKind::WavFormat => {
                    match open_wave(file.try_clone()?, Container::Riff) {
                        Ok(Some(w)) => Ok(AudioReader::wave(w)),
                        Ok(None) => AudioReader::decoded(file, format).map_err(|d| {
                            if is_refusal(&d) {
                                d
                            } else {
                                e
                            }
                        }),
                        Err(adpcm) => Err(adpcm),
                    }
                }
                Err(e) => Err(e),
            },
            FileFormat::Au => {
                let mut head = [0u8; au::HEADER_BYTES];
                file.read_exact(&mut head).map_err(|_| {
                    Error::new(
                        ErrorKind::UnsupportedFormat,
                        "malformed AU header: the file ends inside it",
                    )
                })?;
                let h = au::parse(&head)?;
                let info = AudioInfo {
                    format,
                    encoding: h.layout.encoding.name().to_string(),
                    samplerate: h.samplerate,
                    channels: h.channels,
                    frames: None,
                    tags: Tags::default(),
                };
                let r =
                    PcmFileReader::new(file, h.data_offset, h.data_bytes, h.layout, h.channels)?;
                Ok(AudioReader::pcm(r, info))
            }
            FileFormat::W64 => match open_wave(file, Container::W64)? {
                Some(w) => Ok(AudioReader::wave(w)),
                None => Err(Error::new(
                    ErrorKind::UnsupportedFormat,
                    "a Wave64 encoding ringstream does not read",
                )),
            },
            _ => AudioReader::decoded(file, format),
        }
    }

    /// Opens headerless samples laid out as `spec` says.
    pub fn open_raw(path: impl AsRef<Path>, spec: RawSpec) -> Result<Self> {
        if spec.samplerate == 0 || spec.channels == 0 {
            return Err(Error::invalid_arg(format!(
                "a raw file needs a positive rate and channel count, got {} Hz and {} channels",
                spec.samplerate, spec.channels
            )));
        }
        let path = path.as_ref();
        let file = open_file(path)?;
        let info = AudioInfo {
            format: FileFormat::Raw,
            encoding: spec.layout.encoding.name().to_string(),
            samplerate: spec.samplerate,
            channels: spec.channels,
            frames: None,
            tags: Tags::default(),
        };
        let r = PcmFileReader::new(file, 0, None, spec.layout, spec.channels)
            .map_err(|e| e.context(path.display()))?;
        Ok(AudioReader::pcm(r, info))
    }

    /// A reader over an open WAV reader.
    pub fn from_wav(r: WavReader) -> Self {
        let spec = r.spec();
        let info = AudioInfo {
            format: FileFormat::Wav,
            encoding: Encoding::from_wav(spec.format).name().to_string(),
            samplerate: spec.samplerate,
            channels: spec.channels,
            frames: Some(r.frames()),
            tags: Tags::default(),
        };
        AudioReader {
            inner: Inner::Wav(r),
            info,
        }
    }

    fn pcm(r: PcmFileReader, mut info: AudioInfo) -> Self {
        info.frames = Some(r.frames());
        AudioReader {
            inner: Inner::Pcm(r),
            info,
        }
    }

    fn wave((stream, info): (WaveStream, AudioInfo)) -> Self {
        let inner = match stream {
            WaveStream::Pcm(r) => Inner::Pcm(r),
            WaveStream::Adpcm(r) => Inner::Adpcm(r),
        };
        AudioReader { inner, info }
    }

    fn decoded(file: File, format: FileFormat) -> Result<Self> {
        let d = Decoder::open(file, format)?;
        Ok(AudioReader {
            info: d.info().clone(),
            inner: Inner::Decoded(Box::new(d)),
        })
    }

    /// What the file holds.
    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// Reads up to `out.len() / channels` frames into `out` (interleaved);
    /// returns the frames read, 0 at the end.
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        match &mut self.inner {
            Inner::Wav(r) => r.read_into(out),
            Inner::Pcm(r) => r.read_into(out),
            Inner::Adpcm(r) => r.read_into(out),
            Inner::Decoded(d) => d.read_into(out),
        }
    }

    /// Moves to `frame`.
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        match &mut self.inner {
            Inner::Wav(r) => r.seek(frame),
            Inner::Pcm(r) => r.seek(frame),
            Inner::Adpcm(r) => r.seek(frame),
            Inner::Decoded(d) => d.seek(frame),
        }
    }

    /// Reads every frame from here to the end.
    pub fn read_to_end(&mut self) -> Result<Vec<f32>> {
        let ch = self.info.channels as usize;
        let mut out = Vec::new();
        let mut block = vec![0f32; 16384 * ch];
        loop {
            let n = self.read_into(&mut block)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&block[..n * ch]);
        }
    }
}
