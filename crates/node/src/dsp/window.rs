//! scipy's windows over a signal and pya's `window_op`.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::window;

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
