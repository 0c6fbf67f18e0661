//! [`WavReader`]: blockwise reading of a WAV file as interleaved `f32`.

use super::file::read_exact_uninit;
use super::format::{decode_uninit, SampleFormat};
use super::header::{self, Header};
use super::pages::advise_huge_pages;
use super::WavSpec;
use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::mem::MaybeUninit;
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
        let meta = file.metadata().map_err(|e| with_path(e.into()))?;
        if meta.is_dir() {
            return Err(with_path(Error::new(
                ErrorKind::Io,
                "is a directory, expected a WAV file",
            )));
        }
        let len = meta.len();
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
        let ch = self.header.spec.channels as usize;
        let n = frames.min(self.remaining()) as usize;
        // `n` is capped by the file size, so this allocation is too.
        let mut out = Vec::with_capacity(n * ch);
        advise_huge_pages(&mut out);
        let got = self.read_uninit(&mut out.spare_capacity_mut()[..n * ch])?;
        // SAFETY: `read_uninit` wrote every sample of the `got` frames it
        // read, inside the capacity reserved above.
        unsafe { out.set_len(got * ch) };
        Ok(out)
    }

    /// Reads as many whole frames as fit in `out` and remain; returns the
    /// number of frames read. `out.len()` must be a multiple of the channels.
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        // SAFETY: `MaybeUninit<f32>` has the layout of `f32`, and
        // `read_uninit` only writes initialised values, so `out` stays
        // initialised.
        let out = unsafe { &mut *(out as *mut [f32] as *mut [MaybeUninit<f32>]) };
        self.read_uninit(out)
    }

    /// [`WavReader::read_into`] for memory that may be uninitialised (as a
    /// fresh whole-file buffer is): every sample of the frames read is
    /// written once, and the rest of `out` is left as it was.
    ///
    /// Float data on a little-endian machine is the file's bytes, so it is
    /// read straight into `out`, in one read for the whole request; the
    /// other formats are decoded block by block from a small scratch buffer.
    pub fn read_uninit(&mut self, out: &mut [MaybeUninit<f32>]) -> Result<usize> {
        let ch = self.header.spec.channels as usize;
        if !out.len().is_multiple_of(ch) {
            return Err(Error::invalid_arg(format!(
                "buffer length must be a multiple of the {ch} channels, got {}",
                out.len()
            )));
        }
        let frames = ((out.len() / ch) as u64).min(self.remaining()) as usize;
        let out = &mut out[..frames * ch];
        let format = self.header.spec.format;
        if format == SampleFormat::F32 && cfg!(target_endian = "little") {
            // SAFETY: the byte view covers exactly the memory of `out`, which
            // it borrows alone; any bytes read form valid f32s.
            let bytes = unsafe {
                std::slice::from_raw_parts_mut(
                    out.as_mut_ptr().cast::<MaybeUninit<u8>>(),
                    std::mem::size_of_val(out),
                )
            };
            if let Err(e) = read_exact_uninit(&mut self.file, bytes) {
                // The file shrank since the header was read.
                let _ = self.seek(self.position);
                return Err(Error::from(e).context("cannot read WAV data"));
            }
            self.position += frames as u64;
            return Ok(frames);
        }
        let mut at = 0;
        self.read_blocks(frames, |block| {
            let n = block.len() / format.bytes();
            decode_uninit(format, block, &mut out[at..at + n]);
            at += n;
        })?;
        Ok(frames)
    }

    /// Reads `frames` frames of raw data in bounded blocks, handing each to
    /// `sink`; on error the position stays where it was.
    fn read_blocks(&mut self, frames: usize, mut sink: impl FnMut(&[u8])) -> Result<()> {
        let align = self.header.spec.block_align();
        let per_block = (BLOCK_BYTES / align).max(1);
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut left = frames;
        let mut result = Ok(());
        while left > 0 {
            let n = left.min(per_block);
            scratch.resize(n * align, 0);
            if let Err(e) = self.file.read_exact(&mut scratch) {
                // The file shrank since the header was read.
                result = Err(Error::from(e).context("cannot read WAV data"));
                break;
            }
            sink(&scratch);
            left -= n;
        }
        self.scratch = scratch;
        if result.is_err() {
            // Leave the position consistent with the file offset.
            let _ = self.seek(self.position);
        } else {
            self.position += frames as u64;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{write_wav, SampleFormat, WavSpec};
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
    fn a_directory_is_io_and_says_so() {
        let e = WavReader::open(std::env::temp_dir()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(
            e.message().contains("is a directory, expected a WAV file"),
            "{e}"
        );
    }

    #[test]
    fn missing_file_is_io() {
        let e = WavReader::open("/nonexistent/dir/x.wav").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("/nonexistent/dir/x.wav"));
    }
}
