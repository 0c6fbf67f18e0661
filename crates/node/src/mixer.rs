//! python-rtmixer's actions on a `NativeStream`: buffers and rings played
//! or recorded at exact stream times, cancels and statistics. Each call
//! returns a `NativeAction`, the JS view of the action's atomic state.

use crate::error::OrThrow;
use crate::ring::NativeRing;
use crate::stream::NativeStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::engine::schedule::{ActionState, StatsSnapshot};
use ringstream_core::stream::{Mix, MixRequest, Stream};
use ringstream_core::Result as CoreResult;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// When and where a mixer action runs.
#[napi(object)]
pub struct MixSpec {
    /// One-based device channels, one per buffer channel.
    pub channels: Vec<i64>,
    /// Stream time to start at (0: now).
    pub start: f64,
    /// Start at once when `start` has passed (else the action is dropped).
    pub allow_belated: bool,
    /// Frames to record (`mixRecordBuffer`; < 0: until cancelled or stopped).
    pub frames: Option<i64>,
    /// Ring plays: an empty ring plays silence (an underflow) and the action
    /// goes on until the producer marks the ring done; else (default) an
    /// empty ring ends the action, as in rtmixer.
    pub until_done: Option<bool>,
}

/// rtmixer's statistics.
#[napi(object)]
pub struct NativeStats {
    /// Callbacks counted.
    pub blocks: f64,
    /// Smallest block (0 before the first).
    pub min_blocksize: f64,
    /// Largest block.
    pub max_blocksize: f64,
    /// Blocks with an input underflow.
    pub input_underflows: f64,
    /// Blocks with an input overflow.
    pub input_overflows: f64,
    /// Blocks with an output underflow.
    pub output_underflows: f64,
    /// Blocks with an output overflow.
    pub output_overflows: f64,
    /// Frames lost (a ring action: dropped by its full ring or lacking in
    /// its empty ring when that ended it).
    pub frames_lost: f64,
}

impl From<StatsSnapshot> for NativeStats {
    fn from(s: StatsSnapshot) -> NativeStats {
        NativeStats {
            blocks: s.blocks as f64,
            min_blocksize: s.min_blocksize as f64,
            max_blocksize: s.max_blocksize as f64,
            input_underflows: s.input_underflows as f64,
            input_overflows: s.input_overflows as f64,
            output_underflows: s.output_underflows as f64,
            output_overflows: s.output_overflows as f64,
            frames_lost: s.frames_lost as f64,
        }
    }
}

/// One action's state as the audio thread publishes it. Internal: use `Action`.
#[napi]
pub struct NativeAction {
    state: Arc<ActionState>,
}

#[napi]
impl NativeAction {
    /// Unique within its stream.
    #[napi(getter)]
    pub fn id(&self) -> f64 {
        self.state.id as f64
    }

    /// One of the action kinds (`ACTION_PLAY_BUFFER`, ...).
    #[napi(getter)]
    pub fn kind(&self) -> u32 {
        self.state.kind.as_u32()
    }

    /// The start time asked for (0: now).
    #[napi(getter)]
    pub fn requested_time(&self) -> f64 {
        self.state.requested_time
    }

    /// When it started, in stream time (0: not yet, or dropped).
    #[napi(getter)]
    pub fn actual_time(&self) -> f64 {
        self.state.actual_time()
    }

    /// Frames it processes in all, or -1 when unknown (a ring); after a
    /// cancel, the frames it processed (as rtmixer).
    #[napi(getter)]
    pub fn total_frames(&self) -> f64 {
        match self.state.total_frames() {
            u64::MAX => -1.0,
            n => n as f64,
        }
    }

    /// Frames processed so far.
    #[napi(getter)]
    pub fn done_frames(&self) -> f64 {
        self.state.done_frames.load(Ordering::Acquire) as f64
    }

    /// How it ended (`OUTCOME_PENDING` while pending or running).
    #[napi(getter)]
    pub fn outcome(&self) -> u32 {
        self.state.outcome()
    }

    /// Its statistics (for a stats action: the stream's, taken in the callback).
    #[napi]
    pub fn stats(&self) -> NativeStats {
        self.state.stats.snapshot().into()
    }
}

impl MixSpec {
    /// The core's request for `what` with this spec.
    fn request<'a>(&'a self, what: Mix<'a>) -> MixRequest<'a> {
        MixRequest {
            what,
            channels: &self.channels,
            start: self.start,
            allow_belated: self.allow_belated,
        }
    }
}

impl NativeStream {
    /// Runs `submit` on the open stream and wraps the action it queued;
    /// `account` when the action holds native memory (a copied buffer).
    fn submit(
        &mut self,
        env: &Env,
        account: bool,
        submit: impl FnOnce(&mut Stream) -> CoreResult<Arc<ActionState>>,
    ) -> Result<NativeAction> {
        let state = self.s().and_then(submit).or_throw(env)?;
        if account {
            self.account(env);
        }
        Ok(NativeAction { state })
    }
}

#[napi]
impl NativeStream {
    /// Plays interleaved float32 `data` (copied) on `spec.channels` from `spec.start`.
    #[napi]
    pub fn mix_play_buffer(
        &mut self,
        env: Env,
        data: &[f32],
        spec: MixSpec,
    ) -> Result<NativeAction> {
        self.submit(&env, true, |s| s.mix(spec.request(Mix::PlayBuffer(data))))
    }

    /// Plays `ring` (float32 frames of `spec.channels.length` channels) until
    /// it runs empty, or with `spec.untilDone` until it is empty and its
    /// producer marked it done (an empty ring meanwhile plays silence,
    /// counted as an underflow).
    #[napi]
    pub fn mix_play_ring(
        &mut self,
        env: Env,
        ring: &NativeRing,
        spec: MixSpec,
    ) -> Result<NativeAction> {
        let until_done = spec.until_done.unwrap_or(false);
        let what = Mix::PlayRing {
            ring: ring.lent(),
            until_done,
        };
        self.submit(&env, false, |s| s.mix(spec.request(what)))
    }

    /// Records `spec.frames` frames of `spec.channels` into `ring`, which JS
    /// reads into a buffer at the end (rtmixer's RECORD_BUFFER).
    #[napi]
    pub fn mix_record_buffer(
        &mut self,
        env: Env,
        ring: &NativeRing,
        spec: MixSpec,
    ) -> Result<NativeAction> {
        let what = Mix::RecordBuffer {
            ring: ring.lent(),
            frames: spec.frames.unwrap_or(-1),
        };
        self.submit(&env, false, |s| s.mix(spec.request(what)))
    }

    /// Records `spec.channels` into `ring` until cancelled or stopped
    /// (rtmixer's RECORD_RINGBUFFER).
    #[napi]
    pub fn mix_record_ring(
        &mut self,
        env: Env,
        ring: &NativeRing,
        spec: MixSpec,
    ) -> Result<NativeAction> {
        self.submit(&env, false, |s| {
            s.mix(spec.request(Mix::RecordRing(ring.lent())))
        })
    }

    /// Stops action `target` at stream time `time` (0: now).
    #[napi]
    pub fn mix_cancel(
        &mut self,
        env: Env,
        target: &NativeAction,
        time: f64,
        allow_belated: bool,
    ) -> Result<NativeAction> {
        self.submit(&env, false, |s| {
            s.mix_cancel(&target.state, time, allow_belated)
        })
    }

    /// Takes the stream's statistics (and resets them) at stream time
    /// `time` (0: now): inside the callback while the stream runs, at once
    /// while it does not.
    #[napi]
    pub fn mix_fetch_stats(
        &mut self,
        env: Env,
        time: f64,
        allow_belated: bool,
    ) -> Result<NativeAction> {
        self.submit(&env, false, |s| s.mix_fetch_stats(time, allow_belated))
    }

    /// Copies every block the device plays (`output`) or hears into `ring`
    /// (float32 frames of the device's channels) until cancelled: a
    /// Monitor's feed. A full ring drops frames; the stream is not disturbed.
    #[napi]
    pub fn tap(&mut self, env: Env, ring: &NativeRing, output: bool) -> Result<NativeAction> {
        self.submit(&env, false, |s| s.tap(ring.lent(), output))
    }

    /// `[input, output]` channels the device was opened with.
    #[napi(getter)]
    pub fn device_channels(&self) -> Vec<u32> {
        self.stream.as_ref().map_or(vec![0, 0], |s| {
            let c = &s.info().config;
            vec![c.input_channels as u32, c.output_channels as u32]
        })
    }

    /// The stream's statistics since start or the last fetch.
    #[napi]
    pub fn mix_stats(&self) -> NativeStats {
        self.shared().stats.snapshot().into()
    }
}
