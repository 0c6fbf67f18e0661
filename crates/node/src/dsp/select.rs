//! Reading, writing and arithmetic on a signal's frames and channels
//! (pya's `__getitem__`, `__setitem__` and operators).

use super::{audio, DspLayout};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::dsp::arith::{self, Lengths, Op};
use ringstream_core::dsp::select::{self, Rows};
use ringstream_core::dsp::write::{self, Mode, Target, Value};
use ringstream_core::dsp::Audio;
use ringstream_core::Error as CoreError;

/// Frames and channels of a signal: a list (`list`), a mask (`mask`) or
/// else a Python range (`start`, `end`, `step`), and channel indices.
#[napi(object)]
pub struct DspWhere {
    /// Range start.
    pub start: Option<i64>,
    /// Range end (exclusive).
    pub end: Option<i64>,
    /// Range step (default 1).
    pub step: Option<i64>,
    /// Frame indices.
    pub list: Option<Vec<i64>>,
    /// One flag per frame.
    pub mask: Option<Vec<bool>>,
    /// Channel indices, in order.
    pub channels: Vec<u32>,
}

fn rows(w: &DspWhere) -> Rows<'_> {
    match (&w.list, &w.mask) {
        (Some(list), _) => Rows::List(list),
        (None, Some(mask)) => Rows::Mask(mask),
        (None, None) => Rows::Range {
            start: w.start,
            end: w.end,
            step: w.step.unwrap_or(1),
        },
    }
}

fn cols(w: &DspWhere) -> Vec<usize> {
    w.channels.iter().map(|&c| c as usize).collect()
}

/// The samples at `at` (interleaved with `at.channels.length` channels).
#[napi(catch_unwind)]
pub fn dsp_get(env: Env, data: &[f32], layout: DspLayout, at: DspWhere) -> Result<Float32Array> {
    let run = || select::gather(&audio(data, &layout)?, rows(&at), &cols(&at));
    run().map(Float32Array::new).or_throw(&env)
}

/// How `dspSet` writes its value.
#[napi(object)]
pub struct DspWrite {
    /// The value's channels.
    pub channels: u32,
    /// A constant: one frame for every selected frame, whatever the mode.
    pub constant: bool,
    /// `'strict'`, `'bound'`, `'extend'` or `'overwrite'`.
    pub mode: String,
}

/// The signal with `value` written at `at` (a new array).
#[napi(catch_unwind)]
pub fn dsp_set(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    at: DspWhere,
    value: &[f32],
    how: DspWrite,
) -> Result<Float32Array> {
    let run = || {
        let mode = match how.mode.as_str() {
            "strict" => Mode::Strict,
            "bound" => Mode::Bound,
            "extend" => Mode::Extend,
            "overwrite" => Mode::Overwrite,
            m => return Err(CoreError::invalid_arg(format!("unknown write mode '{m}'"))),
        };
        let v = Value {
            audio: Audio::new(value, how.channels as usize, layout.samplerate)?,
            constant: how.constant,
        };
        let c = cols(&at);
        let target = Target {
            rows: rows(&at),
            cols: &c,
        };
        write::set(&audio(data, &layout)?, target, v, mode)
    };
    run().map(Float32Array::new).or_throw(&env)
}

/// The result of `dspArith`: samples and their channel count.
#[napi(object)]
pub struct DspArithResult {
    /// Interleaved samples.
    pub data: Float32Array,
    /// Channels per frame.
    pub channels: u32,
}

/// `a op b`: `op` one of `add sub mul div rsub rdiv`, `lengths` one of
/// `strict bound extend`; `b` has `bChannels` channels.
#[napi(catch_unwind)]
pub fn dsp_arith(
    env: Env,
    a: &[f32],
    layout: DspLayout,
    b: &[f32],
    b_channels: u32,
    op_lengths: Vec<String>,
) -> Result<DspArithResult> {
    let run = || {
        let [op, lengths] = &op_lengths[..] else {
            return Err(CoreError::invalid_arg("arith takes [op, lengths]"));
        };
        let op = match op.as_str() {
            "add" => Op::Add,
            "sub" => Op::Sub,
            "mul" => Op::Mul,
            "div" => Op::Div,
            "rsub" => Op::RSub,
            "rdiv" => Op::RDiv,
            o => return Err(CoreError::invalid_arg(format!("unknown operation '{o}'"))),
        };
        let lengths = match lengths.as_str() {
            "strict" => Lengths::Strict,
            "bound" => Lengths::Bound,
            "extend" => Lengths::Extend,
            m => return Err(CoreError::invalid_arg(format!("unknown mode '{m}'"))),
        };
        let bb = Audio::new(b, b_channels as usize, layout.samplerate)?;
        arith::binary(&audio(a, &layout)?, &bb, op, lengths)
    };
    run()
        .map(|(data, ch)| DspArithResult {
            data: Float32Array::new(data),
            channels: ch as u32,
        })
        .or_throw(&env)
}

/// pya's `shift_channel`: `shift` silent channels first, or the first
/// `-shift` dropped.
#[napi(catch_unwind)]
pub fn dsp_shift_channels(
    env: Env,
    data: &[f32],
    layout: DspLayout,
    shift: i64,
) -> Result<Float32Array> {
    let run = || select::shift_channels(&audio(data, &layout)?, shift);
    run().map(Float32Array::new).or_throw(&env)
}

/// pya's `==`: equal rates, layouts and samples.
#[napi(catch_unwind)]
pub fn dsp_equal(
    env: Env,
    a: &[f32],
    layout: DspLayout,
    b: &[f32],
    b_layout: DspLayout,
) -> Result<bool> {
    let run = || Ok(arith::equal(&audio(a, &layout)?, &audio(b, &b_layout)?));
    run().or_throw(&env)
}
