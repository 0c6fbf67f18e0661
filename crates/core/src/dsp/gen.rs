//! pya's Ugen: sine, cosine, square, sawtooth, white and pink noise.
//!
//! Sample `k` is at time `t = k / samplerate`; a multichannel signal repeats
//! the one signal in every channel, as pya does.

use super::audio::{check_finite, check_len, check_rate};
use super::rng::Rng;
use crate::{Error, Result};
use std::f64::consts::TAU;

/// The shape of a generated signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wave {
    /// `amp * sin(2 pi f t)`.
    Sine,
    /// `amp * cos(2 pi f t)`.
    Cos,
    /// `+amp` for the first `duty` of each period, `-amp` for the rest
    /// (scipy's `square`, which pya uses); `duty` in [0, 1].
    Square {
        /// Fraction of the period at `+amp`.
        duty: f64,
        /// pya's `sample_shift`: every sample is taken `sample_shift /
        /// frames` seconds late (pya's default 0.5 keeps samples off the
        /// edges, where rounding would pick either side).
        sample_shift: f64,
    },
    /// Rises from `-amp` to `amp` over the first `width` of each period and
    /// falls back over the rest (scipy's `sawtooth`); `width` in [0, 1].
    Sawtooth {
        /// Fraction of the period spent rising.
        width: f64,
    },
    /// Uniform in `[-amp, amp)`.
    White,
    /// Pink (1/f) noise by Paul Kellet's filter on white noise, with its
    /// mean removed and scaled so that its peak is exactly `amp` (pya's
    /// version sits in [0, amp], with a DC offset).
    Pink,
}

/// What to generate: wave, frequency, amplitude and layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenSpec {
    /// The shape.
    pub wave: Wave,
    /// Frequency in Hz (ignored by the noises).
    pub freq: f64,
    /// Peak amplitude.
    pub amp: f64,
    /// Frames to generate.
    pub frames: usize,
    /// Frames per second.
    pub samplerate: f64,
    /// Channels (each gets the same signal).
    pub channels: usize,
}

impl GenSpec {
    fn check(&self) -> Result<()> {
        check_rate(self.samplerate)?;
        check_finite(self.freq, "freq")?;
        check_finite(self.amp, "amp")?;
        if self.channels == 0 {
            return Err(Error::invalid_arg("channels must be at least 1, got 0"));
        }
        let fraction = |v: f64, what: &str| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::invalid_arg(format!(
                    "{what} must be from 0 to 1, got {v}"
                )))
            }
        };
        match self.wave {
            Wave::Square { duty, sample_shift } => {
                check_finite(sample_shift, "sampleShift")?;
                fraction(duty, "duty")
            }
            Wave::Sawtooth { width } => fraction(width, "width"),
            _ => Ok(()),
        }
    }
}

/// Generates the interleaved signal `spec` describes; the noises draw from
/// `seed` (a clock-based seed when `None`).
pub fn generate(spec: &GenSpec, seed: Option<u64>) -> Result<Vec<f32>> {
    spec.check()?;
    check_len(
        spec.frames as u128 * spec.channels as u128,
        "the generated signal",
    )?;
    let mono = match spec.wave {
        Wave::White => white(spec.frames, spec.amp, seed),
        Wave::Pink => pink(spec.frames, spec.amp, seed),
        wave => periodic(wave, spec),
    };
    Ok(repeat_channels(mono, spec.channels))
}

fn periodic(wave: Wave, spec: &GenSpec) -> Vec<f32> {
    let step = spec.freq / spec.samplerate;
    let amp = spec.amp;
    let start = match wave {
        // pya's phase: freq * (sample_shift / frames + k / samplerate).
        Wave::Square { sample_shift, .. } if spec.frames > 0 => {
            spec.freq * sample_shift / spec.frames as f64
        }
        _ => 0.0,
    };
    (0..spec.frames)
        .map(|k| {
            // The phase as a fraction of a period, exact in f64 for any k.
            let p = (k as f64 * step + start).rem_euclid(1.0);
            let v = match wave {
                Wave::Sine => (TAU * p).sin(),
                Wave::Cos => (TAU * p).cos(),
                Wave::Square { duty, .. } => {
                    if p < duty {
                        1.0
                    } else {
                        -1.0
                    }
                }
                Wave::Sawtooth { width } => {
                    if p < width {
                        -1.0 + 2.0 * p / width
                    } else {
                        1.0 - 2.0 * (p - width) / (1.0 - width)
                    }
                }
                Wave::White | Wave::Pink => 0.0,
            };
            (amp * v) as f32
        })
        .collect()
}

fn white(frames: usize, amp: f64, seed: Option<u64>) -> Vec<f32> {
    let mut rng = Rng::seeded(seed);
    (0..frames).map(|_| (amp * rng.bipolar()) as f32).collect()
}

/// Paul Kellet's "refined" pink filter (accurate to +-0.05 dB above 9.2 Hz
/// at 44.1 kHz), run on uniform white noise.
struct Kellet {
    b: [f64; 7],
}

impl Kellet {
    fn next(&mut self, white: f64) -> f64 {
        let b = &mut self.b;
        b[0] = 0.99886 * b[0] + white * 0.055_517_9;
        b[1] = 0.99332 * b[1] + white * 0.075_075_9;
        b[2] = 0.96900 * b[2] + white * 0.153_852;
        b[3] = 0.86650 * b[3] + white * 0.310_485_6;
        b[4] = 0.55000 * b[4] + white * 0.532_952_2;
        b[5] = -0.7616 * b[5] - white * 0.016_898;
        let pink = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * 0.5362;
        b[6] = white * 0.115_926;
        pink
    }
}

fn pink(frames: usize, amp: f64, seed: Option<u64>) -> Vec<f32> {
    let mut rng = Rng::seeded(seed);
    let mut filter = Kellet { b: [0.0; 7] };
    // Settle the slowest pole (time constant ~880 samples) before keeping any output.
    for _ in 0..8192 {
        filter.next(rng.bipolar());
    }
    let raw: Vec<f64> = (0..frames).map(|_| filter.next(rng.bipolar())).collect();
    let mean = if frames == 0 {
        0.0
    } else {
        raw.iter().sum::<f64>() / frames as f64
    };
    let peak = raw.iter().fold(0.0f64, |m, &x| m.max((x - mean).abs()));
    let scale = if peak > 0.0 { amp / peak } else { 0.0 };
    raw.iter().map(|&x| ((x - mean) * scale) as f32).collect()
}

/// `mono` repeated in each of `channels` channels, interleaved.
pub fn repeat_channels(mono: Vec<f32>, channels: usize) -> Vec<f32> {
    if channels == 1 {
        return mono;
    }
    let mut out = Vec::with_capacity(mono.len() * channels);
    for &x in &mono {
        out.extend(std::iter::repeat_n(x, channels));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(wave: Wave, frames: usize) -> GenSpec {
        GenSpec {
            wave,
            freq: 1000.0,
            amp: 0.5,
            frames,
            samplerate: 8000.0,
            channels: 1,
        }
    }

    #[test]
    fn sine_and_cos_match_the_formula() {
        let s = generate(&spec(Wave::Sine, 8), None).unwrap();
        let c = generate(&spec(Wave::Cos, 8), None).unwrap();
        for k in 0..8 {
            let t = k as f64 / 8000.0;
            assert!((s[k] as f64 - 0.5 * (TAU * 1000.0 * t).sin()).abs() < 1e-6);
            assert!((c[k] as f64 - 0.5 * (TAU * 1000.0 * t).cos()).abs() < 1e-6);
        }
    }

    #[test]
    fn square_duty_and_sawtooth_width() {
        // 8 samples per period: duty 0.25 means 2 samples high.
        let square = |duty, sample_shift| Wave::Square { duty, sample_shift };
        let q = generate(&spec(square(0.25, 0.0), 8), None).unwrap();
        assert_eq!(q, vec![0.5, 0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5]);
        let w = generate(&spec(Wave::Sawtooth { width: 0.5 }, 8), None).unwrap();
        // Rising -1, -0.5, 0, 0.5 then falling 1, 0.5, 0, -0.5 (times amp 0.5).
        assert_eq!(w, vec![-0.5, -0.25, 0.0, 0.25, 0.5, 0.25, 0.0, -0.25]);
        assert!(generate(&spec(square(1.5, 0.0), 8), None).is_err());
        // pya's sample_shift of 0.5 over 8 frames at 1000 Hz moves the
        // phase by 1000 * 0.5 / 8 = 62.5 periods and a half: the wave flips.
        let shifted = generate(&spec(square(0.25, 0.5), 8), None).unwrap();
        assert_eq!(shifted, vec![-0.5, -0.5, -0.5, -0.5, 0.5, 0.5, -0.5, -0.5]);
    }

    #[test]
    fn pink_is_zero_mean_and_peaks_at_amp() {
        let p = generate(&spec(Wave::Pink, 48_000), Some(3)).unwrap();
        let mean: f64 = p.iter().map(|&x| x as f64).sum::<f64>() / p.len() as f64;
        let peak = p.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
        assert!(mean.abs() < 1e-6, "mean {mean}");
        assert!((peak - 0.5).abs() < 1e-6, "peak {peak}");
    }

    #[test]
    fn white_within_amp_and_channels_repeat() {
        let mut s = spec(Wave::White, 1000);
        s.channels = 2;
        let w = generate(&s, Some(1)).unwrap();
        assert_eq!(w.len(), 2000);
        assert!(w.iter().all(|x| x.abs() <= 0.5));
        assert!(w.chunks(2).all(|f| f[0] == f[1]));
    }
}
