//! OsSom's `AudioBuffer`: one writer, any number of readers that each keep
//! their own read index, so that no reader consumes another's data.
//!
//! The writer never waits: it overwrites the oldest frames. A reader that
//! falls more than the ring's size behind loses the frames overwritten
//! under it, and is told so (counted in [`BroadcastReader::lost`]), never
//! handed torn data. The check is a seqlock on the write position: before
//! it touches a slot, the writer announces how far it is about to write
//! (`claimed`); after copying, a reader rereads `claimed` and drops every
//! frame whose slot the writer may have overwritten meanwhile.
//!
//! Samples are stored as `AtomicU32` bits, so racing a writer is a lost
//! frame, never undefined behaviour.

use crate::error::{Error, Result};
use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// A ring of float32 frames with one writer and independent readers.
///
/// # Example
/// ```
/// use ringstream_core::ring::BroadcastRing;
///
/// let ring = BroadcastRing::new(1, 8).unwrap();
/// let (mut a, mut b) = (ring.reader(), ring.reader());
/// let writer = ring.writer().unwrap();
/// assert!(ring.writer().is_err()); // one writer at a time
/// writer.write(&[1.0, 2.0, 3.0]).unwrap();
/// let mut out = [0.0; 3];
/// assert_eq!(a.read(&mut out), 3);
/// assert_eq!(b.read(&mut out), 3); // b still had them: a consumed nothing of b's
/// assert_eq!(out, [1.0, 2.0, 3.0]);
/// ```
pub struct BroadcastRing {
    channels: usize,
    frames: usize,
    samples: Box<[AtomicU32]>,
    /// Frames published (all of them readable, if not yet overwritten).
    written: AtomicU64,
    /// Frames the writer has started to write: slots of frames before
    /// `claimed - frames` may hold newer data.
    claimed: AtomicU64,
    /// Whether a [`BroadcastWriter`] exists.
    writer_held: AtomicBool,
}

/// The one writer of a [`BroadcastRing`] (given back when dropped).
pub struct BroadcastWriter {
    ring: Arc<BroadcastRing>,
}

/// One reader of a [`BroadcastRing`], with its own read index.
pub struct BroadcastReader {
    ring: Arc<BroadcastRing>,
    next: u64,
    lost: u64,
}

impl BroadcastRing {
    /// A ring of `frames` frames (> 0) of `channels` channels (> 0) of float32.
    pub fn new(channels: usize, frames: usize) -> Result<Arc<BroadcastRing>> {
        if channels == 0 || frames == 0 {
            return Err(Error::invalid_arg(format!(
                "a shared buffer needs channels > 0 and frames > 0, got {channels} channels and {frames} frames"
            )));
        }
        let len = channels
            .checked_mul(frames)
            .filter(|n| *n <= super::MAX_RING_BYTES / 4)
            .ok_or_else(|| {
                Error::invalid_arg(format!(
                    "a shared buffer holds at most {} float32 samples, got {frames} frames of {channels} channels",
                    super::MAX_RING_BYTES / 4
                ))
            })?;
        Ok(Arc::new(BroadcastRing {
            channels,
            frames,
            samples: (0..len).map(|_| AtomicU32::new(0)).collect(),
            written: AtomicU64::new(0),
            claimed: AtomicU64::new(0),
            writer_held: AtomicBool::new(false),
        }))
    }

    /// Channels per frame.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Capacity in frames.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Frames written since creation (OsSom's write index, before the modulo).
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// A new reader, starting at the oldest frame still held.
    pub fn reader(self: &Arc<Self>) -> BroadcastReader {
        let w = self.written();
        BroadcastReader {
            ring: self.clone(),
            next: w.saturating_sub(self.frames as u64),
            lost: 0,
        }
    }

    /// Claims the writer role; an error while another writer holds it.
    pub fn writer(self: &Arc<Self>) -> Result<BroadcastWriter> {
        if self.writer_held.swap(true, Ordering::AcqRel) {
            return Err(Error::invalid_arg(
                "the shared buffer has a writer already: one side writes, the others read",
            ));
        }
        Ok(BroadcastWriter { ring: self.clone() })
    }

    fn write(&self, data: &[f32]) -> Result<usize> {
        if !data.len().is_multiple_of(self.channels) {
            return Err(Error::invalid_arg(format!(
                "data must be whole frames of {} channels, got {} samples",
                self.channels,
                data.len()
            )));
        }
        let n = data.len() / self.channels;
        let w = self.written.load(Ordering::Relaxed);
        // Announce the slots about to change before changing them.
        self.claimed.store(w + n as u64, Ordering::Relaxed);
        fence(Ordering::Release);
        let cap = self.frames as u64;
        // Frames older than the last `cap` would be overwritten within this
        // same write: only the newest `cap` reach the slots.
        let skip = n.saturating_sub(self.frames);
        for (i, frame) in data.chunks_exact(self.channels).enumerate().skip(skip) {
            let slot = ((w + i as u64) % cap) as usize * self.channels;
            for (c, v) in frame.iter().enumerate() {
                self.samples[slot + c].store(v.to_bits(), Ordering::Relaxed);
            }
        }
        self.written.store(w + n as u64, Ordering::Release);
        Ok(n)
    }
}

impl BroadcastWriter {
    /// The ring written.
    pub fn ring(&self) -> &Arc<BroadcastRing> {
        &self.ring
    }

    /// Writes `data` (interleaved, whole frames): never waits, overwriting
    /// the oldest frames. Returns the frames written; an error (nothing
    /// written) when `data` is not whole frames.
    pub fn write(&self, data: &[f32]) -> Result<usize> {
        self.ring.write(data)
    }
}

impl Drop for BroadcastWriter {
    fn drop(&mut self) {
        self.ring.writer_held.store(false, Ordering::Release);
    }
}

impl BroadcastReader {
    /// The ring read.
    pub fn ring(&self) -> &Arc<BroadcastRing> {
        &self.ring
    }

    /// Frames this reader can read now (at most the ring's size).
    pub fn ready(&self) -> usize {
        let w = self.ring.written();
        (w - self.next.min(w)).min(self.ring.frames as u64) as usize
    }

    /// Frames this reader lost so far: overwritten before it read them.
    pub fn lost(&self) -> u64 {
        self.lost
    }

    /// Reads up to `out.len() / channels` frames into `out` (interleaved);
    /// returns the frames read. Frames overwritten before or while they are
    /// copied are skipped and counted in [`BroadcastReader::lost`].
    pub fn read(&mut self, out: &mut [f32]) -> usize {
        let w = self.ring.written.load(Ordering::Acquire);
        self.catch_up(w);
        let r = &self.ring;
        let ch = r.channels;
        let cap = r.frames as u64;
        let n = ((w - self.next) as usize).min(out.len() / ch);
        for i in 0..n {
            let slot = ((self.next + i as u64) % cap) as usize * ch;
            for c in 0..ch {
                out[i * ch + c] = f32::from_bits(r.samples[slot + c].load(Ordering::Relaxed));
            }
        }
        // The copies above come before this look at how far the writer got.
        fence(Ordering::Acquire);
        let claimed = r.claimed.load(Ordering::Relaxed);
        let torn = (claimed.saturating_sub(cap).saturating_sub(self.next) as usize).min(n);
        if torn > 0 {
            out.copy_within(torn * ch..n * ch, 0);
            self.lost += torn as u64;
        }
        self.next += n as u64;
        n - torn
    }

    /// Skips the frames overwritten before this read began (counted as lost).
    fn catch_up(&mut self, written: u64) {
        let oldest = written.saturating_sub(self.ring.frames as u64);
        if self.next < oldest {
            self.lost += oldest - self.next;
            self.next = oldest;
        }
    }
}

#[cfg(test)]
mod tests;
