//! Fractional-octave bands, as OsSom's `freq_to_band`,
//! `fractional_octave_frequencies` and `normalize_frequencies`.

use super::audio::check_rate;
use crate::{Error, Result};

/// The ISO 266 R40 preferred numbers (one decade, 1/12-octave steps in base
/// 10): nominal band centers are these times a power of ten; thirds use
/// every fourth (1, 1.25, 1.6, 2, ...), octaves every twelfth.
const R40: [f64; 40] = [
    1.00, 1.06, 1.12, 1.18, 1.25, 1.32, 1.40, 1.50, 1.60, 1.70, 1.80, 1.90, 2.00, 2.12, 2.24, 2.36,
    2.50, 2.65, 2.80, 3.00, 3.15, 3.35, 3.55, 3.75, 4.00, 4.25, 4.50, 4.75, 5.00, 5.30, 5.60, 6.00,
    6.30, 6.70, 7.10, 7.50, 8.00, 8.50, 9.00, 9.50,
];

/// OsSom's factor: an octave is `base^factor`, 0.3 decades in base 10, 1 in base 2.
fn factor(base: u32) -> Result<f64> {
    match base {
        10 => Ok(0.3),
        2 => Ok(1.0),
        b => Err(Error::invalid_arg(format!("base must be 10 or 2, got {b}"))),
    }
}

/// Band numbering: bands per octave, reference and base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandSpec {
    /// Bands per octave (`n` for 1/n-octave bands), at least 1.
    pub nth_oct: u32,
    /// The frequency of band 0.
    pub ref_freq: f64,
    /// 10 or 2.
    pub base: u32,
}

impl BandSpec {
    fn check(&self) -> Result<f64> {
        if self.nth_oct == 0 {
            return Err(Error::invalid_arg("nthOct must be at least 1, got 0"));
        }
        positive(self.ref_freq, "refFreq")?;
        factor(self.base)
    }
}

fn positive(f: f64, what: &str) -> Result<f64> {
    if !(f.is_finite() && f > 0.0) {
        return Err(Error::invalid_arg(format!(
            "{what} must be a positive frequency, got {f}"
        )));
    }
    Ok(f)
}

/// OsSom's `freq_to_band`: `round(log_base(freq / ref) * n / factor)`.
pub fn freq_to_band(freq: f64, spec: &BandSpec) -> Result<i64> {
    let factor = spec.check()?;
    positive(freq, "freq")?;
    let log = (freq / spec.ref_freq).ln() / f64::from(spec.base).ln();
    Ok((log * f64::from(spec.nth_oct) / factor).round() as i64)
}

/// The nominal value of an exact center: the nearest R40 number (times its
/// decade) when the bands fall on R40 steps (1/n octaves with n dividing 12,
/// referenced to 1000 Hz), else the exact value to three significant digits.
fn nominal(exact: f64, spec: &BandSpec) -> f64 {
    let decade = 10f64.powf(exact.log10().floor());
    let mantissa = exact / decade;
    if 12 % spec.nth_oct == 0 && spec.ref_freq == 1000.0 {
        let nearest = R40
            .iter()
            .chain(std::iter::once(&10.0))
            .min_by(|a, b| {
                let da = (mantissa / **a).ln().abs();
                let db = (mantissa / **b).ln().abs();
                da.total_cmp(&db)
            })
            .copied()
            .unwrap_or(mantissa);
        nearest * decade
    } else {
        let scale = 100.0 / decade;
        (exact * scale).round() / scale
    }
}

/// OsSom's `fractional_octave_frequencies`: `[lower, center, upper]` of
/// every band from the one holding `range.0` to the one holding `range.1`.
/// Centers are nominal (1000, 1250, 1600, ... for thirds); the edges are the
/// exact center `ref * base^(band * factor / n)` divided and multiplied by
/// `base^(factor / (2n))`, as the standards define them.
pub fn fractional_octave_frequencies(spec: &BandSpec, range: (f64, f64)) -> Result<Vec<[f64; 3]>> {
    let factor = spec.check()?;
    positive(range.0, "freqRange[0]")?;
    positive(range.1, "freqRange[1]")?;
    if range.0 > range.1 {
        return Err(Error::invalid_arg(format!(
            "freqRange must be [low, high] with low <= high, got [{}, {}]",
            range.0, range.1
        )));
    }
    let n = f64::from(spec.nth_oct);
    let base = f64::from(spec.base);
    let half = base.powf(factor / (2.0 * n));
    let first = freq_to_band(range.0, spec)?;
    let last = freq_to_band(range.1, spec)?;
    Ok((first..=last)
        .map(|band| {
            let exact = spec.ref_freq * base.powf(band as f64 * factor / n);
            [exact / half, nominal(exact, spec), exact * half]
        })
        .collect())
}

/// OsSom's `normalize_frequencies`: each frequency divided by the Nyquist
/// frequency `samplerate / 2` (1 is Nyquist).
pub fn normalize_frequencies(freqs: &[f64], samplerate: f64) -> Result<Vec<f64>> {
    check_rate(samplerate)?;
    Ok(freqs.iter().map(|f| f / (samplerate / 2.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const THIRDS: BandSpec = BandSpec {
        nth_oct: 3,
        ref_freq: 1000.0,
        base: 10,
    };

    #[test]
    fn band_numbers() {
        assert_eq!(freq_to_band(1000.0, &THIRDS).unwrap(), 0);
        assert_eq!(freq_to_band(1250.0, &THIRDS).unwrap(), 1);
        // 10 log10(20 / 1000) = -16.99
        assert_eq!(freq_to_band(20.0, &THIRDS).unwrap(), -17);
        let b2 = BandSpec { base: 2, ..THIRDS };
        assert_eq!(freq_to_band(2000.0, &b2).unwrap(), 3);
        assert!(freq_to_band(1000.0, &BandSpec { base: 3, ..THIRDS }).is_err());
    }

    #[test]
    fn thirds_are_nominal_and_edges_exact() {
        let f = fractional_octave_frequencies(&THIRDS, (20.0, 20000.0)).unwrap();
        assert_eq!(f.len(), 31);
        let centers: Vec<f64> = f.iter().map(|b| b[1]).collect();
        assert_eq!(&centers[..4], &[20.0, 25.0, 31.5, 40.0]);
        assert_eq!(centers[17], 1000.0);
        assert_eq!(centers[18], 1250.0);
        assert_eq!(centers[30], 20000.0);
        // Edges of band 0: 1000 / 10^0.05 and 1000 * 10^0.05.
        assert!((f[17][0] - 891.250_938_133_745_5).abs() < 1e-9);
        assert!((f[17][2] - 1_122.018_454_301_963_4).abs() < 1e-9);
        let oct = BandSpec {
            nth_oct: 1,
            ..THIRDS
        };
        let o = fractional_octave_frequencies(&oct, (30.0, 16000.0)).unwrap();
        let oc: Vec<f64> = o.iter().map(|b| b[1]).collect();
        assert_eq!(
            oc,
            vec![31.5, 63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0]
        );
    }
}
