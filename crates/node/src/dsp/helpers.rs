//! pya's array helpers and a signal's time axis.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{framespec, helpers};

/// The time of each of `frames` frames at `samplerate`.
#[napi(catch_unwind)]
pub fn dsp_times(env: Env, frames: f64, samplerate: f64) -> Result<Float64Array> {
    helpers::times(frames as usize, samplerate)
        .map(Float64Array::new)
        .or_throw(&env)
}

/// What `dspPadding` adds.
#[napi(object)]
pub struct DspPad {
    /// Frames added.
    pub width: u32,
    /// After the signal (else before).
    pub tail: bool,
    /// The value added.
    pub value: f64,
}

/// `width` frames of `value` after (`tail`) or before the signal.
#[napi(catch_unwind)]
pub fn dsp_padding(env: Env, data: &[f32], layout: DspLayout, pad: DspPad) -> Result<Float32Array> {
    let run = || {
        helpers::padding(
            &audio(data, &layout)?,
            pad.width as usize,
            pad.tail,
            pad.value as f32,
        )
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// Each channel from 0 to 1.
#[napi(catch_unwind)]
pub fn dsp_normalize(env: Env, data: &[f32], layout: DspLayout) -> Result<Float32Array> {
    audio(data, &layout)
        .map(|a| helpers::normalize(&a))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// Little-endian integers of `bytes` bytes as floats.
#[napi(catch_unwind)]
pub fn dsp_buf_to_float(env: Env, buf: &[u8], bytes: u32) -> Result<Float32Array> {
    helpers::buf_to_float(buf, bytes as usize)
        .map(Float32Array::new)
        .or_throw(&env)
}

/// Frames of `size` every `step`, times `window` when given.
#[napi(catch_unwind)]
pub fn dsp_signal_to_frame(
    env: Env,
    sig: &[f32],
    size: u32,
    step: u32,
    window: Option<&[f32]>,
) -> Result<Float32Array> {
    helpers::signal_to_frame(sig, size as usize, step as usize, window)
        .map(Float32Array::new)
        .or_throw(&env)
}

/// `channels` runs of equal length, one after the other, interleaved.
#[napi(catch_unwind)]
pub fn dsp_interleave(env: Env, planar: &[f32], channels: u32) -> Result<Float32Array> {
    helpers::interleave(planar, channels as usize)
        .map(Float32Array::new)
        .or_throw(&env)
}

/// `|rfft|` (or the power, `|X|^2 / nfft`) of each frame of `size` samples.
#[napi(catch_unwind)]
pub fn dsp_magspec(
    env: Env,
    frames: &[f32],
    size: u32,
    nfft: u32,
    power: bool,
) -> Result<Float32Array> {
    framespec::magspec(frames, size as usize, nfft as usize, power)
        .map(Float32Array::new)
        .or_throw(&env)
}

/// numpy's `fft(channel)[:n / 2 + 1]` of each channel, planar.
#[napi(object)]
pub struct DspRfft {
    /// Real parts, planar by channel.
    pub re: Float32Array,
    /// Imaginary parts, planar by channel.
    pub im: Float32Array,
}

/// The unscaled real FFT of each channel.
#[napi(catch_unwind)]
pub fn dsp_channel_rfft(env: Env, data: &[f32], layout: DspLayout) -> Result<DspRfft> {
    audio(data, &layout)
        .and_then(|a| framespec::channel_rfft(&a))
        .map(|(re, im)| DspRfft {
            re: Float32Array::new(re),
            im: Float32Array::new(im),
        })
        .or_throw(&env)
}

/// pya's `next_pow2` of a whole `x >= 0` (below 2^52).
#[napi(catch_unwind)]
pub fn dsp_next_pow2(x: f64) -> f64 {
    helpers::next_pow2(x as u64) as f64
}

/// pya's `is_pow2`.
#[napi(catch_unwind)]
pub fn dsp_is_pow2(x: f64) -> bool {
    helpers::is_pow2(x)
}
