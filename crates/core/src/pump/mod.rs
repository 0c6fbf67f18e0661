//! File pumps: native threads that move audio between WAV files and the
//! rings the engine plays from and records into, so that playing or
//! recording a file involves no JavaScript after the call that starts it.
//!
//! The engine never waits for a pump: a reader that falls behind shows up as
//! an output underflow (an xrun), a writer that falls behind as a full sink
//! (`BufferFull`). Errors on a pump thread are kept and handed to whoever
//! finishes the pump, so that they reach JS as the job's error.

use crate::error::{Error, Result};
use crate::ring::Ring;
use std::thread::JoinHandle;
use std::time::Duration;

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

mod sink;
mod source;
#[cfg(test)]
mod tests;

pub use sink::{ErrorHook, FileSink};
pub use source::FileSource;
