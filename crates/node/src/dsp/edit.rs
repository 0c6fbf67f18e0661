//! Slices, concatenation, mixing in, resampling.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{edit, resample, Audio};
use ringstream_core::Error as CoreError;

/// Frames `start..end` (Python-style indices).
#[napi(catch_unwind)]
pub fn dsp_slice(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    start: i64,
    end: Option<i64>,
) -> Result<Float32Array> {
    audio(data, &layout)
        .map(|a| Float32Array::new(edit::slice(&a, start, end)))
        .or_throw(&env)
}

/// `a` then `b` (same layout).
#[napi(catch_unwind)]
pub fn dsp_append(env: Env, a: &[f32], b: &[f32], layout: DspLayout) -> Result<Float32Array> {
    let run = || edit::append(&audio(a, &layout)?, &audio(b, &layout)?);
    run().map(Float32Array::new).or_throw(&env)
}

/// `base` plus `amp * other` from frame `pos` on; `other` has `otherChannels`.
#[napi(catch_unwind)]
pub fn dsp_add(
    env: Env,
    base: &[f32],
    layout: DspLayout,
    other: &[f32],
    placement: Vec<f64>,
) -> Result<Float32Array> {
    let run = || {
        let [other_channels, pos, amp] = placement[..] else {
            return Err(CoreError::invalid_arg(
                "add takes [otherChannels, pos, amp]",
            ));
        };
        let b = audio(base, &layout)?;
        let o = Audio::new(other, other_channels as usize, layout.samplerate)?;
        edit::add(
            &b,
            &o,
            edit::Placement {
                pos: pos as usize,
                amp,
            },
        )
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// The signal at `target` frames per second (band-limited).
#[napi(catch_unwind)]
pub fn dsp_resample(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    target: f64,
) -> Result<Float32Array> {
    audio(data, &layout)
        .and_then(|a| resample::resample(&a, target))
        .map(Float32Array::new)
        .or_throw(&env)
}
