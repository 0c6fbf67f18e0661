//! The reader pump: a thread filling a ring from an audio file (any format
//! [`AudioReader`] reads; compressed ones are decoded here, ahead of the
//! engine, never in the callback).

use super::{batch_bytes, join, put_samples, spawn, Open, IDLE, STEP};
use crate::audio_file::AudioReader;
use crate::engine::play::Source;
use crate::engine::sample::Dtype;
use crate::error::{Error, Result};
use crate::ring::{Producer, Ring};
use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The reader thread's progress (a publish, the end of the file, a stop),
/// for [`FileSource::prebuffer`] to sleep on: woken at once rather than
/// polled. Both sides are ordinary threads (the engine, the ring's
/// consumer, plays no part), so a mutex and a condvar are fine here.
#[derive(Default)]
struct Progress {
    /// Threads in [`Progress::wait_until`]: the reader skips the lock and
    /// the wake syscall while there are none (the common case).
    waiters: AtomicUsize,
    lock: Mutex<()>,
    cond: Condvar,
}

impl Progress {
    /// Wakes the waiters to look again. Call it after publishing the
    /// progress: the fence pairs with the one in [`Progress::wait_until`],
    /// so that either this call sees a waiter or the waiter sees the progress.
    fn made(&self) {
        fence(Ordering::SeqCst);
        if self.waiters.load(Ordering::Relaxed) > 0 {
            let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
            self.cond.notify_all();
        }
    }

    /// Sleeps until `ready()` or `deadline`, looking again at each
    /// [`Progress::made`] (and at spurious wake-ups) only.
    fn wait_until(&self, ready: impl Fn() -> bool, deadline: Instant) {
        let mut held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.waiters.fetch_add(1, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        loop {
            let now = Instant::now();
            if ready() || now >= deadline {
                break;
            }
            held = self
                .cond
                .wait_timeout(held, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        self.waiters.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A reader thread filling a ring from an audio file.
pub struct FileSource {
    thread: Mutex<Option<JoinHandle<Result<()>>>>,
    stop: Arc<AtomicBool>,
    ring: Arc<Ring>,
    /// Set once the thread has its file (until then it may wait in `open`).
    opened: Arc<AtomicBool>,
    /// What `prebuffer` sleeps on.
    progress: Arc<Progress>,
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
        let progress = Arc::new(Progress::default());
        let progress2 = progress.clone();
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
                    progress2.made();
                }
                Ok(())
            })();
            // Whatever happened, no more data comes: the engine may end the
            // source once the ring is empty.
            eof.set_producer_done(true);
            progress2.made();
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
                progress,
            },
            source,
        ))
    }

    /// Waits until at least `frames` frames are buffered, the file is read
    /// to its end, the pump is stopped, or `timeout` passes; returns the
    /// frames buffered.
    pub fn prebuffer(&self, frames: usize, timeout: Duration) -> usize {
        let want = frames.min(self.ring.size());
        let ready = || {
            self.ring.read_available() >= want
                || self.ring.producer_done()
                || self.stop.load(Ordering::Acquire)
        };
        self.progress.wait_until(ready, Instant::now() + timeout);
        self.ring.read_available()
    }

    /// Stops the thread and returns its error, if it had one (once: later
    /// calls return `Ok`).
    pub fn stop(&self) -> Result<()> {
        self.stop.store(true, Ordering::Release);
        self.ring.room().wake();
        self.progress.made();
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

#[cfg(test)]
mod progress_tests {
    use super::*;
    use std::thread;

    #[test]
    fn progress_wakes_its_waiter_at_once_and_only_when_told() {
        let progress = Arc::new(Progress::default());
        let level = Arc::new(AtomicUsize::new(0));
        let looks = Arc::new(AtomicUsize::new(0));
        let (p, l, k) = (progress.clone(), level.clone(), looks.clone());
        let waiter = thread::spawn(move || {
            let t0 = Instant::now();
            let ready = || {
                k.fetch_add(1, Ordering::Relaxed);
                l.load(Ordering::Acquire) > 0
            };
            p.wait_until(ready, t0 + Duration::from_secs(60));
            t0.elapsed()
        });
        while progress.waiters.load(Ordering::Relaxed) == 0 {
            thread::yield_now();
        }
        thread::sleep(Duration::from_millis(100));
        level.store(1, Ordering::Release);
        progress.made();
        // Without the wake-up this waits the whole minute...
        assert!(waiter.join().unwrap() < Duration::from_secs(30));
        // ...and a poll every 500 µs would have looked some 200 times in the 100 ms.
        let looks = looks.load(Ordering::Relaxed);
        assert!(looks <= 4, "looked {looks} times");
    }

    #[test]
    fn progress_waits_no_longer_than_its_deadline() {
        let t0 = Instant::now();
        Progress::default().wait_until(|| false, t0 + Duration::from_millis(20));
        assert!(t0.elapsed() >= Duration::from_millis(20));
    }
}
