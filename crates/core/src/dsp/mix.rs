//! Channel matrices: every channel operation of `Signal` (mono, stereo,
//! pan2, rewire, channel selection) is one gain matrix applied by [`apply`].

use super::audio::{check_finite, Audio};
use super::util::linlin;
use crate::{Error, Result};
use std::f64::consts::FRAC_PI_2;

/// A gain matrix: `out[o] = sum over i of gains[o * inputs + i] * in[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Input channels.
    pub inputs: usize,
    /// Output channels.
    pub outputs: usize,
    /// Row-major gains, `outputs * inputs` of them.
    pub gains: Vec<f32>,
}

impl Matrix {
    fn zeros(inputs: usize, outputs: usize) -> Self {
        Matrix {
            inputs,
            outputs,
            gains: vec![0.0; inputs * outputs],
        }
    }

    fn set(&mut self, out: usize, inp: usize, gain: f64) {
        self.gains[out * self.inputs + inp] = gain as f32;
    }
}

/// The signal mixed through `m` (its `inputs` must be the signal's channels).
pub fn apply(audio: &Audio, m: &Matrix) -> Result<Vec<f32>> {
    if m.inputs != audio.channels {
        return Err(Error::invalid_arg(format!(
            "the matrix takes {} channels, the signal has {}",
            m.inputs, audio.channels
        )));
    }
    let frames = audio.frames();
    let mut out = vec![0.0f32; frames * m.outputs];
    // Each output channel's non-zero gains, so a selection costs one copy.
    let rows: Vec<Vec<(usize, f32)>> = m
        .gains
        .chunks_exact(m.inputs)
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, &g)| g != 0.0)
                .map(|(i, &g)| (i, g))
                .collect()
        })
        .collect();
    for (src, dst) in audio
        .data
        .chunks_exact(audio.channels)
        .zip(out.chunks_exact_mut(m.outputs))
    {
        for (y, row) in dst.iter_mut().zip(&rows) {
            *y = row.iter().map(|&(i, g)| g * src[i]).sum();
        }
    }
    Ok(out)
}

fn check_gains(gains: &[f64], what: &str) -> Result<()> {
    gains
        .iter()
        .try_for_each(|&g| check_finite(g, what).map(|_| ()))
}

/// pya's `mono(blend)`: one channel, the sum of each channel times its blend
/// gain (default `1 / channels` each).
pub fn mono(channels: usize, blend: Option<&[f64]>) -> Result<Matrix> {
    let mut m = Matrix::zeros(channels, 1);
    match blend {
        None => (0..channels).for_each(|i| m.set(0, i, 1.0 / channels as f64)),
        Some(b) => {
            check_gains(b, "blend")?;
            if b.len() != channels {
                return Err(Error::invalid_arg(format!(
                    "blend must hold one gain per channel ({channels}), got {}",
                    b.len()
                )));
            }
            b.iter().enumerate().for_each(|(i, &g)| m.set(0, i, g));
        }
    }
    Ok(m)
}

/// pya's `stereo(blend)`. Mono: the channel to left and right times
/// `blend = [gl, gr]` (default `[1, 1]`). Stereo: each channel times its
/// gain (default unchanged). More channels: `blend` is the left row then
/// the right row of gains, `2 * channels` values (default: every channel at
/// `1 / channels` on both sides).
pub fn stereo(channels: usize, blend: Option<&[f64]>) -> Result<Matrix> {
    let mut m = Matrix::zeros(channels, 2);
    let want = if channels <= 2 { 2 } else { 2 * channels };
    if let Some(b) = blend {
        check_gains(b, "blend")?;
        if b.len() != want {
            return Err(Error::invalid_arg(format!(
                "blend for {channels} channel(s) must hold {want} gains, got {}",
                b.len()
            )));
        }
    }
    match (channels, blend) {
        (1, b) => {
            let [l, r] = b.map_or([1.0, 1.0], |b| [b[0], b[1]]);
            m.set(0, 0, l);
            m.set(1, 0, r);
        }
        (2, b) => {
            let [l, r] = b.map_or([1.0, 1.0], |b| [b[0], b[1]]);
            m.set(0, 0, l);
            m.set(1, 1, r);
        }
        (n, None) => (0..n).for_each(|i| {
            m.set(0, i, 1.0 / n as f64);
            m.set(1, i, 1.0 / n as f64);
        }),
        (n, Some(b)) => (0..n).for_each(|i| {
            m.set(0, i, b[i]);
            m.set(1, i, b[n + i]);
        }),
    }
    Ok(m)
}

/// The constant-power gains `[cos a, sin a]` with `a = linlin(pan, -1, 1, 0, pi/2)`.
pub fn pan_gains(pan: f64) -> Result<[f64; 2]> {
    if !(-1.0..=1.0).contains(&pan) {
        return Err(Error::invalid_arg(format!(
            "pan must be from -1 (left) to 1 (right), got {pan}"
        )));
    }
    let a = linlin(pan, -1.0, 1.0, 0.0, FRAC_PI_2);
    Ok([a.cos(), a.sin()])
}

/// pya's `pan2(pan)`: constant-power panning to stereo. A mono signal goes
/// to both sides; a stereo signal has its left times `cos a` and its right
/// times `sin a`; beyond two channels only the first two are kept.
pub fn pan2(channels: usize, pan: f64) -> Result<Matrix> {
    let [l, r] = pan_gains(pan)?;
    let mut m = Matrix::zeros(channels, 2);
    if channels == 1 {
        m.set(0, 0, l);
        m.set(1, 0, r);
    } else {
        m.set(0, 0, l);
        m.set(1, 1, r);
    }
    Ok(m)
}

/// One route of [`rewire`]: source channel, destination channel, gain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Route {
    /// Source channel (zero-based).
    pub from: usize,
    /// Destination channel (zero-based).
    pub to: usize,
    /// Gain on the way.
    pub gain: f64,
}

/// pya's `rewire`: every destination named by a route becomes the sum of
/// its routes (pya keeps only the last one); the other channels are left as
/// they are. The result has enough channels for the highest destination.
pub fn rewire(channels: usize, routes: &[Route]) -> Result<Matrix> {
    let outputs = routes
        .iter()
        .map(|r| r.to + 1)
        .max()
        .unwrap_or(0)
        .max(channels);
    let mut m = Matrix::zeros(channels, outputs);
    for c in 0..channels {
        if !routes.iter().any(|r| r.to == c) {
            m.set(c, c, 1.0);
        }
    }
    for r in routes {
        if r.from >= channels {
            return Err(Error::invalid_arg(format!(
                "route source channel {} does not exist (the signal has {channels})",
                r.from
            )));
        }
        check_finite(r.gain, "route gain")?;
        let i = r.to * channels + r.from;
        m.gains[i] += r.gain as f32;
    }
    Ok(m)
}

/// The channels `indices` (zero-based, in that order, repeats allowed).
pub fn select(channels: usize, indices: &[usize]) -> Result<Matrix> {
    if indices.is_empty() {
        return Err(Error::invalid_arg("select at least one channel"));
    }
    let mut m = Matrix::zeros(channels, indices.len());
    for (o, &i) in indices.iter().enumerate() {
        if i >= channels {
            return Err(Error::invalid_arg(format!(
                "channel {i} does not exist: the signal has {channels} (0 to {})",
                channels - 1
            )));
        }
        m.set(o, i, 1.0);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: &[f32], ch: usize, m: &Matrix) -> Vec<f32> {
        apply(&Audio::new(d, ch, 1.0).unwrap(), m).unwrap()
    }

    #[test]
    fn mono_stereo_select() {
        let d = [1.0f32, 3.0, 2.0, 4.0];
        assert_eq!(run(&d, 2, &mono(2, None).unwrap()), vec![2.0, 3.0]);
        assert_eq!(
            run(&d, 2, &mono(2, Some(&[1.0, 0.0])).unwrap()),
            vec![1.0, 2.0]
        );
        assert_eq!(
            run(&[1.0, 2.0], 1, &stereo(1, None).unwrap()),
            vec![1.0, 1.0, 2.0, 2.0]
        );
        assert_eq!(
            run(&d, 2, &select(2, &[1, 1, 0]).unwrap()),
            vec![3.0, 3.0, 1.0, 4.0, 4.0, 2.0]
        );
        assert!(select(2, &[2]).is_err());
    }

    #[test]
    fn pan2_constant_power() {
        let [l, r] = pan_gains(0.0).unwrap();
        assert!((l - FRAC_PI_2.cos() * 0.0 - (FRAC_PI_2 / 2.0).cos()).abs() < 1e-12);
        assert!((l * l + r * r - 1.0).abs() < 1e-12);
        assert_eq!(pan_gains(-1.0).unwrap()[1], 0.0);
        assert!(pan_gains(1.5).is_err());
        let o = run(&[1.0], 1, &pan2(1, 1.0).unwrap());
        assert!(o[0].abs() < 1e-7 && (o[1] - 1.0).abs() < 1e-7);
    }

    #[test]
    fn rewire_sums_routes_and_keeps_the_rest() {
        let d = [1.0f32, 10.0];
        let m = rewire(
            2,
            &[
                Route {
                    from: 0,
                    to: 2,
                    gain: 0.5,
                },
                Route {
                    from: 1,
                    to: 2,
                    gain: 0.1,
                },
                Route {
                    from: 0,
                    to: 1,
                    gain: 2.0,
                },
            ],
        )
        .unwrap();
        assert_eq!(run(&d, 2, &m), vec![1.0, 2.0, 1.5]);
    }
}
