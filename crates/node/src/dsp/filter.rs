//! IIR filters: scipy's designs as second-order sections, run over a
//! signal, and their frequency response; pya's `convolve`.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::convolve::{self, ConvolveSpec};
use ringstream_core::dsp::iir_design::{self, Band, Family, IirSpec, Section};
use ringstream_core::dsp::{freqz, sosfilt, Audio};
use ringstream_core::Error as CoreError;

/// scipy's `iirfilter` arguments, cutoffs in Hz.
#[napi(object)]
pub struct DspIirSpec {
    /// The prototype's order.
    pub order: u32,
    /// One or two cutoff frequencies, Hz.
    pub cutoffs: Vec<f64>,
    /// The signal's sample rate.
    pub samplerate: f64,
    /// `lowpass`, `highpass`, `bandpass` or `bandstop`.
    pub btype: String,
    /// `butter`, `cheby1` or `cheby2`.
    pub ftype: String,
    /// Passband ripple, dB.
    pub rp: Option<f64>,
    /// Stopband attenuation, dB.
    pub rs: Option<f64>,
}

/// The sections of a design, flat: six coefficients per section.
#[napi(catch_unwind)]
pub fn dsp_iir_design(env: Env, spec: DspIirSpec) -> Result<Float64Array> {
    let run = || {
        iir_design::iirfilter(&IirSpec {
            order: spec.order as usize,
            cutoffs: spec.cutoffs.clone(),
            samplerate: spec.samplerate,
            band: Band::from_name(&spec.btype)?,
            family: Family::from_name(&spec.ftype)?,
            rp: spec.rp,
            rs: spec.rs,
        })
    };
    let sos = run().or_throw(&env)?;
    Ok(Float64Array::new(sos.concat()))
}

fn sections(flat: &[f64]) -> ringstream_core::Result<Vec<Section>> {
    if flat.is_empty() || !flat.len().is_multiple_of(6) {
        return Err(CoreError::invalid_arg(format!(
            "sections must be six coefficients each, got {} numbers",
            flat.len()
        )));
    }
    Ok(flat
        .chunks_exact(6)
        .map(|c| [c[0], c[1], c[2], c[3], c[4], c[5]])
        .collect())
}

/// The signal through the sections `sos` (flat), `lfilter` or `filtfilt`.
#[napi(catch_unwind)]
pub fn dsp_sos_filter(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    sos: &[f64],
    pass: String,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        sosfilt::filter(&a, &sections(sos)?, sosfilt::Pass::from_name(&pass)?)
    };
    Ok(Float32Array::new(run().or_throw(&env)?))
}

/// A filter's complex response at evenly spread frequencies.
#[napi(object)]
pub struct DspResponse {
    /// Hz.
    pub freqs: Float64Array,
    /// Real parts.
    pub re: Float64Array,
    /// Imaginary parts.
    pub im: Float64Array,
}

/// The response of the sections `sos` (flat) at `points` frequencies below Nyquist.
#[napi(catch_unwind)]
pub fn dsp_freqz(env: Env, sos: &[f64], points: u32, samplerate: f64) -> Result<DspResponse> {
    let r = sections(sos)
        .and_then(|s| freqz::freqz(&s, points as usize, samplerate))
        .or_throw(&env)?;
    Ok(DspResponse {
        freqs: Float64Array::new(r.freqs),
        re: Float64Array::new(r.re),
        im: Float64Array::new(r.im),
    })
}

/// pya's `convolve` arguments (scipy's `mode` and `method`, pya's `norm`).
#[napi(object)]
pub struct DspConvolve {
    /// `'full'`, `'same'` or `'valid'`.
    pub mode: String,
    /// `'auto'`, `'direct'` or `'fft'`.
    pub method: String,
    /// `'amp'` or `'none'`.
    pub norm: String,
}

/// `data` convolved with `ir` (`irChannels` channels: 1 or the signal's),
/// interleaved with the signal's channels.
#[napi(catch_unwind)]
pub fn dsp_convolve(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    ir: &[f32],
    ir_channels: u32,
    op: DspConvolve,
) -> Result<Float32Array> {
    let run = || {
        let spec = ConvolveSpec::from_names(&op.mode, &op.method, &op.norm)?;
        let h = Audio::new(ir, ir_channels as usize, layout.samplerate)?;
        convolve::convolve(&audio(data, &layout)?, &h, spec)
    };
    run().map(Float32Array::new).or_throw(&env)
}
