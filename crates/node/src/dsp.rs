//! The signal toolkit's kernels for JavaScript (`Signal`, `util`): each
//! function converts its arguments, calls one `ringstream_core::dsp` kernel
//! and hands the result back; samples come in as `&[f32]` over the JS array
//! (no copy) and go out as a `Float32Array` over the Rust `Vec`.
//! Internal: use `Signal` and `util` from the package.

use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::{
    bands, decimate, edit, envelope, events, gain, gen, heatmap, measure, mix, resample, spectrum,
    util, Audio,
};
use ringstream_core::Error as CoreError;

/// The layout of interleaved samples.
#[napi(object)]
pub struct DspLayout {
    /// Channels per frame.
    pub channels: u32,
    /// Frames per second.
    pub samplerate: f64,
}

fn audio<'a>(data: &'a [f32], l: &DspLayout) -> ringstream_core::Result<Audio<'a>> {
    Audio::new(data, l.channels as usize, l.samplerate)
}

fn seed(s: Option<f64>) -> Option<u64> {
    s.map(|v| v.abs() as u64)
}

/// What `dspGenerate` makes.
#[napi(object)]
pub struct DspGenSpec {
    /// `'sine' | 'cos' | 'square' | 'sawtooth' | 'white' | 'pink'`.
    pub wave: String,
    /// Hz.
    pub freq: f64,
    /// Peak amplitude.
    pub amp: f64,
    /// Frames.
    pub frames: f64,
    /// Square wave's duty cycle.
    pub duty: Option<f64>,
    /// Sawtooth's rising fraction.
    pub width: Option<f64>,
    /// Noise seed.
    pub seed: Option<f64>,
}

/// A generated signal (pya's Ugen).
#[napi]
pub fn dsp_generate(env: Env, spec: DspGenSpec, layout: DspLayout) -> Result<Float32Array> {
    let wave = match spec.wave.as_str() {
        "sine" => gen::Wave::Sine,
        "cos" => gen::Wave::Cos,
        "square" => gen::Wave::Square {
            duty: spec.duty.unwrap_or(0.5),
        },
        "sawtooth" => gen::Wave::Sawtooth {
            width: spec.width.unwrap_or(1.0),
        },
        "white" => gen::Wave::White,
        "pink" => gen::Wave::Pink,
        w => return Err(CoreError::invalid_arg(format!("unknown wave '{w}'"))).or_throw(&env),
    };
    let g = gen::GenSpec {
        wave,
        freq: spec.freq,
        amp: spec.amp,
        frames: spec.frames as usize,
        samplerate: layout.samplerate,
        channels: layout.channels as usize,
    };
    gen::generate(&g, seed(spec.seed))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// The signal times a gain in amplitude or in dB (one or the other).
#[napi]
pub fn dsp_gain(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    amp: Option<Vec<f64>>,
    db: Option<Vec<f64>>,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        let g = match (&amp, &db) {
            (Some(a), None) => gain::Gain::Amp(a),
            (None, Some(d)) => gain::Gain::Db(d),
            _ => {
                return Err(CoreError::invalid_arg(
                    "give either amp or db, not both nor neither",
                ))
            }
        };
        gain::gain(&a, g)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// What `dspNorm` does.
#[napi(object)]
pub struct DspNorm {
    /// Peak to reach.
    pub value: f64,
    /// `value` is in dB.
    pub in_db: bool,
    /// Remove the mean first.
    pub remove_dc: bool,
}

/// Each channel normalised to a peak.
#[napi]
pub fn dsp_norm(env: Env, data: &[f32], layout: DspLayout, norm: DspNorm) -> Result<Float32Array> {
    let n = gain::Norm {
        value: norm.value,
        in_db: norm.in_db,
        remove_dc: norm.remove_dc,
    };
    audio(data, &layout)
        .and_then(|a| gain::norm(&a, n))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// Each channel minus its mean.
#[napi]
pub fn dsp_remove_dc(env: Env, data: &[f32], layout: DspLayout) -> Result<Float32Array> {
    audio(data, &layout)
        .map(|a| Float32Array::new(gain::remove_dc(&a)))
        .or_throw(&env)
}

/// A channel operation for `dspMix`.
#[napi(object)]
pub struct DspMixOp {
    /// `'mono' | 'stereo' | 'pan2' | 'rewire' | 'select'`.
    pub kind: String,
    /// mono / stereo: the blend gains.
    pub blend: Option<Vec<f64>>,
    /// pan2: -1 (left) to 1 (right).
    pub pan: Option<f64>,
    /// rewire: `[from, to, gain]` triples, flat.
    pub routes: Option<Vec<f64>>,
    /// select: zero-based channels.
    pub channels: Option<Vec<u32>>,
}

fn matrix(op: &DspMixOp, channels: usize) -> ringstream_core::Result<mix::Matrix> {
    match op.kind.as_str() {
        "mono" => mix::mono(channels, op.blend.as_deref()),
        "stereo" => mix::stereo(channels, op.blend.as_deref()),
        "pan2" => mix::pan2(channels, op.pan.unwrap_or(0.0)),
        "rewire" => {
            let flat = op.routes.as_deref().unwrap_or(&[]);
            let routes: Vec<mix::Route> = flat
                .chunks_exact(3)
                .map(|r| mix::Route {
                    from: r[0] as usize,
                    to: r[1] as usize,
                    gain: r[2],
                })
                .collect();
            mix::rewire(channels, &routes)
        }
        "select" => {
            let idx: Vec<usize> = op.channels.iter().flatten().map(|&c| c as usize).collect();
            mix::select(channels, &idx)
        }
        k => Err(CoreError::invalid_arg(format!(
            "unknown channel operation '{k}'"
        ))),
    }
}

/// The signal through a channel matrix (mono, stereo, pan2, rewire, select).
#[napi]
pub fn dsp_mix(env: Env, data: &[f32], layout: DspLayout, op: DspMixOp) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        mix::apply(&a, &matrix(&op, a.channels)?)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// A fade in (`'in'`) or out (`'out'`) over `dur` seconds.
#[napi]
pub fn dsp_fade(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    end: String,
    shape: Vec<f64>,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        let e = if end == "in" {
            envelope::FadeEnd::In
        } else {
            envelope::FadeEnd::Out
        };
        let [dur, curve] = shape[..] else {
            return Err(CoreError::invalid_arg("a fade takes [dur, curve]"));
        };
        envelope::fade(&a, e, dur, curve)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// Breakpoints for `dspEnvelope`.
#[napi(object)]
pub struct DspEnvelope {
    /// Amplitude at each breakpoint.
    pub amps: Vec<f64>,
    /// Times in seconds (even spacing when left out).
    pub times: Option<Vec<f64>>,
    /// Power the envelope is raised to.
    pub curve: f64,
}

/// The signal times a breakpoint envelope.
#[napi]
pub fn dsp_envelope(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    e: DspEnvelope,
) -> Result<Float32Array> {
    let bp = envelope::Breakpoints {
        amps: &e.amps,
        times: e.times.as_deref(),
        curve: e.curve,
    };
    audio(data, &layout)
        .and_then(|a| envelope::envelope(&a, &bp))
        .map(Float32Array::new)
        .or_throw(&env)
}

/// `[attack, decay, sustain, release, curve]` for `dspAdsr`.
#[napi]
pub fn dsp_adsr(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    stages: Vec<f64>,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        let [attack, decay, sustain, release, curve] = stages[..] else {
            return Err(CoreError::invalid_arg(
                "adsr takes [attack, decay, sustain, release, curve]",
            ));
        };
        envelope::adsr(
            &a,
            &envelope::Adsr {
                attack,
                decay,
                sustain,
                release,
                curve,
            },
        )
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// Frames `start..end` (Python-style indices).
#[napi]
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
#[napi]
pub fn dsp_append(env: Env, a: &[f32], b: &[f32], layout: DspLayout) -> Result<Float32Array> {
    let run = || edit::append(&audio(a, &layout)?, &audio(b, &layout)?);
    run().map(Float32Array::new).or_throw(&env)
}

/// `base` plus `amp * other` from frame `pos` on; `other` has `otherChannels`.
#[napi]
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
#[napi]
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
#[napi]
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
#[napi]
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
#[napi]
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
#[napi]
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

/// Per-channel `'rms'` or `'peak'`.
#[napi]
pub fn dsp_measure(env: Env, data: &[f32], layout: DspLayout, what: String) -> Result<Vec<f64>> {
    let a = audio(data, &layout).or_throw(&env)?;
    match what.as_str() {
        "rms" => Ok(measure::rms(&a)),
        _ => Ok(measure::peak(&a)),
    }
}

/// A scalar helper by name: `dbamp`, `ampdb`, `midicps`, `cpsmidi` of `x`.
#[napi]
pub fn dsp_unit(name: String, x: f64) -> f64 {
    match name.as_str() {
        "dbamp" => util::dbamp(x),
        "ampdb" => util::ampdb(x),
        "midicps" => util::midicps(x),
        _ => util::cpsmidi(x),
    }
}

/// `linlin(x, a, b, c, d)`.
#[napi]
pub fn dsp_linlin(x: f64, a: f64, b: f64, c: f64, d: f64) -> f64 {
    util::linlin(x, a, b, c, d)
}

/// `clip(x, lo, hi)`.
#[napi]
pub fn dsp_clip(env: Env, x: f64, lo: f64, hi: f64) -> Result<f64> {
    util::clip(x, lo, hi).or_throw(&env)
}

/// OsSom's `dB(x, power, ref)`.
#[napi]
pub fn dsp_db(env: Env, x: f64, power: bool, reference: f64) -> Result<f64> {
    util::db(x, power, reference).or_throw(&env)
}

/// OsSom's noise: `[level, seconds]`, layout, seed.
#[napi]
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
#[napi]
pub fn dsp_freq_to_band(env: Env, freq: f64, spec: DspBandSpec) -> Result<i64> {
    bands::freq_to_band(freq, &band_spec(&spec)).or_throw(&env)
}

/// OsSom's `fractional_octave_frequencies`, flat `[lower, center, upper, ...]`.
#[napi]
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
#[napi]
pub fn dsp_normalize_frequencies(env: Env, freqs: Vec<f64>, samplerate: f64) -> Result<Vec<f64>> {
    bands::normalize_frequencies(&freqs, samplerate).or_throw(&env)
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
#[napi]
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
