//! WAV file I/O: whole-file [`read_wav`] / [`write_wav`] and streaming
//! [`WavReader`] / [`WavWriter`], all on interleaved `f32` samples.
//!
//! - [`format`]: the sample encodings and their conversion loops;
//! - [`header`]: the RIFF/WAVE header (parsed here, built mostly by hound);
//! - [`reader`]: blockwise reading;
//! - [`writer`]: streaming writing with periodic header refreshes;
//! - [`stream`]: headers of WAV data piped through a stream (unknown length);
//! - [`pcm`]: raw PCM conversion between encodings and byte orders;
//! - [`pages`]: memory for whole-file reads and writes;
//! - [`file`]: the file system calls of whole-file reads and writes;
//! - [`whole`]: whole files encoded from samples, at once or in pieces.
//!
//! Supported: PCM 8 (unsigned), 16, 24 and 32-bit integer and 32-bit IEEE
//! float, plain or `WAVE_FORMAT_EXTENSIBLE`, any number of channels. No
//! allocation depends on sizes a header claims: data sizes are capped by the
//! file's length.

pub mod file;
pub mod format;
pub mod header;
pub mod pages;
pub mod pcm;
pub mod reader;
pub mod stream;
pub mod whole;
pub mod writer;

pub use file::write_file;
pub use format::SampleFormat;
pub use pcm::PcmFormat;
pub use reader::WavReader;
pub use whole::{pipe, WavFile};
pub use writer::WavWriter;

use crate::error::{Error, Result};
use std::path::Path;

/// The format of a WAV file: rate, channel count and sample encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WavSpec {
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels per frame.
    pub channels: u16,
    /// How samples are stored.
    pub format: SampleFormat,
}

impl WavSpec {
    /// Bytes per frame.
    pub fn block_align(&self) -> usize {
        self.channels as usize * self.format.bytes()
    }

    /// Checks that the spec can be written: at least one channel, a positive
    /// rate, and a frame size and byte rate that fit the header's fields.
    pub fn validate(&self) -> Result<()> {
        if self.samplerate == 0 {
            return Err(Error::invalid_arg("samplerate must be positive, got 0"));
        }
        if self.channels == 0 {
            return Err(Error::invalid_arg("channels must be positive, got 0"));
        }
        let align = self.block_align();
        if align > u16::MAX as usize
            || align as u64 * u64::from(self.samplerate) > u64::from(u32::MAX)
        {
            return Err(Error::invalid_arg(format!(
                "{} channels of {} at {} Hz do not fit a WAV header",
                self.channels,
                self.format.name(),
                self.samplerate
            )));
        }
        Ok(())
    }
}

/// Extensions of audio formats that are not WAV, with their names: writing
/// WAV bytes under such a name would make a file that no program reads as
/// what its name says, so every writer refuses them until they are written.
const OTHER_FORMATS: [(&str, &str); 14] = [
    ("flac", "FLAC"),
    ("aif", "AIFF"),
    ("aiff", "AIFF"),
    ("aifc", "AIFF-C"),
    ("au", "AU"),
    ("snd", "AU"),
    ("ogg", "Ogg Vorbis"),
    ("oga", "Ogg Vorbis"),
    ("opus", "Opus"),
    ("mp3", "MP3"),
    ("m4a", "AAC"),
    ("caf", "CAF"),
    ("w64", "Wave64"),
    ("rf64", "RF64"),
];

/// Refuses to write WAV data to a path whose extension names another audio
/// format (`out.flac`, `x.aiff`, ...): the WAV writers write WAV only, and
/// the message names the writer of every format (`writeAudio`).
pub fn check_write_path(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.and_then(|e| OTHER_FORMATS.iter().find(|(x, _)| *x == e)) {
        Some((_, name)) => Err(Error::invalid_arg(format!(
            "cannot write {}: a WAV writer writes only WAV, not {name}; write other formats with writeAudio (FLAC, AIFF, AU, Wave64, RAW) or give the file a .wav name",
            path.display()
        ))),
        None => Ok(()),
    }
}

/// A whole WAV file in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct WavData {
    /// Interleaved samples, `frames * spec.channels` of them.
    pub samples: Vec<f32>,
    /// The file's format.
    pub spec: WavSpec,
    /// Frames in `samples`.
    pub frames: u64,
}

/// Reads the whole file at `path`.
pub fn read_wav(path: impl AsRef<Path>) -> Result<WavData> {
    let mut r = WavReader::open(path)?;
    let samples = r.read(r.frames())?;
    Ok(WavData {
        spec: r.spec(),
        frames: r.frames(),
        samples,
    })
}

/// Writes `samples` (interleaved, a whole number of frames) to `path` as a
/// complete WAV file of format `spec`: [`encode_wav`], then [`write_file`].
pub fn write_wav(path: impl AsRef<Path>, samples: &[f32], spec: WavSpec) -> Result<()> {
    check_write_path(&path)?;
    let bytes = encode_wav(samples, spec)?;
    write_file(path, &bytes)
}

/// The complete WAV file of `samples` (interleaved, a whole number of
/// frames) in format `spec`: header with its final sizes, data and pad
/// byte, encoded in one pass into one allocation (see [`WavFile`]).
pub fn encode_wav(samples: &[f32], spec: WavSpec) -> Result<Vec<u8>> {
    let file = WavFile::new(samples, spec)?;
    let mut out = Vec::with_capacity(file.len() as usize);
    pages::advise_huge_pages(&mut out);
    file.encode_into(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn round_trips_every_format() {
        let dir = std::env::temp_dir().join(format!("ringstream-wav-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for format in SampleFormat::ALL {
            for channels in [1u16, 2, 6] {
                let spec = WavSpec {
                    samplerate: 48000,
                    channels,
                    format,
                };
                // Values on the 8-bit grid are on every format's grid.
                let data: Vec<f32> = (0..channels as usize * 1001)
                    .map(|i| ((i % 256) as f32 - 128.0) / 128.0)
                    .collect();
                let path = dir.join(format!("{}-{channels}.wav", format.name()));
                write_wav(&path, &data, spec).unwrap();
                let back = read_wav(&path).unwrap();
                assert_eq!(back.spec, spec);
                assert_eq!(back.frames, 1001);
                assert_eq!(back.samples, data, "{format:?} x{channels}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_bad_specs_and_ragged_data() {
        let ok = WavSpec {
            samplerate: 44100,
            channels: 2,
            format: SampleFormat::I16,
        };
        for bad in [
            WavSpec {
                samplerate: 0,
                ..ok
            },
            WavSpec { channels: 0, ..ok },
            WavSpec {
                channels: u16::MAX,
                ..ok
            },
            WavSpec {
                samplerate: u32::MAX,
                ..ok
            },
        ] {
            assert_eq!(bad.validate().unwrap_err().kind(), ErrorKind::InvalidArg);
        }
        let e = write_wav("/nonexistent/never.wav", &[0.0; 3], ok).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArg);
    }

    #[test]
    fn a_huge_claimed_size_in_a_small_file_reads_what_is_there() {
        let dir = std::env::temp_dir().join(format!("ringstream-huge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge.wav");
        let mut bytes = header::build(&WavSpec {
            samplerate: 8000,
            channels: 1,
            format: SampleFormat::F32,
        })
        .unwrap()
        .bytes;
        let n = bytes.len();
        bytes[n - 4..].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes.resize(1024, 0);
        std::fs::write(&path, &bytes).unwrap();
        let d = read_wav(&path).unwrap();
        assert_eq!(d.frames, ((1024 - n) / 4) as u64);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn other_formats_are_refused_by_name() {
        for p in ["out.flac", "x.AIFF", "a/b.au", "c.ogg"] {
            let e = check_write_path(p).unwrap_err().to_string();
            assert!(e.contains("writes only WAV"), "{e}");
            assert!(e.contains("writeAudio"), "{e}");
        }
        let e = check_write_path("song.flac").unwrap_err().to_string();
        assert!(
            e.starts_with("cannot write song.flac: a WAV writer writes only WAV, not FLAC"),
            "{e}"
        );
        for p in ["out.wav", "out.raw", "out", "out.tmp", ".au"] {
            assert!(check_write_path(p).is_ok(), "{p}");
        }
    }
}
