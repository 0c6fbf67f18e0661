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
    use super::Event;
    /// [`Event::Finished`].
    pub const FINISHED: u32 = Event::Finished.as_u32();
    /// [`Event::Xrun`].
    pub const XRUN: u32 = Event::Xrun.as_u32();
    /// [`Event::Error`].
    pub const ERROR: u32 = Event::Error.as_u32();
    /// [`Event::ActionDone`].
    pub const ACTION_DONE: u32 = Event::ActionDone.as_u32();
    /// [`Event::Data`].
    pub const DATA: u32 = Event::Data.as_u32();
    /// [`Event::Started`].
    pub const STARTED: u32 = Event::Started.as_u32();
    /// [`Event::Released`].
    pub const RELEASED: u32 = Event::Released.as_u32();
    /// [`Event::DeviceChange`].
    pub const DEVICE_CHANGE: u32 = Event::DeviceChange.as_u32();
    /// [`Event::Quit`].
    pub const QUIT: u32 = Event::Quit.as_u32();
}

u32_enum! {
    /// What the audio thread tells the bridge: each event is one bit, so
    /// that several pending ones fit one word ([`events`] holds them as
    /// numbers).
    pub enum Event {
        /// Every action ended and the stream finished (or was stopped/aborted).
        Finished = 1 << 0,
        /// An xrun was counted.
        Xrun = 1 << 1,
        /// An error stopped the stream.
        Error = 1 << 2,
        /// An action completed (its buffers can be collected).
        ActionDone = 1 << 3,
        /// Data arrived in a sink ring (chunk readers wait for this).
        Data = 1 << 4,
        /// The first block of a run was processed: the stream clock is live.
        Started = 1 << 5,
        /// After close: the device and the stream's threads are released
        /// (sent by the close thread, never by the audio thread).
        Released = 1 << 6,
        /// The host moved the stream to the device the desktop made the
        /// default.
        DeviceChange = 1 << 7,
        /// The control side asks the bridge to quit.
        Quit = 1 << 31,
    }
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
