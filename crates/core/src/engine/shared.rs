//! What the engine and the control side share: atomics only, plus the two
//! SPSC queues of the control side.

use super::action::{Action, Command};
use super::clock::Clock;
use super::notify::{events, Notifier};
use super::play::Play;
use super::record::Record;
use super::schedule::Stats;
use crate::error::ErrorKind;
use ringbuf::traits::{Consumer as _, Producer as _};
use ringbuf::{HeapCons, HeapProd};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

u32_enum! {
    /// The states of a stream, kept as numbers in [`Shared::state`].
    pub enum StreamState {
        /// Not started, or stopped by the control side.
        Idle = 0,
        /// Callbacks are running (this includes the drain after the last
        /// frame was handed to the device).
        Running = 1,
        /// Every action ended (or stop() drained them).
        Finished = 2,
        /// abort() ended the stream.
        Aborted = 3,
        /// An error ended the stream; see [`Shared::error`].
        Error = 4,
    }
}

/// [`StreamState`] numbers as [`Shared::state`] holds them.
pub mod state {
    use super::StreamState;
    /// [`StreamState::Idle`].
    pub const IDLE: u32 = StreamState::Idle.as_u32();
    /// [`StreamState::Running`].
    pub const RUNNING: u32 = StreamState::Running.as_u32();
    /// [`StreamState::Finished`].
    pub const FINISHED: u32 = StreamState::Finished.as_u32();
    /// [`StreamState::Aborted`].
    pub const ABORTED: u32 = StreamState::Aborted.as_u32();
    /// [`StreamState::Error`].
    pub const ERROR: u32 = StreamState::Error.as_u32();
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
    /// Callbacks that carried each flag since start, by bit: input
    /// underflow, input overflow, output underflow, output overflow.
    pub xrun_kinds: [AtomicU64; 4],
    /// Frames lost to under/overflows since start (silence played in place
    /// of data, input dropped, blocks the device skipped).
    pub frames_lost: AtomicU64,
    /// OR of every status flag since start.
    pub status: AtomicU32,
    /// The error that ended the stream ([`ErrorKind::as_u32`]; 0: none).
    pub error: AtomicU32,
    /// The device clock.
    pub clock: Clock,
    /// rtmixer's stream statistics (taken and reset by a stats probe).
    pub stats: Stats,
    /// Device time when the last frame played so far reaches the DAC (f64 bits).
    pub played_until: AtomicU64,
    /// Time spent in the callback over the block's duration, smoothed (f64 bits).
    pub cpu_load: AtomicU64,
    /// Peak level per device input channel since the last [`Shared::take_levels`] (f32 bits of |x|).
    pub input_peaks: Box<[AtomicU32]>,
    /// Peak level per device output channel, likewise.
    pub output_peaks: Box<[AtomicU32]>,
    /// Input samples past full scale (|x| > 1) since start, as sox counts clips.
    pub input_clips: AtomicU64,
    /// Output samples past full scale since start.
    pub output_clips: AtomicU64,
    /// Wakes the bridge thread.
    pub notifier: Notifier,
    /// When the control side last started the stream, in
    /// [`super::notify::monotonic_ns`] time (0: never), for the watchdog.
    pub started_ns: AtomicU64,
    /// What drift correction watches, and the offset it found.
    pub drift: super::drift_watch::DriftWatch,
}

impl Shared {
    /// State for a device with `in_ch` input and `out_ch` output channels.
    pub fn new(in_ch: usize, out_ch: usize) -> Shared {
        let peaks = |n: usize| (0..n).map(|_| AtomicU32::new(0)).collect();
        Shared {
            input_peaks: peaks(in_ch),
            output_peaks: peaks(out_ch),
            stats: Stats::new(),
            ..Shared::default()
        }
    }

    /// The peak level (|sample|) of each input and output channel since the
    /// last call, and resets them.
    pub fn take_levels(&self) -> (Vec<f32>, Vec<f32>) {
        let take = |p: &[AtomicU32]| {
            p.iter()
                .map(|a| f32::from_bits(a.swap(0, Ordering::AcqRel)))
                .collect()
        };
        (take(&self.input_peaks), take(&self.output_peaks))
    }

    /// Raises each channel's peak to the block's (interleaved, `peaks.len()`
    /// channels) and adds the block's samples past full scale to `clips`.
    /// Realtime-safe: a loop over the block and atomics.
    pub(crate) fn meter(peaks: &[AtomicU32], clips: &AtomicU64, block: &[super::Sample]) {
        let ch = peaks.len();
        if ch == 0 {
            return;
        }
        let mut over = 0u64;
        for (c, p) in peaks.iter().enumerate() {
            let mut m = 0f32;
            for v in block.iter().skip(c).step_by(ch) {
                let a = v.abs();
                over += u64::from(a > 1.0);
                m = m.max(a as f32);
            }
            // Non-negative floats order as their bits do.
            if m > 0.0 {
                p.fetch_max(m.to_bits(), Ordering::AcqRel);
            }
        }
        if over > 0 {
            clips.fetch_add(over, Ordering::AcqRel);
        }
    }

    /// The smoothed callback load (1.0 = the whole block period).
    pub fn cpu_load(&self) -> f64 {
        f64::from_bits(self.cpu_load.load(Ordering::Acquire))
    }

    /// The error that ended the stream, if any.
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match self.error.load(Ordering::Acquire) {
            0 => None,
            n => ErrorKind::from_u32(n),
        }
    }

    /// Ends the stream with `kind` (used by the engine and by device threads).
    /// The first error stays, except that a panic replaces a lost device:
    /// the watchdog takes a callback stuck in the panic hook (slow with
    /// `RUST_BACKTRACE` set) for a device gone quiet, and the panic is the cause.
    pub fn fail(&self, kind: ErrorKind) {
        let idx = kind.as_u32();
        let lost = ErrorKind::DeviceNotFound.as_u32();
        let _ = self
            .error
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |e| {
                (e == 0 || (e == lost && kind == ErrorKind::Panic)).then_some(idx)
            });
        self.state.store(state::ERROR, Ordering::Release);
        self.notifier.raise(events::ERROR | events::FINISHED);
    }

    /// Ends a running stream with `kind`; false (and nothing changed) when
    /// the stream was not running. For the control side (the watchdog): a
    /// run that just finished keeps its own ending.
    pub fn fail_running(&self, kind: ErrorKind) -> bool {
        if self
            .state
            .compare_exchange(
                state::RUNNING,
                state::ERROR,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            return false;
        }
        self.fail(kind);
        true
    }

    /// Clears the counters for a new run (pastream resets them on start()).
    pub fn reset(&self) {
        self.frame_count.store(0, Ordering::Relaxed);
        self.xruns.store(0, Ordering::Relaxed);
        for k in &self.xrun_kinds {
            k.store(0, Ordering::Relaxed);
        }
        self.frames_lost.store(0, Ordering::Relaxed);
        self.drift.publish(None, None);
        self.input_clips.store(0, Ordering::Relaxed);
        self.output_clips.store(0, Ordering::Relaxed);
        self.status.store(0, Ordering::Relaxed);
        self.error.store(0, Ordering::Relaxed);
        self.state.store(state::IDLE, Ordering::Release);
    }
}

/// The control side's ends of the engine's queues.
pub struct Control {
    /// Commands to the engine.
    pub(crate) commands: HeapProd<Command>,
    /// Spent actions coming back, to be dropped here.
    pub(crate) spent: HeapCons<Box<Action>>,
    /// The shared state.
    pub shared: Arc<Shared>,
    /// Action slots of the engine.
    pub capacity: usize,
}

impl Control {
    /// Sends a command; gives it back when the queue is full.
    pub(crate) fn send(&mut self, c: Command) -> Result<(), Command> {
        self.commands.try_push(c)
    }

    /// Begins a run (a stream sends this first on every start); false
    /// when the command queue is full.
    pub fn begin(&mut self) -> bool {
        self.send(Command::Begin).is_ok()
    }

    /// Hands a play to the engine; false when the command queue is full.
    pub fn play(&mut self, play: Play) -> bool {
        self.send(Command::Add(Box::new(Action::Play(play))))
            .is_ok()
    }

    /// Hands a record to the engine; false when the command queue is full.
    pub fn record(&mut self, record: Record) -> bool {
        self.send(Command::Add(Box::new(Action::Record(record))))
            .is_ok()
    }

    /// Makes the engine finish once no action is left; false when the
    /// command queue is full.
    pub fn finish_when_idle(&mut self) -> bool {
        self.send(Command::FinishWhenIdle).is_ok()
    }

    /// `Pa_StopStream`: ends every action, plays out, finishes; false when
    /// the command queue is full.
    pub fn stop(&mut self) -> bool {
        self.send(Command::Stop).is_ok()
    }

    /// Ends the run now; false when the command queue is full.
    pub fn abort(&mut self) -> bool {
        self.send(Command::Abort).is_ok()
    }

    /// Drops every spent action here, off the audio thread; returns how many.
    pub fn release_spent(&mut self) -> usize {
        self.collect().len()
    }

    /// Takes back every spent action.
    // The boxes are the engine's own, dropped here as they came back.
    #[allow(clippy::vec_box)]
    pub(crate) fn collect(&mut self) -> Vec<Box<Action>> {
        let mut v = Vec::new();
        while let Some(a) = self.spent.try_pop() {
            v.push(a);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_counts_the_samples_past_full_scale() {
        let s = Shared::new(0, 2);
        Shared::meter(
            &s.output_peaks,
            &s.output_clips,
            &[1.5, 0.5, -1.0, -2.0, 1.0, 0.25],
        );
        Shared::meter(&s.output_peaks, &s.output_clips, &[1.0001, 0.0]);
        assert_eq!(s.output_clips.load(Ordering::Acquire), 3);
        assert_eq!(s.take_levels().1, vec![1.5, 2.0]);
        s.reset();
        assert_eq!(s.output_clips.load(Ordering::Acquire), 0);
    }

    #[test]
    fn the_first_error_stays_but_a_panic_replaces_a_watchdogs_lost_device() {
        let s = Shared::new(0, 1);
        s.state.store(state::RUNNING, Ordering::Release);
        assert!(s.fail_running(ErrorKind::DeviceNotFound));
        s.fail(ErrorKind::Panic);
        assert_eq!(s.error_kind(), Some(ErrorKind::Panic));
        s.fail(ErrorKind::BufferFull);
        assert_eq!(s.error_kind(), Some(ErrorKind::Panic));
    }
}
