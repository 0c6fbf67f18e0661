//! Gain, normalisation and DC removal (pya's `gain`, `norm`, `remove_DC`).

use super::audio::{check_finite, Audio};
use super::util::dbamp;
use crate::{Error, Result};

/// A gain: one factor for every channel or one per channel.
#[derive(Debug, Clone, Copy)]
pub enum Gain<'a> {
    /// Amplitude factors.
    Amp(&'a [f64]),
    /// Decibels, `10^(db / 20)` each.
    Db(&'a [f64]),
}

/// The factor of each channel: `gains` holds one value for all channels or
/// exactly one per channel.
fn per_channel(gains: &[f64], channels: usize, what: &str) -> Result<Vec<f64>> {
    for &g in gains {
        check_finite(g, what)?;
    }
    match gains.len() {
        1 => Ok(vec![gains[0]; channels]),
        n if n == channels => Ok(gains.to_vec()),
        n => Err(Error::invalid_arg(format!(
            "{what} must be one number or one per channel ({channels}), got {n} values"
        ))),
    }
}

/// The signal times `gain` (per channel when `gain` has one value per channel).
pub fn gain(audio: &Audio, gain: Gain) -> Result<Vec<f32>> {
    let factors = match gain {
        Gain::Amp(a) => per_channel(a, audio.channels, "amp")?,
        Gain::Db(d) => per_channel(d, audio.channels, "db")?
            .into_iter()
            .map(dbamp)
            .collect(),
    };
    Ok(scale(audio, &factors))
}

/// Each channel times its factor.
fn scale(audio: &Audio, factors: &[f64]) -> Vec<f32> {
    let f: Vec<f32> = factors.iter().map(|&x| x as f32).collect();
    let mut out = audio.data.to_vec();
    if let [g] = f[..] {
        out.iter_mut().for_each(|x| *x *= g);
    } else {
        for frame in out.chunks_exact_mut(audio.channels) {
            for (x, g) in frame.iter_mut().zip(&f) {
                *x *= g;
            }
        }
    }
    out
}

/// The mean of each channel.
pub fn channel_means(audio: &Audio) -> Vec<f64> {
    let mut sums = vec![0.0f64; audio.channels];
    for frame in audio.data.chunks_exact(audio.channels) {
        for (s, &x) in sums.iter_mut().zip(frame) {
            *s += x as f64;
        }
    }
    let n = audio.frames().max(1) as f64;
    sums.into_iter().map(|s| s / n).collect()
}

/// Each channel minus its mean.
pub fn remove_dc(audio: &Audio) -> Vec<f32> {
    let means: Vec<f32> = channel_means(audio).into_iter().map(|m| m as f32).collect();
    let mut out = audio.data.to_vec();
    for frame in out.chunks_exact_mut(audio.channels) {
        for (x, m) in frame.iter_mut().zip(&means) {
            *x -= m;
        }
    }
    out
}

/// How to normalise.
#[derive(Debug, Clone, Copy)]
pub struct Norm {
    /// The peak each channel gets: an amplitude, or dB when `in_db`.
    pub value: f64,
    /// Whether `value` is in dB.
    pub in_db: bool,
    /// Whether to remove each channel's mean first.
    pub remove_dc: bool,
}

/// pya's `norm`: each channel scaled so that its peak `|x|` is `value`
/// (`dbamp(value)` when `in_db`), after removing its mean when `remove_dc`.
/// A silent channel stays silent.
pub fn norm(audio: &Audio, norm: Norm) -> Result<Vec<f32>> {
    let target = check_finite(norm.value, "value")?;
    let target = if norm.in_db { dbamp(target) } else { target };
    let source = if norm.remove_dc {
        remove_dc(audio)
    } else {
        audio.data.to_vec()
    };
    let centred = Audio {
        data: &source,
        ..*audio
    };
    let peaks = super::measure::peak(&centred);
    let factors: Vec<f64> = peaks
        .iter()
        .map(|&p| if p > 0.0 { target / p } else { 0.0 })
        .collect();
    Ok(scale(&centred, &factors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gain_scalar_per_channel_and_db() {
        let d = [0.5f32, -0.25, 1.0, 0.5];
        let a = Audio::new(&d, 2, 10.0).unwrap();
        assert_eq!(
            gain(&a, Gain::Amp(&[2.0])).unwrap(),
            vec![1.0, -0.5, 2.0, 1.0]
        );
        assert_eq!(
            gain(&a, Gain::Amp(&[1.0, 0.0])).unwrap(),
            vec![0.5, 0.0, 1.0, 0.0]
        );
        let g = gain(&a, Gain::Db(&[-20.0])).unwrap();
        assert!((g[0] - 0.05).abs() < 1e-7);
        assert!(gain(&a, Gain::Amp(&[1.0, 2.0, 3.0])).is_err());
        assert!(gain(&a, Gain::Amp(&[f64::NAN])).is_err());
    }

    #[test]
    fn norm_and_dc() {
        let d = [0.1f32, 0.2, 0.3, -0.4];
        let a = Audio::new(&d, 2, 10.0).unwrap();
        let n = norm(
            &a,
            Norm {
                value: 1.0,
                in_db: false,
                remove_dc: false,
            },
        )
        .unwrap();
        assert!((n[0] - 1.0 / 3.0).abs() < 1e-6 && (n[2] - 1.0).abs() < 1e-6);
        assert!((n[1] - 0.5).abs() < 1e-6 && (n[3] + 1.0).abs() < 1e-6);
        let r = remove_dc(&a);
        assert!((r[0] + 0.1).abs() < 1e-6 && (r[2] - 0.1).abs() < 1e-6);
        assert!((r[1] - 0.3).abs() < 1e-6 && (r[3] + 0.3).abs() < 1e-6);
    }
}
