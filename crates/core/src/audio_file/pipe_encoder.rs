//! [`PipeEncoder`]: a file format written as a byte stream (the CLI's
//! stdout), header first with the length "unknown" where the header counts
//! it, as sox and `flac -c` write to pipes: WAV and AU sizes 0xffffffff,
//! FLAC's STREAMINFO total 0. AIFF is refused: readers need its sizes.

use super::encoding::{encode, Encoding, Layout};
use super::flac_stream::FlacStream;
use super::format::FileFormat;
use super::stream_writer::default_record_encoding;
use super::writer::{check_write, WriteSpec};
use super::{au, wav_coded};
use crate::error::{Error, ErrorKind, Result};
use crate::wav::pcm::{transcode, PcmFormat};
use crate::wav::{self, SampleFormat, WavSpec};

#[derive(Debug)]
enum Kind {
    /// Samples laid out as they are stored (WAV, AU, RAW).
    Plain(Layout),
    Flac(Box<FlacStream<Vec<u8>>>),
    /// Finished; holds FLAC's final STREAMINFO.
    Done(Option<Vec<u8>>),
}

/// Refuses a format that cannot be written as a byte stream: AIFF and
/// Wave64, whose headers must count the data before it.
fn check_pipeable(format: FileFormat) -> Result<()> {
    match format {
        FileFormat::Aiff | FileFormat::W64 => Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "{} cannot be written to a pipe (its header must count the data before it); \
                 write au, wav, flac or raw to a pipe, or name a .{} file",
                format.name().to_uppercase(),
                format.name()
            ),
        )),
        _ => Ok(()),
    }
}

/// The format and encoding a [`PipeEncoder`] of `format` in `encoding`
/// (`None`: [`default_record_encoding`]) writes, checked as
/// [`PipeEncoder::new`] checks them, without starting one: the CLI refuses
/// an output before any device opens.
///
/// ```
/// use ringstream_core::audio_file::{pipe_encoder::pipe_spec, Encoding, FileFormat};
/// assert_eq!(pipe_spec(FileFormat::Flac, None)?, (FileFormat::Flac, Encoding::Pcm24));
/// assert!(pipe_spec(FileFormat::Aiff, None).is_err()); // its header counts the data
/// assert!(pipe_spec(FileFormat::Wav, Some(Encoding::PcmS8)).is_err()); // WAV has no signed 8-bit
/// # Ok::<(), ringstream_core::Error>(())
/// ```
pub fn pipe_spec(format: FileFormat, encoding: Option<Encoding>) -> Result<(FileFormat, Encoding)> {
    // Any valid rate and channel count asks the same of the format.
    let checked = check_write(WriteSpec {
        samplerate: 48_000,
        channels: 1,
        format: Some(format),
        encoding: Some(encoding.unwrap_or(default_record_encoding(format))),
        big_endian: false,
    })?;
    check_pipeable(format)?;
    Ok(checked)
}

/// A format being written as a byte stream: every call returns the bytes
/// to send on.
#[derive(Debug)]
pub struct PipeEncoder {
    kind: Kind,
    format: FileFormat,
    encoding: Encoding,
    samplerate: u32,
    channels: u16,
    frames: u64,
    header: Vec<u8>,
    scratch: Vec<f32>,
}

impl PipeEncoder {
    /// Starts a stream in `spec.format` (required) and `spec.encoding`
    /// (`None`: [`default_record_encoding`], as a recording to a file).
    ///
    /// ```
    /// use ringstream_core::audio_file::{FileFormat, PipeEncoder, WriteSpec};
    /// use ringstream_core::wav::{pcm::PcmFormat, SampleFormat};
    /// let spec = WriteSpec { samplerate: 8000, channels: 1, format: Some(FileFormat::Au), encoding: None, big_endian: false };
    /// let mut e = PipeEncoder::new(spec)?;
    /// assert_eq!(&e.header()[..4], b".snd");
    /// assert_eq!(&e.header()[8..12], &[0xff; 4]); // data size unknown
    /// let data = e.write(&0.5f32.to_le_bytes(), PcmFormat::le(SampleFormat::F32))?;
    /// assert_eq!(data, 0.5f32.to_be_bytes()); // float unless asked: a recording loses nothing
    /// # Ok::<(), ringstream_core::Error>(())
    /// ```
    pub fn new(spec: WriteSpec) -> Result<Self> {
        let encoding = spec.encoding.or(spec.format.map(default_record_encoding));
        let (format, encoding) = check_write(WriteSpec { encoding, ..spec })?;
        check_pipeable(format)?;
        let (kind, header) = match format {
            FileFormat::Flac => {
                let mut f = FlacStream::new(Vec::new(), spec.samplerate, spec.channels, encoding)?;
                let head = std::mem::take(f.get_mut());
                (Kind::Flac(Box::new(f)), head)
            }
            _ => {
                let big_endian = match format {
                    FileFormat::Raw => spec.big_endian,
                    FileFormat::Au => true,
                    _ => false,
                };
                let layout = Layout {
                    encoding,
                    big_endian,
                };
                (Kind::Plain(layout), Vec::new())
            }
        };
        let mut me = PipeEncoder {
            kind,
            format,
            encoding,
            samplerate: spec.samplerate,
            channels: spec.channels,
            frames: 0,
            header,
            scratch: Vec::new(),
        };
        if let Kind::Plain(_) = me.kind {
            me.header = me.sized_header(None)?;
        }
        Ok(me)
    }

    /// The header of a stream of `frames` frames (`None`: unknown), for
    /// WAV, AU and RAW (empty); always the same length.
    fn sized_header(&self, frames: Option<u64>) -> Result<Vec<u8>> {
        let (rate, ch, enc) = (self.samplerate, self.channels, self.encoding);
        match self.format {
            FileFormat::Wav => match enc.to_wav() {
                Ok(format) => {
                    let spec = WavSpec {
                        samplerate: rate,
                        channels: ch,
                        format,
                    };
                    match frames {
                        Some(f) => wav::stream::header_with_frames(&spec, f),
                        None => wav::stream::streaming_header(&spec),
                    }
                }
                Err(_) => wav_coded::header(rate, ch, enc, frames),
            },
            FileFormat::Au => {
                let bytes = frames.map(|f| f * (enc.bytes() * ch as usize) as u64);
                au::header(rate, ch, enc, bytes)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The bytes that start the stream (its header, length unknown).
    pub fn header(&self) -> &[u8] {
        &self.header
    }

    /// The format and encoding written.
    pub fn format(&self) -> (FileFormat, Encoding) {
        (self.format, self.encoding)
    }

    /// Encodes `bytes`, whole frames of samples laid out as `from` (a
    /// stream's ring: `f32`, `i16` or `i32`); returns the bytes to send.
    /// An integer ring written in its own encoding is copied exactly.
    pub fn write(&mut self, bytes: &[u8], from: PcmFormat) -> Result<Vec<u8>> {
        let width = from.bytes() * self.channels as usize;
        if !bytes.len().is_multiple_of(width) {
            return Err(Error::invalid_arg(format!(
                "{} bytes are not a whole number of {width}-byte frames",
                bytes.len()
            )));
        }
        self.frames += (bytes.len() / width) as u64;
        let mut out = Vec::new();
        if let Kind::Plain(layout) = self.kind {
            if let Ok(to) = layout.encoding.to_wav() {
                let to = PcmFormat {
                    format: to,
                    big_endian: layout.big_endian,
                };
                transcode(bytes, from, to, &mut out)?;
                return Ok(out);
            }
        }
        self.scratch.clear();
        self.scratch.resize(bytes.len() / from.bytes(), 0.0);
        let mut f32s = Vec::new();
        transcode(bytes, from, PcmFormat::le(SampleFormat::F32), &mut f32s)?;
        for (s, b) in self.scratch.iter_mut().zip(f32s.chunks_exact(4)) {
            *s = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        match &mut self.kind {
            Kind::Plain(layout) => encode(*layout, &self.scratch, &mut out),
            Kind::Flac(f) => {
                f.write(&self.scratch)?;
                out = std::mem::take(f.get_mut());
            }
            Kind::Done(_) => return Err(Error::invalid_arg("the stream is finished")),
        }
        Ok(out)
    }

    /// Ends the stream: returns its last bytes (FLAC's last block).
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        match std::mem::replace(&mut self.kind, Kind::Done(None)) {
            Kind::Flac(f) => {
                let (out, head) = f.finish_unseekable()?;
                self.kind = Kind::Done(Some(head));
                Ok(out)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// After [`PipeEncoder::finish`], the header with the real length, to
    /// write over the first bytes when the output turned out to be a file
    /// (the same length as [`PipeEncoder::header`]); empty for RAW. WAV
    /// data of odd length then needs a pad byte after it: see
    /// [`PipeEncoder::needs_pad`].
    pub fn final_header(&self) -> Result<Vec<u8>> {
        match &self.kind {
            Kind::Done(Some(head)) => Ok(head.clone()),
            Kind::Done(None) => self.sized_header(Some(self.frames)),
            _ => Err(Error::invalid_arg("the stream is not finished")),
        }
    }

    /// Whether a WAV file of this length needs a pad byte after its data.
    pub fn needs_pad(&self) -> bool {
        self.format == FileFormat::Wav
            && !(self.frames * (self.encoding.bytes() * self.channels as usize) as u64)
                .is_multiple_of(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio_file::AudioReader;

    fn stream(format: FileFormat, encoding: Encoding) -> (Vec<u8>, Vec<u8>) {
        let spec = WriteSpec {
            samplerate: 8000,
            channels: 1,
            format: Some(format),
            encoding: Some(encoding),
            big_endian: false,
        };
        let mut e = PipeEncoder::new(spec).unwrap();
        let mut bytes = e.header().to_vec();
        let tone: Vec<u8> = (0..10_000)
            .map(|i| ((i as f32 * 0.05).sin() * 12000.0) as i16)
            .flat_map(i16::to_le_bytes)
            .collect();
        for chunk in tone.chunks(998) {
            bytes.extend(e.write(chunk, PcmFormat::le(SampleFormat::I16)).unwrap());
        }
        bytes.extend(e.finish().unwrap());
        (bytes, tone)
    }

    #[test]
    fn streams_of_unknown_length_read_back() {
        for (format, encoding) in [
            (FileFormat::Au, Encoding::Pcm16),
            (FileFormat::Au, Encoding::Ulaw),
            (FileFormat::Flac, Encoding::Pcm16),
            (FileFormat::Wav, Encoding::Alaw),
        ] {
            let (bytes, tone) = stream(format, encoding);
            let path = std::env::temp_dir().join(format!(
                "ringstream-pipe-enc-{}-{}.{}",
                encoding.name(),
                std::process::id(),
                format.name()
            ));
            std::fs::write(&path, &bytes).unwrap();
            let back = AudioReader::open(&path).unwrap().read_to_end().unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(back.len(), tone.len() / 2, "{format:?} {encoding:?}");
            let tol = if encoding == Encoding::Pcm16 {
                0.0
            } else {
                0.02
            };
            for (b, t) in back.iter().zip(tone.chunks(2)) {
                let t = f32::from(i16::from_le_bytes([t[0], t[1]])) / 32768.0;
                assert!(
                    (b - t).abs() <= tol,
                    "{format:?} {encoding:?}: {t} read as {b}"
                );
            }
        }
    }

    #[test]
    fn aiff_and_w64_are_refused_and_the_final_header_counts_the_frames() {
        let spec = WriteSpec {
            samplerate: 8000,
            channels: 1,
            format: Some(FileFormat::Aiff),
            encoding: None,
            big_endian: false,
        };
        let e = PipeEncoder::new(spec).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        // Wave64 too: never its bare data under its name.
        let w64 = WriteSpec {
            format: Some(FileFormat::W64),
            ..spec
        };
        let e = PipeEncoder::new(w64).unwrap_err();
        assert!(
            e.message().starts_with("W64 cannot be written to a pipe"),
            "{e}"
        );
        let mut e = PipeEncoder::new(WriteSpec {
            format: Some(FileFormat::Au),
            ..spec
        })
        .unwrap();
        e.write(&[0; 6], PcmFormat::le(SampleFormat::I16)).unwrap();
        e.finish().unwrap();
        let h = e.final_header().unwrap();
        assert_eq!(h.len(), e.header().len());
        // Three 16-bit frames in, three float frames written (the default).
        assert_eq!(u32::from_be_bytes([h[8], h[9], h[10], h[11]]), 12);
    }
}
