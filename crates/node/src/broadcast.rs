//! `NativeBroadcast`: hands a `ringstream_core::ring::BroadcastRing` (OsSom's
//! AudioBuffer: one writer, readers with their own index) to JavaScript.
//! Every rule is the core's; this only converts.

use crate::error::OrThrow;
use crate::ring::count_arg;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::ring::{BroadcastReader, BroadcastRing, BroadcastWriter};
use ringstream_core::shared_rings;
use std::sync::Arc;

/// A shared buffer of float32 frames, one writer and many readers.
/// Internal: use `SharedBuffer` from the package.
#[napi]
pub struct NativeBroadcast {
    ring: Arc<BroadcastRing>,
    /// The writer role, held by the side that made the buffer.
    writer: Option<BroadcastWriter>,
}

#[napi]
impl NativeBroadcast {
    /// A buffer of `frames` frames of `channels` channels; this side writes.
    #[napi(constructor)]
    pub fn new(env: Env, channels: f64, frames: f64) -> Result<Self> {
        let ch = count_arg(channels, "channels", u32::MAX as usize).or_throw(&env)?;
        let n = count_arg(frames, "frames", usize::MAX).or_throw(&env)?;
        let ring = BroadcastRing::new(ch, n).or_throw(&env)?;
        let writer = Some(ring.writer().or_throw(&env)?);
        Ok(NativeBroadcast { ring, writer })
    }

    /// The same buffer, redeemed from [`NativeBroadcast::publish`]'s number
    /// in another thread's JS context; this side reads only.
    #[napi(factory)]
    pub fn open_published(env: Env, id: f64) -> Result<Self> {
        let id = count_arg(id, "handle id", u32::MAX as usize).or_throw(&env)? as u64;
        let ring = shared_rings::open::<BroadcastRing>(id).or_throw(&env)?;
        Ok(NativeBroadcast { ring, writer: None })
    }

    /// Publishes the buffer for other threads' JS contexts; returns its number.
    #[napi]
    pub fn publish(&self) -> f64 {
        shared_rings::publish(&self.ring) as f64
    }

    /// Channels per frame.
    #[napi(getter)]
    pub fn channels(&self) -> u32 {
        self.ring.channels() as u32
    }

    /// Capacity in frames.
    #[napi(getter)]
    pub fn frames(&self) -> u32 {
        self.ring.frames() as u32
    }

    /// Frames written since creation.
    #[napi(getter)]
    pub fn written(&self) -> f64 {
        self.ring.written() as f64
    }

    /// Whether this side holds the writer role.
    #[napi(getter)]
    pub fn is_writer(&self) -> bool {
        self.writer.is_some()
    }

    /// Writes whole interleaved frames; returns the frames written.
    #[napi]
    pub fn write(&self, env: Env, data: &[f32]) -> Result<u32> {
        let Some(w) = &self.writer else {
            return Err(ringstream_core::Error::invalid_arg(
                "only the side that made the shared buffer writes it: this side (opened from a handle) reads, through reader()",
            ))
            .or_throw(&env);
        };
        w.write(data).map(|n| n as u32).or_throw(&env)
    }

    /// A new reader with its own index, at the oldest frame held.
    #[napi]
    pub fn reader(&self) -> NativeBroadcastReader {
        NativeBroadcastReader {
            reader: self.ring.reader(),
        }
    }
}

/// One reader of a `NativeBroadcast`.
#[napi]
pub struct NativeBroadcastReader {
    reader: BroadcastReader,
}

#[napi]
impl NativeBroadcastReader {
    /// Frames ready to read.
    #[napi(getter)]
    pub fn ready(&self) -> u32 {
        self.reader.ready() as u32
    }

    /// Frames lost so far (overwritten before they were read).
    #[napi(getter)]
    pub fn lost(&self) -> f64 {
        self.reader.lost() as f64
    }

    /// Reads up to `frames` frames into a new array (fewer when fewer are ready).
    #[napi]
    pub fn read(&mut self, env: Env, frames: f64) -> Result<Float32Array> {
        let ch = self.reader.ring().channels();
        let max = count_arg(frames, "blocksize", u32::MAX as usize).or_throw(&env)?;
        let mut out = vec![0.0f32; max.min(self.reader.ready()) * ch];
        let n = self.reader.read(&mut out);
        out.truncate(n * ch);
        Ok(Float32Array::new(out))
    }
}
