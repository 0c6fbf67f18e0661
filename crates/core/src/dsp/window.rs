//! pya's `window` and `window_op`: a scipy window over a whole signal, and
//! a measure of windowed segments around every `stride`-th frame.

use super::audio::Audio;
use crate::{Error, Result};
use std::f64::consts::TAU;

/// scipy's `get_window(name, n)` (periodic, `fftbins=True`) for `triang`,
/// `hann`, `hamming`, `blackman`, `bartlett` and `boxcar`.
///
/// ```
/// use ringstream_core::dsp::window::get_window;
/// let w = get_window("triang", 4).unwrap(); // scipy: [1/3, 2/3, 1, 2/3]
/// assert!(w.iter().zip([1.0 / 3.0, 2.0 / 3.0, 1.0, 2.0 / 3.0]).all(|(a, b)| (a - b).abs() < 1e-12));
/// ```
pub fn get_window(name: &str, n: usize) -> Result<Vec<f64>> {
    // A periodic window is the symmetric one of n + 1 points, less its last.
    let m = n + 1;
    let sym = |f: &dyn Fn(f64) -> f64| -> Vec<f64> { (0..n).map(|i| f(i as f64)).collect() };
    let cosine = |a: &[f64]| {
        sym(&|i| {
            let p = TAU * i / (m - 1) as f64;
            a.iter()
                .enumerate()
                .map(|(k, &c)| if k % 2 == 0 { c } else { -c } * (k as f64 * p).cos())
                .sum()
        })
    };
    if n == 1 {
        return get_window(name, 2).map(|_| vec![1.0]);
    }
    Ok(match name {
        "boxcar" | "rect" => vec![1.0; n],
        "hann" => cosine(&[0.5, 0.5]),
        "hamming" => cosine(&[0.54, 0.46]),
        "blackman" => cosine(&[0.42, 0.5, 0.08]),
        "bartlett" => {
            let h = (m - 1) as f64 / 2.0;
            sym(&|i| 1.0 - ((i - h) / h).abs())
        }
        "triang" => {
            // scipy's triang(m): (2k - 1) / m rising (even m), 2k / (m + 1) (odd m).
            let half: Vec<f64> = (1..=m.div_ceil(2))
                .map(|k| {
                    if m.is_multiple_of(2) {
                        (2 * k - 1) as f64 / m as f64
                    } else {
                        2.0 * k as f64 / (m + 1) as f64
                    }
                })
                .collect();
            let mut w = half.clone();
            let skip = usize::from(!m.is_multiple_of(2));
            w.extend(half.iter().rev().skip(skip));
            w.truncate(n);
            w
        }
        _ => {
            return Err(Error::invalid_arg(format!(
                "win must be 'triang', 'hann', 'hamming', 'blackman', 'bartlett' or 'boxcar', got '{name}'"
            )))
        }
    })
}

/// Every channel times `get_window(name, frames)`, interleaved.
///
/// ```
/// use ringstream_core::dsp::{window::apply, Audio};
/// let y = apply(&Audio::new(&[1.0; 4], 1, 4.0).unwrap(), "hann").unwrap();
/// assert!((y[2] - 1.0).abs() < 1e-7 && y[0].abs() < 1e-7);
/// ```
pub fn apply(audio: &Audio, name: &str) -> Result<Vec<f32>> {
    let w = get_window(name, audio.frames())?;
    Ok(audio
        .data
        .chunks_exact(audio.channels)
        .zip(&w)
        .flat_map(|(frame, g)| frame.iter().map(move |x| (*x as f64 * g) as f32))
        .collect())
}

/// pya's `window_op(nperseg, stride, win, 'rms')`: around every `stride`-th
/// frame `c`, frames `max(c - nperseg / 2, 0)` to `min(c + nperseg / 2,
/// frames - 1)` (exclusive, as pya cuts them), times the window `win` of
/// that length (`None`: unwindowed), then the RMS of each channel; one
/// output frame per segment.
///
/// ```
/// use ringstream_core::dsp::{window::window_rms, Audio};
/// // pya's test_windowing: ones, nperseg 2, stride 1, hann.
/// let y = window_rms(&Audio::new(&[1.0; 10], 1, 2.0).unwrap(), 2, 1, Some("hann")).unwrap();
/// assert!((y[0] - 1.0).abs() < 1e-6 && (y[1] - 0.70710677).abs() < 1e-6 && (y[9] - 1.0).abs() < 1e-6);
/// ```
pub fn window_rms(
    audio: &Audio,
    nperseg: usize,
    stride: usize,
    win: Option<&str>,
) -> Result<Vec<f32>> {
    if nperseg == 0 || stride == 0 {
        return Err(Error::invalid_arg(format!(
            "nperseg and stride must be at least 1, got {nperseg} and {stride}"
        )));
    }
    if let Some(name) = win {
        get_window(name, 2)?;
    }
    let frames = audio.frames();
    let ch = audio.channels;
    let mut out = Vec::with_capacity(frames.div_ceil(stride) * ch);
    for c in (0..frames).step_by(stride) {
        let i0 = c.saturating_sub(nperseg / 2);
        let i1 = (c + nperseg / 2).min(frames.saturating_sub(1));
        let len = i1.saturating_sub(i0);
        let w = match win {
            Some(name) if len > 0 => get_window(name, len)?,
            _ => vec![1.0; len],
        };
        for k in 0..ch {
            let sum: f64 = (i0..i1)
                .zip(&w)
                .map(|(f, g)| (audio.data[f * ch + k] as f64 * g).powi(2))
                .sum();
            out.push(if len == 0 {
                f32::NAN
            } else {
                (sum / len as f64).sqrt() as f32
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_match_scipy_get_window() {
        // scipy.signal.get_window(name, 5), 12 digits.
        let cases: [(&str, [f64; 5]); 5] = [
            (
                "triang",
                [0.166666666667, 0.5, 0.833333333333, 0.833333333333, 0.5],
            ),
            (
                "hann",
                [
                    0.0,
                    0.345491502813,
                    0.904508497187,
                    0.904508497187,
                    0.345491502813,
                ],
            ),
            (
                "hamming",
                [
                    0.08,
                    0.397852182588,
                    0.912147817412,
                    0.912147817412,
                    0.397852182588,
                ],
            ),
            (
                "blackman",
                [
                    0.0,
                    0.200770143263,
                    0.849229856737,
                    0.849229856737,
                    0.200770143263,
                ],
            ),
            ("bartlett", [0.0, 0.4, 0.8, 0.8, 0.4]),
        ];
        for (name, want) in cases {
            let got = get_window(name, 5).unwrap();
            assert!(
                got.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-11),
                "{name}: {got:?}"
            );
            assert_eq!(get_window(name, 1).unwrap(), vec![1.0]);
        }
        assert!(get_window("kaiser", 4).is_err());
    }

    #[test]
    fn window_rms_is_per_channel() {
        // pya's test_windowing on two channels: the same column twice.
        let y = window_rms(&Audio::new(&[1.0; 20], 2, 2.0).unwrap(), 2, 1, Some("hann")).unwrap();
        assert_eq!(y.len(), 20);
        assert!((y[2] - 0.70710677).abs() < 1e-6 && (y[3] - 0.70710677).abs() < 1e-6);
        assert!(window_rms(&Audio::new(&[1.0; 2], 1, 2.0).unwrap(), 0, 1, None).is_err());
    }
}
