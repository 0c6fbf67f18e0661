//! python-rtmixer's actions on a stream: buffers and rings played or
//! recorded on given device channels at exact stream times, cancels,
//! statistics and taps. Each request's kind follows from what it asks for;
//! the action's id and state are made here, and the rules (whole frames,
//! one float32 frame per ring element) are checked here.

use super::jobs::LentRing;
use super::layout::check_whole_frames;
use super::Stream;
use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::schedule::{ActionKind, ActionState, Timing};
use crate::engine::{Action, Cancel, Probe, Tap};
use crate::error::{Error, Result};
use crate::ring::Ring;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What a mixer action does.
#[derive(Clone, Copy)]
pub enum Mix<'a> {
    /// Plays interleaved float32 samples (copied).
    PlayBuffer(&'a [f32]),
    /// Plays a ring of float32 frames until it runs empty, or with
    /// `until_done` until it is empty and its producer marked it done (an
    /// empty ring meanwhile plays silence, counted as an underflow).
    PlayRing {
        /// The ring.
        ring: LentRing<'a>,
        /// Survive an empty ring until its producer is done.
        until_done: bool,
    },
    /// Records `frames` frames into a ring that the caller reads into a
    /// buffer at the end.
    RecordBuffer {
        /// The ring, sized for the buffer.
        ring: LentRing<'a>,
        /// Frames to record.
        frames: i64,
    },
    /// Records into a ring until cancelled or stopped (a full ring ends it).
    RecordRing(LentRing<'a>),
}

impl Mix<'_> {
    /// The action kind this request makes.
    pub fn kind(&self) -> ActionKind {
        match self {
            Mix::PlayBuffer(_) => ActionKind::PlayBuffer,
            Mix::PlayRing { .. } => ActionKind::PlayRingbuffer,
            Mix::RecordBuffer { .. } => ActionKind::RecordBuffer,
            Mix::RecordRing(_) => ActionKind::RecordRingbuffer,
        }
    }

    fn playback(&self) -> bool {
        matches!(self, Mix::PlayBuffer(_) | Mix::PlayRing { .. })
    }
}

/// A mixer action: what, on which device channels, and when.
#[derive(Clone, Copy)]
pub struct MixRequest<'a> {
    /// What it does.
    pub what: Mix<'a>,
    /// One-based device channels, one per buffer (or ring frame) channel.
    pub channels: &'a [i64],
    /// Stream time to start at (0: now).
    pub start: f64,
    /// Start at once when `start` has passed (else the action is dropped).
    pub allow_belated: bool,
}

/// A new action's state, with an id unique in the process (so within its stream).
fn state(kind: ActionKind, start: f64, total: u64) -> Arc<ActionState> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    ActionState::new(NEXT.fetch_add(1, Ordering::Relaxed), kind, start, total)
}

/// Checks that `ring` holds one float32 frame of `ch` channels per element.
fn float_frames(ring: &Ring, ch: usize) -> Result<()> {
    if ring.element_size() != ch * Dtype::Float32.size() {
        return Err(Error::invalid_arg(format!(
            "the ring's elementSize ({}) must be one float32 frame of {ch} channels ({} bytes)",
            ring.element_size(),
            ch * Dtype::Float32.size()
        )));
    }
    Ok(())
}

/// Frames a count stands for in an action's total (`u64::MAX`: unknown).
fn total(frames: i64) -> u64 {
    u64::try_from(frames).unwrap_or(u64::MAX)
}

impl Stream {
    /// The device's input (`output` false) or output channels.
    pub fn device_channels(&self, output: bool) -> usize {
        let c = &self.info().config;
        if output {
            c.output_channels
        } else {
            c.input_channels
        }
    }

    /// Queues a mixer action; returns its state.
    pub fn mix(&mut self, req: MixRequest<'_>) -> Result<Arc<ActionState>> {
        let playback = req.what.playback();
        let map = ChannelMap::from_device_channels(
            req.channels,
            self.device_channels(playback),
            playback,
        )?;
        let ch = req.channels.len();
        let kind = req.what.kind();
        let at = |st: &Arc<ActionState>| Timing::at(req.start, req.allow_belated, st.clone());
        let (action, st) = match req.what {
            Mix::PlayBuffer(data) => {
                let frames = check_whole_frames(data.len(), ch, "the buffer")? as i64;
                let st = state(kind, req.start, total(frames));
                let source = Source::Buffer {
                    data: data.to_vec(),
                    channels: ch,
                    pos: 0,
                    looping: false,
                };
                let play = Play::new(source, map, frames, 0).with_timing(at(&st));
                (Action::Play(play), st)
            }
            Mix::PlayRing { ring, until_done } => {
                float_frames(ring.ring, ch)?;
                let cons = ring.consumer()?;
                let st = state(kind, req.start, u64::MAX);
                let source = Source::Ring {
                    cons,
                    channels: ch,
                    dtype: Dtype::Float32,
                    until_done,
                };
                // A ring the user feeds: its fill drives drift correction.
                let play = Play::new(source, map, -1, 0).with_timing(at(&st)).watched();
                (Action::Play(play), st)
            }
            Mix::RecordBuffer { ring, frames } => {
                float_frames(ring.ring, ch)?;
                let prod = ring.producer()?;
                let st = state(kind, req.start, total(frames));
                let rec = Record::new(prod, Dtype::Float32, map, frames, 0, false)
                    .end_when_full(true)
                    .with_timing(at(&st));
                (Action::Record(rec), st)
            }
            Mix::RecordRing(ring) => {
                float_frames(ring.ring, ch)?;
                let prod = ring.producer()?;
                let st = state(kind, req.start, u64::MAX);
                let rec = Record::new(prod, Dtype::Float32, map, -1, 0, false)
                    .end_when_full(true)
                    .with_timing(at(&st))
                    .watched();
                (Action::Record(rec), st)
            }
        };
        self.submit(action)?;
        Ok(st)
    }

    /// Queues a cancel of the action `target` at stream time `time` (0: now).
    pub fn mix_cancel(
        &mut self,
        target: &Arc<ActionState>,
        time: f64,
        allow_belated: bool,
    ) -> Result<Arc<ActionState>> {
        let st = state(ActionKind::Cancel, time, 0);
        let c = Cancel::new(target.clone(), time, allow_belated, st.clone());
        self.submit(Action::Cancel(c))?;
        Ok(st)
    }

    /// Takes the stream's statistics (and resets them) at stream time
    /// `time` (0: now): inside the callback while the stream runs, at once
    /// while it does not.
    pub fn mix_fetch_stats(&mut self, time: f64, allow_belated: bool) -> Result<Arc<ActionState>> {
        let st = state(ActionKind::FetchAndResetStats, time, 0);
        self.fetch_stats(Probe::at(time, allow_belated, st.clone()))?;
        Ok(st)
    }

    /// Copies every block the device plays (`output`) or hears into `ring`
    /// (float32 frames of the device's channels) until cancelled: a
    /// Monitor's feed. A full ring drops frames; the stream is not disturbed.
    pub fn tap(&mut self, ring: LentRing<'_>, output: bool) -> Result<Arc<ActionState>> {
        let ch = self.device_channels(output);
        if ch == 0 {
            return Err(Error::invalid_arg(format!(
                "the stream has no {} to monitor",
                if output { "output" } else { "input" }
            )));
        }
        float_frames(ring.ring, ch)?;
        let prod = ring.producer()?;
        let st = state(ActionKind::Tap, 0.0, u64::MAX);
        self.submit(Action::Tap(Tap::new(prod, output, st.clone())))?;
        Ok(st)
    }
}
