//! [`AudioWriter`]: streaming writes of interleaved `f32` in any writable
//! format, for recordings: WAV through the WAV module (double, µ-law and
//! A-law WAV as plain data after a [`wav_coded`] header), FLAC block by block
//! ([`super::flac_stream`]), AU, AIFF, Wave64 and RAW as they come.
//!
//! Headers that count the data (AU's size, AIFF's and Wave64's sizes) are rewritten on
//! [`AudioWriter::flush`] and every half second of audio, after the data
//! they count, as the WAV writer does: a killed recording keeps all but
//! about the last half second. FLAC's whole blocks are flushed to the file
//! every half second too (its STREAMINFO says "length unknown" until the
//! close): a killed FLAC recording decodes up to its last flushed block,
//! losing at most half a second plus the block being filled (4096 frames). A file that cannot seek (a FIFO) keeps its
//! provisional header (AU: "size unknown", which every reader accepts).

use super::encoding::{encode, Encoding, Layout};
use super::flac_stream::FlacStream;
use super::format::FileFormat;
use super::writer::{resolve_write, WriteSpec};
use super::{aiff, au, w64, wav_coded};
use crate::error::{Error, Result};
use crate::wav::{WavSpec, WavWriter};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// An uncompressed file (AU, AIFF, Wave64, RAW) being written.
#[derive(Debug)]
struct Plain {
    out: BufWriter<File>,
    format: FileFormat,
    layout: Layout,
    spec: WriteSpec,
    seekable: bool,
    bytes: Vec<u8>,
}

#[derive(Debug)]
enum Inner {
    Wav(WavWriter),
    /// The stream, and whether its STREAMINFO can be completed at the end.
    Flac(Box<FlacStream<BufWriter<File>>>, bool),
    Plain(Plain),
    Closed,
}

/// A file of any writable format being written.
#[derive(Debug)]
pub struct AudioWriter {
    inner: Inner,
    channels: u16,
    /// What is written: the format and encoding, resolved.
    written: (FileFormat, Encoding),
    /// RAW only: most significant byte first.
    big_endian: bool,
    frames: u64,
    /// Frames the file is refreshed after (FLAC's whole blocks flushed,
    /// the other formats' headers rewritten): half a second.
    refresh_every: u64,
    /// Frames written since the last refresh.
    since_refresh: u64,
}

impl Plain {
    fn header(&self, frames: u64) -> Result<Vec<u8>> {
        let (s, enc) = (&self.spec, self.layout.encoding);
        match self.format {
            FileFormat::Au => {
                let bytes = self
                    .seekable
                    .then_some(frames * (enc.bytes() * s.channels as usize) as u64);
                au::header(s.samplerate, s.channels, enc, bytes)
            }
            FileFormat::Aiff => aiff::header(s.samplerate, s.channels, enc, frames),
            FileFormat::W64 => w64::header(
                s.samplerate,
                s.channels,
                enc,
                frames * enc.bytes() as u64 * u64::from(s.channels),
            ),
            FileFormat::Wav => wav_coded::header(
                s.samplerate,
                s.channels,
                enc,
                self.seekable.then_some(frames),
            ),
            _ => Ok(Vec::new()),
        }
    }

    fn refresh(&mut self, frames: u64) -> Result<()> {
        self.out.flush()?;
        if self.seekable && self.format != FileFormat::Raw {
            let head = self.header(frames)?;
            let file = self.out.get_mut();
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&head)?;
            file.seek(SeekFrom::End(0))?;
        }
        Ok(())
    }
}

impl AudioWriter {
    /// Creates (or truncates) `path` in the format `spec.format` or its
    /// extension names (see [`super::format_for_write`]).
    ///
    /// ```no_run
    /// use ringstream_core::audio_file::{AudioWriter, WriteSpec};
    /// let spec = WriteSpec { samplerate: 48000, channels: 2, format: None, encoding: None, big_endian: false };
    /// let mut w = AudioWriter::create("take.flac", spec)?;
    /// w.write(&[0.0, 0.0, 0.5, -0.5])?;
    /// w.close()?;
    /// # Ok::<(), ringstream_core::Error>(())
    /// ```
    pub fn create(path: impl AsRef<Path>, spec: WriteSpec) -> Result<Self> {
        let path = path.as_ref();
        let (format, encoding) = resolve_write(path, spec)?;
        let inner = if let (FileFormat::Wav, Ok(wav_format)) = (format, encoding.to_wav()) {
            Inner::Wav(WavWriter::create(
                path,
                WavSpec {
                    samplerate: spec.samplerate,
                    channels: spec.channels,
                    format: wav_format,
                },
            )?)
        } else {
            let file = File::create(path).map_err(|e| Error::from(e).context(path.display()))?;
            let seekable = file.metadata()?.is_file();
            let out = BufWriter::with_capacity(1 << 16, file);
            if format == FileFormat::Flac {
                let flac = FlacStream::new(out, spec.samplerate, spec.channels, encoding)?;
                Inner::Flac(Box::new(flac), seekable)
            } else {
                let big_endian = match format {
                    FileFormat::Raw => spec.big_endian,
                    FileFormat::W64 | FileFormat::Wav => false,
                    _ => true,
                };
                let mut p = Plain {
                    out,
                    format,
                    layout: Layout {
                        encoding,
                        big_endian,
                    },
                    spec,
                    seekable,
                    bytes: Vec::new(),
                };
                let head = p.header(0)?;
                p.out.write_all(&head)?;
                Inner::Plain(p)
            }
        };
        Ok(AudioWriter {
            inner,
            channels: spec.channels,
            written: (format, encoding),
            big_endian: spec.big_endian && format == FileFormat::Raw,
            frames: 0,
            refresh_every: u64::from(spec.samplerate / 2).max(1),
            since_refresh: 0,
        })
    }

    /// A writer over an open WAV writer.
    pub fn from_wav(w: WavWriter) -> Self {
        AudioWriter {
            channels: w.spec().channels,
            written: (FileFormat::Wav, Encoding::from_wav(w.spec().format)),
            big_endian: false,
            frames: w.frames(),
            refresh_every: u64::from(w.spec().samplerate / 2).max(1),
            since_refresh: 0,
            inner: Inner::Wav(w),
        }
    }

    /// Interleaved channels per frame.
    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// The format and the encoding being written (what `create` resolved).
    pub fn written(&self) -> (FileFormat, Encoding) {
        self.written
    }

    /// Whether the samples are most significant byte first (RAW only:
    /// every other format fixes its own order).
    pub fn big_endian(&self) -> bool {
        self.big_endian
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Appends interleaved samples (a whole number of frames).
    pub fn write(&mut self, samples: &[f32]) -> Result<()> {
        let ch = self.channels as usize;
        if !samples.len().is_multiple_of(ch) {
            return Err(Error::invalid_arg(format!(
                "{} samples are not a whole number of {ch}-channel frames",
                samples.len()
            )));
        }
        let frames = (samples.len() / ch) as u64;
        // Every half second the file is refreshed, not when a buffer fills
        // (seconds at a low rate): a killed recording keeps all but that
        // (FLAC: and the block being filled). The WAV writer keeps its own.
        let due = self.since_refresh + frames >= self.refresh_every;
        match &mut self.inner {
            Inner::Wav(w) => w.write(samples)?,
            Inner::Flac(f, _) => {
                f.write(samples)?;
                if due {
                    f.flush()?;
                }
            }
            Inner::Plain(p) => {
                p.bytes.clear();
                encode(p.layout, samples, &mut p.bytes);
                p.out.write_all(&p.bytes)?;
                if due {
                    p.refresh(self.frames + frames)?;
                }
            }
            Inner::Closed => return Err(Error::invalid_arg("the audio writer is closed")),
        }
        self.frames += frames;
        self.since_refresh = if due { 0 } else { self.since_refresh + frames };
        Ok(())
    }

    /// Makes the file complete on disk as of now (FLAC: up to its last whole block).
    pub fn flush(&mut self) -> Result<()> {
        match &mut self.inner {
            Inner::Wav(w) => w.flush()?,
            Inner::Flac(f, _) => f.flush()?,
            Inner::Plain(p) => p.refresh(self.frames)?,
            Inner::Closed => {}
        }
        self.since_refresh = 0;
        Ok(())
    }

    /// Finishes the file. Closing again does nothing.
    pub fn close(&mut self) -> Result<()> {
        match std::mem::replace(&mut self.inner, Inner::Closed) {
            Inner::Wav(mut w) => w.close(),
            Inner::Flac(f, true) => f.finish().map(drop),
            Inner::Flac(f, false) => f.finish_unseekable().map(drop),
            Inner::Plain(mut p) => {
                if matches!(p.format, FileFormat::Aiff | FileFormat::Wav)
                    && self.frames * (p.layout.encoding.bytes() * self.channels as usize) as u64 % 2
                        == 1
                {
                    p.out.write_all(&[0])?;
                }
                p.refresh(self.frames)
            }
            Inner::Closed => Ok(()),
        }
    }
}

impl Drop for AudioWriter {
    /// Finishes an unclosed file (as [`AudioWriter::close`]), on the
    /// dropping thread. In Node that is the JS thread, in the finalizer of
    /// a writer collected unclosed: kept there on purpose, since the exit
    /// hook holds writers weakly and no longer sees a collected one, so a
    /// finish handed to another thread could be cut off by the process
    /// ending. The work is bounded and waits on no lock or peer: the
    /// buffered bytes (at most 64 KiB, the WAV writer's own buffer for WAV)
    /// and one header rewrite; FLAC encodes at most its last 4096-frame
    /// block and rewrites STREAMINFO. (A stream's file sink drops its
    /// writer on its own writer thread.)
    fn drop(&mut self) {
        // Errors cannot be reported from drop; `close` reports them. A
        // panic must not unwind out of a drop that a foreign (napi)
        // finalizer runs: it would abort the process.
        let close = std::panic::AssertUnwindSafe(|| self.close());
        let _ = std::panic::catch_unwind(close);
    }
}

/// The encoding a recording writes in `format` when none is asked for:
/// float where the format holds it (WAV, AU, RAW), else 24-bit (FLAC, AIFF),
/// so a recording loses nothing a 24-bit card delivers.
pub fn default_record_encoding(format: FileFormat) -> Encoding {
    match format {
        FileFormat::Flac | FileFormat::Aiff => Encoding::Pcm24,
        _ => Encoding::Float,
    }
}

#[cfg(test)]
#[path = "stream_writer_tests.rs"]
mod tests;
