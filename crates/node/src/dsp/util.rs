//! pya's helpers and OsSom's utilities.

use super::{seed, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{bands, util};
use ringstream_core::Error as CoreError;

/// The unit conversions of `dspUnit`.
#[napi(string_enum = "lowercase")]
pub enum DspUnit {
    /// Decibels to amplitude.
    Dbamp,
    /// Amplitude to decibels.
    Ampdb,
    /// MIDI note to frequency.
    Midicps,
    /// Frequency to MIDI note.
    Cpsmidi,
}

/// A unit conversion of `x`.
#[napi(catch_unwind)]
pub fn dsp_unit(
    #[napi(ts_arg_type = "'dbamp' | 'ampdb' | 'midicps' | 'cpsmidi'")] name: DspUnit,
    x: f64,
) -> f64 {
    match name {
        DspUnit::Dbamp => util::dbamp(x),
        DspUnit::Ampdb => util::ampdb(x),
        DspUnit::Midicps => util::midicps(x),
        DspUnit::Cpsmidi => util::cpsmidi(x),
    }
}

/// `linlin(x, a, b, c, d)`.
#[napi(catch_unwind)]
pub fn dsp_linlin(x: f64, a: f64, b: f64, c: f64, d: f64) -> f64 {
    util::linlin(x, a, b, c, d)
}

/// `clip(x, lo, hi)`.
#[napi(catch_unwind)]
pub fn dsp_clip(env: Env, x: f64, lo: f64, hi: f64) -> Result<f64> {
    util::clip(x, lo, hi).or_throw(&env)
}

/// OsSom's `dB(x, power, ref)`.
#[napi(catch_unwind)]
pub fn dsp_db(env: Env, x: f64, power: bool, reference: f64) -> Result<f64> {
    util::db(x, power, reference).or_throw(&env)
}

/// OsSom's noise: `[level, seconds]`, layout, seed.
#[napi(catch_unwind)]
pub fn dsp_noise(
    env: Env,
    shape: Vec<f64>,
    layout: DspLayout,
    seed_value: Option<f64>,
) -> Result<Float32Array> {
    let run = || {
        let [level, seconds] = shape[..] else {
            return Err(CoreError::invalid_arg("noise takes [level, seconds]"));
        };
        let spec = util::NoiseSpec {
            level,
            samplerate: layout.samplerate,
            seconds,
            channels: layout.channels as usize,
        };
        util::noise(&spec, seed(seed_value))
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// Band numbering for the band helpers.
#[napi(object)]
pub struct DspBandSpec {
    /// Bands per octave.
    pub nth_oct: u32,
    /// Frequency of band 0.
    pub ref_freq: f64,
    /// 10 or 2.
    pub base: u32,
}

fn band_spec(s: &DspBandSpec) -> bands::BandSpec {
    bands::BandSpec {
        nth_oct: s.nth_oct,
        ref_freq: s.ref_freq,
        base: s.base,
    }
}

/// OsSom's `freq_to_band`.
#[napi(catch_unwind)]
pub fn dsp_freq_to_band(env: Env, freq: f64, spec: DspBandSpec) -> Result<i64> {
    bands::freq_to_band(freq, &band_spec(&spec)).or_throw(&env)
}

/// OsSom's `fractional_octave_frequencies`, flat `[lower, center, upper, ...]`.
#[napi(catch_unwind)]
pub fn dsp_fractional_octaves(
    env: Env,
    spec: DspBandSpec,
    low: f64,
    high: f64,
) -> Result<Vec<f64>> {
    let b = bands::fractional_octave_frequencies(&band_spec(&spec), (low, high)).or_throw(&env)?;
    Ok(b.into_iter().flatten().collect())
}

/// OsSom's `normalize_frequencies`.
#[napi(catch_unwind)]
pub fn dsp_normalize_frequencies(env: Env, freqs: Vec<f64>, samplerate: f64) -> Result<Vec<f64>> {
    bands::normalize_frequencies(&freqs, samplerate).or_throw(&env)
}
