//! How the audio thread tells the bridge thread that something happened,
//! without blocking: an atomic set of event bits plus an unpark.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::thread::Thread;
use std::time::{Duration, Instant};

/// Nanoseconds on a monotonic clock shared by the audio thread and JS (the
/// node layer exports it), for measuring notification latency.
pub fn monotonic_ns() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// Event bits the engine raises.
pub mod events {
    /// Every action ended and the stream finished (or was stopped/aborted).
    pub const FINISHED: u32 = 1;
    /// An xrun was counted.
    pub const XRUN: u32 = 2;
    /// An error stopped the stream.
    pub const ERROR: u32 = 4;
    /// An action completed (its buffers can be collected).
    pub const ACTION_DONE: u32 = 8;
    /// Data arrived in a sink ring (chunk readers wait for this).
    pub const DATA: u32 = 16;
    /// The first block of a run was processed: the stream clock is live.
    pub const STARTED: u32 = 32;
    /// The control side asks the bridge to quit.
    pub const QUIT: u32 = 1 << 31;
}

/// A wait-free signal from the audio thread to one waiting thread.
#[derive(Default)]
pub struct Notifier {
    pending: AtomicU32,
    last_data_ns: AtomicU64,
    waiter: OnceLock<Thread>,
}

impl Notifier {
    /// Raises `bits` and wakes the waiter. Realtime-safe: an atomic OR and, if
    /// a waiter is registered, an unpark (a non-blocking futex wake).
    #[inline]
    pub fn raise(&self, bits: u32) {
        if bits & events::DATA != 0 {
            // A vDSO clock read: no syscall, no lock.
            self.last_data_ns.store(monotonic_ns(), Ordering::Release);
        }
        self.pending.fetch_or(bits, Ordering::AcqRel);
        if let Some(t) = self.waiter.get() {
            t.unpark();
        }
    }

    /// When the last [`events::DATA`] was raised, in [`monotonic_ns`].
    pub fn last_data_ns(&self) -> u64 {
        self.last_data_ns.load(Ordering::Acquire)
    }

    /// Waits up to `timeout` for events and takes them (0 on timeout). Must
    /// always be called from the same thread (the bridge).
    pub fn wait(&self, timeout: Duration) -> u32 {
        if self.waiter.get().is_none() {
            let _ = self.waiter.set(std::thread::current());
        }
        let bits = self.pending.swap(0, Ordering::AcqRel);
        if bits != 0 {
            return bits;
        }
        std::thread::park_timeout(timeout);
        self.pending.swap(0, Ordering::AcqRel)
    }
}
