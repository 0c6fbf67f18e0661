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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
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

/// A reader thread filling a ring from a WAV file.
pub struct FileSource {
    thread: Mutex<Option<JoinHandle<Result<()>>>>,
    stop: Arc<AtomicBool>,
    ring: Arc<Ring>,
}

impl FileSource {
    /// Starts reading `reader` into a new ring of `ring_frames` frames (a
    /// power of two); returns the pump and the engine source that plays the
    /// ring. With `looping`, the file rewinds at its end.
    pub fn start(
        mut reader: WavReader,
        ring_frames: usize,
        looping: bool,
    ) -> Result<(FileSource, Source)> {
        let ch = reader.spec().channels as usize;
        let ring = Ring::new(4 * ch, ring_frames)?;
        let mut prod: Producer = ring.producer_or_err()?;
        let cons = ring.consumer_or_err()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let eof = ring.clone();
        let thread = spawn("ringstream-reader", move || {
            let result = (|| {
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
                stop,
                ring,
            },
            source,
        ))
    }

    /// Waits until at least `frames` frames are buffered, the file is read
    /// to its end, or `timeout` passes; returns the frames buffered.
    pub fn prebuffer(&self, frames: usize, timeout: Duration) -> usize {
        let want = frames.min(self.ring.size());
        let deadline = Instant::now() + timeout;
        loop {
            let have = self.ring.read_available();
            if have >= want || self.ring.producer_done() || Instant::now() >= deadline {
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
        t.map_or(Ok(()), |t| join(t, "WAV reader"))
    }
}

impl Drop for FileSource {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

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

/// A writer thread draining a ring into a WAV file.
pub struct FileSink {
    thread: Option<JoinHandle<Result<u64>>>,
    done: Arc<AtomicBool>,
    ring: Arc<Ring>,
    flushes: Arc<Flushes>,
}

impl FileSink {
    /// Starts draining a new ring of `ring_frames` frames into `writer`;
    /// returns the pump and the producer the engine records into.
    pub fn start(mut writer: WavWriter, ring_frames: usize) -> Result<(FileSink, Producer)> {
        let ch = writer.spec().channels as usize;
        let ring = Ring::new(4 * ch, ring_frames)?;
        let prod = ring.producer_or_err()?;
        let cons: Consumer = ring.consumer_or_err()?;
        let done = Arc::new(AtomicBool::new(false));
        let done2 = done.clone();
        let flushes = Arc::new(Flushes::default());
        let ended = Ended(flushes.clone());
        let thread = spawn("ringstream-writer", move || {
            let ended = ended;
            let mut flushed = 0;
            let mut samples = vec![0f32; STEP * ch];
            let batch = batch_bytes(cons.ring());
            cons.ring().data_bell().attach();
            loop {
                // Read the flags before draining, so that nothing the engine
                // wrote before they were set is left behind.
                let last = done2.load(Ordering::Acquire);
                let asked = ended.0.asked.load(Ordering::Acquire);
                let bytes = cons.available_bytes().min(STEP * ch * 4);
                if bytes == 0 {
                    if asked > flushed {
                        writer.flush()?;
                        flushed = asked;
                        ended.0.made(asked);
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
        })?;
        Ok((
            FileSink {
                thread: Some(thread),
                done,
                ring,
                flushes,
            },
            prod,
        ))
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
        self.thread.take().map_or(Ok(0), |t| join(t, "WAV writer"))
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
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::{SampleFormat, WavSpec};

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
    fn a_flush_makes_the_file_whole_as_of_now_while_recording_goes_on() {
        let dir =
            std::env::temp_dir().join(format!("ringstream-pump-flush-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dst = dir.join("rec.wav");
        let spec = WavSpec {
            samplerate: 48000,
            channels: 1,
            format: SampleFormat::F32,
        };
        let (sink, mut prod) =
            FileSink::start(WavWriter::create(&dst, spec).unwrap(), 1 << 16).unwrap();
        // Less than the half second after which the writer refreshes the header.
        let frames = 20_000;
        let bytes: Vec<u8> = (0..frames).flat_map(|_| 0.25f32.to_ne_bytes()).collect();
        assert_eq!(prod.write_partial(&bytes), bytes.len());
        sink.flush(Duration::from_secs(10));
        assert_eq!(crate::wav::read_wav(&dst).unwrap().frames, frames as u64);
        // The recording goes on after it.
        assert_eq!(prod.write_partial(&bytes), bytes.len());
        drop(prod);
        assert_eq!(sink.finish().unwrap(), 2 * frames as u64);
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
