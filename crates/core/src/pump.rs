//! File pumps: native threads that move audio between WAV files and the
//! rings the engine plays from and records into, so that playing or
//! recording a file involves no JavaScript after the call that starts it.
//!
//! The engine never waits for a pump: a reader that falls behind shows up as
//! an output underflow (an xrun), a writer that falls behind as a full sink
//! (`BufferFull`). Errors on a pump thread are kept and handed to whoever
//! finishes the pump, so that they reach JS as the job's error.

use crate::engine::play::Source;
use crate::engine::sample::Dtype;
use crate::error::{Error, Result};
use crate::ring::{Consumer, Producer, Ring};
use crate::wav::{WavReader, WavWriter};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest a pump sleeps without a look at its flags. The ring's
/// doorbell wakes it as soon as there is work; this only bounds the sleep
/// while the engine is paused.
const IDLE: Duration = Duration::from_millis(100);

/// What a pump waits for before it moves data again: a quarter of its ring
/// (free space for a reader, data for a writer), so that it wakes a few
/// times per ring, not per block, and still refills three quarters ahead.
fn batch_bytes(ring: &Ring) -> usize {
    (ring.size() / 4).max(1) * ring.element_size()
}
/// Frames a pump moves per step at most.
const STEP: usize = 4096;

/// Copies f32 samples into native-endian bytes (the engine's Float32 layout).
fn put_samples(dst: &mut [u8], src: &[f32]) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src) {
        d.copy_from_slice(&s.to_ne_bytes());
    }
}

fn take_samples(dst: &mut [f32], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(4)) {
        *d = f32::from_ne_bytes([s[0], s[1], s[2], s[3]]);
    }
}

fn spawn<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<JoinHandle<Result<T>>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(Error::from)
}

fn join<T>(t: JoinHandle<Result<T>>, what: &str) -> Result<T> {
    t.join().unwrap_or_else(|_| {
        Err(Error::new(
            crate::ErrorKind::Panic,
            format!("the {what} thread panicked"),
        ))
    })
}

/// Opens a pump's file on the pump's own thread: the open of a FIFO waits
/// for its peer, which must never hold the JS thread.
pub type Open<T> = Box<dyn FnOnce() -> Result<T> + Send + 'static>;

/// A reader thread filling a ring from a WAV file.
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
        reader: WavReader,
        ring_frames: usize,
        looping: bool,
    ) -> Result<(FileSource, Source)> {
        let ch = reader.spec().channels as usize;
        FileSource::start_opening(Box::new(move || Ok(reader)), ch, ring_frames, looping)
    }

    /// As [`FileSource::start`], with the file opened by `open` on the
    /// reader thread (a FIFO waits there for its writer); the file must have
    /// `ch` channels. An error of `open` is the thread's error.
    pub fn start_opening(
        open: Open<WavReader>,
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
                if reader.spec().channels as usize != ch {
                    return Err(Error::invalid_arg(format!(
                        "the file has {} channels, {ch} were expected",
                        reader.spec().channels
                    )));
                }
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
                        if looping && reader.frames() > 0 {
                            reader.seek(0)?;
                            continue;
                        }
                        break;
                    }
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
            Some(t) => join(t, "WAV reader"),
            None => Ok(()),
        }
    }
}

impl Drop for FileSource {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

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
        let thread = spawn("ringstream-writer", move || {
            let r = FileSink::drain(open, cons, done2, opened2, ch);
            if let Err(e) = &r {
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

    /// Calls `f` with the writer thread's error as soon as it fails (to
    /// end the stream with it); `finish` still returns the error.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{SampleFormat, WavSpec};

    #[cfg(target_os = "linux")]
    #[test]
    fn a_writer_that_fails_tells_its_hook_even_when_set_late() {
        let spec = WavSpec {
            samplerate: 8000,
            channels: 1,
            format: SampleFormat::F32,
        };
        let (sink, _prod) = FileSink::start_opening(
            Box::new(move || WavWriter::create("/dev/full", spec)),
            1,
            1024,
        )
        .unwrap();
        // Set after the thread may already have failed: it is told anyway.
        std::thread::sleep(Duration::from_millis(20));
        let told: Arc<Mutex<Vec<String>>> = Arc::default();
        let t2 = told.clone();
        sink.on_error(Box::new(move |e| t2.lock().unwrap().push(e.to_string())));
        let e = sink.finish().unwrap_err();
        assert!(e.message().starts_with("/dev/full: "), "{e}");
        let told = told.lock().unwrap();
        assert!(
            !told.is_empty() && told[0].contains("/dev/full"),
            "{told:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_without_a_peer_never_holds_the_caller() {
        let dir = std::env::temp_dir().join(format!("ringstream-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.wav");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let p2 = path.clone();
        let (src, _source) =
            FileSource::start_opening(Box::new(move || WavReader::open(&p2)), 1, 1024, false)
                .unwrap();
        // The open waits on the reader thread; stop() lets it go.
        assert!(src.stop().is_ok());
        let spec = WavSpec {
            samplerate: 8000,
            channels: 1,
            format: SampleFormat::F32,
        };
        // A second FIFO: the first one's reader still waits on its own.
        let p3 = dir.join("q.wav");
        let c = std::ffi::CString::new(p3.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (sink, _prod) =
            FileSink::start_opening(Box::new(move || WavWriter::create(&p3, spec)), 1, 1024)
                .unwrap();
        let e = sink.finish().unwrap_err();
        assert!(e.message().contains("never opened"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn reads_a_file_through_a_ring_and_writes_it_back() {
        let dir = std::env::temp_dir().join(format!("ringstream-pump-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (src, dst) = (dir.join("in.wav"), dir.join("out.wav"));
        let spec = WavSpec {
            samplerate: 48000,
            channels: 2,
            format: SampleFormat::F32,
        };
        let data: Vec<f32> = (0..2 * 10_000).map(|i| (i % 977) as f32 / 1000.0).collect();
        crate::wav::write_wav(&src, &data, spec).unwrap();
        let (pump, source) =
            FileSource::start(WavReader::open(&src).unwrap(), 1024, false).unwrap();
        let Source::Ring { mut cons, .. } = source else {
            panic!("a ring source")
        };
        let (sink, mut prod) =
            FileSink::start(WavWriter::create(&dst, spec).unwrap(), 512).unwrap();
        let mut moved = 0;
        let mut buf = vec![0u8; 8 * 300];
        while moved < data.len() * 4 {
            let n = cons.read_partial(&mut buf);
            let mut off = 0;
            while off < n {
                off += prod.write_partial(&buf[off..n]);
            }
            moved += n;
        }
        pump.stop().unwrap();
        assert_eq!(sink.finish().unwrap(), 10_000);
        assert_eq!(crate::wav::read_wav(&dst).unwrap().samples, data);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_reader_error_is_kept_for_finish() {
        let dir = std::env::temp_dir().join(format!("ringstream-pump-err-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("short.wav");
        let spec = WavSpec {
            samplerate: 8000,
            channels: 1,
            format: SampleFormat::I16,
        };
        crate::wav::write_wav(&p, &vec![0.5; 50_000], spec).unwrap();
        let reader = WavReader::open(&p).unwrap();
        // Cut the file under the open reader: its reads fail or come up short.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(100)
            .unwrap();
        let (pump, _source) = FileSource::start(reader, 1 << 16, false).unwrap();
        pump.prebuffer(1 << 16, Duration::from_secs(2));
        assert!(pump.stop().is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
