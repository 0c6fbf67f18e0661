//! Native memory owned by JS objects, reported to the JS engine's collector.
//!
//! V8 sizes its heap and schedules collections from what it can see. Memory
//! that a `#[napi]` object holds in Rust (a ring's block, a stream's buffers)
//! is invisible to it: 100,000 dropped rings of 4 KiB pin 500 MB while the
//! JS heap, a few hundred bytes per wrapper, gives the collector no reason to
//! run. [`ExternalMemory`] reports such bytes with
//! `napi_adjust_external_memory` and takes them back when the owner is
//! finalized, so that the pressure triggers collections.
//!
//! Use it from a class declared `#[napi(custom_finalize)]`:
//!
//! ```ignore
//! #[napi(custom_finalize)]
//! pub struct Thing { buf: Vec<u8>, memory: ExternalMemory }
//!
//! #[napi]
//! impl Thing {
//!     #[napi(constructor)]
//!     pub fn new(env: Env) -> Self {
//!         let buf = vec![0; 1 << 20];
//!         let memory = ExternalMemory::new(&env, buf.len());
//!         Thing { buf, memory }
//!     }
//! }
//!
//! impl ObjectFinalize for Thing {
//!     fn finalize(mut self, env: Env) -> Result<()> {
//!         self.memory.release(&env);
//!         Ok(())
//!     }
//! }
//! ```

use napi::Env;

/// Bytes of native memory reported to the JS engine for as long as this is
/// held (until [`ExternalMemory::release`]).
///
/// Must be released on the JS thread that created it, normally in
/// `ObjectFinalize::finalize`. Dropping it unreleased leaves the bytes
/// counted: harmless for correctness (the figure only steers the collector),
/// but the engine then collects more often than it needs to.
#[derive(Debug, Default)]
pub struct ExternalMemory {
    /// What the engine accepted: an adjustment that failed is not undone.
    reported: i64,
}

fn as_i64(bytes: usize) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

impl ExternalMemory {
    /// Reports `bytes` to the engine now.
    pub fn new(env: &Env, bytes: usize) -> Self {
        let mut m = ExternalMemory::default();
        m.resize(env, bytes);
        m
    }

    /// Changes the reported size to `bytes` (e.g. when a buffer grows or is
    /// freed before its owner).
    pub fn resize(&mut self, env: &Env, bytes: usize) {
        let delta = as_i64(bytes) - self.reported;
        if delta == 0 {
            return;
        }
        // The figure only steers the collector: when the engine refuses it
        // (a dying env), the object works the same, so nothing is raised.
        if env.adjust_external_memory(delta).is_ok() {
            self.reported += delta;
        }
    }

    /// The bytes currently reported.
    pub fn bytes(&self) -> usize {
        self.reported as usize
    }

    /// Takes the bytes back from the engine. Releasing again does nothing.
    pub fn release(&mut self, env: &Env) {
        self.resize(env, 0);
    }
}

/// The external memory the JS engine counts for this isolate: everything
/// reported through `napi_adjust_external_memory`, by any addon. Node's
/// `process.memoryUsage().external` does not include it (V8 reports its own
/// array buffers there). Internal: for tests and benchmarks.
#[napi_derive::napi]
pub fn adjusted_external_memory(env: Env) -> napi::Result<f64> {
    Ok(env.adjust_external_memory(0)? as f64)
}
