//! The block processor that runs inside the audio callback.
//!
//! An [`Engine`] owns a fixed set of action slots (plays and records, as in
//! python-rtmixer) and mixes every active play into the block's output,
//! records every active record from its input. The control side talks to it
//! only through two preallocated SPSC queues (`ringbuf`): commands in, spent
//! actions out (so that their buffers are freed off the audio thread), and
//! through the atomics of [`Shared`].
//!
//! Realtime contract: `process` allocates nothing, takes no lock, makes no
//! blocking call, does no I/O. The one syscall it can make is the bridge's
//! wake-up (a non-blocking futex wake).

pub mod map;
pub mod notify;
pub mod play;
pub mod record;
pub mod sample;

use crate::error::ErrorKind;
use notify::{events, Notifier};
use play::Play;
use record::Record;
use ringbuf::traits::{Consumer as _, Producer as _, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// How many actions can be active at once.
pub const MAX_ACTIONS: usize = 32;
/// Capacity of the command queue.
pub const COMMAND_QUEUE: usize = 64;

/// Status flags, as in PortAudio's callback flags (defined once, in the
/// plugin ABI crate, so that the plugin, the core and JS agree).
pub use ringstream_cpal_abi::status;

/// Stream states kept in [`Shared::state`].
pub mod state {
    /// Not started, or stopped by the control side.
    pub const IDLE: u32 = 0;
    /// Callbacks are running.
    pub const RUNNING: u32 = 1;
    /// Every action ended (or stop() drained them).
    pub const FINISHED: u32 = 2;
    /// abort() ended the stream.
    pub const ABORTED: u32 = 3;
    /// An error ended the stream; see [`super::Shared::error`].
    pub const ERROR: u32 = 4;
}

/// One action of the engine.
pub enum Action {
    /// Playback into the device output.
    Play(Play),
    /// Recording from the device input.
    Record(Record),
}

impl Action {
    fn done(&self) -> bool {
        match self {
            Action::Play(p) => p.done(),
            Action::Record(r) => r.done(),
        }
    }
}

/// What the control side asks of the engine.
pub enum Command {
    /// Start an action (boxed on the control side: no allocation here).
    Add(Box<Action>),
    /// End the stream once every play action has drained its source.
    Stop,
    /// End the stream now.
    Abort,
    /// Finish the stream once no action is left (set by play/record calls).
    FinishWhenIdle,
}

/// Timing of one block, from the device.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlockInfo {
    /// Frames in this block.
    pub frames: usize,
    /// When the first output frame reaches the DAC, in seconds of the device clock.
    pub output_time: f64,
    /// When the first input frame was captured at the ADC, same clock.
    pub input_time: f64,
    /// The device clock when the callback was called (PortAudio's
    /// `currentTime`), same clock.
    pub current_time: f64,
    /// Device status flags for this block (see [`status`]).
    pub flags: u32,
}

/// What the device should do after a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep calling.
    Continue,
    /// The stream is over; stop calling.
    Complete,
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
    /// OR of every status flag since start.
    pub status: AtomicU32,
    /// The error that ended the stream (index into `ErrorKind::ALL`, plus 1).
    pub error: AtomicU32,
    /// The output DAC time of the last block, as f64 bits.
    pub last_output_time: AtomicU64,
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

/// The block processor. Lives on the audio thread once the device runs.
pub struct Engine {
    slots: Vec<Option<Box<Action>>>,
    commands: HeapCons<Command>,
    spent: HeapProd<Box<Action>>,
    shared: Arc<Shared>,
    in_ch: usize,
    out_ch: usize,
    finish_when_idle: bool,
    stopping: bool,
}

impl Engine {
    /// An engine for a device with `in_ch` input and `out_ch` output
    /// channels, and the control side's handle to it.
    pub fn new(in_ch: usize, out_ch: usize) -> (Engine, Control) {
        let (cp, cc) = HeapRb::<Command>::new(COMMAND_QUEUE).split();
        // Room for every action that can exist at once, so returning one
        // never fails for lack of space.
        let (sp, sc) = HeapRb::<Box<Action>>::new(MAX_ACTIONS + COMMAND_QUEUE).split();
        let shared = Arc::new(Shared::default());
        let mut slots = Vec::with_capacity(MAX_ACTIONS);
        slots.resize_with(MAX_ACTIONS, || None);
        (
            Engine {
                slots,
                commands: cc,
                spent: sp,
                shared: shared.clone(),
                in_ch,
                out_ch,
                finish_when_idle: false,
                stopping: false,
            },
            Control {
                commands: cp,
                spent: sc,
                shared,
            },
        )
    }

    /// The shared state.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Processes one block: `input` has `info.frames * in_ch` samples,
    /// `output` `info.frames * out_ch` (overwritten).
    pub fn process(&mut self, input: &[f32], output: &mut [f32], info: &BlockInfo) -> Flow {
        let n = info.frames;
        output.fill(0.0);
        let st = self.shared.state.load(Ordering::Acquire);
        if st != state::RUNNING {
            return if st == state::IDLE {
                Flow::Continue
            } else {
                Flow::Complete
            };
        }
        self.shared
            .last_output_time
            .store(info.output_time.to_bits(), Ordering::Relaxed);
        let mut abort = false;
        while let Some(c) = self.commands.try_pop() {
            match c {
                Command::Add(a) => self.add(a),
                Command::Stop => self.stopping = true,
                Command::Abort => abort = true,
                Command::FinishWhenIdle => self.finish_when_idle = true,
            }
        }
        if abort {
            self.retire_all();
            self.shared.state.store(state::ABORTED, Ordering::Release);
            self.shared.notifier.raise(events::FINISHED);
            return Flow::Complete;
        }
        let mut flags = info.flags;
        let mut error = None;
        // Plays first: a record that follows playback needs to know where it ended.
        let mut any_play = false;
        let mut play_end: Option<usize> = Some(0);
        for slot in self.slots.iter_mut() {
            if let Some(Action::Play(p)) = slot.as_deref_mut() {
                any_play = true;
                if self.stopping {
                    p.drain();
                }
                match p.process(output, self.out_ch, n, &self.shared.notifier) {
                    Ok(b) => {
                        if b.underflow {
                            flags |= status::OUTPUT_UNDERFLOW;
                        }
                        play_end = match (play_end, b.ended_at) {
                            (Some(e), Some(x)) => Some(e.max(x)),
                            _ => None,
                        };
                    }
                    Err(k) => {
                        flags |= status::OUTPUT_UNDERFLOW;
                        error = Some(k);
                    }
                }
            }
        }
        let record_limit = if any_play { play_end.unwrap_or(n) } else { n };
        for slot in self.slots.iter_mut() {
            if let Some(Action::Record(r)) = slot.as_deref_mut() {
                let limit = if r.follows_playback() || self.stopping {
                    record_limit
                } else {
                    n
                };
                if let Err(k) = r.process(input, self.in_ch, limit, &self.shared.notifier) {
                    flags |= status::INPUT_OVERFLOW;
                    error = Some(k);
                }
                if r.dropped() {
                    flags |= status::INPUT_OVERFLOW;
                }
                if (r.follows_playback() || self.stopping) && (!any_play || play_end.is_some()) {
                    r.finish();
                }
            }
        }
        if flags != 0 {
            self.shared.status.fetch_or(flags, Ordering::AcqRel);
            self.shared.xruns.fetch_add(1, Ordering::AcqRel);
            self.shared.notifier.raise(events::XRUN);
        }
        self.shared
            .frame_count
            .fetch_add(n as u64, Ordering::AcqRel);
        if let Some(k) = error {
            self.retire_all();
            self.shared.fail(k);
            return Flow::Complete;
        }
        let live = self.retire_done();
        if live == 0 && (self.finish_when_idle || self.stopping) {
            self.finish_when_idle = false;
            self.stopping = false;
            self.shared.state.store(state::FINISHED, Ordering::Release);
            self.shared.notifier.raise(events::FINISHED);
            return Flow::Complete;
        }
        Flow::Continue
    }

    fn add(&mut self, a: Box<Action>) {
        match self.slots.iter_mut().find(|s| s.is_none()) {
            Some(s) => *s = Some(a),
            // Cannot happen while the control side counts its actions; if it
            // does, hand the action back instead of dropping it here.
            None => {
                let _ = self.spent.try_push(a);
                self.shared.fail(ErrorKind::ActionQueueFull);
            }
        }
    }

    /// Returns finished actions to the control side; counts the live ones.
    fn retire_done(&mut self) -> usize {
        let mut live = 0;
        let mut retired = false;
        for slot in self.slots.iter_mut() {
            match slot {
                Some(a) if a.done() => {
                    if let Err(a) = self.spent.try_push(slot.take().expect("some")) {
                        *slot = Some(a); // the queue is sized so this never happens
                    }
                    retired = true;
                }
                Some(_) => live += 1,
                None => {}
            }
        }
        if retired {
            self.shared.notifier.raise(events::ACTION_DONE);
        }
        live
    }

    fn retire_all(&mut self) {
        for slot in self.slots.iter_mut() {
            if let Some(a) = slot.take() {
                if let Err(a) = self.spent.try_push(a) {
                    *slot = Some(a);
                }
            }
        }
        self.finish_when_idle = false;
        self.stopping = false;
    }
}
