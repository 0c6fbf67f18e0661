//! [`WavReader`]: blockwise reading of a WAV file as interleaved `f32`.

use super::format::{decode, SampleFormat};
use super::header::{self, Header};
use super::WavSpec;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Raw bytes decoded per step: big enough to amortise the read call, small
/// enough to stay in cache and to bound memory whatever the header claims.
const BLOCK_BYTES: usize = 1 << 16;

/// A WAV file open for reading, positioned at a frame.
#[derive(Debug)]
pub struct WavReader {
    file: File,
    header: Header,
    position: u64,
    scratch: Vec<u8>,
}

impl WavReader {
    /// Opens `path` and parses its header. A missing or unreadable file is an
    /// `Io` error; anything that is not a supported WAV file is `WavFormat`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let with_path = |e: Error| e.context(path.display());
        let mut file = File::open(path).map_err(|e| with_path(e.into()))?;
        let len = file.metadata().map_err(|e| with_path(e.into()))?.len();
        let header = header::parse(&mut file, len).map_err(with_path)?;
        Ok(WavReader {
            file,
            header,
            position: 0,
            scratch: Vec::new(),
        })
    }

    /// The format of the file.
    pub fn spec(&self) -> WavSpec {
        self.header.spec
    }

    /// Frames in the file (what the header says, capped by the file size).
    pub fn frames(&self) -> u64 {
        self.header.frames
    }

    /// The frame the next read starts at.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Frames left from the current position.
    pub fn remaining(&self) -> u64 {
        self.header.frames - self.position
    }

    /// Moves to `frame` (0 to [`WavReader::frames`], inclusive).
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        if frame > self.header.frames {
            return Err(Error::invalid_arg(format!(
                "frame must be at most {} (the length of the file), got {frame}",
                self.header.frames
            )));
        }
        let offset = self.header.data_start + frame * self.header.spec.block_align() as u64;
        self.file.seek(SeekFrom::Start(offset))?;
        self.position = frame;
        Ok(())
    }

    /// Reads up to `frames` frames (fewer at the end of the file, none
    /// after it) as interleaved samples.
    pub fn read(&mut self, frames: u64) -> Result<Vec<f32>> {
        let n = frames.min(self.remaining()) as usize;
        // `n` is capped by the file size, so this allocation is too.
        let mut out = vec![0.0f32; n * self.header.spec.channels as usize];
        let got = self.read_into(&mut out)?;
        out.truncate(got * self.header.spec.channels as usize);
        Ok(out)
    }

    /// Reads as many whole frames as fit in `out` and remain; returns the
    /// number of frames read. `out.len()` must be a multiple of the channels.
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.header.spec.channels as usize;
        if out.len() % ch != 0 {
            return Err(Error::invalid_arg(format!(
                "buffer length must be a multiple of the {ch} channels, got {}",
                out.len()
            )));
        }
        let frames = ((out.len() / ch) as u64).min(self.remaining()) as usize;
        let out = &mut out[..frames * ch];
        let format = self.header.spec.format;
        let result = if format == SampleFormat::F32 && cfg!(target_endian = "little") {
            self.read_f32_direct(out)
        } else {
            self.read_decoded(format, out)
        };
        if let Err(e) = result {
            // Leave the position consistent with the file offset.
            let _ = self.seek(self.position);
            return Err(e);
        }
        self.position += frames as u64;
        Ok(frames)
    }

    /// Little-endian f32 files already hold the output: read straight into it.
    fn read_f32_direct(&mut self, out: &mut [f32]) -> Result<()> {
        // SAFETY: `out` is a live, exclusively borrowed slice of f32, which
        // has no invalid bit patterns, so viewing its memory as bytes (same
        // length in bytes, alignment 1) and writing any bytes is sound.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(
                out.as_mut_ptr().cast::<u8>(),
                std::mem::size_of_val(out),
            )
        };
        self.read_data(bytes)
    }

    fn read_decoded(&mut self, format: SampleFormat, out: &mut [f32]) -> Result<()> {
        let bps = format.bytes();
        let per_block = BLOCK_BYTES / bps;
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut result = Ok(());
        for chunk in out.chunks_mut(per_block) {
            scratch.resize(chunk.len() * bps, 0);
            result = self.read_data(&mut scratch);
            if result.is_err() {
                break;
            }
            decode(format, &scratch, chunk);
        }
        self.scratch = scratch;
        result
    }

    fn read_data(&mut self, buf: &mut [u8]) -> Result<()> {
        self.file.read_exact(buf).map_err(|e| {
            // The file shrank since the header was read.
            Error::from(e).context("cannot read WAV data")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{write_wav, WavSpec};
    use crate::ErrorKind;

    #[test]
    fn reads_blockwise_seeks_and_ends_empty() {
        let dir = std::env::temp_dir().join(format!("ringstream-reader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.wav");
        let spec = WavSpec {
            samplerate: 8000,
            channels: 2,
            format: SampleFormat::I16,
        };
        let data: Vec<f32> = (0..200_000)
            .map(|i| ((i % 65536) as f32 - 32768.0) / 32768.0)
            .collect();
        write_wav(&path, &data, spec).unwrap();
        let mut r = WavReader::open(&path).unwrap();
        assert_eq!((r.spec(), r.frames()), (spec, 100_000));
        let mut all = Vec::new();
        loop {
            let block = r.read(7777).unwrap();
            if block.is_empty() {
                break;
            }
            all.extend(block);
        }
        assert_eq!(all, data);
        r.seek(99_999).unwrap();
        assert_eq!(r.read(10).unwrap(), data[199_998..]);
        assert_eq!(r.seek(100_001).unwrap_err().kind(), ErrorKind::InvalidArg);
        let mut odd = [0.0f32; 3];
        assert_eq!(
            r.read_into(&mut odd).unwrap_err().kind(),
            ErrorKind::InvalidArg
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_file_is_io() {
        let e = WavReader::open("/nonexistent/dir/x.wav").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("/nonexistent/dir/x.wav"));
    }
}
