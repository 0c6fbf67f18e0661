//! Second-order sections run over interleaved audio, as scipy.signal's
//! `sosfilt` (one pass, from rest) and `sosfiltfilt` (forward then
//! backward, zero phase, with scipy's odd-extension padding and `sosfilt_zi`
//! initial states). Samples are filtered in `f64` so that a 10th-order
//! design stays within 1e-6 of scipy's.

use super::audio::Audio;
use super::iir_design::Section;
use crate::{Error, Result};

/// How the sections run over the signal (pya's `filter` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// One causal pass from rest (scipy's `sosfilt`, pya's `'lfilter'`).
    Forward,
    /// Forward and backward: zero phase, squared magnitude (`sosfiltfilt`).
    ZeroPhase,
}

impl Pass {
    /// The pass named `name`: `lfilter` or `filtfilt` (pya's names).
    ///
    /// ```
    /// use ringstream_core::dsp::sosfilt::Pass;
    /// assert_eq!(Pass::from_name("filtfilt").unwrap(), Pass::ZeroPhase);
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "lfilter" => Ok(Pass::Forward),
            "filtfilt" => Ok(Pass::ZeroPhase),
            _ => Err(Error::invalid_arg(format!(
                "filter must be 'lfilter' or 'filtfilt', got '{name}'"
            ))),
        }
    }
}

/// Each channel of `audio` through `sos`, interleaved as it came.
///
/// ```
/// use ringstream_core::dsp::{sosfilt::{filter, Pass}, Audio};
/// // y[n] = 0.5 x[n] + 0.5 y[n-1]: a step rises 0.5, 0.75, ...
/// let sos = [[0.5, 0.0, 0.0, 1.0, -0.5, 0.0]];
/// let y = filter(&Audio::new(&[1.0; 3], 1, 8000.0).unwrap(), &sos, Pass::Forward).unwrap();
/// assert_eq!(y, vec![0.5, 0.75, 0.875]);
/// ```
pub fn filter(audio: &Audio, sos: &[Section], pass: Pass) -> Result<Vec<f32>> {
    check_sections(sos)?;
    let frames = audio.frames();
    let edge = if pass == Pass::ZeroPhase {
        let edge = padlen(sos);
        if frames <= edge {
            return Err(Error::invalid_arg(format!(
                "a zero-phase pass of this filter needs more than {edge} frames (scipy's padlen), the signal has {frames}"
            )));
        }
        edge
    } else {
        0
    };
    let mut out = vec![0.0f32; audio.data.len()];
    let channels = audio.channels;
    let mut planar: Vec<Vec<f64>> = (0..channels)
        .map(|c| {
            let mut v = Vec::with_capacity(frames + 2 * edge);
            v.extend(
                audio
                    .data
                    .iter()
                    .skip(c)
                    .step_by(channels)
                    .map(|&x| x as f64),
            );
            v
        })
        .collect();
    std::thread::scope(|s| {
        for ch in planar.iter_mut() {
            s.spawn(move || match pass {
                Pass::Forward => run(sos, ch, None),
                Pass::ZeroPhase => filtfilt(sos, ch, edge),
            });
        }
    });
    for (c, ch) in planar.iter().enumerate() {
        for (o, &y) in out.iter_mut().skip(c).step_by(channels).zip(ch) {
            *o = y as f32;
        }
    }
    Ok(out)
}

fn check_sections(sos: &[Section]) -> Result<()> {
    if sos.is_empty() {
        return Err(Error::invalid_arg("a filter needs at least one section"));
    }
    for (i, s) in sos.iter().enumerate() {
        if s.iter().any(|c| !c.is_finite()) || s[3] == 0.0 {
            return Err(Error::invalid_arg(format!(
                "section {i} must hold finite coefficients with a0 != 0, got {s:?}"
            )));
        }
    }
    Ok(())
}

/// scipy's default `padlen` for `sosfiltfilt`: three times the taps, less
/// the trailing zero coefficients every section shares.
fn padlen(sos: &[Section]) -> usize {
    let zeros_b = sos.iter().filter(|s| s[2] == 0.0).count();
    let zeros_a = sos.iter().filter(|s| s[5] == 0.0).count();
    3 * (2 * sos.len() + 1 - zeros_b.min(zeros_a))
}

/// `x` (one channel, with room for `2 * edge` more) filtered forward and
/// backward in place, after scipy's odd extension by `edge` frames.
fn filtfilt(sos: &[Section], x: &mut Vec<f64>, edge: usize) {
    let n = x.len();
    let (first, last) = (x[0], x[n - 1]);
    // Odd extension: 2 x[0] - x[edge..1] before, 2 x[-1] - x[-2..] after.
    let head: Vec<f64> = (1..=edge).rev().map(|i| 2.0 * first - x[i]).collect();
    let tail: Vec<f64> = (2..edge + 2).map(|i| 2.0 * last - x[n - i]).collect();
    x.extend(tail);
    x.splice(0..0, head);
    let zi = sosfilt_zi(sos);
    let x0 = x[0];
    run(sos, x, Some((&zi, x0)));
    x.reverse();
    let y0 = x[0];
    run(sos, x, Some((&zi, y0)));
    x.reverse();
    x.drain(..edge);
    x.truncate(n);
}

/// The sections over `x` in place (transposed direct form II, as scipy's
/// `_sosfilt`), from rest or from the steady state `zi * x0`.
fn run(sos: &[Section], x: &mut [f64], init: Option<(&[[f64; 2]], f64)>) {
    let mut z: Vec<[f64; 2]> = match init {
        Some((zi, x0)) => zi.iter().map(|z| [z[0] * x0, z[1] * x0]).collect(),
        None => vec![[0.0; 2]; sos.len()],
    };
    let norm: Vec<[f64; 5]> = sos
        .iter()
        .map(|s| {
            [
                s[0] / s[3],
                s[1] / s[3],
                s[2] / s[3],
                s[4] / s[3],
                s[5] / s[3],
            ]
        })
        .collect();
    for v in x.iter_mut() {
        let mut cur = *v;
        for (c, z) in norm.iter().zip(z.iter_mut()) {
            let y = c[0] * cur + z[0];
            z[0] = c[1] * cur - c[3] * y + z[1];
            z[1] = c[2] * cur - c[4] * y;
            cur = y;
        }
        *v = cur;
    }
}

/// scipy's `sosfilt_zi`: the state of each section after a unit step has
/// run forever, scaled by the DC gain of the sections before it.
fn sosfilt_zi(sos: &[Section]) -> Vec<[f64; 2]> {
    let mut scale = 1.0;
    sos.iter()
        .map(|s| {
            let (b, a) = (
                [s[0] / s[3], s[1] / s[3], s[2] / s[3]],
                [1.0, s[4] / s[3], s[5] / s[3]],
            );
            // scipy's lfilter_zi: solve (I - companion(a)^T) zi = b[1:] - a[1:] b0.
            let (r0, r1) = (b[1] - a[1] * b[0], b[2] - a[2] * b[0]);
            // [[1 + a1, -1], [a2, 1]] zi = [r0, r1]
            let det = 1.0 + a[1] + a[2];
            let z0 = (r0 + r1) / det;
            let z1 = r1 - a[2] * z0;
            let zi = [scale * z0, scale * z1];
            scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
            zi
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOWPASS: [Section; 1] = [[0.25, 0.5, 0.25, 1.0, -0.2, 0.1]];

    #[test]
    fn zero_phase_keeps_a_constant_at_unity_gain_to_its_ends() {
        // The zi start and odd padding make a DC input pass untouched, ends included.
        let x = vec![0.3f32; 40];
        let y = filter(
            &Audio::new(&x, 1, 100.0).unwrap(),
            &LOWPASS,
            Pass::ZeroPhase,
        )
        .unwrap();
        let gain = (0.25 + 0.5 + 0.25) / (1.0 - 0.2 + 0.1);
        assert!(
            y.iter().all(|v| (v - 0.3 * gain * gain).abs() < 1e-6),
            "{y:?}"
        );
    }

    #[test]
    fn channels_are_filtered_apart() {
        let x: Vec<f32> = (0..20).flat_map(|i| [i as f32, 0.0]).collect();
        let y = filter(&Audio::new(&x, 2, 100.0).unwrap(), &LOWPASS, Pass::Forward).unwrap();
        assert!(y.iter().skip(1).step_by(2).all(|&v| v == 0.0));
        assert_eq!(y[2], 0.25);
    }

    #[test]
    fn short_signals_and_bad_sections_are_refused() {
        let x = vec![0.0f32; 9];
        let e = filter(
            &Audio::new(&x, 1, 100.0).unwrap(),
            &LOWPASS,
            Pass::ZeroPhase,
        )
        .unwrap_err();
        assert!(
            e.message().contains("more than 9 frames"),
            "{}",
            e.message()
        );
        let bad = [[1.0, 0.0, 0.0, 0.0, 0.0, 0.0]];
        assert!(filter(&Audio::new(&x, 1, 100.0).unwrap(), &bad, Pass::Forward).is_err());
    }
}
