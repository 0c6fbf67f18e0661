//! python-rtmixer's timing: an action starts at an exact stream time (the
//! output DAC time for playback, the input ADC time for recording), at the
//! sample offset inside the block where that time falls; a time already
//! past starts at once (`allow_belated`) or drops the action. What the
//! control side sees of an action while it runs lives in [`ActionState`]:
//! atomics written by the audio thread, published before the action is
//! handed back.

pub use super::stats::{Stats, StatsSnapshot};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

u32_enum! {
    /// Kinds of actions (rtmixer's action types).
    pub enum ActionKind {
        /// A buffer played into the output.
        PlayBuffer = 1,
        /// A ring played into the output.
        PlayRingbuffer = 2,
        /// The input recorded into a buffer.
        RecordBuffer = 3,
        /// The input recorded into a ring.
        RecordRingbuffer = 4,
        /// Stops another action at a given time.
        Cancel = 5,
        /// Takes the stream's statistics and resets them.
        FetchAndResetStats = 6,
        /// Copies the device's input or output into a ring (a Monitor's feed).
        Tap = 7,
    }
}

u32_enum! {
    /// How an action ended ([`ActionState::outcome`]; [`outcome`] holds the
    /// numbers the atomic stores).
    pub enum Outcome {
        /// Waiting for its start time, or running.
        Pending = 0,
        /// It did all it had to do.
        Done = 1,
        /// Its start time had passed and `allow_belated` was false: it never ran.
        Dropped = 2,
        /// A cancel action ended it.
        Cancelled = 3,
        /// The stream stopped, aborted or failed while it was pending.
        Stopped = 4,
    }
}

/// [`Outcome`] numbers as [`ActionState::outcome`] holds them.
pub mod outcome {
    use super::Outcome;
    /// [`Outcome::Pending`].
    pub const PENDING: u32 = Outcome::Pending.as_u32();
    /// [`Outcome::Done`].
    pub const DONE: u32 = Outcome::Done.as_u32();
    /// [`Outcome::Dropped`].
    pub const DROPPED: u32 = Outcome::Dropped.as_u32();
    /// [`Outcome::Cancelled`].
    pub const CANCELLED: u32 = Outcome::Cancelled.as_u32();
    /// [`Outcome::Stopped`].
    pub const STOPPED: u32 = Outcome::Stopped.as_u32();
}

/// What the control side sees of one action.
#[derive(Debug)]
pub struct ActionState {
    /// Unique within the stream.
    pub id: u64,
    /// What it does.
    pub kind: ActionKind,
    /// The start time asked for (0: now).
    pub requested_time: f64,
    /// When it really started (f64 bits; 0: not yet, or dropped).
    pub actual_time: AtomicU64,
    /// Frames it will process in all (u64::MAX: unknown, a ring); a cancel
    /// sets it to where it stopped the action (0: before it started), as
    /// rtmixer does, so that `done_frames == total_frames` says the action
    /// ended as it was asked to.
    pub total_frames: AtomicU64,
    /// Frames processed so far.
    pub done_frames: AtomicU64,
    /// Its own statistics (blocks it was active in).
    pub stats: Stats,
    /// One of [`outcome`]; set last, with release ordering.
    pub outcome: AtomicU32,
}

impl ActionState {
    /// A pending action's state.
    pub fn new(
        id: u64,
        kind: ActionKind,
        requested_time: f64,
        total_frames: u64,
    ) -> Arc<ActionState> {
        Arc::new(ActionState {
            id,
            kind,
            requested_time,
            actual_time: AtomicU64::new(0),
            total_frames: AtomicU64::new(total_frames),
            done_frames: AtomicU64::new(0),
            stats: Stats::new(),
            outcome: AtomicU32::new(outcome::PENDING),
        })
    }

    /// When it started, in stream time (0: not started or dropped).
    pub fn actual_time(&self) -> f64 {
        f64::from_bits(self.actual_time.load(Ordering::Acquire))
    }

    /// Frames it will process in all (see [`ActionState::total_frames`]).
    pub fn total_frames(&self) -> u64 {
        self.total_frames.load(Ordering::Acquire)
    }

    /// One of [`outcome`].
    pub fn outcome(&self) -> u32 {
        self.outcome.load(Ordering::Acquire)
    }

    /// Ends it with `how` unless it has ended already. A cancel sets its
    /// total to the frames it processed.
    pub fn end(&self, how: u32) {
        if how == outcome::CANCELLED && self.outcome() == outcome::PENDING {
            let done = self.done_frames.load(Ordering::Acquire);
            self.total_frames.store(done, Ordering::Release);
        }
        let _ = self.outcome.compare_exchange(
            outcome::PENDING,
            how,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }
}

/// Where an action's work begins in this block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    /// Its time has not come in this block.
    Wait,
    /// It runs from this frame of the block.
    From(usize),
    /// Its time has passed and belated starts are not allowed.
    Drop,
}

/// An action's part of one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Its time has not come.
    Skip,
    /// It ends without running in this block, with this [`outcome`].
    End(u32),
    /// It runs over frames `from..to` of the block.
    Run(usize, usize),
}

/// When an action starts and (after a cancel) stops.
#[derive(Debug, Default)]
pub struct Timing {
    start: f64,
    allow_belated: bool,
    started: bool,
    cancel_at: Option<(f64, bool)>,
    /// What the control side sees (None for the jobs of plain streams).
    pub state: Option<Arc<ActionState>>,
}

/// The frame of a block of `n` frames at time `block_time` where `t` falls
/// (may be negative or past the block).
fn offset(t: f64, block_time: f64, sr: f64) -> i64 {
    ((t - block_time) * sr).round() as i64
}

/// Where something due at stream time `t` (0: now) falls in a block of `n`
/// frames at `block_time`: later, at a frame, or (past, without
/// `allow_belated`) never. A past time with `allow_belated` falls at frame 0.
pub fn due(t: f64, allow_belated: bool, block_time: f64, sr: f64, n: usize) -> Begin {
    let off = if t == 0.0 {
        0
    } else {
        offset(t, block_time, sr)
    };
    if off >= n as i64 {
        Begin::Wait
    } else if off >= 0 {
        Begin::From(off as usize)
    } else if allow_belated {
        Begin::From(0)
    } else {
        Begin::Drop
    }
}

impl Timing {
    /// Starts with the first block it is in.
    pub fn now() -> Timing {
        Timing::default()
    }

    /// Starts at stream time `start` (0: now); a past time starts at once
    /// with `allow_belated`, else the action is dropped.
    pub fn at(start: f64, allow_belated: bool, state: Arc<ActionState>) -> Timing {
        Timing {
            start,
            allow_belated,
            started: false,
            cancel_at: None,
            state: Some(state),
        }
    }

    /// The action's id, if the control side follows it.
    pub fn id(&self) -> Option<u64> {
        self.state.as_ref().map(|s| s.id)
    }

    /// Where the action begins in this block (`block_time`: the block's
    /// DAC time for playback, ADC time for recording; `n` frames at `sr`).
    /// Publishes the actual start time when it begins.
    pub fn begin(&mut self, block_time: f64, sr: f64, n: usize) -> Begin {
        if self.started {
            return Begin::From(0);
        }
        let from = match due(self.start, self.allow_belated, block_time, sr, n) {
            Begin::From(from) => from,
            other => return other,
        };
        self.started = true;
        if let Some(s) = &self.state {
            let t = block_time + from as f64 / sr;
            s.actual_time.store(t.to_bits(), Ordering::Release);
        }
        Begin::From(from)
    }

    /// Asks the action to stop at stream time `t` (0: now); a time already
    /// past stops it at once with `allow_belated`, else the cancel is ignored.
    pub fn cancel(&mut self, t: f64, allow_belated: bool) {
        self.cancel_at = Some((t, allow_belated));
    }

    /// The end of the action's part of this block: `n` unless a cancel
    /// point falls in it (or has passed). `None`: a belated cancel that is
    /// not allowed (the cancel is dropped).
    pub fn limit(&mut self, block_time: f64, sr: f64, n: usize) -> usize {
        let Some((t, belated)) = self.cancel_at else {
            return n;
        };
        let off = if t == 0.0 {
            0
        } else {
            offset(t, block_time, sr)
        };
        if off >= n as i64 {
            n
        } else if off >= 0 || belated {
            off.max(0) as usize
        } else {
            self.cancel_at = None;
            n
        }
    }

    /// The action's part of this block: where it starts ([`Timing::begin`])
    /// and where a cancel stops it ([`Timing::limit`]), or how it ends.
    pub fn window(&mut self, block_time: f64, sr: f64, n: usize) -> Window {
        if self.cancelled_before_start(block_time, sr, n) {
            return Window::End(outcome::CANCELLED);
        }
        match self.begin(block_time, sr, n) {
            Begin::Wait => Window::Skip,
            Begin::Drop => Window::End(outcome::DROPPED),
            Begin::From(from) => Window::Run(from, self.limit(block_time, sr, n).max(from)),
        }
    }

    /// Whether a cancel ended the action at frame `to` of a block of `n`.
    pub fn cut(&self, to: usize, n: usize) -> bool {
        to < n && self.cancelled()
    }

    /// Whether a cancel falls in this block before the action has started:
    /// it is then removed without ever running.
    pub fn cancelled_before_start(&mut self, block_time: f64, sr: f64, n: usize) -> bool {
        !self.started && self.cancel_at.is_some() && self.limit(block_time, sr, n) < n
    }

    /// Whether a cancel has ended the action in this block (`limit` < n).
    pub fn cancelled(&self) -> bool {
        self.cancel_at.is_some()
    }

    /// Counts a block the action was active in: `frames` processed.
    pub fn count(&self, block: usize, frames: usize, flags: u32) {
        if let Some(s) = &self.state {
            s.done_frames.fetch_add(frames as u64, Ordering::AcqRel);
            s.stats.count(block, flags);
        }
    }

    /// Counts `frames` frames the action lost (see [`Stats::frames_lost`]).
    pub fn lose(&self, frames: usize) {
        if let Some(s) = &self.state {
            s.stats.lose(frames as u64);
        }
    }

    /// Publishes how the action ended.
    pub fn end(&self, how: u32) {
        if let Some(s) = &self.state {
            s.end(how);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Arc<ActionState> {
        ActionState::new(1, ActionKind::PlayBuffer, 0.0, 100)
    }

    #[test]
    fn begins_at_the_exact_frame_of_its_time() {
        let sr = 48_000.0;
        let mut t = Timing::at(1.0 + 100.0 / sr, true, state());
        assert_eq!(t.begin(1.0 - 256.0 / sr, sr, 256), Begin::Wait);
        assert_eq!(t.begin(1.0, sr, 256), Begin::From(100));
        let s = t.state.as_ref().unwrap();
        assert!((s.actual_time() - (1.0 + 100.0 / sr)).abs() < 1e-12);
        assert_eq!(t.begin(1.0 + 256.0 / sr, sr, 256), Begin::From(0));
    }

    #[test]
    fn a_past_time_starts_at_once_or_drops() {
        let sr = 48_000.0;
        let mut late = Timing::at(0.5, true, state());
        assert_eq!(late.begin(1.0, sr, 256), Begin::From(0));
        let mut strict = Timing::at(0.5, false, state());
        assert_eq!(strict.begin(1.0, sr, 256), Begin::Drop);
        assert_eq!(strict.state.as_ref().unwrap().actual_time(), 0.0);
    }

    #[test]
    fn cancel_limits_the_block_at_its_time() {
        let sr = 48_000.0;
        let mut t = Timing::now();
        assert_eq!(t.limit(1.0, sr, 256), 256);
        t.cancel(1.0 + 10.0 / sr, false);
        assert_eq!(t.limit(1.0 - 256.0 / sr, sr, 256), 256);
        assert_eq!(t.limit(1.0, sr, 256), 10);
        let mut late = Timing::now();
        late.cancel(0.5, false);
        assert_eq!(late.limit(1.0, sr, 256), 256, "a belated cancel is dropped");
        assert!(!late.cancelled());
    }
}
