//! [`PcmFileReader`]: blockwise reading of uncompressed samples at a known
//! offset of a file (AU, RAW), any encoding and byte order.

use super::encoding::{decode, Layout};
use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Bytes read per step, whatever the caller asks for: bounded memory.
const BLOCK_BYTES: usize = 1 << 16;

/// `Ok` if `frame` is inside a file of `frames` frames (its end included),
/// else the `ERR_INVALID_ARG` every blockwise reader gives.
pub(crate) fn check_seek(frame: u64, frames: u64) -> Result<()> {
    if frame > frames {
        return Err(Error::invalid_arg(format!(
            "cannot seek to frame {frame}: the file has {frames} frames"
        )));
    }
    Ok(())
}

/// Uncompressed samples in a file, positioned at a frame.
#[derive(Debug)]
pub struct PcmFileReader {
    file: File,
    start: u64,
    layout: Layout,
    channels: usize,
    frames: u64,
    position: u64,
    scratch: Vec<u8>,
}

impl PcmFileReader {
    /// Reads `channels`-channel samples of `layout` from byte `start` of
    /// `file`, for `data_bytes` bytes if known, else to its end (capped by
    /// the file's length either way; a partial last frame is dropped).
    pub fn new(
        mut file: File,
        start: u64,
        data_bytes: Option<u64>,
        layout: Layout,
        channels: u16,
    ) -> Result<Self> {
        let len = file.metadata()?.len();
        let have = len.saturating_sub(start);
        let bytes = data_bytes.map_or(have, |n| n.min(have));
        let frame = (layout.encoding.bytes() * channels as usize) as u64;
        file.seek(SeekFrom::Start(start))?;
        Ok(PcmFileReader {
            file,
            start,
            layout,
            channels: channels as usize,
            frames: bytes / frame,
            position: 0,
            scratch: Vec::new(),
        })
    }

    /// Frames in the file.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Moves to `frame` (at most the end).
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        check_seek(frame, self.frames)?;
        let bytes = frame * (self.layout.encoding.bytes() * self.channels) as u64;
        self.file.seek(SeekFrom::Start(self.start + bytes))?;
        self.position = frame;
        Ok(())
    }

    /// Reads up to `out.len() / channels` frames into `out`; returns the
    /// frames read (0 at the end).
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        let w = self.layout.encoding.bytes();
        let per_block = (BLOCK_BYTES / (w * self.channels)).max(1);
        let want = ((out.len() / self.channels) as u64).min(self.frames - self.position) as usize;
        let mut done = 0;
        while done < want {
            let n = (want - done).min(per_block);
            let bytes = n * self.channels * w;
            self.scratch.resize(bytes, 0);
            self.file.read_exact(&mut self.scratch)?;
            decode(
                self.layout,
                &self.scratch,
                &mut out[done * self.channels..(done + n) * self.channels],
            );
            done += n;
        }
        self.position += done as u64;
        Ok(done)
    }
}
