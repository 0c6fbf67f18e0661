//! The engine's action slots: adding, mixing plays, feeding records,
//! applying cancels and stats probes, and handing spent actions back.
//! Everything here runs on the audio thread: no allocation, no lock.

use super::action::Action;
use super::notify::events;
use super::schedule::{due, outcome, ActionKind, Begin, Window};
use super::{status, BlockInfo, Engine, Sample};
use crate::error::ErrorKind;
use ringbuf::traits::Producer as _;
use std::sync::atomic::Ordering;

/// What the plays of one block did.
pub(super) struct PlayPass {
    /// Some play had frames in this block.
    pub any: bool,
    /// Where the last of them ended, if all ended (None: one goes on).
    pub end: Option<usize>,
    /// Status flags raised.
    pub flags: u32,
    /// Frames played as silence for want of data.
    pub lost: u64,
    /// An error that ends the stream.
    pub error: Option<ErrorKind>,
}

/// What the records of one block did.
pub(super) struct RecordPass {
    pub flags: u32,
    pub lost: u64,
    pub error: Option<ErrorKind>,
}

impl Engine {
    pub(super) fn add(&mut self, a: Box<Action>) {
        match self.slots.iter_mut().find(|s| s.is_none()) {
            Some(s) => *s = Some(a),
            // Cannot happen while the control side counts its actions; if it
            // does, hand the action back instead of dropping it here.
            None => {
                a.end(outcome::STOPPED);
                let _ = self.spent.try_push(a);
                self.shared.fail(ErrorKind::ActionQueueFull);
            }
        }
    }

    /// Cancels and stats probes, before any play or record of the block,
    /// each at its own time (rtmixer): a cancel on its target's clock (DAC
    /// time for a play, ADC time for a record), a probe on the current time.
    /// One whose time has passed without `allow_belated` is dropped
    /// (outcome `DROPPED`, `actual_time` 0) and does nothing.
    pub(super) fn control_actions(&mut self, info: &BlockInfo) {
        let (n, sr) = (info.frames, self.samplerate);
        for i in 0..self.slots.len() {
            let cancel = match self.slots[i].as_deref_mut() {
                Some(Action::Cancel(c)) if !c.done_flag() => {
                    let block_time = match c.target.kind {
                        ActionKind::PlayBuffer | ActionKind::PlayRingbuffer => info.output_time,
                        ActionKind::RecordBuffer | ActionKind::RecordRingbuffer => info.input_time,
                        _ => info.current_time,
                    };
                    match due(c.time, c.allow_belated, block_time, sr, n) {
                        Begin::Wait => None,
                        Begin::Drop => {
                            c.handle(outcome::DROPPED);
                            None
                        }
                        Begin::From(at) => {
                            let t = block_time + at as f64 / sr;
                            c.state.actual_time.store(t.to_bits(), Ordering::Release);
                            c.handle(outcome::DONE);
                            Some((c.target.id, c.time))
                        }
                    }
                }
                Some(Action::FetchStats(p)) if !p.done_flag() => {
                    match due(p.time, p.allow_belated, info.current_time, sr, n) {
                        Begin::Wait => {}
                        Begin::Drop => p.handle(outcome::DROPPED),
                        Begin::From(at) => {
                            self.shared.stats.move_into(&p.state.stats);
                            let t = info.current_time + at as f64 / sr;
                            p.state.actual_time.store(t.to_bits(), Ordering::Release);
                            p.handle(outcome::DONE);
                        }
                    }
                    None
                }
                _ => None,
            };
            if let Some((target, time)) = cancel {
                for slot in self.slots.iter_mut().flatten() {
                    if slot.id() == Some(target) {
                        match slot.timing_mut() {
                            // Due in this block: the target stops where `time` falls.
                            Some(t) => t.cancel(time, true),
                            // Untimed (a tap): it ends now.
                            None => {
                                slot.end(outcome::CANCELLED);
                                slot.stop();
                            }
                        }
                    }
                }
            }
        }
    }

    /// Mixes every play into `output`.
    pub(super) fn mix_plays(&mut self, output: &mut [Sample], info: &BlockInfo) -> PlayPass {
        let n = info.frames;
        let sr = self.samplerate;
        let mut pass = PlayPass {
            any: false,
            end: Some(0),
            flags: 0,
            lost: 0,
            error: None,
        };
        for slot in self.slots.iter_mut() {
            let Some(Action::Play(p)) = slot.as_deref_mut() else {
                continue;
            };
            if p.done() {
                continue;
            }
            let (from, to) = match p.timing.window(info.output_time, sr, n) {
                Window::Skip => continue,
                Window::End(how) => {
                    p.timing.end(how);
                    p.stop();
                    continue;
                }
                Window::Run(from, to) => (from, to),
            };
            pass.any = true;
            let mut flags = 0;
            let mut played = to - from;
            match p.process(output, self.out_ch, (from, to), &self.shared.notifier) {
                Ok(b) => {
                    if let Some(end) = b.ended_at {
                        played = end.saturating_sub(from);
                    }
                    // Frames played, not the silence of an underrun.
                    played = played.saturating_sub(b.lost);
                    p.timing.lose(b.missing);
                    if b.underflow {
                        flags |= status::OUTPUT_UNDERFLOW;
                    }
                    pass.lost += b.lost as u64;
                    pass.end = match (pass.end, b.ended_at) {
                        (Some(e), Some(x)) => Some(e.max(x)),
                        _ if to < n => pass.end.map(|e| e.max(to)),
                        _ => None,
                    };
                }
                Err(k) => {
                    flags |= status::OUTPUT_UNDERFLOW;
                    pass.error = Some(k);
                }
            }
            p.timing.count(n, played, flags);
            if p.timing.cut(to, n) {
                p.timing.end(outcome::CANCELLED);
                p.stop();
            }
            pass.flags |= flags;
        }
        pass
    }

    /// Feeds every record from `input`; `play_end`: where this block's
    /// playback ended (records that follow playback stop there).
    pub(super) fn feed_records(
        &mut self,
        input: &[Sample],
        info: &BlockInfo,
        plays: &PlayPass,
    ) -> RecordPass {
        let n = info.frames;
        let sr = self.samplerate;
        let play_limit = if plays.any { plays.end.unwrap_or(n) } else { n };
        let mut pass = RecordPass {
            flags: 0,
            lost: 0,
            error: None,
        };
        for slot in self.slots.iter_mut() {
            let Some(Action::Record(r)) = slot.as_deref_mut() else {
                continue;
            };
            if r.done() {
                continue;
            }
            let (from, mut to) = match r.timing.window(info.input_time, sr, n) {
                Window::Skip => continue,
                Window::End(how) => {
                    r.timing.end(how);
                    r.finish();
                    continue;
                }
                Window::Run(from, to) => (from, to),
            };
            if r.follows_playback() {
                to = to.min(play_limit.max(from));
            }
            let mut flags = 0;
            let recorded = match r.process(input, self.in_ch, (from, to), &self.shared.notifier) {
                Ok(k) => k,
                Err(k) => {
                    flags |= status::INPUT_OVERFLOW;
                    pass.error = Some(k);
                    0
                }
            };
            if r.ends_when_full() {
                // A full ring ends this action only (rtmixer): its loss is its own.
                r.timing.lose(r.dropped());
            } else if r.dropped() > 0 {
                flags |= status::INPUT_OVERFLOW;
                pass.lost += r.dropped() as u64;
            }
            r.timing.count(n, recorded, flags);
            if r.timing.cut(to, n) {
                r.timing.end(outcome::CANCELLED);
                r.finish();
            }
            if r.follows_playback() && (!plays.any || plays.end.is_some()) {
                r.finish();
            }
            pass.flags |= flags;
        }
        pass
    }

    /// Feeds every tap with the block as the device hears and plays it.
    pub(super) fn feed_taps(&mut self, input: &[Sample], output: &[Sample], frames: usize) {
        for slot in self.slots.iter_mut() {
            if let Some(Action::Tap(t)) = slot.as_deref_mut() {
                t.copy(input, output, frames);
            }
        }
    }

    /// Returns finished actions to the control side; counts the live ones
    /// (taps do not keep a run alive).
    pub(super) fn retire_done(&mut self) -> usize {
        let mut live = 0;
        let mut retired = false;
        for slot in self.slots.iter_mut() {
            match slot {
                Some(a) if a.done() => {
                    a.end(outcome::DONE);
                    if let Err(a) = self.spent.try_push(slot.take().expect("some")) {
                        *slot = Some(a); // the queue is sized so this never happens
                    }
                    retired = true;
                }
                Some(a) if a.is_work() => live += 1,
                _ => {}
            }
        }
        if retired {
            self.shared.notifier.raise(events::ACTION_DONE);
        }
        live
    }

    /// stop(): every action ends here (plays take no more data); taps stay
    /// for the next run.
    pub(super) fn stop_actions(&mut self) {
        for a in self.slots.iter_mut().flatten().filter(|a| a.is_work()) {
            a.stop();
        }
    }

    /// Hands every action back (abort, errors).
    pub(super) fn retire_all(&mut self) {
        for slot in self.slots.iter_mut() {
            if let Some(mut a) = slot.take() {
                a.stop();
                if let Err(a) = self.spent.try_push(a) {
                    *slot = Some(a);
                }
            }
        }
        self.shared.notifier.raise(events::ACTION_DONE);
        self.finish_when_idle = false;
        self.drain = None;
    }
}
