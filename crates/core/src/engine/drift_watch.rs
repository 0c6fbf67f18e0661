//! What drift correction watches of a running stream: the fill of the ring
//! whose other side is paced by another clock (a play's source ring, a
//! record's sink ring, as the engine last saw them), and the clock offset
//! the correction found. Written on the audio thread, read by the
//! converter's drift loop (the same thread) and by the control side:
//! atomics only.

use super::{Action, Engine};
use std::sync::atomic::{AtomicU64, Ordering};

/// The fills the engine publishes and the offset the drift loop found.
#[derive(Debug, Default)]
pub struct DriftWatch {
    /// `(fill << 32) | size` of the watched ring a play drains; 0: none.
    played: AtomicU64,
    /// The same for the watched ring a record fills.
    recorded: AtomicU64,
    /// The device clock's offset, relative (f64 bits).
    offset: AtomicU64,
}

fn pack(ring: Option<(usize, usize)>) -> u64 {
    // A ring holds at most `MAX_BUFFER_SIZE` frames (2^26), far below 2^32.
    ring.map_or(0, |(fill, size)| ((fill as u64) << 32) | size as u64)
}

fn unpack(word: u64) -> Option<(usize, usize)> {
    let size = (word & u64::from(u32::MAX)) as usize;
    (size > 0).then_some(((word >> 32) as usize, size))
}

impl DriftWatch {
    /// `(frames in it, frames it holds)` of the watched ring a play drains
    /// (a RingBuffer lent to `play()`), as of the engine's last block.
    ///
    /// ```
    /// use ringstream_core::engine::drift_watch::DriftWatch;
    /// let w = DriftWatch::default();
    /// w.publish(Some((100, 1024)), None);
    /// assert_eq!(w.played(), Some((100, 1024)));
    /// assert_eq!(w.recorded(), None);
    /// ```
    pub fn played(&self) -> Option<(usize, usize)> {
        unpack(self.played.load(Ordering::Acquire))
    }

    /// The same for the watched ring a record fills (a RingBuffer lent to
    /// `record()`).
    pub fn recorded(&self) -> Option<(usize, usize)> {
        unpack(self.recorded.load(Ordering::Acquire))
    }

    /// Sets both rings' `(fill, size)`; None: no such ring runs.
    pub fn publish(&self, played: Option<(usize, usize)>, recorded: Option<(usize, usize)>) {
        self.played.store(pack(played), Ordering::Release);
        self.recorded.store(pack(recorded), Ordering::Release);
    }

    /// The device clock's offset the drift loop found (relative; positive:
    /// the device runs fast); 0 until it has a ring to watch.
    ///
    /// ```
    /// use ringstream_core::engine::drift_watch::DriftWatch;
    /// let w = DriftWatch::default();
    /// w.set_offset(1e-3);
    /// assert_eq!(w.offset(), 1e-3);
    /// ```
    pub fn offset(&self) -> f64 {
        f64::from_bits(self.offset.load(Ordering::Acquire))
    }

    /// Stores the drift loop's estimate (see [`DriftWatch::offset`]).
    pub fn set_offset(&self, offset: f64) {
        self.offset.store(offset.to_bits(), Ordering::Release);
    }
}

impl Engine {
    /// Publishes the first live watched ring of each direction (see
    /// [`DriftWatch`]); runs once per block, a walk over the slots.
    pub(super) fn publish_watched_rings(&self) {
        let (mut played, mut recorded) = (None, None);
        for a in self.slots.iter().flatten() {
            match &**a {
                Action::Play(p) => played = played.or_else(|| p.watched_ring()),
                Action::Record(r) => recorded = recorded.or_else(|| r.watched_ring()),
                _ => {}
            }
        }
        self.shared.drift.publish(played, recorded);
    }
}
