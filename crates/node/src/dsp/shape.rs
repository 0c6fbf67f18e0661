//! Generators and the operations that reshape a signal: gain, norm, DC,
//! channel matrices, fades, envelopes.

use super::{audio, seed, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::interp::Kind;
use ringstream_core::dsp::{envelope, gain, gen, mix};
use ringstream_core::Error as CoreError;

/// The waves `dspGenerate` makes.
#[napi(string_enum = "lowercase")]
pub enum DspWave {
    /// A sine.
    Sine,
    /// A cosine.
    Cos,
    /// A square wave (`duty`).
    Square,
    /// A sawtooth (`width`).
    Sawtooth,
    /// White noise.
    White,
    /// Pink noise.
    Pink,
}

/// What `dspGenerate` makes.
#[napi(object)]
pub struct DspGenSpec {
    /// The wave.
    #[napi(ts_type = "'sine' | 'cos' | 'square' | 'sawtooth' | 'white' | 'pink'")]
    pub wave: DspWave,
    /// Hz.
    pub freq: f64,
    /// Peak amplitude.
    pub amp: f64,
    /// Frames.
    pub frames: f64,
    /// Square wave's duty cycle.
    pub duty: Option<f64>,
    /// Square wave's `sample_shift` (pya's), default 0.
    pub sample_shift: Option<f64>,
    /// Sawtooth's rising fraction.
    pub width: Option<f64>,
    /// Noise seed.
    pub seed: Option<f64>,
}

/// A generated signal (pya's Ugen).
#[napi(catch_unwind)]
pub fn dsp_generate(env: Env, spec: DspGenSpec, layout: DspLayout) -> Result<Float32Array> {
    let wave = match spec.wave {
        DspWave::Sine => gen::Wave::Sine,
        DspWave::Cos => gen::Wave::Cos,
        DspWave::Square => gen::Wave::Square {
            duty: spec.duty.unwrap_or(0.5),
            sample_shift: spec.sample_shift.unwrap_or(0.0),
        },
        DspWave::Sawtooth => gen::Wave::Sawtooth {
            width: spec.width.unwrap_or(1.0),
        },
        DspWave::White => gen::Wave::White,
        DspWave::Pink => gen::Wave::Pink,
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
#[napi(catch_unwind)]
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
#[napi(catch_unwind)]
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
#[napi(catch_unwind)]
pub fn dsp_remove_dc(env: Env, data: &[f32], layout: DspLayout) -> Result<Float32Array> {
    audio(data, &layout)
        .map(|a| Float32Array::new(gain::remove_dc(&a)))
        .or_throw(&env)
}

/// The channel operations of `dspMix`.
#[napi(string_enum = "lowercase")]
pub enum DspMixKind {
    /// Down to one channel (`blend`).
    Mono,
    /// To two channels (`blend`).
    Stereo,
    /// One channel panned onto two (`pan`).
    Pan2,
    /// Channels routed with gains (`routes`).
    Rewire,
    /// Some channels kept (`channels`).
    Select,
}

/// A channel operation for `dspMix`.
#[napi(object)]
pub struct DspMixOp {
    /// The operation.
    #[napi(ts_type = "'mono' | 'stereo' | 'pan2' | 'rewire' | 'select'")]
    pub kind: DspMixKind,
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
    match op.kind {
        DspMixKind::Mono => mix::mono(channels, op.blend.as_deref()),
        DspMixKind::Stereo => mix::stereo(channels, op.blend.as_deref()),
        DspMixKind::Pan2 => mix::pan2(channels, op.pan.unwrap_or(0.0)),
        DspMixKind::Rewire => {
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
        DspMixKind::Select => {
            let idx: Vec<usize> = op.channels.iter().flatten().map(|&c| c as usize).collect();
            mix::select(channels, &idx)
        }
    }
}

/// The signal through a channel matrix (mono, stereo, pan2, rewire, select).
#[napi(catch_unwind)]
pub fn dsp_mix(env: Env, data: &[f32], layout: DspLayout, op: DspMixOp) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        mix::apply(&a, &matrix(&op, a.channels)?)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// Which end of a signal `dspFade` shapes.
#[napi(string_enum = "lowercase")]
pub enum DspFadeEnd {
    /// From silence, at the start.
    In,
    /// To silence, at the end.
    Out,
}

impl From<DspFadeEnd> for envelope::FadeEnd {
    fn from(e: DspFadeEnd) -> Self {
        match e {
            DspFadeEnd::In => envelope::FadeEnd::In,
            DspFadeEnd::Out => envelope::FadeEnd::Out,
        }
    }
}

/// A fade in or out over `dur` seconds.
#[napi(catch_unwind)]
pub fn dsp_fade(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    #[napi(ts_arg_type = "'in' | 'out'")] end: DspFadeEnd,
    shape: Vec<f64>,
) -> Result<Float32Array> {
    let run = || {
        let a = audio(data, &layout)?;
        let e = end.into();
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
    /// scipy's `interp1d` kind between breakpoints (default `'linear'`).
    pub kind: Option<String>,
}

/// The signal times a breakpoint envelope.
#[napi(catch_unwind)]
pub fn dsp_envelope(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    e: DspEnvelope,
) -> Result<Float32Array> {
    let run = || {
        let kind = e.kind.as_deref().map_or(Ok(Kind::Linear), Kind::parse)?;
        let bp = envelope::Breakpoints {
            amps: &e.amps,
            times: e.times.as_deref(),
            curve: e.curve,
            kind,
        };
        envelope::envelope(&audio(data, &layout)?, &bp)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// `[attack, decay, sustain, release, curve]` for `dspAdsr`.
#[napi(catch_unwind)]
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
