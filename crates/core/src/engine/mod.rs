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

mod action;
pub mod clock;
#[cfg(test)]
mod device_change_tests;
pub mod drift_watch;
pub mod map;
#[cfg(test)]
mod mixer_tests;
#[cfg(test)]
mod no_alloc_tests;
pub mod notify;
pub mod play;
pub mod record;
pub mod sample;
pub mod schedule;
pub mod shared;
mod slots;
mod source;
pub mod stats;
pub mod timebase;

pub(crate) use action::{Action, Cancel, Command, Probe, Tap};
use notify::events;
pub use notify::Event;
use ringbuf::traits::{Consumer as _, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};
pub use sample::Sample;
pub use shared::{state, Control, Shared, StreamState};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// How many actions a stream's engine holds at once (a Mixer's more: see
/// [`Engine::with_capacity`]).
pub const MAX_ACTIONS: usize = 32;
/// Room in the command queue beyond the action slots.
pub const COMMAND_QUEUE: usize = 64;

/// Status flags, as in PortAudio's callback flags (defined once, in the
/// plugin ABI crate, so that the plugin, the core and JS agree).
pub use ringstream_cpal_abi::status;

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
    /// Frames the device lost before this block (skipped or late blocks).
    pub lost_frames: u64,
}

/// What the device should do after a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep calling.
    Continue,
    /// The stream is over; stop calling.
    Complete,
}

/// The finish of a run that waits for the device to play what it holds.
#[derive(Debug, Clone, Copy)]
struct Drain {
    /// Device time when the last frame handed over reaches the DAC.
    until: f64,
    /// A bound in frames, for devices whose clock does not move.
    frames_left: i64,
}

/// The block processor. Lives on the audio thread once the device runs.
pub struct Engine {
    slots: Vec<Option<Box<Action>>>,
    commands: HeapCons<Command>,
    spent: HeapProd<Box<Action>>,
    shared: Arc<Shared>,
    in_ch: usize,
    out_ch: usize,
    samplerate: f64,
    finish_when_idle: bool,
    /// Device time when the last frame played so far reaches the DAC
    /// (None: nothing played in this run).
    played_until: Option<f64>,
    drain: Option<Drain>,
    timebase: timebase::Timebase,
}

impl Engine {
    /// An engine for a device with `in_ch` input and `out_ch` output
    /// channels at `samplerate`, and the control side's handle to it.
    pub fn new(in_ch: usize, out_ch: usize, samplerate: u32) -> (Engine, Control) {
        Engine::with_capacity(in_ch, out_ch, samplerate, MAX_ACTIONS)
    }

    /// The same with room for `slots` actions at once.
    pub fn with_capacity(
        in_ch: usize,
        out_ch: usize,
        samplerate: u32,
        slots: usize,
    ) -> (Engine, Control) {
        let (cp, cc) = HeapRb::<Command>::new(slots + COMMAND_QUEUE).split();
        // Room for every action that can exist at once, so returning one
        // never fails for lack of space.
        let (sp, sc) = HeapRb::<Box<Action>>::new(2 * slots + COMMAND_QUEUE).split();
        let shared = Arc::new(Shared::new(in_ch, out_ch));
        let capacity = slots;
        let mut slots = Vec::with_capacity(capacity);
        slots.resize_with(capacity, || None);
        (
            Engine {
                slots,
                commands: cc,
                spent: sp,
                shared: shared.clone(),
                in_ch,
                out_ch,
                samplerate: f64::from(samplerate.max(1)),
                finish_when_idle: false,
                played_until: None,
                drain: None,
                timebase: timebase::Timebase::default(),
            },
            Control {
                commands: cp,
                spent: sc,
                shared,
                capacity,
            },
        )
    }

    /// The shared state.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Processes one block: `input` has `info.frames * in_ch` samples,
    /// `output` `info.frames * out_ch` (overwritten). Also meters the
    /// block's levels and its own CPU load.
    pub fn process(&mut self, input: &[Sample], output: &mut [Sample], info: &BlockInfo) -> Flow {
        let t0 = notify::monotonic_ns();
        let flow = self.run_block(input, output, info);
        Shared::meter(&self.shared.input_peaks, &self.shared.input_clips, input);
        Shared::meter(&self.shared.output_peaks, &self.shared.output_clips, output);
        let spent = notify::monotonic_ns().saturating_sub(t0) as f64;
        let period = info.frames as f64 / self.samplerate * 1e9;
        if period > 0.0 {
            let old = self.shared.cpu_load();
            let load = 0.9 * old + 0.1 * (spent / period);
            self.shared
                .cpu_load
                .store(load.to_bits(), Ordering::Release);
        }
        flow
    }

    fn run_block(&mut self, input: &[Sample], output: &mut [Sample], info: &BlockInfo) -> Flow {
        let n = info.frames;
        output.fill(0.0);
        self.shared.clock.publish(info.current_time);
        let st = self.shared.state.load(Ordering::Acquire);
        if st != state::RUNNING {
            return if st == state::IDLE {
                Flow::Continue
            } else {
                Flow::Complete
            };
        }
        let mut abort = false;
        let mut stop = false;
        while let Some(c) = self.commands.try_pop() {
            match c {
                Command::Begin => {
                    self.finish_when_idle = false;
                    self.played_until = None;
                    self.drain = None;
                    self.timebase.reset();
                    self.shared.notifier.raise(events::STARTED);
                }
                Command::Add(a) => self.add(a),
                Command::Stop => stop = true,
                Command::Abort => abort = true,
                Command::FinishWhenIdle => self.finish_when_idle = true,
            }
        }
        if abort {
            self.retire_all();
            return self.finish(state::ABORTED);
        }
        if info.flags & status::DEVICE_CHANGED != 0 {
            self.shared.notifier.raise(events::DEVICE_CHANGE);
        }
        let mut flags = info.flags & !status::DEVICE_CHANGED;
        let mut lost = info.lost_frames;
        if let Some(d) = self.drain.as_mut() {
            // Only silence from here on; the run ends once the device has
            // played what it was given.
            d.frames_left -= n as i64;
            let done = info.current_time >= d.until || d.frames_left <= 0;
            self.count(n, flags, lost);
            return if done {
                self.finish(state::FINISHED)
            } else {
                Flow::Continue
            };
        }
        if stop {
            self.stop_actions();
        }
        let steady = self.timebase.steady(info, self.samplerate);
        let info = &steady;
        self.control_actions(info);
        let plays = self.mix_plays(output, info);
        if plays.any {
            let end = plays.end.unwrap_or(n);
            let until = info.output_time + end as f64 / self.samplerate;
            self.played_until = Some(until);
            self.shared
                .played_until
                .store(until.to_bits(), Ordering::Release);
        }
        let records = self.feed_records(input, info, &plays);
        self.feed_taps(input, output, n);
        self.publish_watched_rings();
        flags |= plays.flags | records.flags;
        lost += plays.lost + records.lost;
        self.count(n, flags, lost);
        if let Some(k) = plays.error.or(records.error) {
            self.retire_all();
            self.shared.fail(k);
            return Flow::Complete;
        }
        let live = self.retire_done();
        if live == 0 && (self.finish_when_idle || stop) {
            self.finish_when_idle = false;
            match self.played_until {
                Some(until) if self.out_ch > 0 => {
                    // The device clock decides; the frame count only bounds
                    // the wait for a clock that does not move. It is loose
                    // (twice the distance, plus a quarter second): a device
                    // period holding several blocks runs them at one clock
                    // reading, ahead of the frames they stand for.
                    let ahead = ((until - info.current_time) * self.samplerate)
                        .ceil()
                        .max(0.0);
                    self.drain = Some(Drain {
                        until,
                        frames_left: 2 * ahead as i64
                            + 2 * n as i64
                            + (self.samplerate / 4.0) as i64,
                    });
                }
                _ => return self.finish(state::FINISHED),
            }
        }
        Flow::Continue
    }

    /// Counts a processed block, and an xrun if it carried any flag.
    fn count(&self, n: usize, flags: u32, lost: u64) {
        self.shared.stats.count(n, flags);
        if flags != 0 {
            self.shared.status.fetch_or(flags, Ordering::AcqRel);
            self.shared.frames_lost.fetch_add(lost, Ordering::AcqRel);
            self.shared.stats.lose(lost);
            self.shared.xruns.fetch_add(1, Ordering::AcqRel);
            let kinds = [
                status::INPUT_UNDERFLOW,
                status::INPUT_OVERFLOW,
                status::OUTPUT_UNDERFLOW,
                status::OUTPUT_OVERFLOW,
            ];
            for (bit, k) in kinds.iter().zip(&self.shared.xrun_kinds) {
                if flags & bit != 0 {
                    k.fetch_add(1, Ordering::AcqRel);
                }
            }
            self.shared.notifier.raise(events::XRUN);
        }
        self.shared
            .frame_count
            .fetch_add(n as u64, Ordering::AcqRel);
    }

    /// Ends the run in `final_state` and tells the control side.
    fn finish(&mut self, final_state: u32) -> Flow {
        self.drain = None;
        self.finish_when_idle = false;
        self.shared.state.store(final_state, Ordering::Release);
        self.shared.notifier.raise(events::FINISHED);
        Flow::Complete
    }
}
