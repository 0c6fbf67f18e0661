//! [`AdpcmReader`]: IMA and MS ADPCM samples in a WAVE file (RIFF or
//! Wave64), decoded block by block ([`super::ima_adpcm`],
//! [`super::ms_adpcm`]) and seekable to any frame.

use super::ima_adpcm;
use super::ms_adpcm::{self, MsAdpcm};
use super::pcm_file::check_seek;
use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Which ADPCM, with what its decode needs.
#[derive(Debug, Clone)]
pub enum AdpcmCodec {
    /// IMA/DVI ADPCM (WAV format tag 0x11).
    Ima,
    /// Microsoft ADPCM (WAV format tag 0x02), with its decoder.
    Ms(MsAdpcm),
}

/// Where an ADPCM stream is and how it is cut into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdpcmLayout {
    /// Byte offset of the first block.
    pub data_start: u64,
    /// Bytes of blocks present.
    pub data_bytes: u64,
    /// Bytes per block (the fmt chunk's block align).
    pub block_align: usize,
    /// Frames per whole block (the fmt extension's samples per block).
    pub frames_per_block: usize,
    /// Interleaved channels.
    pub channels: usize,
}

/// An ADPCM stream open for reading, positioned at a frame.
#[derive(Debug)]
pub struct AdpcmReader {
    file: File,
    codec: AdpcmCodec,
    layout: AdpcmLayout,
    frames: u64,
    position: u64,
    /// The raw block last read, and its decode.
    block: Vec<u8>,
    decoded: Vec<i16>,
    decoded_index: Option<u64>,
    decoded_frames: usize,
}

fn malformed(message: String) -> Error {
    Error::new(ErrorKind::WavFormat, message)
}

impl AdpcmCodec {
    fn frames_in(&self, bytes: usize, channels: usize) -> usize {
        match self {
            AdpcmCodec::Ima => ima_adpcm::frames_in(bytes, channels),
            AdpcmCodec::Ms(_) => ms_adpcm::frames_in(bytes, channels),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            AdpcmCodec::Ima => "ima_adpcm",
            AdpcmCodec::Ms(_) => "ms_adpcm",
        }
    }
}

impl AdpcmReader {
    /// Reads the blocks `layout` describes from `file`. A block align or
    /// samples-per-block the blocks cannot hold is `ERR_WAV_FORMAT`.
    pub fn new(file: File, codec: AdpcmCodec, layout: AdpcmLayout) -> Result<Self> {
        let (align, ch) = (layout.block_align, layout.channels);
        let room = codec.frames_in(align, ch);
        if room == 0 || layout.frames_per_block == 0 || layout.frames_per_block > room {
            return Err(malformed(format!(
                "{} blocks of {align} bytes for {ch} channels cannot hold {} frames each",
                codec.name(),
                layout.frames_per_block
            )));
        }
        let whole = layout.data_bytes / align as u64;
        let tail = (layout.data_bytes % align as u64) as usize;
        let fpb = layout.frames_per_block as u64;
        // Every block whole, its padding too, as sox and libsndfile decode
        // it: both ignore the fact chunk's count, and they are the reference.
        let frames = whole * fpb + codec.frames_in(tail, ch).min(layout.frames_per_block) as u64;
        Ok(AdpcmReader {
            file,
            codec,
            layout,
            frames,
            position: 0,
            block: Vec::with_capacity(align),
            decoded: vec![0; layout.frames_per_block * ch],
            decoded_index: None,
            decoded_frames: 0,
        })
    }

    /// The codec's name (`ima_adpcm`, `ms_adpcm`).
    pub fn encoding(&self) -> &'static str {
        self.codec.name()
    }

    /// Frames in the stream.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Moves to `frame` (at most the end); the block holding it is decoded
    /// by the next read.
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        check_seek(frame, self.frames)?;
        self.position = frame;
        Ok(())
    }

    /// Reads and decodes block `index` unless it is the one at hand.
    fn load(&mut self, index: u64) -> Result<()> {
        if self.decoded_index == Some(index) {
            return Ok(());
        }
        let l = self.layout;
        let at = index * l.block_align as u64;
        let bytes = (l.data_bytes - at).min(l.block_align as u64) as usize;
        self.block.resize(bytes, 0);
        self.file.seek(SeekFrom::Start(l.data_start + at))?;
        self.file.read_exact(&mut self.block)?;
        let want = (self.frames - index * l.frames_per_block as u64).min(l.frames_per_block as u64);
        let want = want as usize;
        self.decoded_frames = match &mut self.codec {
            AdpcmCodec::Ima => {
                ima_adpcm::decode_block(&self.block, l.channels, want, &mut self.decoded)
            }
            AdpcmCodec::Ms(d) => d.decode_block(&self.block, want, &mut self.decoded),
        };
        self.decoded_index = Some(index);
        Ok(())
    }

    /// Reads up to `out.len() / channels` frames into `out`; returns the
    /// frames read (0 at the end).
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.layout.channels;
        let fpb = self.layout.frames_per_block as u64;
        let want = ((out.len() / ch) as u64).min(self.frames - self.position) as usize;
        let mut done = 0;
        while done < want {
            let index = self.position / fpb;
            self.load(index)?;
            let from = (self.position % fpb) as usize;
            let n = (want - done).min(self.decoded_frames.saturating_sub(from));
            if n == 0 {
                break;
            }
            let src = &self.decoded[from * ch..(from + n) * ch];
            for (o, &s) in out[done * ch..(done + n) * ch].iter_mut().zip(src) {
                *o = f32::from(s) / 32768.0;
            }
            done += n;
            self.position += n as u64;
        }
        Ok(done)
    }
}
