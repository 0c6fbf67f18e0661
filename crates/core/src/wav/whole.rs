//! Whole WAV files from samples: [`WavFile`] checks them and encodes the
//! file's bytes, at once or in pieces, and [`pipe`] lets one thread encode
//! the pieces while another writes them.
//!
//! Writing in pieces through a pipe is what `writeWav` does: the JS thread
//! encodes (the samples are the caller's, so they must be read before the
//! call returns) while a pool thread writes, so the two overlap instead of
//! adding up, and the few piece buffers, reused once written, stay in cache
//! where one buffer as large as the file would be fresh memory, paged in
//! and zeroed by the kernel at first touch.

use super::format::encode;
use super::{header, WavSpec};
use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender};

/// Bytes per piece: big enough that a write call moves a lot, small enough
/// that the pieces in flight stay in cache.
pub const PIECE_BYTES: usize = 1 << 18;

/// A complete WAV file of interleaved samples, checked and ready to encode.
#[derive(Debug)]
pub struct WavFile<'a> {
    samples: &'a [f32],
    spec: WavSpec,
    /// The header with its final sizes.
    head: Vec<u8>,
    /// Whether the data ends with a pad byte (odd-sized 8-bit data).
    pad: bool,
}

impl<'a> WavFile<'a> {
    /// The file of `samples` (interleaved, a whole number of frames) in
    /// format `spec`; `InvalidArg` for a bad spec, ragged data or more data
    /// than a WAV file can hold.
    pub fn new(samples: &'a [f32], spec: WavSpec) -> Result<Self> {
        spec.validate()?;
        let ch = spec.channels as usize;
        if !samples.len().is_multiple_of(ch) {
            return Err(Error::invalid_arg(format!(
                "data length must be a multiple of the {ch} channels, got {}",
                samples.len()
            )));
        }
        let built = header::build(&spec)?;
        let mut head = built.bytes;
        let data = samples.len() as u64 * spec.format.bytes() as u64;
        let pad = data & 1;
        // The RIFF size field (header minus 8, data, pad byte) is 32 bits.
        let riff = head.len() as u64 - 8 + data + pad;
        if riff > u64::from(u32::MAX) {
            return Err(Error::invalid_arg(format!(
                "a WAV file holds at most {} bytes of data; this one would have {data}",
                u64::from(u32::MAX) - (head.len() as u64 - 8) - 1
            )));
        }
        let n = head.len();
        head[4..8].copy_from_slice(&(riff as u32).to_le_bytes());
        head[n - 4..].copy_from_slice(&(data as u32).to_le_bytes());
        if let Some(at) = built.fact_offset {
            let frames = (samples.len() / ch) as u32;
            head[at as usize..at as usize + 4].copy_from_slice(&frames.to_le_bytes());
        }
        Ok(WavFile {
            samples,
            spec,
            head,
            pad: pad == 1,
        })
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.head.len() as u64
            + self.samples.len() as u64 * self.spec.format.bytes() as u64
            + u64::from(self.pad)
    }

    /// Whether the file is empty: never, it always has a header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the whole file to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.reserve(self.len() as usize);
        out.extend_from_slice(&self.head);
        encode(self.spec.format, self.samples, out);
        if self.pad {
            out.push(0);
        }
    }

    /// Encodes the file in order, in pieces of about `piece_bytes`, handing
    /// each to `sink`, which returns false to stop. Each piece is a buffer
    /// from `spare` (cleared) when it has one, else a new one.
    pub fn encode_pieces(
        &self,
        piece_bytes: usize,
        mut spare: impl FnMut() -> Option<Vec<u8>>,
        mut sink: impl FnMut(Vec<u8>) -> bool,
    ) {
        let per_piece = (piece_bytes / self.spec.format.bytes()).max(1);
        let capacity = per_piece * self.spec.format.bytes() + self.head.len() + 1;
        let mut fresh = || {
            let mut b = spare().unwrap_or_default();
            b.clear();
            b.reserve(capacity);
            b
        };
        let mut piece = fresh();
        piece.extend_from_slice(&self.head);
        let chunks = self.samples.chunks(per_piece);
        let last = chunks.len();
        if last == 0 {
            sink(piece);
            return;
        }
        let mut first = Some(piece);
        for (i, chunk) in chunks.enumerate() {
            let mut piece = first.take().unwrap_or_else(&mut fresh);
            encode(self.spec.format, chunk, &mut piece);
            if i + 1 == last && self.pad {
                piece.push(0);
            }
            if !sink(piece) {
                return;
            }
        }
    }
}

/// The two ends of a pipe of encoded pieces: one thread encodes a file into
/// the [`PieceSender`] while another writes what the [`PieceWriter`] gets.
pub fn pipe() -> (PieceSender, PieceWriter) {
    let (tx, rx) = channel();
    let (back_tx, back_rx) = channel();
    (
        PieceSender { tx, back: back_rx },
        PieceWriter { rx, back: back_tx },
    )
}

/// The encoding end of a [`pipe`].
#[derive(Debug)]
pub struct PieceSender {
    tx: Sender<Vec<u8>>,
    back: Receiver<Vec<u8>>,
}

impl PieceSender {
    /// Encodes all of `file` into the pipe, reusing the buffers the writer
    /// has finished with; stops early if the writer has stopped (it failed,
    /// and reports why).
    pub fn send(self, file: &WavFile<'_>) {
        file.encode_pieces(
            PIECE_BYTES,
            || self.back.try_recv().ok(),
            |piece| self.tx.send(piece).is_ok(),
        );
    }
}

/// The writing end of a [`pipe`].
#[derive(Debug)]
pub struct PieceWriter {
    rx: Receiver<Vec<u8>>,
    back: Sender<Vec<u8>>,
}

impl PieceWriter {
    /// Creates (or truncates) `path` and writes the pieces as they arrive,
    /// until the sender is done; they must add up to `len` bytes.
    pub fn write(self, path: impl AsRef<Path>, len: u64) -> Result<()> {
        let path = path.as_ref();
        let with_path = |e: std::io::Error| Error::from(e).context(path.display());
        let mut file = File::create(path).map_err(with_path)?;
        let mut written = 0u64;
        for piece in self.rx.iter() {
            if let Err(e) = file.write_all(&piece) {
                // A full disk: no partial file is left behind.
                drop(file);
                super::file::remove_partial(path);
                return Err(with_path(e));
            }
            written += piece.len() as u64;
            // The sender may be gone already; the buffer is then just freed.
            let _ = self.back.send(piece);
        }
        if written != len {
            return Err(Error::new(
                ErrorKind::Io,
                format!("{}: {written} of {len} bytes were encoded", path.display()),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{read_wav, SampleFormat};

    fn spec(format: SampleFormat, channels: u16) -> WavSpec {
        WavSpec {
            samplerate: 8000,
            channels,
            format,
        }
    }

    #[test]
    fn pieces_add_up_to_the_whole_file() {
        let samples: Vec<f32> = (0..10_001).map(|i| (i as f32 * 0.01).sin()).collect();
        let empty = WavFile::new(&[], spec(SampleFormat::F32, 2)).unwrap();
        let mut pieces = Vec::new();
        empty.encode_pieces(
            PIECE_BYTES,
            || None,
            |p| {
                pieces.push(p);
                true
            },
        );
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].len() as u64, empty.len());
        for format in SampleFormat::ALL {
            let file = WavFile::new(&samples, spec(format, 1)).unwrap();
            let mut whole = Vec::new();
            file.encode_into(&mut whole);
            assert_eq!(whole.len() as u64, file.len());
            for piece_bytes in [1, 7, 4096, 1 << 20] {
                let mut joined = Vec::new();
                let mut pieces = 0;
                file.encode_pieces(
                    piece_bytes,
                    || None,
                    |p| {
                        joined.extend_from_slice(&p);
                        pieces += 1;
                        true
                    },
                );
                assert_eq!(joined, whole, "{format:?} in pieces of {piece_bytes}");
                assert_eq!(pieces > 1, piece_bytes < whole.len(), "{format:?}");
            }
        }
    }

    #[test]
    fn a_sink_can_stop_early_and_bad_input_is_refused() {
        let samples = vec![0.5f32; 100_000];
        let file = WavFile::new(&samples, spec(SampleFormat::I16, 2)).unwrap();
        let mut calls = 0;
        file.encode_pieces(
            1000,
            || None,
            |_| {
                calls += 1;
                false
            },
        );
        assert_eq!(calls, 1);
        let e = WavFile::new(&samples[..3], spec(SampleFormat::I16, 2)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArg);
        let e = WavFile::new(&samples, spec(SampleFormat::I16, 0)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArg);
    }

    #[test]
    fn a_pipe_writes_the_file_across_threads() {
        let dir = std::env::temp_dir().join(format!("ringstream-whole-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.wav");
        // Values on the 8-bit grid are exact in every format.
        let samples: Vec<f32> = (0..300_001)
            .map(|i| ((i % 256) as f32 - 128.0) / 128.0)
            .collect();
        for format in SampleFormat::ALL {
            let file = WavFile::new(&samples, spec(format, 1)).unwrap();
            let (sender, writer) = pipe();
            let len = file.len();
            let p = path.clone();
            let t = std::thread::spawn(move || writer.write(p, len));
            sender.send(&file);
            t.join().unwrap().unwrap();
            assert_eq!(std::fs::metadata(&path).unwrap().len(), len);
            assert_eq!(read_wav(&path).unwrap().samples, samples, "{format:?}");
        }
        // A writer that cannot create its file stops the sender and says why.
        let file = WavFile::new(&samples, spec(SampleFormat::F32, 1)).unwrap();
        let (sender, writer) = pipe();
        let len = file.len();
        let bad = dir.join("no/such/dir.wav");
        let t = std::thread::spawn(move || writer.write(bad, len));
        sender.send(&file);
        let e = t.join().unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("no/such/dir.wav"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
