//! The core's rules for values JS checks before it builds anything (a
//! stream's options, `defaults`, the rings it creates), exported as
//! functions so that TypeScript fails fast with the option's name in the
//! message while each rule is written once, in the core.

use crate::error::OrThrow;
use crate::ring::count_arg;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::{ring, stream};

/// Checks a sample rate against the core's limits; returns it.
#[napi]
pub fn check_samplerate(env: Env, samplerate: f64) -> Result<u32> {
    stream::check_samplerate(samplerate).or_throw(&env)
}

/// Checks a `bufferSize` (a power of two of frames, within the core's limit); returns it.
#[napi]
pub fn check_buffer_size(env: Env, frames: f64) -> Result<u32> {
    stream::check_buffer_size(frames)
        .map(|n| n as u32)
        .or_throw(&env)
}

/// Checks that `samples` are whole frames of `channels` channels; returns
/// the frames. `what` names the data in the message.
#[napi]
pub fn check_whole_frames(env: Env, samples: f64, channels: u32, what: String) -> Result<f64> {
    count_arg(samples, &what, usize::MAX)
        .and_then(|n| stream::check_whole_frames(n, channels as usize, &what))
        .map(|n| n as f64)
        .or_throw(&env)
}

/// Checks a record span: `frames` (< 0: open-ended) is at least `offset`.
#[napi]
pub fn check_offset(env: Env, frames: i64, offset: i64) -> Result<()> {
    stream::check_offset(frames, offset).or_throw(&env)
}

/// Checks a ring shape: `size` elements (a power of two, named `what` in
/// the message) of `elementSize` bytes fit one ring.
#[napi]
pub fn check_ring_size(env: Env, element_size: f64, size: f64, what: String) -> Result<()> {
    let es = count_arg(element_size, "elementSize", u32::MAX as usize).or_throw(&env)?;
    let n = count_arg(size, &what, u32::MAX as usize).or_throw(&env)?;
    ring::check_size(es, n, &what).map(drop).or_throw(&env)
}

/// The most elements of `elementSize` bytes one ring holds (a power of two).
#[napi]
pub fn ring_max_size(env: Env, element_size: f64) -> Result<f64> {
    let es = count_arg(element_size, "elementSize", u32::MAX as usize).or_throw(&env)?;
    Ok(ring::max_size(es) as f64)
}

/// The ring size (a power of two) that holds `count` elements of
/// `elementSize` bytes; an error naming `what` when no ring is that large.
#[napi]
pub fn ring_size_for(env: Env, element_size: f64, count: f64, what: String) -> Result<f64> {
    let es = count_arg(element_size, "elementSize", u32::MAX as usize).or_throw(&env)?;
    let n = count_arg(count, &what, usize::MAX).or_throw(&env)?;
    ring::size_for(es, n, &what)
        .map(|n| n as f64)
        .or_throw(&env)
}
