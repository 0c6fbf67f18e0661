//! pya's helpers and OsSom's utilities: decibels, MIDI, linear mapping,
//! clipping, and OsSom's Gaussian noise.

use super::audio::{check_finite, check_len, check_rate, seconds_to_frames};
use super::rng::Rng;
use crate::{Error, Result};

/// Amplitude from decibels: `10^(db / 20)`.
pub fn dbamp(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// Decibels from amplitude: `20 log10(amp)` (`-inf` for 0).
pub fn ampdb(amp: f64) -> f64 {
    20.0 * amp.log10()
}

/// Frequency of a MIDI note: `440 * 2^((m - 69) / 12)`.
pub fn midicps(midi: f64) -> f64 {
    440.0 * 2f64.powf((midi - 69.0) / 12.0)
}

/// MIDI note of a frequency: `69 + 12 log2(f / 440)`.
pub fn cpsmidi(freq: f64) -> f64 {
    69.0 + 12.0 * (freq / 440.0).log2()
}

/// Maps `x` linearly from `[a, b]` to `[c, d]`: `(x - a) / (b - a) * (d - c) + c`.
pub fn linlin(x: f64, a: f64, b: f64, c: f64, d: f64) -> f64 {
    (x - a) / (b - a) * (d - c) + c
}

/// `x` limited to `[lo, hi]`.
pub fn clip(x: f64, lo: f64, hi: f64) -> Result<f64> {
    if lo > hi {
        return Err(Error::invalid_arg(format!(
            "clip's lower bound ({lo}) must not exceed its upper bound ({hi})"
        )));
    }
    Ok(x.max(lo).min(hi))
}

/// OsSom's `dB`: `(power ? 10 : 20) * log10(x / reference)`.
pub fn db(x: f64, power: bool, reference: f64) -> Result<f64> {
    if !(reference.is_finite() && reference > 0.0) {
        return Err(Error::invalid_arg(format!(
            "ref must be a positive number, got {reference}"
        )));
    }
    Ok(if power { 10.0 } else { 20.0 } * (x / reference).log10())
}

/// What OsSom's `noise` makes.
#[derive(Debug, Clone, Copy)]
pub struct NoiseSpec {
    /// The peak of each channel.
    pub level: f64,
    /// Frames per second.
    pub samplerate: f64,
    /// Duration in seconds.
    pub seconds: f64,
    /// Channels, each its own noise.
    pub channels: usize,
}

/// OsSom's `noise`: Gaussian noise, each channel its own, scaled so that
/// its peak is `level`.
pub fn noise(spec: &NoiseSpec, seed: Option<u64>) -> Result<Vec<f32>> {
    check_finite(spec.level, "level")?;
    check_rate(spec.samplerate)?;
    if spec.channels == 0 {
        return Err(Error::invalid_arg("channels must be at least 1, got 0"));
    }
    let frames = seconds_to_frames(spec.seconds, spec.samplerate, "seconds")?;
    check_len(frames as u128 * spec.channels as u128, "the noise")?;
    let mut rng = Rng::seeded(seed);
    let raw: Vec<f64> = (0..frames * spec.channels)
        .map(|_| rng.gaussian())
        .collect();
    let mut peaks = vec![0.0f64; spec.channels];
    for frame in raw.chunks_exact(spec.channels) {
        for (p, &x) in peaks.iter_mut().zip(frame) {
            *p = p.max(x.abs());
        }
    }
    let scale: Vec<f64> = peaks
        .iter()
        .map(|&p| if p > 0.0 { spec.level / p } else { 0.0 })
        .collect();
    Ok(raw
        .chunks_exact(spec.channels)
        .flat_map(|frame| frame.iter().zip(&scale).map(|(&x, &s)| (x * s) as f32))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_by_hand() {
        assert!((dbamp(-6.0) - 0.501_187_233_627_272_3).abs() < 1e-12);
        assert!((ampdb(0.5) + 6.020_599_913_279_624).abs() < 1e-12);
        assert!((midicps(60.0) - 261.625_565_300_598_6).abs() < 1e-9);
        assert!((cpsmidi(880.0) - 81.0).abs() < 1e-12);
        assert_eq!(linlin(5.0, 0.0, 10.0, 100.0, 200.0), 150.0);
        assert_eq!(clip(3.0, -1.0, 1.0).unwrap(), 1.0);
        assert!(clip(0.0, 1.0, -1.0).is_err());
        assert!((db(0.01, true, 1.0).unwrap() + 20.0).abs() < 1e-12);
        assert!((db(0.01, false, 0.1).unwrap() + 20.0).abs() < 1e-12);
    }

    #[test]
    fn noise_peaks_at_level_per_channel() {
        let spec = NoiseSpec {
            level: 0.25,
            samplerate: 1000.0,
            seconds: 2.0,
            channels: 3,
        };
        let n = noise(&spec, Some(9)).unwrap();
        assert_eq!(n.len(), 6000);
        for c in 0..3 {
            let p = n
                .iter()
                .skip(c)
                .step_by(3)
                .fold(0.0f32, |m, x| m.max(x.abs()));
            assert!((p - 0.25).abs() < 1e-7);
        }
        assert!(n.chunks(3).any(|f| f[0] != f[1]));
    }
}
