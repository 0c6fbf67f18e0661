//! Slices, concatenation, mixing in, resampling.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::interp::Kind;
use ringstream_core::dsp::{edit, resample, Audio};
use ringstream_core::Error as CoreError;

/// Frames `start..end` by `step` (a Python slice on the frames).
#[napi(catch_unwind)]
pub fn dsp_slice(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    start: Option<i64>,
    end: Option<i64>,
    step: i64,
) -> Result<Float32Array> {
    audio(data, &layout)
        .and_then(|a| edit::slice(&a, start, end, step))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// `a` then `amp` times `b` (same layout).
#[napi(catch_unwind)]
pub fn dsp_append(
    env: Env,
    a: &[f32],
    b: &[f32],
    layout: DspLayout,
    amp: f64,
) -> Result<Float32Array> {
    let run = || edit::append(&audio(a, &layout)?, &audio(b, &layout)?, amp);
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

/// The signal at `target` frames per second, played at `rate`:
/// band-limited when `kind` is left out, else scipy's `interp1d` of that
/// kind (pya's `resample`).
#[napi(catch_unwind)]
pub fn dsp_resample(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    target: f64,
    rate: f64,
    kind: Option<String>,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        match kind.as_deref() {
            None => resample::resample_at_rate(&a, target, rate),
            Some(k) => resample::resample_interp(&a, target, rate, Kind::parse(k)?),
        }
    };
    run().map(Float32Array::new).or_throw(&env)
}
