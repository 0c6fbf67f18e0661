//! Native reference figures for the JS benchmarks (benches/).

use napi_derive::napi;
use ringstream_core::ring::Ring;
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
