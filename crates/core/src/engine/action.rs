//! The vocabulary between the control side and the engine: the actions
//! that occupy its slots and the commands that steer a run.

use super::play::Play;
use super::record::Record;
use super::sample::{Dtype, Sample};
use super::schedule::{outcome, ActionState, Timing};
use crate::ring::Producer;
use std::sync::Arc;

/// One action of the engine.
pub(crate) enum Action {
    /// Playback into the device output.
    Play(Play),
    /// Recording from the device input.
    Record(Record),
    /// Stops another action at a stream time (rtmixer's CANCEL).
    Cancel(Cancel),
    /// Takes the stream's statistics and resets them, from inside the
    /// callback so that they are consistent (rtmixer's FETCH_AND_RESET_STATS).
    FetchStats(Probe),
    /// Copies every block's input or output into a ring (a Monitor's feed).
    Tap(Tap),
}

/// A copy of what the device hears or plays, for a monitor: it never
/// disturbs the stream (a full ring drops frames, counted in its stats) and
/// does not keep a run alive.
pub(crate) struct Tap {
    prod: Producer,
    output: bool,
    /// What the control side sees.
    pub state: Arc<ActionState>,
    ended: bool,
}

impl Tap {
    /// A tap of the device's output (`output`) or input into `prod`, whose
    /// elements are float32 frames of the device's channels.
    pub fn new(prod: Producer, output: bool, state: Arc<ActionState>) -> Tap {
        Tap {
            prod,
            output,
            state,
            ended: false,
        }
    }

    /// Copies this block (`input` or `output`, interleaved) into the ring.
    pub(super) fn copy(&mut self, input: &[Sample], output: &[Sample], frames: usize) {
        let block = if self.output { output } else { input };
        if frames == 0 || block.is_empty() {
            return;
        }
        let frame_bytes = block.len() / frames * Dtype::Float32.size();
        let fit = (self.prod.vacant_bytes() / frame_bytes).min(frames);
        let (a, b) = self.prod.vacant_slices(fit * frame_bytes);
        let mut samples = block.iter();
        for part in [a, b] {
            for (dst, v) in part
                .chunks_exact_mut(Dtype::Float32.size())
                .zip(&mut samples)
            {
                Dtype::Float32.encode(*v, dst);
            }
        }
        self.prod
            .advance_bytes(fit * frame_bytes)
            .expect("within vacant space");
        self.state
            .done_frames
            .fetch_add(fit as u64, std::sync::atomic::Ordering::AcqRel);
        let flags = if fit < frames {
            super::status::INPUT_OVERFLOW
        } else {
            0
        };
        self.state.stats.count(frames, flags);
        self.state.stats.lose((frames - fit) as u64);
    }
}

/// A cancel: which action, when, and its own state.
pub(crate) struct Cancel {
    /// The action to stop (its id and kind).
    pub target: Arc<ActionState>,
    /// Stream time to stop it at (0: now), on the target's clock (DAC time
    /// for a play, ADC time for a record).
    pub time: f64,
    /// Stop at once when the time has passed (else the cancel is dropped:
    /// outcome `DROPPED`, `actual_time` 0, as rtmixer leaves it).
    pub allow_belated: bool,
    /// What the control side sees of the cancel itself.
    pub state: Arc<ActionState>,
    handled: bool,
}

impl Cancel {
    /// A cancel of action `target` at `time`.
    pub fn new(
        target: Arc<ActionState>,
        time: f64,
        allow_belated: bool,
        state: Arc<ActionState>,
    ) -> Cancel {
        Cancel {
            target,
            time,
            allow_belated,
            state,
            handled: false,
        }
    }

    pub(super) fn done_flag(&self) -> bool {
        self.handled
    }

    /// Marks it handled: applied, dropped, or its target gone.
    pub(super) fn handle(&mut self, how: u32) {
        self.handled = true;
        self.state.end(how);
    }
}

/// An action whose only work is one look at the stream, at a stream time
/// (the device's current time, as rtmixer's FETCH_AND_RESET_STATS).
pub(crate) struct Probe {
    /// Stream time to look at (0: the next block).
    pub time: f64,
    /// Look at once when the time has passed (else the probe is dropped).
    pub allow_belated: bool,
    /// What the control side sees.
    pub state: Arc<ActionState>,
    handled: bool,
}

impl Probe {
    /// A probe at stream time `time` (0: the next block); a time already
    /// past looks at once with `allow_belated`, else drops the probe.
    pub fn at(time: f64, allow_belated: bool, state: Arc<ActionState>) -> Probe {
        Probe {
            time,
            allow_belated,
            state,
            handled: false,
        }
    }

    pub(super) fn done_flag(&self) -> bool {
        self.handled
    }

    pub(super) fn handle(&mut self, how: u32) {
        self.handled = true;
        self.state.end(how);
    }
}

impl Action {
    /// Whether the action has nothing more to do.
    pub(super) fn done(&self) -> bool {
        match self {
            Action::Play(p) => p.done(),
            Action::Record(r) => r.done(),
            Action::Cancel(c) => c.handled,
            Action::FetchStats(p) => p.handled,
            Action::Tap(t) => t.ended,
        }
    }

    /// Whether the action keeps a run alive (a tap does not).
    pub(super) fn is_work(&self) -> bool {
        !matches!(self, Action::Tap(_))
    }

    /// Native bytes the action owns (a copied buffer; rings are owned by
    /// their own objects).
    pub fn bytes(&self) -> usize {
        match self {
            Action::Play(p) => p.bytes(),
            _ => 0,
        }
    }

    /// The action's id, if the control side follows it.
    pub fn id(&self) -> Option<u64> {
        match self {
            Action::Play(p) => p.timing.id(),
            Action::Record(r) => r.timing.id(),
            Action::Cancel(c) => Some(c.state.id),
            Action::FetchStats(p) => Some(p.state.id),
            Action::Tap(t) => Some(t.state.id),
        }
    }

    /// What the control side sees of it, if it follows it.
    pub fn state(&self) -> Option<&Arc<ActionState>> {
        match self {
            Action::Play(p) => p.timing.state.as_ref(),
            Action::Record(r) => r.timing.state.as_ref(),
            Action::Cancel(c) => Some(&c.state),
            Action::FetchStats(p) => Some(&p.state),
            Action::Tap(t) => Some(&t.state),
        }
    }

    /// Its timing, for plays and records.
    pub(super) fn timing_mut(&mut self) -> Option<&mut Timing> {
        match self {
            Action::Play(p) => Some(&mut p.timing),
            Action::Record(r) => Some(&mut r.timing),
            _ => None,
        }
    }

    /// Publishes how it ended (once: a later call changes nothing).
    pub(super) fn end(&self, how: u32) {
        match self {
            Action::Play(p) => p.timing.end(how),
            Action::Record(r) => r.timing.end(how),
            Action::Cancel(c) => c.state.end(how),
            Action::FetchStats(p) => p.state.end(how),
            Action::Tap(t) => t.state.end(how),
        }
    }

    /// Ends it now (stop(), abort(), an error).
    pub(super) fn stop(&mut self) {
        self.end(outcome::STOPPED);
        match self {
            Action::Play(p) => p.stop(),
            Action::Record(r) => r.finish(),
            Action::Cancel(c) => c.handled = true,
            Action::FetchStats(p) => p.handled = true,
            Action::Tap(t) => t.ended = true,
        }
    }
}

/// What the control side asks of the engine.
pub(crate) enum Command {
    /// A new run begins (sent first by every start): forget the last run's
    /// finishing state.
    Begin,
    /// Start an action (boxed on the control side: no allocation here).
    Add(Box<Action>),
    /// `Pa_StopStream`: take no more data from sources, end every action,
    /// let what the device holds play out, then finish.
    Stop,
    /// End the stream now.
    Abort,
    /// Finish the stream once no action is left (set by play/record calls).
    FinishWhenIdle,
}
