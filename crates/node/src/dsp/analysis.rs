//! Spectra, spectrograms and their pictures, events, plot decimation, measures.

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{decimate, events, heatmap, measure, spectrum};
use ringstream_core::Error as CoreError;

/// Magnitudes of a spectrum or spectrogram, planar by channel.
#[napi(object)]
pub struct DspSpectrum {
    /// Bins per slice.
    pub bins: u32,
    /// Time slices per channel (1 for a whole-signal spectrum).
    pub slices: u32,
    /// `mags[(ch * slices + s) * bins + k]`.
    pub mags: Float32Array,
}

/// The amplitude spectrum of the whole signal, per channel.
#[napi(catch_unwind)]
pub fn dsp_spectrum(env: Env, data: &[f32], layout: DspLayout) -> Result<DspSpectrum> {
    let s = audio(data, &layout)
        .and_then(|a| spectrum::spectrum(&a))
        .or_throw(&env)?;
    Ok(DspSpectrum {
        bins: s.bins as u32,
        slices: 1,
        mags: Float32Array::new(s.mags),
    })
}

/// A short-time Fourier transform: `[nfft, hop]` and a window name.
#[napi(catch_unwind)]
pub fn dsp_spectrogram(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    framing: Vec<u32>,
    window: String,
) -> Result<DspSpectrum> {
    let run = || {
        let a = audio(data, &layout)?;
        let [nfft, hop] = framing[..] else {
            return Err(CoreError::invalid_arg("a spectrogram takes [nfft, hop]"));
        };
        let window = spectrum::Window::from_name(&window)?;
        spectrum::spectrogram(
            &a,
            &spectrum::StftSpec {
                nfft: nfft as usize,
                hop: hop as usize,
                window,
            },
        )
    };
    let s = run().or_throw(&env)?;
    Ok(DspSpectrum {
        bins: s.bins as u32,
        slices: s.slices as u32,
        mags: Float32Array::new(s.mags),
    })
}

/// pya's `find_events` parameters (seconds, dB).
#[napi(object)]
pub struct DspEventSpec {
    /// Seconds per step.
    pub step_dur: f64,
    /// Silence threshold in dB.
    pub sil_thr: f64,
    /// Shortest event kept, seconds.
    pub evt_min_dur: f64,
    /// Silence that ends an event, seconds.
    pub sil_min_dur: f64,
    /// Padding before and after, seconds.
    pub sil_pad: Vec<f64>,
}

/// Events as flat `[start, end, start, end, ...]` frames.
#[napi(catch_unwind)]
pub fn dsp_find_events(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    spec: DspEventSpec,
) -> Result<Vec<f64>> {
    let run = || {
        let a = audio(data, &layout)?;
        let [before, after] = spec.sil_pad[..] else {
            return Err(CoreError::invalid_arg("silPad takes [before, after]"));
        };
        let s = events::EventSpec {
            step_dur: spec.step_dur,
            sil_thr: spec.sil_thr,
            evt_min_dur: spec.evt_min_dur,
            sil_min_dur: spec.sil_min_dur,
            sil_pad: [before, after],
        };
        events::find_events(&a, &s)
    };
    let ev = run().or_throw(&env)?;
    Ok(ev.iter().flat_map(|e| [e[0] as f64, e[1] as f64]).collect())
}

/// Min/max per plot column, `[(ch * columns + c) * 2 + {0, 1}]`.
#[napi(catch_unwind)]
pub fn dsp_min_max(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    columns: u32,
) -> Result<Float32Array> {
    audio(data, &layout)
        .and_then(|a| decimate::min_max(&a, columns as usize))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// What `dspMeasure` measures per channel.
#[napi(string_enum = "lowercase")]
pub enum DspMeasure {
    /// The root mean square.
    Rms,
    /// The largest magnitude.
    Peak,
}

/// Per-channel RMS or peak.
#[napi(catch_unwind)]
pub fn dsp_measure(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    #[napi(ts_arg_type = "'rms' | 'peak'")] what: DspMeasure,
) -> Result<Vec<f64>> {
    let a = audio(data, &layout).or_throw(&env)?;
    Ok(match what {
        DspMeasure::Rms => measure::rms(&a),
        DspMeasure::Peak => measure::peak(&a),
    })
}

/// What `dspHeatmapPng` draws.
#[napi(object)]
pub struct DspHeatmap {
    /// Bins per slice.
    pub bins: u32,
    /// Slices per channel.
    pub slices: u32,
    /// The channel drawn.
    pub channel: u32,
    /// Pixels across, at most.
    pub width: u32,
    /// Pixels down, at most.
    pub height: u32,
    /// dB below the loudest cell drawn black.
    pub range_db: f64,
}

/// A spectrogram picture: the PNG file's bytes and its size.
#[napi(object)]
pub struct DspPng {
    /// The PNG file.
    pub png: Uint8Array,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
}

/// One channel of a spectrogram as a PNG picture.
#[napi(catch_unwind)]
pub fn dsp_heatmap_png(env: Env, mags: &[f32], spec: DspHeatmap) -> Result<DspPng> {
    let g = spectrum::Spectrogram {
        bins: spec.bins as usize,
        slices: spec.slices as usize,
        mags: mags.to_vec(),
    };
    let h = heatmap::HeatmapSpec {
        channel: spec.channel as usize,
        width: spec.width as usize,
        height: spec.height as usize,
        range_db: spec.range_db,
    };
    let (png, width, height) = heatmap::heatmap_png(&g, &h).or_throw(&env)?;
    Ok(DspPng {
        png: Uint8Array::new(png),
        width: width as u32,
        height: height as u32,
    })
}

/// A logarithmic frequency axis for `dspLogPeaks`.
#[napi(object)]
pub struct DspLogAxis {
    /// Hz between bins.
    pub resolution: f64,
    /// Left edge, Hz.
    pub low: f64,
    /// Right edge, Hz.
    pub high: f64,
    /// Columns across.
    pub columns: u32,
}

/// The loudest bin of each column of a logarithmic frequency axis.
#[napi(catch_unwind)]
pub fn dsp_log_peaks(env: Env, mags: &[f32], axis: DspLogAxis) -> Result<Float32Array> {
    let a = decimate::LogAxis {
        resolution: axis.resolution,
        low: axis.low,
        high: axis.high,
        columns: axis.columns as usize,
    };
    decimate::log_peaks(mags, &a)
        .map(Float32Array::new)
        .or_throw(&env)
}
