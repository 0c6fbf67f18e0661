//! Test and bench hooks: native entry points that the test suite and the
//! benches call and users never need. Compiled only with the `test-hooks`
//! feature, which `npm run build:native` (the build the tests and benches
//! run against) turns on and the published build (`scripts/build-dist.js`)
//! leaves off.

use crate::error::OrThrow;
use crate::ring::NativeRing;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::device;
use ringstream_core::ring::{Consumer, Producer, Ring};
use std::sync::Arc;
use std::time::Instant;

/// Rust-only ring round trips per second: `iterations` writes and reads of
/// `chunkBytes` through a 64 KiB ring, timed natively (no JS involved).
#[napi]
pub fn ring_round_trips_native(chunk_bytes: u32, iterations: u32) -> f64 {
    let ring = Ring::new(1, 1 << 16).expect("a valid ring");
    let (mut p, mut c) = (
        ring.producer().expect("free"),
        ring.consumer().expect("free"),
    );
    let src = vec![7u8; chunk_bytes as usize];
    let mut dst = vec![0u8; chunk_bytes as usize];
    let t = Instant::now();
    for _ in 0..iterations {
        p.write_partial(std::hint::black_box(&src));
        c.read_partial(std::hint::black_box(&mut dst));
    }
    iterations as f64 / t.elapsed().as_secs_f64()
}

/// Nanoseconds on the monotonic clock the audio thread stamps events with.
#[napi]
pub fn monotonic_ns() -> f64 {
    ringstream_core::engine::notify::monotonic_ns() as f64
}

/// Test only, not public API: makes every running stream on the virtual
/// device `deviceId` (`'virtual:loopback'` or `'virtual:null'`) vanish
/// (`'vanish'`: the stream ends with `ERR_DEVICE_NOT_FOUND`) or stop calling
/// back without a word (`'stall'`: the watchdog ends it). Returns how many
/// streams it hit.
#[napi(js_name = "__injectVirtualFault")]
pub fn inject_virtual_fault(env: Env, device_id: String, kind: String) -> Result<u32> {
    use device::virtual_host::{inject, Injected};
    Injected::parse(&kind)
        .and_then(|k| inject(&device_id, k))
        .map(|n| n as u32)
        .or_throw(&env)
}

/// Drives a ring from Rust through the core's own `Producer` and `Consumer`,
/// so that a test can check that the TypeScript `RingBuffer` reads and writes
/// the same words. Internal: for the protocol test.
#[napi]
pub struct NativeRingProbe {
    ring: Arc<Ring>,
    producer: Option<Producer>,
    consumer: Option<Consumer>,
}

#[napi]
impl NativeRingProbe {
    /// A probe of `ring`; it holds no role until it writes or reads.
    #[napi(constructor)]
    pub fn new(ring: &NativeRing) -> Self {
        NativeRingProbe {
            ring: ring.ring().clone(),
            producer: None,
            consumer: None,
        }
    }

    /// Claims the producer role (kept until `release`) and writes as many
    /// whole elements of `data` as fit; returns the elements written.
    #[napi]
    pub fn write(&mut self, env: Env, data: &[u8]) -> Result<u32> {
        if self.producer.is_none() {
            self.producer = Some(self.ring.producer_or_err().or_throw(&env)?);
        }
        let p = self.producer.as_mut().expect("claimed just above");
        Ok(p.write(data).or_throw(&env)? as u32)
    }

    /// Claims the consumer role (kept until `release`) and reads up to
    /// `elements` elements.
    #[napi]
    pub fn read(&mut self, env: Env, elements: u32) -> Result<Uint8Array> {
        if self.consumer.is_none() {
            self.consumer = Some(self.ring.consumer_or_err().or_throw(&env)?);
        }
        let c = self.consumer.as_mut().expect("claimed just above");
        let n = (elements as usize).min(c.available_bytes() / self.ring.element_size());
        let mut out = vec![0u8; n * self.ring.element_size()];
        c.read_into(&mut out).or_throw(&env)?;
        Ok(Uint8Array::new(out))
    }

    /// Gives up both roles.
    #[napi]
    pub fn release(&mut self) {
        self.producer = None;
        self.consumer = None;
    }

    /// Sets or clears the producer-done flag.
    #[napi]
    pub fn set_producer_done(&self, done: bool) {
        self.ring.set_producer_done(done);
    }

    /// The producer-done flag as the core reads it.
    #[napi(getter)]
    pub fn producer_done(&self) -> bool {
        self.ring.producer_done()
    }

    /// Elements readable, as the core computes it from the two indices.
    #[napi(getter)]
    pub fn read_available(&self) -> u32 {
        self.ring.read_available() as u32
    }
}
