//! pya's `Asig.convolve`: scipy's `convolve` per channel after pya's
//! zero-padding of a shorter impulse response, then pya's `'amp'`
//! normalisation (the result's peak made the signal's).

use super::audio::{check_len, Audio};
use crate::{Error, Result};
use realfft::num_complex::Complex;
use realfft::RealFftPlanner;

/// Which part of the full convolution is kept (scipy's `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// All `n + m - 1` frames.
    Full,
    /// The signal's `n` frames, centred on the full result.
    Same,
    /// Only frames that need no zero padding.
    Valid,
}

/// How the sums are computed (scipy's `method`); the results agree to
/// rounding, the cost does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The FFT when the direct sums would cost more.
    Auto,
    /// The direct sums, `n * m` products.
    Direct,
    /// Through the FFT, `O((n + m) log(n + m))`.
    Fft,
}

/// What `convolve` does: scipy's mode and method, pya's `norm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvolveSpec {
    /// The part kept.
    pub mode: Mode,
    /// The way of computing it.
    pub method: Method,
    /// pya's `norm='amp'`: the result scaled so its peak is the signal's.
    pub amp: bool,
}

impl ConvolveSpec {
    /// The spec named as pya's arguments: `mode` `'full' | 'same' | 'valid'`,
    /// `method` `'auto' | 'direct' | 'fft'`, `norm` `'amp' | 'none'`.
    ///
    /// ```
    /// use ringstream_core::dsp::convolve::{ConvolveSpec, Mode};
    /// assert_eq!(ConvolveSpec::from_names("same", "fft", "amp").unwrap().mode, Mode::Same);
    /// assert!(ConvolveSpec::from_names("circular", "fft", "amp").is_err());
    /// ```
    pub fn from_names(mode: &str, method: &str, norm: &str) -> Result<Self> {
        let mode = match mode {
            "full" => Mode::Full,
            "same" => Mode::Same,
            "valid" => Mode::Valid,
            _ => return Err(named("mode", "'full', 'same' or 'valid'", mode)),
        };
        let method = match method {
            "auto" => Method::Auto,
            "direct" => Method::Direct,
            "fft" => Method::Fft,
            _ => return Err(named("method", "'auto', 'direct' or 'fft'", method)),
        };
        let amp = match norm {
            "amp" => true,
            "none" => false,
            _ => return Err(named("norm", "'amp' or 'none'", norm)),
        };
        Ok(ConvolveSpec { mode, method, amp })
    }
}

fn named(what: &str, expected: &str, got: &str) -> Error {
    Error::invalid_arg(format!("{what} must be {expected}, got '{got}'"))
}

/// Above this many products the direct sums lose to the FFT (`Auto`).
const DIRECT_MAX_PRODUCTS: usize = 1 << 18;

/// `audio` convolved with `ir` (one channel for all, or one per channel),
/// as pya's `convolve`: an `ir` shorter than the signal is zero-padded to
/// its length first, so `'full'` gives `2n - 1` frames and `'valid'` one.
/// Interleaved, with as many channels as `audio`; a silent result stays
/// silent under `'amp'` (pya's would be NaN).
///
/// ```
/// use ringstream_core::dsp::convolve::{convolve, ConvolveSpec};
/// use ringstream_core::dsp::Audio;
/// let x = Audio::new(&[1.0, 2.0, 3.0], 1, 3.0).unwrap();
/// let ir = Audio::new(&[0.0, 1.0, 0.5], 1, 3.0).unwrap();
/// let spec = ConvolveSpec::from_names("full", "direct", "none").unwrap();
/// // numpy.convolve([1, 2, 3], [0, 1, 0.5])
/// assert_eq!(convolve(&x, &ir, spec).unwrap(), [0.0, 1.0, 2.5, 4.0, 1.5]);
/// ```
pub fn convolve(audio: &Audio, ir: &Audio, spec: ConvolveSpec) -> Result<Vec<f32>> {
    let (n, m_given, ch) = (audio.frames(), ir.frames(), audio.channels);
    if n == 0 || m_given == 0 {
        return Err(Error::invalid_arg(format!(
            "convolve needs frames in both the signal and the impulse response, got {n} and {m_given}"
        )));
    }
    if ir.channels != 1 && ir.channels != ch {
        return Err(Error::invalid_arg(format!(
            "the impulse response must have 1 channel or the signal's {ch}, got {}",
            ir.channels
        )));
    }
    let m = m_given.max(n);
    let full = n + m - 1;
    let (start, len) = match spec.mode {
        Mode::Full => (0, full),
        Mode::Same => ((full - n) / 2, n),
        Mode::Valid => (n - 1, m - n + 1),
    };
    check_len(len as u128 * ch as u128, "the convolution")?;
    let direct = match spec.method {
        Method::Direct => true,
        Method::Fft => false,
        Method::Auto => n.saturating_mul(m_given) <= DIRECT_MAX_PRODUCTS,
    };
    let mut out = vec![0.0f64; len * ch];
    let mut fft = FftConvolver::new(if direct { 0 } else { full });
    for k in 0..ch {
        let x: Vec<f64> = channel(audio, k);
        let mut h: Vec<f64> = channel(ir, if ir.channels == 1 { 0 } else { k });
        h.resize(m, 0.0);
        let y = if direct {
            direct_full(&x, &h)
        } else {
            fft.full(&x, &h)
        };
        for (i, v) in y[start..start + len].iter().enumerate() {
            out[i * ch + k] = *v;
        }
    }
    if spec.amp {
        let peak = |v: &mut dyn Iterator<Item = f64>| v.fold(0.0f64, |a, x| a.max(x.abs()));
        let out_peak = peak(&mut out.iter().copied());
        let in_peak = peak(&mut audio.data.iter().map(|x| *x as f64));
        if out_peak > 0.0 {
            out.iter_mut().for_each(|v| *v = *v / out_peak * in_peak);
        }
    }
    Ok(out.iter().map(|v| *v as f32).collect())
}

fn channel(a: &Audio, k: usize) -> Vec<f64> {
    a.data
        .iter()
        .skip(k)
        .step_by(a.channels)
        .map(|x| *x as f64)
        .collect()
}

/// The full linear convolution by its definition.
fn direct_full(x: &[f64], h: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; x.len() + h.len() - 1];
    for (i, a) in x.iter().enumerate() {
        for (j, b) in h.iter().enumerate() {
            y[i + j] += a * b;
        }
    }
    y
}

/// Full linear convolutions through one planned real FFT of a power of
/// two at least `full` long (zero padding makes the circular one linear).
struct FftConvolver {
    size: usize,
    planner: RealFftPlanner<f64>,
}

impl FftConvolver {
    fn new(full: usize) -> Self {
        FftConvolver {
            size: full.next_power_of_two().max(2),
            planner: RealFftPlanner::new(),
        }
    }

    fn full(&mut self, x: &[f64], h: &[f64]) -> Vec<f64> {
        let size = self.size;
        let forward = self.planner.plan_fft_forward(size);
        let spectrum = |v: &[f64]| -> Vec<Complex<f64>> {
            let mut buf = vec![0.0; size];
            buf[..v.len()].copy_from_slice(v);
            let mut bins = forward.make_output_vec();
            // Lengths are the plan's own, so the transform cannot fail.
            let _ = forward.process(&mut buf, &mut bins);
            bins
        };
        let mut bins: Vec<Complex<f64>> = spectrum(x)
            .iter()
            .zip(spectrum(h))
            .map(|(a, b)| a * b / size as f64)
            .collect();
        // realfft wants the DC and Nyquist bins real; a product of real
        // signals' spectra has them real up to rounding.
        bins[0].im = 0.0;
        if let Some(last) = bins.last_mut() {
            last.im = 0.0;
        }
        let inverse = self.planner.plan_fft_inverse(size);
        let mut y = inverse.make_output_vec();
        let _ = inverse.process(&mut bins, &mut y);
        y.truncate(x.len() + h.len() - 1);
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: &[f32], ch: usize, ir: &[f32], irch: usize, names: (&str, &str, &str)) -> Vec<f32> {
        let a = Audio::new(x, ch, 10.0).unwrap();
        let h = Audio::new(ir, irch, 10.0).unwrap();
        convolve(
            &a,
            &h,
            ConvolveSpec::from_names(names.0, names.1, names.2).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn fft_and_direct_agree() {
        let x: Vec<f32> = (0..300)
            .map(|i| ((i * 7 % 13) as f32 - 6.0) / 6.0)
            .collect();
        let h: Vec<f32> = (0..420)
            .map(|i| ((i * 5 % 11) as f32 - 5.0) / 5.0)
            .collect();
        for mode in ["full", "same", "valid"] {
            let a = run(&x, 2, &h, 2, (mode, "direct", "none"));
            let b = run(&x, 2, &h, 2, (mode, "fft", "none"));
            assert_eq!(a.len(), b.len());
            assert!(
                a.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-4),
                "{mode}"
            );
        }
    }

    #[test]
    fn shorter_ir_is_padded_as_pya_does() {
        // pya pads [1] to [1, 0, 0, 0]: 'full' has 2n - 1 frames, 'valid' one.
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(
            run(&x, 1, &[1.0], 1, ("full", "direct", "none")),
            [1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(run(&x, 1, &[1.0], 1, ("same", "fft", "none")).len(), 4);
        assert_eq!(run(&x, 1, &[1.0], 1, ("valid", "auto", "none")), [4.0]);
    }

    #[test]
    fn amp_keeps_the_peak_and_a_mono_ir_serves_every_channel() {
        let y = run(
            &[0.5, -0.25, 0.1, 0.2],
            2,
            &[3.0, 1.0],
            1,
            ("full", "auto", "amp"),
        );
        assert_eq!(y.len(), 6);
        let peak = y.iter().fold(0.0f32, |a, x| a.max(x.abs()));
        assert!((peak - 0.5).abs() < 1e-7, "{y:?}");
        assert!(convolve(
            &Audio::new(&[1.0; 4], 2, 1.0).unwrap(),
            &Audio::new(&[1.0; 6], 3, 1.0).unwrap(),
            ConvolveSpec::from_names("full", "auto", "amp").unwrap()
        )
        .is_err());
    }
}
