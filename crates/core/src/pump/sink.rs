//! The writer pump: a thread draining a ring into a WAV file.

use super::{batch_bytes, join, spawn, take_samples, Open, IDLE, STEP};
use crate::error::{Error, Result};
use crate::ring::{Consumer, Producer, Ring};
use crate::wav::WavWriter;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

/// A writer thread draining a ring into a WAV file.
pub struct FileSink {
    thread: Option<JoinHandle<Result<u64>>>,
    done: Arc<AtomicBool>,
    ring: Arc<Ring>,
    /// Set once the thread has its file (until then it may wait in `open`).
    opened: Arc<AtomicBool>,
    /// Told at once when the thread fails (see [`FileSink::on_error`]).
    hook: Arc<OnceLock<ErrorHook>>,
    /// The thread's error, kept for a hook set after it failed.
    failed: Arc<OnceLock<Error>>,
}

/// What a writer thread calls with its error, the moment it fails.
pub type ErrorHook = Box<dyn Fn(&Error) + Send + Sync + 'static>;

impl FileSink {
    /// Starts draining a new ring of `ring_frames` frames into `writer`;
    /// returns the pump and the producer the engine records into.
    pub fn start(writer: WavWriter, ring_frames: usize) -> Result<(FileSink, Producer)> {
        let ch = writer.spec().channels as usize;
        FileSink::start_opening(Box::new(move || Ok(writer)), ch, ring_frames)
    }

    /// As [`FileSink::start`], with the file created by `open` on the
    /// writer thread (a FIFO waits there for its reader; what is recorded
    /// meanwhile waits in the ring). The writer must have `ch` channels.
    pub fn start_opening(
        open: Open<WavWriter>,
        ch: usize,
        ring_frames: usize,
    ) -> Result<(FileSink, Producer)> {
        let ring = Ring::new(4 * ch, ring_frames)?;
        let prod = ring.producer_or_err()?;
        let cons: Consumer = ring.consumer_or_err()?;
        let done = Arc::new(AtomicBool::new(false));
        let done2 = done.clone();
        let opened = Arc::new(AtomicBool::new(false));
        let opened2 = opened.clone();
        let hook: Arc<OnceLock<ErrorHook>> = Arc::default();
        let hook2 = hook.clone();
        let failed: Arc<OnceLock<Error>> = Arc::default();
        let failed2 = failed.clone();
        let ended = done.clone();
        let thread = spawn("ringstream-writer", move || {
            let r = FileSink::drain(open, cons, done2, opened2, ch);
            // Once the recording has ended (an error closing the file), the
            // error is only the finisher's: there is no run left to end.
            if let (Err(e), false) = (&r, ended.load(Ordering::Acquire)) {
                let _ = failed2.set(e.clone());
                if let Some(h) = hook2.get() {
                    h(e);
                }
            }
            r
        })?;
        Ok((
            FileSink {
                thread: Some(thread),
                done,
                ring,
                opened,
                hook,
                failed,
            },
            prod,
        ))
    }

    /// Calls `f` with the writer thread's error as soon as it fails while
    /// the recording runs (to end the stream with it); `finish` still
    /// returns the error.
    pub fn on_error(&self, f: ErrorHook) {
        let _ = self.hook.set(f);
        // The thread may have failed before the hook was there (the hook
        // must bear a second call with the same error).
        if let (Some(e), Some(h)) = (self.failed.get(), self.hook.get()) {
            h(e);
        }
    }

    /// The writer thread: opens the file, then drains the ring into it.
    fn drain(
        open: Open<WavWriter>,
        cons: Consumer,
        done2: Arc<AtomicBool>,
        opened2: Arc<AtomicBool>,
        ch: usize,
    ) -> Result<u64> {
        {
            let writer = open();
            opened2.store(true, Ordering::Release);
            let mut writer = writer?;
            let mut samples = vec![0f32; STEP * ch];
            let batch = batch_bytes(cons.ring());
            cons.ring().data_bell().attach();
            loop {
                // Read the flag before draining, so that nothing the engine
                // wrote before it was set is left behind.
                let last = done2.load(Ordering::Acquire);
                let bytes = cons.available_bytes().min(STEP * ch * 4);
                if bytes == 0 {
                    if last {
                        break;
                    }
                    cons.ring()
                        .data_bell()
                        .wait_for(batch, || cons.available_bytes(), IDLE);
                    continue;
                }
                let (a, b) = cons.occupied_slices(bytes);
                let split = a.len() / 4;
                take_samples(&mut samples[..split], a);
                take_samples(&mut samples[split..bytes / 4], b);
                cons.advance_bytes(bytes)?;
                writer.write(&samples[..bytes / 4])?;
            }
            writer.close()?;
            Ok(writer.frames())
        }
    }

    /// Writes what is left, closes the file; returns the frames written or
    /// the thread's error. Call once the recording has ended.
    pub fn finish(mut self) -> Result<u64> {
        self.end();
        match self.thread.take() {
            Some(t) if !t.is_finished() && !self.opened.load(Ordering::Acquire) => {
                // A FIFO nobody opened for reading: the thread is let go.
                Err(Error::new(
                    crate::ErrorKind::Io,
                    "the recording's file was never opened (a FIFO without a reader): nothing was written",
                ))
            }
            Some(t) => join(t, "WAV writer"),
            None => Ok(0),
        }
    }
}

impl FileSink {
    /// Tells the thread that nothing more comes (it drains, then ends).
    fn end(&self) {
        self.done.store(true, Ordering::Release);
        self.ring.data_bell().wake();
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        self.end();
        if let Some(t) = self.thread.take() {
            if t.is_finished() || self.opened.load(Ordering::Acquire) {
                let _ = t.join();
            }
        }
    }
}
