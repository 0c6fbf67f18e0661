//! pya's Aspec: the complex one-sided spectrum of a whole signal (numpy's
//! `rfft`, unnormalised), its inverse (`irfft`) and pya's `weight`.

use super::audio::{check_finite, check_len, Audio};
use super::interp::{Interp1d, Kind};
use crate::{Error, Result};
use realfft::RealFftPlanner;

/// Complex bins per channel, planar: channel `c`'s bin `k` at `c * bins + k`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    /// Bins per channel: `frames / 2 + 1`.
    pub bins: usize,
    /// Real parts.
    pub re: Vec<f64>,
    /// Imaginary parts.
    pub im: Vec<f64>,
}

/// numpy's `rfft` of each channel along the frames.
///
/// ```
/// use ringstream_core::dsp::{rfft::rfft, Audio};
/// let b = rfft(&Audio::new(&[1.0, 0.0, -1.0, 0.0], 1, 4.0).unwrap()).unwrap();
/// assert_eq!(b.re, vec![0.0, 2.0, 0.0]);
/// ```
pub fn rfft(audio: &Audio) -> Result<Bins> {
    let n = audio.frames();
    if n == 0 {
        return Err(Error::invalid_arg(
            "a spectrum needs a signal of at least 1 frame, got 0",
        ));
    }
    let bins = n / 2 + 1;
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(n);
    let (mut input, mut output) = (fft.make_input_vec(), fft.make_output_vec());
    let mut scratch = fft.make_scratch_vec();
    let mut out = Bins {
        bins,
        re: Vec::with_capacity(bins * audio.channels),
        im: Vec::with_capacity(bins * audio.channels),
    };
    for c in 0..audio.channels {
        for (x, &v) in input
            .iter_mut()
            .zip(audio.data.iter().skip(c).step_by(audio.channels))
        {
            *x = v as f64;
        }
        // Lengths come from the plan itself, so this cannot fail.
        let _ = fft.process_with_scratch(&mut input, &mut output, &mut scratch);
        out.re.extend(output.iter().map(|z| z.re));
        out.im.extend(output.iter().map(|z| z.im));
    }
    Ok(out)
}

/// numpy's `irfft(bins, n=frames)` of each channel, interleaved.
///
/// ```
/// use ringstream_core::dsp::rfft::{irfft, Bins};
/// let b = Bins { bins: 3, re: vec![0.0, 2.0, 0.0], im: vec![0.0; 3] };
/// assert_eq!(irfft(&b, 1, 4).unwrap(), vec![1.0, 0.0, -1.0, 0.0]);
/// ```
pub fn irfft(b: &Bins, channels: usize, frames: usize) -> Result<Vec<f32>> {
    if channels == 0
        || frames == 0
        || b.bins != frames / 2 + 1
        || b.re.len() != b.bins * channels
        || b.im.len() != b.re.len()
    {
        return Err(Error::invalid_arg(format!(
            "a spectrum of {frames} frames over {channels} channels needs {} bins each, got {} values of {} bins",
            frames / 2 + 1,
            b.re.len(),
            b.bins
        )));
    }
    check_len(channels as u128 * frames as u128, "the signal")?;
    let ifft = RealFftPlanner::<f64>::new().plan_fft_inverse(frames);
    let (mut input, mut output) = (ifft.make_input_vec(), ifft.make_output_vec());
    let mut scratch = ifft.make_scratch_vec();
    let mut out = vec![0.0f32; channels * frames];
    for c in 0..channels {
        for (k, z) in input.iter_mut().enumerate() {
            z.re = b.re[c * b.bins + k];
            z.im = b.im[c * b.bins + k];
        }
        // numpy ignores the imaginary parts of DC and (even n) Nyquist.
        input[0].im = 0.0;
        if frames.is_multiple_of(2) {
            input[b.bins - 1].im = 0.0;
        }
        let _ = ifft.process_with_scratch(&mut input, &mut output, &mut scratch);
        for (o, y) in out.iter_mut().skip(c).step_by(channels).zip(&output) {
            *o = (y / frames as f64) as f32;
        }
    }
    Ok(out)
}

/// pya's `Aspec.weight` arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    /// Gains at `freqs`.
    pub weights: Vec<f64>,
    /// Where the gains apply, Hz, rising; `None`: evenly from 0 Hz to Nyquist.
    pub freqs: Option<Vec<f64>>,
    /// The interpolated gain is raised to this power.
    pub curve: f64,
    /// scipy's `interp1d` kind between the points.
    pub kind: Kind,
}

/// Every bin times the gain `w` interpolates at its frequency (bin `k` of
/// `frames` frames at `samplerate` is at `k * samplerate / frames` Hz), to
/// the power `curve`; beyond the outer points the outer gains hold.
///
/// ```
/// use ringstream_core::dsp::{interp::Kind, rfft::{weight, Bins, Weighting}};
/// let mut b = Bins { bins: 3, re: vec![1.0; 3], im: vec![0.0; 3] };
/// let w = Weighting { weights: vec![1.0, 0.0], freqs: None, curve: 1.0, kind: Kind::parse("linear").unwrap() };
/// weight(&mut b, 4, 4.0, &w).unwrap();
/// assert_eq!(b.re, vec![1.0, 0.5, 0.0]);
/// ```
pub fn weight(b: &mut Bins, frames: usize, samplerate: f64, w: &Weighting) -> Result<()> {
    check_finite(w.curve, "curve")?;
    for (i, v) in w.weights.iter().enumerate() {
        check_finite(*v, &format!("weights[{i}]"))?;
    }
    let nyquist = samplerate / 2.0;
    let (mut x, mut y) = match &w.freqs {
        None => {
            let n = w.weights.len();
            if n < 2 {
                return Err(Error::invalid_arg(format!(
                    "weights needs at least 2 values when freqs is left out, got {n}"
                )));
            }
            let x = (0..n)
                .map(|i| nyquist * i as f64 / (n - 1) as f64)
                .collect();
            (x, w.weights.clone())
        }
        Some(f) => {
            if f.len() != w.weights.len() || f.is_empty() {
                return Err(Error::invalid_arg(format!(
                    "weights and freqs must be the same length (at least 1), got {} and {}",
                    w.weights.len(),
                    f.len()
                )));
            }
            (f.clone(), w.weights.clone())
        }
    };
    // As pya: the first gain holds down to 0 Hz, the last up to Nyquist.
    if x[0] > 0.0 {
        x.insert(0, 0.0);
        y.insert(0, y[0]);
    }
    if x[x.len() - 1] < nyquist {
        x.push(nyquist);
        y.push(y[y.len() - 1]);
    }
    let f = Interp1d::new(&x, &y, w.kind, f64::NAN)?;
    let gains: Vec<f64> = (0..b.bins)
        .map(|k| {
            let hz = (k as f64 * samplerate / frames as f64).min(nyquist);
            f.at(hz).powf(w.curve)
        })
        .collect();
    for (i, (re, im)) in b.re.iter_mut().zip(b.im.iter_mut()).enumerate() {
        let g = gains[i % b.bins];
        *re *= g;
        *im *= g;
    }
    Ok(())
}
