//! `NativeRing`: hands a `ringstream_core::ring::Ring` to JavaScript.
//!
//! The ring's control words and data live in one block that JS maps through
//! an external ArrayBuffer (`block()`); the TypeScript `RingBuffer` runs the
//! PortAudio operations on it directly with `Atomics`, the same protocol the
//! core's `Producer` / `Consumer` follow on the audio thread. No native call
//! happens per read or write; this class only creates rings and lends them to
//! streams.

use crate::error::OrThrow;
use crate::memory::ExternalMemory;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::ring::{js_holder_token, Ring};
use ringstream_core::shared_rings;
use ringstream_core::stream::LentRing;
use ringstream_core::Error as CoreError;
use std::sync::Arc;

/// Parses a JS number that must be a whole count in `0..=max`.
pub(crate) fn count_arg(value: f64, what: &str, max: usize) -> ringstream_core::Result<usize> {
    if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= max as f64) {
        return Err(CoreError::invalid_arg(format!(
            "{what} must be a whole number from 0 to {max}, got {value}"
        )));
    }
    Ok(value as usize)
}

/// A lock-free single-producer single-consumer ring of fixed-size elements
/// (PortAudio semantics). Internal: use `RingBuffer` from the package.
#[napi(custom_finalize)]
pub struct NativeRing {
    ring: Arc<Ring>,
    /// The block, reported to the JS engine until `block()` hands it to JS
    /// as an ArrayBuffer (which is then what accounts for it): without it a
    /// wrapper holding megabytes looks a few hundred bytes big to the
    /// collector.
    memory: ExternalMemory,
    /// What the JS side owning this object writes into the role words it
    /// holds on a shared ring (0 until [`NativeRing::share_token`]).
    token: u32,
}

impl ObjectFinalize for NativeRing {
    /// Runs when the JS side is collected and also when its thread's
    /// environment is torn down (a Worker that ended or was terminated), so
    /// the roles that side held are never left to a dead holder.
    fn finalize(mut self, env: Env) -> Result<()> {
        self.ring.release_holder(self.token);
        self.memory.release(&env);
        Ok(())
    }
}

impl NativeRing {
    /// The shared core ring (for streams that attach to it).
    pub fn ring(&self) -> &Arc<Ring> {
        &self.ring
    }

    /// The ring as lent to a stream: a role this object's own JS side
    /// holds (it runs on this thread, between calls) is taken over.
    pub fn lent(&self) -> LentRing<'_> {
        LentRing {
            ring: &self.ring,
            holder: self.token,
        }
    }
}

#[napi]
impl NativeRing {
    /// A ring of `size` elements (a power of two) of `elementSize` bytes.
    #[napi(constructor)]
    pub fn new(env: Env, element_size: f64, size: f64) -> Result<Self> {
        let es = count_arg(element_size, "elementSize", u32::MAX as usize).or_throw(&env)?;
        // Any whole count: the core's shape rule says what is too large.
        let n = count_arg(size, "size", usize::MAX).or_throw(&env)?;
        let ring = Ring::new(es, n).or_throw(&env)?;
        let memory = ExternalMemory::new(&env, ring.block_len());
        Ok(NativeRing {
            ring,
            memory,
            token: 0,
        })
    }

    /// The same ring, redeemed from a number that [`NativeRing::publish`]
    /// gave in another thread's JS context (a worker) of this process.
    #[napi(factory)]
    pub fn open_published(env: Env, id: f64) -> Result<Self> {
        let id = count_arg(id, "handle id", u32::MAX as usize).or_throw(&env)? as u64;
        let ring = shared_rings::open::<Ring>(id).or_throw(&env)?;
        let memory = ExternalMemory::new(&env, ring.block_len());
        Ok(NativeRing {
            ring,
            memory,
            token: 0,
        })
    }

    /// Publishes the ring for other threads' JS contexts; returns its number.
    #[napi]
    pub fn publish(&self) -> f64 {
        shared_rings::publish(&self.ring) as f64
    }

    /// This JS side's holder token on a shared ring, made on first use: the
    /// roles it holds are given back when this object is finalized.
    #[napi]
    pub fn share_token(&mut self) -> u32 {
        if self.token == 0 {
            self.token = js_holder_token();
        }
        self.token
    }

    /// Bytes per element.
    #[napi(getter)]
    pub fn element_size(&self) -> u32 {
        self.ring.element_size() as u32
    }

    /// Capacity in elements.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.ring.size() as u32
    }

    /// The ring's whole shared block (control words, then data) as an
    /// ArrayBuffer that keeps the ring alive for as long as JS references it.
    /// Call once per ring: the TS wrapper caches it.
    #[napi(ts_return_type = "ArrayBuffer")]
    pub fn block<'env>(&mut self, env: &'env Env) -> Result<ArrayBuffer<'env>> {
        let keep = self.ring.clone();
        // SAFETY: the block is valid for `block_len` bytes while the ring
        // lives, and the finalizer holds a strong reference until V8 (or JSC)
        // drops the ArrayBuffer.
        let buffer = unsafe {
            ArrayBuffer::from_external(
                env,
                self.ring.block_ptr(),
                self.ring.block_len(),
                keep,
                |_, k| drop(k),
            )
        }?;
        // Node reports an external ArrayBuffer's bytes to V8 itself, for as
        // long as the buffer lives: counting the block here as well would
        // double it.
        self.memory.release(env);
        Ok(buffer)
    }
}
