//! Complex spectra both ways: scipy's STFT and its inverse, numpy's
//! `rfft` / `irfft` and pya's spectral weighting.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::interp::Kind;
use ringstream_core::dsp::rfft;
use ringstream_core::dsp::spectrum::Window;
use ringstream_core::dsp::stft::{self, Framing};
use ringstream_core::Error as CoreError;

/// Complex bins, planar by channel then segment.
#[napi(object)]
pub struct DspStft {
    /// Bins per segment.
    pub bins: u32,
    /// Segments per channel.
    pub segments: u32,
    /// Real parts, `(ch * segments + s) * bins + k`.
    pub re: Float64Array,
    /// Imaginary parts, same layout.
    pub im: Float64Array,
}

fn framing(f: &[u32], window: &str) -> ringstream_core::Result<Framing> {
    let [nperseg, noverlap] = f[..] else {
        return Err(CoreError::invalid_arg("an STFT takes [nperseg, noverlap]"));
    };
    Ok(Framing {
        nperseg: nperseg as usize,
        noverlap: noverlap as usize,
        window: Window::from_name(window)?,
    })
}

/// scipy's `stft` of each channel: `[nperseg, noverlap]` and a window name.
#[napi(catch_unwind)]
pub fn dsp_stft(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    frame: Vec<u32>,
    window: String,
) -> Result<DspStft> {
    let s = audio(data, &layout)
        .and_then(|a| stft::stft(&a, &framing(&frame, &window)?))
        .or_throw(&env)?;
    Ok(DspStft {
        bins: s.bins as u32,
        segments: s.segments as u32,
        re: Float64Array::new(s.re),
        im: Float64Array::new(s.im),
    })
}

/// An STFT handed back for inversion: its shape and framing.
#[napi(object)]
pub struct DspIstftSpec {
    /// Channels.
    pub channels: u32,
    /// Bins per segment.
    pub bins: u32,
    /// Segments per channel.
    pub segments: u32,
    /// Frames of the signal to rebuild.
    pub frames: u32,
    /// `[nperseg, noverlap]`.
    pub framing: Vec<u32>,
    /// The window's name.
    pub window: String,
}

/// scipy's `istft` of `re` and `im`, interleaved, `spec.frames` frames long.
#[napi(catch_unwind)]
pub fn dsp_istft(env: Env, re: &[f64], im: &[f64], spec: DspIstftSpec) -> Result<Float32Array> {
    let run = || {
        let s = stft::Stft {
            bins: spec.bins as usize,
            segments: spec.segments as usize,
            re: re.to_vec(),
            im: im.to_vec(),
        };
        let f = framing(&spec.framing, &spec.window)?;
        stft::istft(&s, spec.channels as usize, &f, spec.frames as usize)
    };
    Ok(Float32Array::new(run().or_throw(&env)?))
}

/// numpy's `rfft` of each channel (pya's Aspec); `segments` is 1.
#[napi(catch_unwind)]
pub fn dsp_rfft(env: Env, data: &[f32], layout: DspLayout) -> Result<DspStft> {
    let b = audio(data, &layout)
        .and_then(|a| rfft::rfft(&a))
        .or_throw(&env)?;
    Ok(DspStft {
        bins: b.bins as u32,
        segments: 1,
        re: Float64Array::new(b.re),
        im: Float64Array::new(b.im),
    })
}

/// A whole-signal spectrum handed back: its shape and rate.
#[napi(object)]
pub struct DspBinsSpec {
    /// Channels.
    pub channels: u32,
    /// Frames of the analysed signal.
    pub frames: u32,
    /// Its sample rate.
    pub samplerate: f64,
}

/// The amplitudes of complex bins of `frames`-point transforms, scaled as `dspSpectrum` scales them.
#[napi(catch_unwind)]
pub fn dsp_amplitudes(env: Env, re: &[f64], im: &[f64], frames: u32) -> Result<Float32Array> {
    ringstream_core::dsp::spectrum::amplitudes(re, im, frames as usize)
        .map(Float32Array::new)
        .or_throw(&env)
}

/// numpy's `irfft(bins, n=frames)` of each channel, interleaved.
#[napi(catch_unwind)]
pub fn dsp_irfft(env: Env, re: &[f64], im: &[f64], spec: DspBinsSpec) -> Result<Float32Array> {
    let b = rfft::Bins {
        bins: spec.frames as usize / 2 + 1,
        re: re.to_vec(),
        im: im.to_vec(),
    };
    let out = rfft::irfft(&b, spec.channels as usize, spec.frames as usize).or_throw(&env)?;
    Ok(Float32Array::new(out))
}

/// pya's `Aspec.weight` arguments.
#[napi(object)]
pub struct DspWeighting {
    /// Gains.
    pub weights: Vec<f64>,
    /// Their frequencies, Hz (default evenly from 0 to Nyquist).
    pub freqs: Option<Vec<f64>>,
    /// Exponent of the gain.
    pub curve: f64,
    /// scipy's `interp1d` kind.
    pub kind: String,
}

/// The bins times pya's interpolated weights: `[re, im]` of the result.
#[napi(catch_unwind)]
pub fn dsp_weight(
    env: Env,
    re: &[f64],
    im: &[f64],
    spec: DspBinsSpec,
    w: DspWeighting,
) -> Result<Vec<Float64Array>> {
    let run = || {
        let mut b = rfft::Bins {
            bins: spec.frames as usize / 2 + 1,
            re: re.to_vec(),
            im: im.to_vec(),
        };
        let weighting = rfft::Weighting {
            weights: w.weights.clone(),
            freqs: w.freqs.clone(),
            curve: w.curve,
            kind: Kind::parse(&w.kind)?,
        };
        rfft::weight(&mut b, spec.frames as usize, spec.samplerate, &weighting)?;
        Ok(b)
    };
    let b = run().or_throw(&env)?;
    Ok(vec![Float64Array::new(b.re), Float64Array::new(b.im)])
}
