//! Spectra and spectrograms with `realfft`.
//!
//! Magnitudes are amplitude-normalised: a sine of amplitude `A` reads `A` at
//! its bin (`2 |X_k| / sum(w)` for the bins between DC and Nyquist,
//! `|X_k| / sum(w)` at DC and at Nyquist, `w` the window; `sum(w) = n` for
//! the whole-signal spectrum).

use super::audio::{check_len, Audio};
use crate::{Error, Result};
use realfft::num_complex::Complex;
use realfft::RealFftPlanner;
use std::f64::consts::TAU;

/// The magnitude spectrum of each channel of a whole signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    /// Bins per channel: `n / 2 + 1` for `n` frames.
    pub bins: usize,
    /// Planar magnitudes, `mags[ch * bins + k]`.
    pub mags: Vec<f32>,
}

/// Bin `k`'s scale: `2 / sum` between DC and Nyquist, `1 / sum` at either end.
fn bin_scale(k: usize, n: usize, sum: f64) -> f64 {
    if k == 0 || (n.is_multiple_of(2) && k == n / 2) {
        1.0 / sum
    } else {
        2.0 / sum
    }
}

/// The amplitude spectrum of every channel over the whole signal; bin `k`
/// is at `k * samplerate / frames` Hz.
pub fn spectrum(audio: &Audio) -> Result<Spectrum> {
    let n = audio.frames();
    if n == 0 {
        return Err(Error::invalid_arg(
            "the spectrum of an empty signal is undefined",
        ));
    }
    let b = super::rfft::rfft(audio)?;
    let mags = amplitudes(&b.re, &b.im, n)?;
    Ok(Spectrum { bins: b.bins, mags })
}

/// The amplitudes of complex one-sided bins of `frames`-point transforms
/// (`frames / 2 + 1` bins each, any number of them back to back), scaled as
/// [`spectrum`] scales them: a sine of amplitude `A` reads `A` at its bin.
///
/// ```
/// use ringstream_core::dsp::spectrum::amplitudes;
/// // numpy's rfft of [1, 0, -1, 0]: bin 1 is 2, a cosine of amplitude 1.
/// assert_eq!(amplitudes(&[0.0, 2.0, 0.0], &[0.0; 3], 4).unwrap(), vec![0.0, 1.0, 0.0]);
/// assert!(amplitudes(&[0.0, 2.0], &[0.0; 2], 4).is_err());
/// ```
pub fn amplitudes(re: &[f64], im: &[f64], frames: usize) -> Result<Vec<f32>> {
    let bins = frames / 2 + 1;
    if frames == 0 || re.len() != im.len() || !re.len().is_multiple_of(bins) {
        return Err(Error::invalid_arg(format!(
            "bins of {frames}-point transforms come {bins} at a time, as many imaginary parts as real ones; got {} and {}",
            re.len(),
            im.len()
        )));
    }
    Ok(re
        .iter()
        .zip(im)
        .enumerate()
        .map(|(i, (re, im))| (re.hypot(*im) * bin_scale(i % bins, frames, frames as f64)) as f32)
        .collect())
}

/// The window of a short-time transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Periodic Hann.
    Hann,
    /// Periodic Hamming.
    Hamming,
    /// Periodic Blackman.
    Blackman,
    /// No window (all ones).
    Rect,
}

impl Window {
    /// The window named `name`: `hann`, `hamming`, `blackman` or `rect`.
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "hann" => Window::Hann,
            "hamming" => Window::Hamming,
            "blackman" => Window::Blackman,
            "rect" => Window::Rect,
            _ => {
                return Err(Error::invalid_arg(format!(
                    "window must be 'hann', 'hamming', 'blackman' or 'rect', got '{name}'"
                )))
            }
        })
    }

    /// `n` periodic window values.
    pub fn values(self, n: usize) -> Vec<f32> {
        self.values_f64(n).into_iter().map(|w| w as f32).collect()
    }

    /// `n` periodic window values in `f64` (scipy's `get_window(name, n)`).
    ///
    /// ```
    /// use ringstream_core::dsp::spectrum::Window;
    /// let w = Window::Hann.values_f64(4);
    /// assert!(w.iter().zip([0.0, 0.5, 1.0, 0.5]).all(|(a, b)| (a - b).abs() < 1e-15));
    /// ```
    pub fn values_f64(self, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let p = TAU * i as f64 / n as f64;
                match self {
                    Window::Hann => 0.5 - 0.5 * p.cos(),
                    Window::Hamming => 0.54 - 0.46 * p.cos(),
                    Window::Blackman => 0.42 - 0.5 * p.cos() + 0.08 * (2.0 * p).cos(),
                    Window::Rect => 1.0,
                }
            })
            .collect()
    }
}

/// A short-time Fourier transform's framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StftSpec {
    /// Frames per transform (at least 2).
    pub nfft: usize,
    /// Frames between the starts of consecutive transforms (at least 1).
    pub hop: usize,
    /// The window.
    pub window: Window,
}

/// A spectrogram: magnitudes per channel, per time slice, per bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrogram {
    /// Bins per slice: `nfft / 2 + 1`.
    pub bins: usize,
    /// Time slices per channel.
    pub slices: usize,
    /// Planar magnitudes, `mags[(ch * slices + s) * bins + k]`.
    pub mags: Vec<f32>,
}

/// Slices of `spec.nfft` frames every `spec.hop` frames, the last one
/// zero-padded so that every frame is covered (one slice for a signal
/// shorter than `nfft`). Slice `s` starts at frame `s * hop`; its bin `k`
/// is at `k * samplerate / nfft` Hz. Channels run in parallel.
pub fn spectrogram(audio: &Audio, spec: &StftSpec) -> Result<Spectrogram> {
    if spec.nfft < 2 || spec.hop == 0 {
        return Err(Error::invalid_arg(format!(
            "nfft must be at least 2 and hop at least 1, got nfft {} and hop {}",
            spec.nfft, spec.hop
        )));
    }
    let frames = audio.frames();
    let slices = if frames <= spec.nfft {
        1
    } else {
        1 + (frames - spec.nfft).div_ceil(spec.hop)
    };
    let bins = spec.nfft / 2 + 1;
    check_len(
        audio.channels as u128 * slices as u128 * bins as u128,
        "the spectrogram",
    )?;
    let mut mags = vec![0.0f32; audio.channels * slices * bins];
    let window = spec.window.values(spec.nfft);
    let fft = RealFftPlanner::<f32>::new().plan_fft_forward(spec.nfft);
    std::thread::scope(|s| {
        for (c, out) in mags.chunks_mut(slices * bins).enumerate() {
            let (fft, window) = (&fft, &window);
            s.spawn(move || {
                let mut input = fft.make_input_vec();
                let mut output = fft.make_output_vec();
                let mut scratch = fft.make_scratch_vec();
                let sum: f64 = window.iter().map(|&w| w as f64).sum();
                let scales: Vec<f32> = (0..bins)
                    .map(|k| bin_scale(k, spec.nfft, sum) as f32)
                    .collect();
                for (i, row) in out.chunks_exact_mut(bins).enumerate() {
                    let start = i * spec.hop;
                    for (j, x) in input.iter_mut().enumerate() {
                        let f = start + j;
                        *x = if f < frames {
                            audio.data[f * audio.channels + c] * window[j]
                        } else {
                            0.0
                        };
                    }
                    // Lengths come from the plan itself, so this cannot fail.
                    let _ = fft.process_with_scratch(&mut input, &mut output, &mut scratch);
                    for ((m, z), s) in row.iter_mut().zip(&output).zip(&scales) {
                        *m = magnitude(z) * s;
                    }
                }
            });
        }
    });
    Ok(Spectrogram { bins, slices, mags })
}

fn magnitude(z: &Complex<f32>) -> f32 {
    (z.re * z.re + z.im * z.im).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, amp: f64, sr: f64, n: usize) -> Vec<f32> {
        (0..n)
            .map(|k| (amp * (TAU * freq * k as f64 / sr).sin()) as f32)
            .collect()
    }

    #[test]
    fn a_sine_reads_its_amplitude_at_its_bin() {
        // 1000 frames at 1000 Hz: 1 Hz bins; 125 Hz amplitude 0.5, DC 0.25.
        let d: Vec<f32> = sine(125.0, 0.5, 1000.0, 1000)
            .iter()
            .map(|x| x + 0.25)
            .collect();
        let s = spectrum(&Audio::new(&d, 1, 1000.0).unwrap()).unwrap();
        assert_eq!(s.bins, 501);
        assert!((s.mags[125] - 0.5).abs() < 1e-5);
        assert!((s.mags[0] - 0.25).abs() < 1e-5);
        assert!(s.mags[300] < 1e-5);
    }

    #[test]
    fn spectrogram_slices_and_peak() {
        let d = sine(1000.0, 0.8, 8000.0, 8000);
        let spec = StftSpec {
            nfft: 256,
            hop: 128,
            window: Window::Hann,
        };
        let g = spectrogram(&Audio::new(&d, 1, 8000.0).unwrap(), &spec).unwrap();
        assert_eq!(g.bins, 129);
        assert_eq!(g.slices, 1 + (8000 - 256usize).div_ceil(128));
        let row = &g.mags[5 * 129..6 * 129];
        // 1000 Hz is bin 32 exactly (31.25 Hz bins).
        assert!((row[32] - 0.8).abs() < 1e-3, "{}", row[32]);
        assert!(row[60] < 1e-3);
        assert!(Window::from_name("kaiser").is_err());
    }
}
