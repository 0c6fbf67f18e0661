//! The complex short-time Fourier transform and its inverse, as
//! scipy.signal's `stft` and `istft` with their defaults: zero boundary
//! extension of `nperseg / 2` frames, zero padding to whole segments,
//! `'spectrum'` scaling (bins divided by the window's sum), one-sided bins.
//! Computed in `f64` so that a round trip returns the input within 1e-6.

use super::audio::{check_len, Audio};
use super::spectrum::Window;
use crate::{Error, Result};
use realfft::RealFftPlanner;

/// The framing of a transform (scipy's `window`, `nperseg`, `noverlap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    /// Frames per segment (the FFT size), at least 2.
    pub nperseg: usize,
    /// Frames shared by neighbouring segments, below `nperseg`.
    pub noverlap: usize,
    /// The window, periodic as scipy's `get_window`.
    pub window: Window,
}

impl Framing {
    fn check(&self) -> Result<usize> {
        if self.nperseg < 2 || self.noverlap >= self.nperseg {
            return Err(Error::invalid_arg(format!(
                "nperseg must be at least 2 and noverlap below it, got nperseg {} and noverlap {}",
                self.nperseg, self.noverlap
            )));
        }
        Ok(self.nperseg - self.noverlap)
    }
}

/// Complex bins per channel, per segment: planar, bin `k` of segment `s` of
/// channel `c` at `(c * segments + s) * bins + k` in `re` and `im`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stft {
    /// Bins per segment: `nperseg / 2 + 1`.
    pub bins: usize,
    /// Segments per channel.
    pub segments: usize,
    /// Real parts.
    pub re: Vec<f64>,
    /// Imaginary parts.
    pub im: Vec<f64>,
}

/// The segments scipy's `stft` takes of `frames` frames: the signal with
/// `nperseg / 2` zeros on each side, padded to whole hops.
fn segments_of(frames: usize, f: &Framing, hop: usize) -> usize {
    let extended = frames + 2 * (f.nperseg / 2);
    let over = extended.saturating_sub(f.nperseg);
    over.div_ceil(hop) + 1
}

/// scipy's `stft(x, window, nperseg, noverlap)` of every channel; segment
/// `s` is centred on frame `s * (nperseg - noverlap)`.
///
/// ```
/// use ringstream_core::dsp::{stft::{stft, Framing}, spectrum::Window, Audio};
/// let f = Framing { nperseg: 8, noverlap: 4, window: Window::Hann };
/// let s = stft(&Audio::new(&[1.0; 16], 1, 100.0).unwrap(), &f).unwrap();
/// assert_eq!((s.bins, s.segments), (5, 5));
/// // The middle segment sees only the constant: DC reads its amplitude.
/// assert!((s.re[2 * 5] - 1.0).abs() < 1e-12);
/// ```
pub fn stft(audio: &Audio, f: &Framing) -> Result<Stft> {
    let hop = f.check()?;
    let frames = audio.frames();
    if frames == 0 {
        return Err(Error::invalid_arg(
            "an STFT needs a signal of at least 1 frame, got 0",
        ));
    }
    let segments = segments_of(frames, f, hop);
    let bins = f.nperseg / 2 + 1;
    let n = check_len(
        audio.channels as u128 * segments as u128 * bins as u128,
        "the STFT",
    )?;
    let (mut re, mut im) = (vec![0.0; n], vec![0.0; n]);
    let window = f.window.values_f64(f.nperseg);
    let scale = 1.0 / window.iter().sum::<f64>();
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(f.nperseg);
    let (mut input, mut output) = (fft.make_input_vec(), fft.make_output_vec());
    let mut scratch = fft.make_scratch_vec();
    let half = f.nperseg / 2;
    for c in 0..audio.channels {
        for s in 0..segments {
            for (j, x) in input.iter_mut().enumerate() {
                // Frame `s * hop + j` of the extended signal is frame `.. - half` of the input.
                let at = (s * hop + j).checked_sub(half).filter(|&i| i < frames);
                *x = at.map_or(0.0, |i| {
                    audio.data[i * audio.channels + c] as f64 * window[j]
                });
            }
            // Lengths come from the plan itself, so this cannot fail.
            let _ = fft.process_with_scratch(&mut input, &mut output, &mut scratch);
            let at = (c * segments + s) * bins;
            for (k, z) in output.iter().enumerate() {
                re[at + k] = z.re * scale;
                im[at + k] = z.im * scale;
            }
        }
    }
    Ok(Stft {
        bins,
        segments,
        re,
        im,
    })
}

/// scipy's `istft` of `spec` (made by [`stft`] with framing `f`) for
/// `channels` channels: inverse FFTs overlap-added, divided by the summed
/// squared window, the boundary extension removed; cut or zero-extended to
/// `frames` frames. Interleaved.
///
/// ```
/// use ringstream_core::dsp::{stft::{istft, stft, Framing}, spectrum::Window, Audio};
/// let x: Vec<f32> = (0..50).map(|i| (i as f32 * 0.3).sin()).collect();
/// let f = Framing { nperseg: 16, noverlap: 8, window: Window::Hann };
/// let s = stft(&Audio::new(&x, 1, 100.0).unwrap(), &f).unwrap();
/// let y = istft(&s, 1, &f, 50).unwrap();
/// assert!(x.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-6));
/// ```
pub fn istft(spec: &Stft, channels: usize, f: &Framing, frames: usize) -> Result<Vec<f32>> {
    let hop = f.check()?;
    let bins = f.nperseg / 2 + 1;
    let expected = channels * spec.segments * bins;
    if channels == 0 || spec.bins != bins || spec.re.len() != expected || spec.im.len() != expected
    {
        return Err(Error::invalid_arg(format!(
            "an STFT of nperseg {} over {channels} channels needs {bins} bins per segment and {expected} of them, got {} bins and {} values",
            f.nperseg,
            spec.bins,
            spec.re.len()
        )));
    }
    check_len(channels as u128 * frames as u128, "the signal")?;
    let window = f.window.values_f64(f.nperseg);
    let sum: f64 = window.iter().sum();
    let half = f.nperseg / 2;
    let total = (spec.segments - 1) * hop + f.nperseg;
    let mut norm = vec![0.0f64; total];
    for s in 0..spec.segments {
        for (j, w) in window.iter().enumerate() {
            norm[s * hop + j] += w * w;
        }
    }
    let ifft = RealFftPlanner::<f64>::new().plan_fft_inverse(f.nperseg);
    let (mut input, mut output) = (ifft.make_input_vec(), ifft.make_output_vec());
    let mut scratch = ifft.make_scratch_vec();
    let mut acc = vec![0.0f64; total];
    let mut out = vec![0.0f32; channels * frames];
    for c in 0..channels {
        acc.iter_mut().for_each(|v| *v = 0.0);
        for s in 0..spec.segments {
            let at = (c * spec.segments + s) * bins;
            for (k, z) in input.iter_mut().enumerate() {
                z.re = spec.re[at + k];
                z.im = spec.im[at + k];
            }
            // A real signal's DC and Nyquist bins are real; irfft ignores their imaginary parts.
            input[0].im = 0.0;
            if f.nperseg.is_multiple_of(2) {
                input[bins - 1].im = 0.0;
            }
            let _ = ifft.process_with_scratch(&mut input, &mut output, &mut scratch);
            // realfft's inverse is unnormalised: irfft = output / n; scipy then multiplies by sum(w).
            let gain = sum / f.nperseg as f64;
            for (j, (y, w)) in output.iter().zip(&window).enumerate() {
                acc[s * hop + j] += y * gain * w;
            }
        }
        for (i, o) in out.iter_mut().skip(c).step_by(channels).enumerate() {
            let t = i + half;
            if t < total - half {
                let d = if norm[t] > 1e-10 { norm[t] } else { 1.0 };
                *o = (acc[t] / d) as f32;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_follow_scipy() {
        // scipy.signal.stft(np.zeros(n), nperseg=256)[2].shape[1] for n = 256, 257, 1000, 1024.
        let f = Framing {
            nperseg: 256,
            noverlap: 128,
            window: Window::Hann,
        };
        let got: Vec<usize> = [256, 257, 1000, 1024]
            .iter()
            .map(|&n| segments_of(n, &f, 128))
            .collect();
        assert_eq!(got, vec![3, 4, 9, 9]);
    }

    #[test]
    fn bad_framing_and_shapes_are_refused() {
        let f = Framing {
            nperseg: 8,
            noverlap: 8,
            window: Window::Hann,
        };
        assert!(stft(&Audio::new(&[0.0; 8], 1, 1.0).unwrap(), &f).is_err());
        let ok = Framing { noverlap: 4, ..f };
        let s = stft(&Audio::new(&[0.0; 8], 1, 1.0).unwrap(), &ok).unwrap();
        assert!(istft(&s, 2, &ok, 8).is_err());
    }
}
