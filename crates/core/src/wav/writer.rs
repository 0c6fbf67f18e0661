//! [`WavWriter`]: streaming writes of interleaved `f32` to a WAV file.
//!
//! The header's size fields are refreshed after every half second of audio
//! (and on [`WavWriter::flush`]), always after the data they count has
//! reached the file. A process killed mid-recording (even with SIGKILL)
//! therefore leaves a valid file that holds everything up to the last
//! refresh: at most about half a second, plus what the writer thread had not
//! yet taken from its ring, is lost.

use super::format::encode;
use super::header;
use super::WavSpec;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// Encoded bytes buffered before they go to the file.
const BUFFER_BYTES: usize = 1 << 18;
/// Samples encoded per step, so that the buffer never far exceeds its size.
const ENCODE_SAMPLES: usize = 1 << 14;
/// Frames between header refreshes, in parts of the sample rate (2: half a second).
const REFRESHES_PER_SECOND: u64 = 2;

/// A WAV file being written.
#[derive(Debug)]
pub struct WavWriter {
    file: File,
    spec: WavSpec,
    header_len: u64,
    fact_offset: Option<u64>,
    /// Data bytes handed to the file (the buffer not included).
    written: u64,
    buffer: Vec<u8>,
    frames: u64,
    frames_at_refresh: u64,
    closed: bool,
    /// Named in I/O errors (a full disk says which file it could not write).
    path: std::path::PathBuf,
}

impl WavWriter {
    /// Creates (or truncates) `path` and writes the header for `spec`.
    pub fn create(path: impl AsRef<Path>, spec: WavSpec) -> Result<Self> {
        spec.validate()?;
        let path = path.as_ref();
        super::check_write_path(path)?;
        let head = header::build(&spec)?;
        let mut file = File::create(path).map_err(|e| Error::from(e).context(path.display()))?;
        if let Err(e) = file.write_all(&head.bytes) {
            // Not even the header fits (a full disk): leave no empty file behind.
            drop(file);
            super::file::remove_partial(path);
            return Err(Error::from(e).context(path.display()));
        }
        Ok(WavWriter {
            path: path.to_path_buf(),
            file,
            spec,
            header_len: head.bytes.len() as u64,
            fact_offset: head.fact_offset,
            written: 0,
            buffer: Vec::with_capacity(BUFFER_BYTES + ENCODE_SAMPLES * 4),
            frames: 0,
            frames_at_refresh: 0,
            closed: false,
        })
    }

    /// The format being written.
    pub fn spec(&self) -> WavSpec {
        self.spec
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    fn check_open(&self) -> Result<()> {
        if self.closed {
            return Err(Error::invalid_arg("the WAV writer is closed"));
        }
        Ok(())
    }

    /// Appends interleaved `samples` (a whole number of frames). Integer
    /// formats clip to [-1, 1] (see [`super::format`]).
    pub fn write(&mut self, samples: &[f32]) -> Result<()> {
        self.check_open()?;
        let ch = self.spec.channels as usize;
        if !samples.len().is_multiple_of(ch) {
            return Err(Error::invalid_arg(format!(
                "data length must be a multiple of the {ch} channels, got {}",
                samples.len()
            )));
        }
        let bytes = samples.len() as u64 * self.spec.format.bytes() as u64;
        // The RIFF size field (header minus 8, data, pad byte) is 32 bits.
        let max_data = u64::from(u32::MAX) - 1 - (self.header_len - 8);
        if self.written + self.buffer.len() as u64 + bytes > max_data {
            return Err(Error::invalid_arg(format!(
                "a WAV file holds at most {max_data} bytes of data; this write would exceed it"
            )));
        }
        for chunk in samples.chunks(ENCODE_SAMPLES) {
            encode(self.spec.format, chunk, &mut self.buffer);
            if self.buffer.len() >= BUFFER_BYTES {
                self.drain()?;
            }
        }
        self.frames += (samples.len() / ch) as u64;
        let every = (u64::from(self.spec.samplerate) / REFRESHES_PER_SECOND).max(1);
        if self.frames - self.frames_at_refresh >= every {
            self.flush()?;
        }
        Ok(())
    }

    /// An I/O error of this file, naming it.
    fn named(&self, e: std::io::Error) -> Error {
        Error::from(e).context(self.path.display())
    }

    fn drain(&mut self) -> Result<()> {
        self.file
            .write_all(&self.buffer)
            .map_err(|e| self.named(e))?;
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Writes buffered data, then makes the header count it, so the file on
    /// disk is complete and valid as of this call.
    pub fn flush(&mut self) -> Result<()> {
        self.check_open()?;
        self.drain()?;
        self.update_sizes(0)?;
        self.frames_at_refresh = self.frames;
        Ok(())
    }

    fn update_sizes(&mut self, pad: u64) -> Result<()> {
        self.write_sizes(pad).map_err(|e| self.named(e))
    }

    fn write_sizes(&mut self, pad: u64) -> std::io::Result<()> {
        // Both fit: `write` keeps header + data + pad within u32.
        let riff = (self.header_len - 8 + self.written + pad) as u32;
        let data = self.written as u32;
        self.file.seek(SeekFrom::Start(4))?;
        self.file.write_all(&riff.to_le_bytes())?;
        self.file.seek(SeekFrom::Start(self.header_len - 4))?;
        self.file.write_all(&data.to_le_bytes())?;
        if let Some(at) = self.fact_offset {
            let frames = (self.written / self.spec.block_align() as u64) as u32;
            self.file.seek(SeekFrom::Start(at))?;
            self.file.write_all(&frames.to_le_bytes())?;
        }
        self.file.seek(SeekFrom::End(0))?;
        Ok(())
    }

    /// Finishes the file (data, pad byte, final sizes). Further writes fail;
    /// closing again does nothing.
    pub fn close(&mut self) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        self.drain()?;
        // RIFF chunks have even sizes; only 8-bit data can end odd.
        let pad = self.written & 1;
        if pad == 1 {
            self.file.write_all(&[0]).map_err(|e| self.named(e))?;
        }
        self.update_sizes(pad)?;
        self.closed = true;
        self.file.flush().map_err(|e| self.named(e))?;
        Ok(())
    }
}

impl Drop for WavWriter {
    fn drop(&mut self) {
        // Errors cannot be reported from drop; `close` reports them.
        let _ = self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{read_wav, SampleFormat};
    use crate::ErrorKind;

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ringstream-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_is_an_io_error_naming_it_and_is_left_in_place() {
        let spec = WavSpec {
            samplerate: 8000,
            channels: 1,
            format: SampleFormat::I16,
        };
        let e = WavWriter::create("/dev/full", spec).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().starts_with("/dev/full: "), "{e}");
        assert!(std::path::Path::new("/dev/full").exists());
        let e = crate::wav::write_file("/dev/full", &[0u8; 64]).unwrap_err();
        assert!(e.message().starts_with("/dev/full: "), "{e}");
        assert!(std::path::Path::new("/dev/full").exists());
    }

    #[test]
    fn header_counts_the_data_after_each_half_second() {
        let path = tmp("refresh.wav");
        let spec = WavSpec {
            samplerate: 1000,
            channels: 2,
            format: SampleFormat::I16,
        };
        let mut w = WavWriter::create(&path, spec).unwrap();
        w.write(&vec![0.5; 2 * 300]).unwrap();
        // Less than half a second: the header still says 0 frames.
        assert_eq!(read_wav(&path).unwrap().frames, 0);
        w.write(&vec![0.25; 2 * 300]).unwrap();
        // Past half a second: refreshed without an explicit flush.
        let mid = read_wav(&path).unwrap();
        assert_eq!(mid.frames, 600);
        assert_eq!(mid.samples[0], 0.5);
        assert_eq!(
            w.write(&[0.0; 3]).unwrap_err().kind(),
            ErrorKind::InvalidArg
        );
        w.close().unwrap();
        assert_eq!(
            w.write(&[0.0; 2]).unwrap_err().kind(),
            ErrorKind::InvalidArg
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn hound_reads_what_we_write_and_odd_u8_data_is_padded() {
        for format in SampleFormat::ALL {
            let path = tmp(&format!("hound-{}.wav", format.name()));
            let spec = WavSpec {
                samplerate: 22050,
                channels: 3,
                format,
            };
            let data: Vec<f32> = (0..3 * 101).map(|i| (i as f32 / 303.0) - 0.5).collect();
            let mut w = WavWriter::create(&path, spec).unwrap();
            w.write(&data).unwrap();
            w.close().unwrap();
            let mut h = hound::WavReader::open(&path).unwrap();
            assert_eq!(h.spec().channels, 3);
            assert_eq!(h.spec().sample_rate, 22050);
            assert_eq!(h.spec().bits_per_sample, format.bits());
            assert_eq!(h.duration(), 101);
            let n = if format.is_float() {
                h.samples::<f32>().count()
            } else {
                h.samples::<i32>().count()
            };
            assert_eq!(n, 303);
            let len = std::fs::metadata(&path).unwrap().len();
            assert_eq!(len % 2, 0, "{format:?}");
            std::fs::remove_file(&path).unwrap();
        }
    }
}
