//! What the engine and the control side share: atomics only, plus the two
//! SPSC queues of the control side.

use super::clock::Clock;
use super::notify::{events, Notifier};
use super::{Action, Command};
use crate::error::ErrorKind;
use ringbuf::traits::{Consumer as _, Producer as _};
use ringbuf::{HeapCons, HeapProd};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// Stream states kept in [`Shared::state`].
pub mod state {
    /// Not started, or stopped by the control side.
    pub const IDLE: u32 = 0;
    /// Callbacks are running (this includes the drain after the last
    /// frame was handed to the device).
    pub const RUNNING: u32 = 1;
    /// Every action ended (or stop() drained them).
    pub const FINISHED: u32 = 2;
    /// abort() ended the stream.
    pub const ABORTED: u32 = 3;
    /// An error ended the stream; see [`super::Shared::error`].
    pub const ERROR: u32 = 4;
}

/// State shared between the engine and the control side: atomics only.
#[derive(Default)]
pub struct Shared {
    /// One of [`state`].
    pub state: AtomicU32,
    /// Frames processed since start.
    pub frame_count: AtomicU64,
    /// Callbacks that carried any under/overflow flag.
    pub xruns: AtomicU64,
    /// Frames lost to under/overflows since start (silence played in place
    /// of data, input dropped, blocks the device skipped).
    pub frames_lost: AtomicU64,
    /// OR of every status flag since start.
    pub status: AtomicU32,
    /// The error that ended the stream (index into `ErrorKind::ALL`, plus 1).
    pub error: AtomicU32,
    /// The device clock.
    pub clock: Clock,
    /// Device time when the last frame played so far reaches the DAC (f64 bits).
    pub played_until: AtomicU64,
    /// Wakes the bridge thread.
    pub notifier: Notifier,
}

impl Shared {
    /// The error that ended the stream, if any.
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match self.error.load(Ordering::Acquire) {
            0 => None,
            i => ErrorKind::ALL.get(i as usize - 1).copied(),
        }
    }

    /// Ends the stream with `kind` (used by the engine and by device threads).
    pub fn fail(&self, kind: ErrorKind) {
        let idx = ErrorKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32 + 1;
        let _ = self
            .error
            .compare_exchange(0, idx, Ordering::AcqRel, Ordering::Acquire);
        self.state.store(state::ERROR, Ordering::Release);
        self.notifier.raise(events::ERROR | events::FINISHED);
    }

    /// Clears the counters for a new run (pastream resets them on start()).
    pub fn reset(&self) {
        self.frame_count.store(0, Ordering::Relaxed);
        self.xruns.store(0, Ordering::Relaxed);
        self.frames_lost.store(0, Ordering::Relaxed);
        self.status.store(0, Ordering::Relaxed);
        self.error.store(0, Ordering::Relaxed);
        self.state.store(state::IDLE, Ordering::Release);
    }
}

/// The control side's ends of the engine's queues.
pub struct Control {
    /// Commands to the engine.
    pub commands: HeapProd<Command>,
    /// Spent actions coming back, to be dropped here.
    pub spent: HeapCons<Box<Action>>,
    /// The shared state.
    pub shared: Arc<Shared>,
}

impl Control {
    /// Sends a command; gives it back when the queue is full.
    pub fn send(&mut self, c: Command) -> Result<(), Command> {
        self.commands.try_push(c)
    }

    /// Takes back every spent action.
    pub fn collect(&mut self) -> Vec<Box<Action>> {
        let mut v = Vec::new();
        while let Some(a) = self.spent.try_pop() {
            v.push(a);
        }
        v
    }
}
