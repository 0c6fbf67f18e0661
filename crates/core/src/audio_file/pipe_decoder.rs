//! [`PipeDecoder`]: audio of a compressed or container format arriving as
//! bytes on a pipe (the CLI's stdin), decoded on its own thread as the
//! bytes come, so a live `flac -c` or `sox -t ogg -` plays as it arrives.
//!
//! The caller pushes bytes and takes decoded samples without ever waiting
//! (it runs on the JavaScript thread); the decoder thread waits for bytes
//! and, when it is [`AHEAD`] samples ahead, for the caller to take them.

use super::decode::Decoder;
use super::format::FileFormat;
use super::info::AudioInfo;
use crate::error::{Error, ErrorKind, Result};
use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use symphonia::core::io::ReadOnlySource;

/// Decoded samples the thread keeps ready before it waits for the caller.
pub const AHEAD: usize = 1 << 18;

/// Frames decoded per step on the thread.
const STEP_FRAMES: usize = 4096;

#[derive(Debug, Default)]
struct State {
    input: VecDeque<u8>,
    input_ended: bool,
    output: VecDeque<f32>,
    info: Option<AudioInfo>,
    error: Option<Error>,
    finished: bool,
    closed: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic on the decoder thread is caught before it holds the lock;
        // the state stays consistent, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.wake.wait(g).unwrap_or_else(|e| e.into_inner())
    }
}

/// The pushed bytes, as the decoder reads them: waits for more, ends when
/// the input has ended and is used up.
struct PipeBytes(Arc<Shared>);

impl Read for PipeBytes {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut g = self.0.lock();
        while g.input.is_empty() && !g.input_ended && !g.closed {
            g = self.0.wait(g);
        }
        if g.closed {
            return Err(std::io::Error::other("the pipe decoder is closed"));
        }
        let n = buf.len().min(g.input.len());
        for (b, x) in buf.iter_mut().zip(g.input.drain(..n)) {
            *b = x;
        }
        Ok(n)
    }
}

/// A format that only a file can give, refused on a pipe with the reason.
/// (WAV is decoded here only in the encodings the PCM path does not
/// convert, such as µ-law, A-law and double.)
fn refuse_unstreamable(format: FileFormat) -> Result<()> {
    let why = match format {
        FileFormat::Au | FileFormat::Raw => "is read from a pipe by the PCM path, not decoded",
        // Their readers seek between chunks (measured: a valid file piped
        // in fails inside its header).
        FileFormat::W64 | FileFormat::Caf => {
            "needs seeking to be read (its reader moves between chunks)"
        }
        _ => return Ok(()),
    };
    Err(Error::new(
        ErrorKind::UnsupportedFormat,
        format!(
            "{} {why}; save it to a file and name the file",
            format.name()
        ),
    ))
}

/// Decodes a pushed byte stream of one format on a thread of its own.
#[derive(Debug)]
pub struct PipeDecoder {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    channels: usize,
}

impl PipeDecoder {
    /// Starts decoding `format` (what [`super::sniff`] named the first
    /// bytes); push the stream from its first byte.
    ///
    /// ```no_run
    /// use ringstream_core::audio_file::{FileFormat, PipeDecoder};
    /// let mut d = PipeDecoder::new(FileFormat::Flac)?;
    /// d.push(&std::fs::read("voice.flac")?);
    /// d.end_input();
    /// let mut out = Vec::new();
    /// while d.read(4096, &mut out)? { out.clear(); }
    /// # Ok::<(), ringstream_core::Error>(())
    /// ```
    pub fn new(format: FileFormat) -> Result<Self> {
        refuse_unstreamable(format)?;
        let shared = Arc::new(Shared::default());
        let s = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("ringstream-pipe-decode".into())
            .spawn(move || run(&s, format))?;
        Ok(PipeDecoder {
            shared,
            thread: Some(thread),
            channels: 0,
        })
    }

    /// Adds the next bytes of the stream.
    pub fn push(&self, bytes: &[u8]) {
        let mut g = self.shared.lock();
        g.input.extend(bytes);
        self.shared.wake.notify_all();
    }

    /// Says the stream has ended: the decoder finishes what it holds.
    pub fn end_input(&self) {
        self.shared.lock().input_ended = true;
        self.shared.wake.notify_all();
    }

    /// Bytes pushed and not yet read by the decoder (for back-pressure).
    pub fn queued_bytes(&self) -> usize {
        self.shared.lock().input.len()
    }

    /// What the stream holds, once its header has been decoded; the
    /// decoder's error if it failed first.
    pub fn info(&mut self) -> Result<Option<AudioInfo>> {
        let mut g = self.shared.lock();
        if let Some(e) = g.error.take() {
            return Err(e);
        }
        if g.info.is_none() && g.finished {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                "the stream ended before its header",
            ));
        }
        if let Some(i) = &g.info {
            self.channels = i.channels as usize;
        }
        Ok(g.info.clone())
    }

    /// Appends up to `max_frames` decoded frames to `out`, without
    /// waiting. Returns false once the stream has ended and every sample
    /// was taken; the decoder's error, once, if it failed.
    pub fn read(&mut self, max_frames: usize, out: &mut Vec<f32>) -> Result<bool> {
        let mut g = self.shared.lock();
        if let Some(e) = g.error.take() {
            return Err(e);
        }
        let ch = g.info.as_ref().map_or(1, |i| i.channels as usize);
        let n = (max_frames * ch).min(g.output.len());
        out.extend(g.output.drain(..n));
        self.shared.wake.notify_all();
        Ok(!(g.finished && g.output.is_empty()))
    }

    /// Stops the decoder thread and waits for it. Closing again does nothing.
    pub fn close(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            // The thread's panics are caught inside `run`.
            let _ = t.join();
        }
    }
}

impl Drop for PipeDecoder {
    fn drop(&mut self) {
        self.close();
    }
}

fn run(shared: &Arc<Shared>, format: FileFormat) {
    let r = decode_all(shared, format);
    let mut g = shared.lock();
    if let Err(e) = r {
        if !g.closed {
            g.error = Some(e);
        }
    }
    g.finished = true;
    shared.wake.notify_all();
}

fn decode_all(shared: &Arc<Shared>, format: FileFormat) -> Result<()> {
    let source = ReadOnlySource::new(PipeBytes(Arc::clone(shared)));
    let mut dec = Decoder::open_source(Box::new(source), format).map_err(|e| {
        if e.kind() == ErrorKind::Io && !shared.lock().closed {
            // What a file read calls truncation, a pipe sees as its end.
            Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "not a {} stream: it ended inside the header ({e})",
                    format.name()
                ),
            )
        } else {
            e
        }
    })?;
    let ch = dec.info().channels as usize;
    shared.lock().info = Some(dec.info().clone());
    shared.wake.notify_all();
    let mut buf = vec![0.0f32; STEP_FRAMES * ch];
    loop {
        let n = dec.read_into(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let mut g = shared.lock();
        while g.output.len() >= AHEAD && !g.closed {
            g = shared.wait(g);
        }
        if g.closed {
            return Ok(());
        }
        g.output.extend(&buf[..n * ch]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio_file::{encode_audio, read_audio, WriteSpec};

    #[test]
    fn a_flac_stream_pushed_in_small_pieces_decodes_as_the_file() {
        let tone: Vec<f32> = (0..20_000)
            .map(|i| ((i as f32 * 0.01).sin() * 16000.0).round() / 32768.0)
            .collect();
        let spec = WriteSpec {
            samplerate: 8000,
            channels: 2,
            format: Some(FileFormat::Flac),
            encoding: None,
            big_endian: false,
        };
        let bytes = encode_audio(&tone, spec).unwrap();
        let mut d = PipeDecoder::new(FileFormat::Flac).unwrap();
        let mut out = Vec::new();
        let mut chunks = bytes.chunks(333);
        loop {
            if let Some(c) = chunks.next() {
                d.push(c);
            } else {
                d.end_input();
            }
            if !d.read(1000, &mut out).unwrap() {
                break;
            }
            std::thread::yield_now();
        }
        let info = d.info().unwrap().unwrap();
        assert_eq!((info.samplerate, info.channels), (8000, 2));
        assert_eq!(out, tone);
        let path =
            std::env::temp_dir().join(format!("ringstream-pipe-dec-{}.flac", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_audio(&path).unwrap().samples, out);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn garbage_is_an_error_and_close_stops_a_waiting_thread() {
        let mut d = PipeDecoder::new(FileFormat::Flac).unwrap();
        d.push(b"fLaC not really a flac stream at all");
        d.end_input();
        let mut out = Vec::new();
        let e = loop {
            match d.read(10, &mut out) {
                Err(e) => break e,
                Ok(true) => std::thread::yield_now(),
                Ok(false) => panic!("garbage decoded to an empty stream"),
            }
        };
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        // Waits for bytes that never come, until closed.
        let mut d = PipeDecoder::new(FileFormat::Ogg).unwrap();
        d.push(b"OggS");
        d.close();
        let e = PipeDecoder::new(FileFormat::Caf).unwrap_err();
        assert!(e.message().contains("caf needs seeking"), "{e}");
    }
}
