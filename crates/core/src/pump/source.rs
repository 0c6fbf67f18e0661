//! The reader pump: a thread filling a ring from an audio file (any format
//! [`AudioReader`] reads; compressed ones are decoded here, ahead of the
//! engine, never in the callback).

use super::{batch_bytes, join, put_samples, spawn, Open, IDLE, STEP};
use crate::audio_file::AudioReader;
use crate::engine::play::Source;
use crate::engine::sample::Dtype;
use crate::error::{Error, Result};
use crate::ring::{Producer, Ring};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A reader thread filling a ring from an audio file.
pub struct FileSource {
    thread: Mutex<Option<JoinHandle<Result<()>>>>,
    stop: Arc<AtomicBool>,
    ring: Arc<Ring>,
    /// Set once the thread has its file (until then it may wait in `open`).
    opened: Arc<AtomicBool>,
}

impl FileSource {
    /// Starts reading `reader` into a new ring of `ring_frames` frames (a
    /// power of two); returns the pump and the engine source that plays the
    /// ring. With `looping`, the file rewinds at its end.
    pub fn start(
        reader: AudioReader,
        ring_frames: usize,
        looping: bool,
    ) -> Result<(FileSource, Source)> {
        let ch = reader.info().channels as usize;
        FileSource::start_opening(Box::new(move || Ok(reader)), ch, ring_frames, looping)
    }

    /// As [`FileSource::start`], with the file opened by `open` on the
    /// reader thread (a FIFO waits there for its writer); the file must have
    /// `ch` channels. An error of `open` is the thread's error.
    pub fn start_opening(
        open: Open<AudioReader>,
        ch: usize,
        ring_frames: usize,
        looping: bool,
    ) -> Result<(FileSource, Source)> {
        let ring = Ring::new(4 * ch, ring_frames)?;
        let mut prod: Producer = ring.producer_or_err()?;
        let cons = ring.consumer_or_err()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let opened = Arc::new(AtomicBool::new(false));
        let opened2 = opened.clone();
        let eof = ring.clone();
        let thread = spawn("ringstream-reader", move || {
            let result = (|| {
                let reader = open();
                opened2.store(true, Ordering::Release);
                let mut reader = reader?;
                if reader.info().channels as usize != ch {
                    return Err(Error::invalid_arg(format!(
                        "the file has {} channels, {ch} were expected",
                        reader.info().channels
                    )));
                }
                // A looping file rewinds only after a pass that read
                // something: an empty file must end, not spin.
                let mut read_since_rewind = false;
                let mut samples = vec![0f32; STEP * ch];
                let batch = batch_bytes(&eof);
                eof.room().attach();
                while !stop2.load(Ordering::Acquire) {
                    let free = (prod.vacant_bytes() / (4 * ch)).min(STEP);
                    if free == 0 {
                        eof.room().wait_for(batch, || prod.vacant_bytes(), IDLE);
                        continue;
                    }
                    let n = reader.read_into(&mut samples[..free * ch])?;
                    if n == 0 {
                        if looping && read_since_rewind {
                            reader.seek(0)?;
                            read_since_rewind = false;
                            continue;
                        }
                        break;
                    }
                    read_since_rewind = true;
                    let (a, b) = prod.vacant_slices(n * ch * 4);
                    let split = a.len() / 4;
                    put_samples(a, &samples[..split]);
                    put_samples(b, &samples[split..n * ch]);
                    prod.advance_bytes(n * ch * 4)?;
                }
                Ok(())
            })();
            // Whatever happened, no more data comes: the engine may end the
            // source once the ring is empty.
            eof.set_producer_done(true);
            result
        })?;
        let source = Source::Ring {
            cons,
            channels: ch,
            dtype: Dtype::Float32,
            until_done: true,
        };
        Ok((
            FileSource {
                thread: Mutex::new(Some(thread)),
                opened,
                stop,
                ring,
            },
            source,
        ))
    }

    /// Waits until at least `frames` frames are buffered, the file is read
    /// to its end, the pump is stopped, or `timeout` passes; returns the
    /// frames buffered.
    pub fn prebuffer(&self, frames: usize, timeout: Duration) -> usize {
        let want = frames.min(self.ring.size());
        let deadline = Instant::now() + timeout;
        loop {
            let have = self.ring.read_available();
            if have >= want
                || self.ring.producer_done()
                || self.stop.load(Ordering::Acquire)
                || Instant::now() >= deadline
            {
                return have;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    /// Stops the thread and returns its error, if it had one (once: later
    /// calls return `Ok`).
    pub fn stop(&self) -> Result<()> {
        self.stop.store(true, Ordering::Release);
        self.ring.room().wake();
        let t = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        match t {
            // Still waiting for a FIFO's writer: let the thread go (it ends
            // once its open returns) rather than wait for a peer that may
            // never come.
            Some(t) if !t.is_finished() && !self.opened.load(Ordering::Acquire) => Ok(()),
            Some(t) => join(t, "file reader"),
            None => Ok(()),
        }
    }
}

impl Drop for FileSource {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
