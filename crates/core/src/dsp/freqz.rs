//! The frequency response of second-order sections, as scipy.signal's
//! `sosfreqz(sos, worN=points, fs=samplerate)`.

use super::iir_design::Section;
use crate::{Error, Result};
use realfft::num_complex::Complex;
use std::f64::consts::PI;

/// A filter's response at evenly spread frequencies from 0 up to (not
/// including) Nyquist.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The frequencies, Hz.
    pub freqs: Vec<f64>,
    /// The complex response at each, real parts.
    pub re: Vec<f64>,
    /// The complex response at each, imaginary parts.
    pub im: Vec<f64>,
}

/// The response of `sos` at `points` frequencies `k * samplerate / (2 *
/// points)`.
///
/// ```
/// use ringstream_core::dsp::freqz::freqz;
/// // A two-tap average: unity at DC, cos(w/2) in general.
/// let r = freqz(&[[0.5, 0.5, 0.0, 1.0, 0.0, 0.0]], 4, 8000.0).unwrap();
/// assert_eq!(r.freqs, vec![0.0, 1000.0, 2000.0, 3000.0]);
/// assert!((r.re[0] - 1.0).abs() < 1e-12);
/// ```
pub fn freqz(sos: &[Section], points: usize, samplerate: f64) -> Result<Response> {
    super::audio::check_rate(samplerate)?;
    if points == 0 || points > 1 << 24 {
        return Err(Error::invalid_arg(format!(
            "points must be from 1 to {}, got {points}",
            1 << 24
        )));
    }
    let mut r = Response {
        freqs: Vec::with_capacity(points),
        re: Vec::with_capacity(points),
        im: Vec::with_capacity(points),
    };
    for k in 0..points {
        let w = PI * k as f64 / points as f64;
        let z1 = Complex::from_polar(1.0, -w);
        let z2 = z1 * z1;
        let h = sos.iter().fold(Complex::new(1.0, 0.0), |h, s| {
            h * (s[0] + z1 * s[1] + z2 * s[2]) / (s[3] + z1 * s[4] + z2 * s[5])
        });
        r.freqs.push(k as f64 * samplerate / (2.0 * points as f64));
        r.re.push(h.re);
        r.im.push(h.im);
    }
    Ok(r)
}
