//! The writer pump: a thread draining a ring into an audio file (encoded
//! here, on the writer thread, never in the callback).

use super::{batch_bytes, join, spawn, take_samples, Open, IDLE, STEP};
use crate::audio_file::AudioWriter;
use crate::error::{Error, Result};
use crate::ring::{Consumer, Producer, Ring};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

/// Flushes asked of a writer thread, and those it made: how a file being
/// recorded is made complete on disk as of now (when the process is about
/// to exit) without ending the recording.
#[derive(Default)]
struct Flushes {
    asked: AtomicU64,
    made: Mutex<u64>,
    cond: Condvar,
}

impl Flushes {
    /// Says that every flush asked up to `n` was made (`u64::MAX`: the
    /// thread ended, nothing more will be).
    fn made(&self, n: u64) {
        let mut m = self.made.lock().unwrap_or_else(|p| p.into_inner());
        *m = (*m).max(n);
        self.cond.notify_all();
    }
}

/// Answers every flush for good when the writer thread ends, however it ends.
struct Ended(Arc<Flushes>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.made(u64::MAX);
    }
}

/// Whether the writer thread is past its open (it has its file, or its
/// open failed, or the thread ended): what `finish` waits for, woken at
/// once rather than polled.
#[derive(Default)]
struct Gate {
    passed: Mutex<bool>,
    cond: Condvar,
}

impl Gate {
    fn pass(&self) {
        *self.passed.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.cond.notify_all();
    }

    fn is_passed(&self) -> bool {
        *self.passed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits at most `timeout` for the gate; true if it was passed.
    fn wait(&self, timeout: Duration) -> bool {
        let passed = self.passed.lock().unwrap_or_else(|p| p.into_inner());
        let (passed, _) = self
            .cond
            .wait_timeout_while(passed, timeout, |p| !*p)
            .unwrap_or_else(|p| p.into_inner());
        *passed
    }
}

/// Passes the gate when the writer thread ends, however it ends (an open
/// that panics too).
struct PassOnExit(Arc<Gate>);

impl Drop for PassOnExit {
    fn drop(&mut self) {
        self.0.pass();
    }
}

/// What the writer thread shares with its [`FileSink`].
struct Flags {
    /// The recording has ended: drain what is left and close.
    done: Arc<AtomicBool>,
    /// The thread is past its open.
    opened: Arc<Gate>,
    /// Flushes asked and made.
    flushes: Ended,
}

/// How long `finish` lets a writer thread open its file before it takes the
/// file for a FIFO that nobody reads.
const OPEN_GRACE: Duration = Duration::from_secs(1);

/// A writer thread draining a ring into an audio file.
pub struct FileSink {
    thread: Option<JoinHandle<Result<u64>>>,
    done: Arc<AtomicBool>,
    ring: Arc<Ring>,
    /// Passed once the thread has its file (until then it may wait in `open`).
    opened: Arc<Gate>,
    /// Told at once when the thread fails (see [`FileSink::on_error`]).
    hook: Arc<OnceLock<ErrorHook>>,
    /// The thread's error, kept for a hook set after it failed.
    failed: Arc<OnceLock<Error>>,
    flushes: Arc<Flushes>,
}

/// What a writer thread calls with its error, the moment it fails.
pub type ErrorHook = Box<dyn Fn(&Error) + Send + Sync + 'static>;

impl FileSink {
    /// Starts draining a new ring of `ring_frames` frames into `writer`;
    /// returns the pump and the producer the engine records into.
    pub fn start(writer: AudioWriter, ring_frames: usize) -> Result<(FileSink, Producer)> {
        let ch = writer.channels() as usize;
        FileSink::start_opening(Box::new(move || Ok(writer)), ch, ring_frames)
    }

    /// As [`FileSink::start`], with the file created by `open` on the
    /// writer thread (a FIFO waits there for its reader; what is recorded
    /// meanwhile waits in the ring). The writer must have `ch` channels.
    pub fn start_opening(
        open: Open<AudioWriter>,
        ch: usize,
        ring_frames: usize,
    ) -> Result<(FileSink, Producer)> {
        let ring = Ring::new(4 * ch, ring_frames)?;
        let prod = ring.producer_or_err()?;
        let cons: Consumer = ring.consumer_or_err()?;
        let done = Arc::new(AtomicBool::new(false));
        let done2 = done.clone();
        let opened = Arc::new(Gate::default());
        let opened2 = opened.clone();
        let on_exit = PassOnExit(opened.clone());
        let hook: Arc<OnceLock<ErrorHook>> = Arc::default();
        let hook2 = hook.clone();
        let failed: Arc<OnceLock<Error>> = Arc::default();
        let failed2 = failed.clone();
        let ended = done.clone();
        let flushes = Arc::new(Flushes::default());
        let flags = Flags {
            done: done2,
            opened: opened2,
            flushes: Ended(flushes.clone()),
        };
        let thread = spawn("ringstream-writer", move || {
            let _on_exit = on_exit;
            let r = FileSink::drain(open, cons, flags, ch);
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
                flushes,
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
    fn drain(open: Open<AudioWriter>, cons: Consumer, flags: Flags, ch: usize) -> Result<u64> {
        {
            let writer = open();
            flags.opened.pass();
            let mut flushed = 0;
            let mut writer = writer?;
            let mut samples = vec![0f32; STEP * ch];
            let batch = batch_bytes(cons.ring());
            cons.ring().data_bell().attach();
            loop {
                // Read the flags before draining, so that nothing the engine
                // wrote before they were set is left behind.
                let last = flags.done.load(Ordering::Acquire);
                let asked = flags.flushes.0.asked.load(Ordering::Acquire);
                let bytes = cons.available_bytes().min(STEP * ch * 4);
                if bytes == 0 {
                    if asked > flushed {
                        writer.flush()?;
                        flushed = asked;
                        flags.flushes.0.made(asked);
                    }
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

    /// Makes the file complete on disk as of now, the recording going on:
    /// the thread writes what the ring holds and refreshes the header.
    /// Waits at most `timeout` (a thread that fell behind, or failed, is
    /// not waited for). For a process about to exit.
    pub fn flush(&self, timeout: Duration) {
        let n = self.flushes.asked.fetch_add(1, Ordering::AcqRel) + 1;
        self.ring.data_bell().wake();
        let made = self.flushes.made.lock().unwrap_or_else(|p| p.into_inner());
        let _ = self
            .flushes
            .cond
            .wait_timeout_while(made, timeout, |m| *m < n);
    }

    /// Writes what is left, closes the file; returns the frames written or
    /// the thread's error. Call once the recording has ended.
    pub fn finish(mut self) -> Result<u64> {
        self.end();
        // A run can end before the writer thread was even scheduled (a short
        // recording at the virtual device's full speed on a loaded machine):
        // give its open a moment, woken the moment it is past it, before
        // taking it for a FIFO with no reader. finish() runs on a worker
        // thread, never the JS thread or the callback.
        self.opened.wait(OPEN_GRACE);
        match self.thread.take() {
            Some(t) if !t.is_finished() && !self.opened.is_passed() => {
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
            if t.is_finished() || self.opened.is_passed() {
                let _ = t.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio_file::WriteSpec;
    use std::time::Instant;

    #[test]
    fn the_gate_wakes_its_waiter_at_once() {
        let gate = Arc::new(Gate::default());
        let g2 = gate.clone();
        let t0 = Instant::now();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            g2.pass();
        });
        // Without the wake-up this waits the whole minute.
        assert!(gate.wait(Duration::from_secs(60)));
        assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
        t.join().unwrap();
        assert!(!Gate::default().wait(Duration::from_millis(1)));
    }

    /// The spec the slow-open tests write: 8 kHz mono, the format's defaults.
    fn mono_8k() -> WriteSpec {
        WriteSpec {
            samplerate: 8000,
            channels: 1,
            format: None,
            encoding: None,
            big_endian: false,
        }
    }

    #[test]
    fn finish_waits_for_a_slow_open_and_no_longer() {
        let path =
            std::env::temp_dir().join(format!("ringstream-slow-open-{}.au", std::process::id()));
        let p2 = path.clone();
        let spec = mono_8k();
        let open = Box::new(move || {
            std::thread::sleep(Duration::from_millis(300));
            AudioWriter::create(&p2, spec)
        });
        let (sink, _prod) = FileSink::start_opening(open, 1, 1024).unwrap();
        let t0 = Instant::now();
        assert_eq!(sink.finish().unwrap(), 0);
        // Woken by the open, not by the grace running out.
        assert!(t0.elapsed() < OPEN_GRACE, "{:?}", t0.elapsed());
        assert!(path.exists());
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn finish_takes_in_a_late_open_and_writes_what_was_recorded_meanwhile() {
        let path =
            std::env::temp_dir().join(format!("ringstream-late-open-{}.au", std::process::id()));
        let p2 = path.clone();
        let spec = mono_8k();
        // The file opens when the test says so (a FIFO's reader coming).
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let open = Box::new(move || {
            let _ = wait.recv_timeout(Duration::from_secs(60));
            AudioWriter::create(&p2, spec)
        });
        let (sink, mut prod) = FileSink::start_opening(open, 1, 1024).unwrap();
        let bytes: Vec<u8> = (0..100).flat_map(|_| 0.5f32.to_ne_bytes()).collect();
        assert_eq!(prod.write_partial(&bytes), bytes.len());
        drop(prod);
        let finisher = std::thread::spawn(move || sink.finish());
        std::thread::sleep(Duration::from_millis(20));
        go.send(()).unwrap();
        // Not taken for a FIFO without a reader: every frame reached the file.
        assert_eq!(finisher.join().unwrap().unwrap(), 100);
        let back = crate::audio_file::AudioReader::open(&path)
            .unwrap()
            .read_to_end()
            .unwrap();
        assert_eq!(back.len(), 100);
        std::fs::remove_file(&path).unwrap();
    }
}
