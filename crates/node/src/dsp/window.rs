//! scipy's windows over a signal, pya's `window_op` and `overlap_add`.

use super::{audio, seed, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{ola, window};

/// Every channel times scipy's `get_window(win, frames)`.
#[napi(catch_unwind)]
pub fn dsp_window(env: Env, data: &[f32], layout: DspLayout, win: String) -> Result<Float32Array> {
    let out = audio(data, &layout)
        .and_then(|a| window::apply(&a, &win))
        .or_throw(&env)?;
    Ok(Float32Array::new(out))
}

/// pya's `window_op` segments.
#[napi(object)]
pub struct DspWindowOp {
    /// Frames per segment.
    pub nperseg: u32,
    /// Frames between segment centres.
    pub stride: u32,
    /// The window, or none.
    pub win: Option<String>,
}

/// The RMS of each channel of every windowed segment, interleaved.
#[napi(catch_unwind)]
pub fn dsp_window_rms(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    op: DspWindowOp,
) -> Result<Float32Array> {
    let out = audio(data, &layout)
        .and_then(|a| {
            window::window_rms(
                &a,
                op.nperseg as usize,
                op.stride as usize,
                op.win.as_deref(),
            )
        })
        .or_throw(&env)?;
    Ok(Float32Array::new(out))
}

/// pya's `overlap_add` arguments.
#[napi(object)]
pub struct DspOverlapAdd {
    /// Frames per segment.
    pub nperseg: u32,
    /// Frames between segments read.
    pub stride_in: u32,
    /// Frames between segments written.
    pub stride_out: u32,
    /// Largest read jitter + 1 (0: none).
    pub jitter_in: u32,
    /// Largest write jitter + 1 (0: none).
    pub jitter_out: u32,
    /// The window, or none.
    pub win: Option<String>,
    /// The jitter's seed, or the clock.
    pub seed: Option<f64>,
}

/// The segments read every `strideIn` frames, windowed, added every
/// `strideOut` frames; interleaved.
#[napi(catch_unwind)]
pub fn dsp_overlap_add(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    op: DspOverlapAdd,
) -> Result<Float32Array> {
    let spec = ola::OlaSpec {
        nperseg: op.nperseg as usize,
        stride_in: op.stride_in as usize,
        stride_out: op.stride_out as usize,
        jitter_in: op.jitter_in as usize,
        jitter_out: op.jitter_out as usize,
        win: op.win,
        seed: seed(op.seed),
    };
    let out = audio(data, &layout)
        .and_then(|a| ola::overlap_add(&a, &spec))
        .or_throw(&env)?;
    Ok(Float32Array::new(out))
}
