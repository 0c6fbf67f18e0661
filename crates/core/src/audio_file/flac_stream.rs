//! [`FlacStream`]: FLAC written block by block as samples come (a
//! recording), with STREAMINFO completed when the stream is closed.
//!
//! Each 4096-frame block is encoded and written as soon as it is full, so a
//! process killed mid-recording leaves a file that `flac -t` and sox decode
//! up to the last whole block (STREAMINFO then says "length unknown" and
//! carries no MD5, both allowed by the format): at most 4096 frames plus
//! what the writer thread had not yet taken from its ring are lost.

use super::encoding::Encoding;
use super::flac::{bits_for, to_ints, BLOCK_FRAMES};
use crate::error::{Error, ErrorKind, Result};
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::Verify;
use flacenc::source::{Context, Fill, FrameBuf};
use std::io::{Seek, SeekFrom, Write};

fn coding_error(what: impl std::fmt::Debug) -> Error {
    Error::new(
        ErrorKind::UnsupportedFormat,
        format!("cannot encode FLAC: {what:?}"),
    )
}

/// A FLAC stream being written to `W`.
pub struct FlacStream<W: Write> {
    out: W,
    config: flacenc::error::Verified<flacenc::config::Encoder>,
    info: StreamInfo,
    context: Context,
    framebuf: FrameBuf,
    bits: u32,
    channels: usize,
    /// Interleaved integer samples of the block being filled.
    pending: Vec<i32>,
    frame_number: usize,
    scratch: Vec<u8>,
}

impl<W: Write> std::fmt::Debug for FlacStream<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlacStream")
            .field("frames", &self.info.total_samples())
            .finish_non_exhaustive()
    }
}

fn streaminfo_bytes(info: &StreamInfo) -> Result<Vec<u8>> {
    let mut sink = flacenc::bitsink::ByteSink::new();
    info.write(&mut sink).map_err(coding_error)?;
    let body = sink.into_inner();
    let mut out = Vec::with_capacity(8 + body.len());
    out.extend_from_slice(b"fLaC");
    // The last (only) metadata block: STREAMINFO, 34 bytes.
    out.extend_from_slice(&[0x80, 0, 0, body.len() as u8]);
    out.extend_from_slice(&body);
    Ok(out)
}

impl<W: Write> FlacStream<W> {
    /// Starts a stream on `out` (at its start): writes a provisional
    /// STREAMINFO ("length unknown").
    pub fn new(mut out: W, samplerate: u32, channels: u16, encoding: Encoding) -> Result<Self> {
        let bits = bits_for(encoding)?;
        let ch = channels as usize;
        if ch > 8 {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!("FLAC holds 1 to 8 channels, not {ch}"),
            ));
        }
        let mut info =
            StreamInfo::new(samplerate as usize, ch, bits as usize).map_err(coding_error)?;
        info.set_block_sizes(BLOCK_FRAMES, BLOCK_FRAMES)
            .map_err(coding_error)?;
        // 0: "unknown" until frames are written; frames only lower the minimum.
        info.set_frame_sizes(0, 0).map_err(coding_error)?;
        let config = flacenc::config::Encoder::default()
            .into_verified()
            .map_err(|(_, e)| coding_error(e))?;
        out.write_all(&streaminfo_bytes(&info)?)?;
        Ok(FlacStream {
            out,
            config,
            info,
            context: Context::new(bits as usize, ch),
            framebuf: FrameBuf::with_size(ch, BLOCK_FRAMES).map_err(coding_error)?,
            bits,
            channels: ch,
            pending: Vec::with_capacity(BLOCK_FRAMES * ch),
            frame_number: 0,
            scratch: Vec::new(),
        })
    }

    /// Frames written so far (whole blocks and the one being filled).
    pub fn frames(&self) -> u64 {
        self.info.total_samples() as u64 + (self.pending.len() / self.channels) as u64
    }

    /// Appends interleaved samples (whole frames), writing each block as it fills.
    pub fn write(&mut self, samples: &[f32]) -> Result<()> {
        let block = BLOCK_FRAMES * self.channels;
        let mut rest = samples;
        while !rest.is_empty() {
            let n = (block - self.pending.len()).min(rest.len());
            to_ints(&rest[..n], self.bits, &mut self.pending);
            rest = &rest[n..];
            if self.pending.len() == block {
                self.write_block()?;
            }
        }
        Ok(())
    }

    fn write_block(&mut self) -> Result<()> {
        let frames = self.pending.len() / self.channels;
        if frames == 0 {
            return Ok(());
        }
        if frames != BLOCK_FRAMES {
            self.framebuf = FrameBuf::with_size(self.channels, frames).map_err(coding_error)?;
        }
        self.framebuf
            .fill_interleaved(&self.pending)
            .map_err(coding_error)?;
        self.context
            .fill_interleaved(&self.pending)
            .map_err(coding_error)?;
        let frame = flacenc::encode_fixed_size_frame(
            &self.config,
            &self.framebuf,
            self.frame_number,
            &self.info,
        )
        .map_err(coding_error)?;
        let mut sink = flacenc::bitsink::ByteSink::new();
        frame.write(&mut sink).map_err(coding_error)?;
        self.scratch.clear();
        self.scratch.extend_from_slice(sink.as_slice());
        self.out.write_all(&self.scratch)?;
        self.info.update_frame_info(&frame);
        self.frame_number += 1;
        self.pending.clear();
        Ok(())
    }

    /// Flushes what has been written (whole blocks only: a partial block
    /// waits, as FLAC allows a short block only at the end).
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    /// The output, for a caller that moves the bytes on as they come (a pipe).
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Writes the last (short) block; returns the final STREAMINFO block.
    fn last_block(&mut self) -> Result<Vec<u8>> {
        self.write_block()?;
        let mut info = self.info.clone();
        // The format's minimum excludes the last block (see flac::fix_min_block).
        info.set_block_sizes(BLOCK_FRAMES, BLOCK_FRAMES)
            .map_err(coding_error)?;
        info.set_md5_digest(&self.context.md5_digest());
        streaminfo_bytes(&info)
    }

    /// Writes the last (short) block to an output that cannot seek (a pipe):
    /// the provisional STREAMINFO stays ("length unknown", no MD5), which
    /// `flac` and sox accept. Returns the output and the final STREAMINFO
    /// (the file's first 42 bytes), for a caller that can still place it.
    pub fn finish_unseekable(mut self) -> Result<(W, Vec<u8>)> {
        let head = self.last_block()?;
        self.out.flush()?;
        Ok((self.out, head))
    }
}

impl<W: Write + Seek> FlacStream<W> {
    /// Writes the last (short) block and the final STREAMINFO: length,
    /// frame sizes and MD5. Returns the output.
    pub fn finish(mut self) -> Result<W> {
        let head = self.last_block()?;
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&head)?;
        self.out.seek(SeekFrom::End(0))?;
        self.out.flush()?;
        Ok(self.out)
    }
}
