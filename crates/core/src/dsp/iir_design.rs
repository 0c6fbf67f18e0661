//! IIR filter design as scipy.signal's `iirfilter(..., output='sos')`:
//! an analog lowpass prototype, scipy's frequency transform and bilinear
//! map, then scipy's pole/zero pairing into second-order sections (the
//! transforms and the pairing are `sci-rs`'s ports of scipy's own code).

use crate::{Error, Result};
use realfft::num_complex::Complex;
use sci_rs::signal::filter::design::{
    bilinear_zpk_dyn, lp2bp_zpk_dyn, lp2lp_zpk_dyn, zpk2sos_dyn, ZpkFormatFilter,
};
use std::f64::consts::PI;

use super::iir_bessel::besselap;
use super::iir_ellip::ellipap;
use super::iir_proto::{buttap, cheb1ap, cheb2ap};

/// One second-order section as scipy stores it: `[b0, b1, b2, a0, a1, a2]`
/// with `a0 = 1`.
pub type Section = [f64; 6];

/// The band a filter passes (scipy's `btype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// Below one cutoff.
    Lowpass,
    /// Above one cutoff.
    Highpass,
    /// Between two cutoffs.
    Bandpass,
    /// Outside two cutoffs.
    Bandstop,
}

impl Band {
    /// The band named `name` (`lowpass`, `highpass`, `bandpass`, `bandstop`).
    ///
    /// ```
    /// use ringstream_core::dsp::iir_design::Band;
    /// assert_eq!(Band::from_name("bandstop").unwrap(), Band::Bandstop);
    /// assert!(Band::from_name("notch").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "lowpass" => Band::Lowpass,
            "highpass" => Band::Highpass,
            "bandpass" => Band::Bandpass,
            "bandstop" => Band::Bandstop,
            _ => {
                return Err(Error::invalid_arg(format!(
                    "btype must be 'lowpass', 'highpass', 'bandpass' or 'bandstop', got '{name}'"
                )))
            }
        })
    }

    fn cutoffs(self) -> usize {
        match self {
            Band::Lowpass | Band::Highpass => 1,
            Band::Bandpass | Band::Bandstop => 2,
        }
    }
}

/// The analog prototype (scipy's `ftype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Maximally flat passband.
    Butter,
    /// Equiripple passband of `rp` dB.
    Cheby1,
    /// Equiripple stopband `rs` dB down.
    Cheby2,
    /// Equiripple in both bands: `rp` dB passband ripple, stopband `rs` dB down.
    Ellip,
    /// Maximally flat group delay (scipy's `norm='phase'`).
    Bessel,
}

impl Family {
    /// The family named `name` (`butter`, `cheby1`, `cheby2`, `ellip`, `bessel`).
    ///
    /// ```
    /// use ringstream_core::dsp::iir_design::Family;
    /// assert_eq!(Family::from_name("cheby2").unwrap(), Family::Cheby2);
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "butter" => Family::Butter,
            "cheby1" => Family::Cheby1,
            "cheby2" => Family::Cheby2,
            "ellip" => Family::Ellip,
            "bessel" => Family::Bessel,
            _ => {
                return Err(Error::invalid_arg(format!(
                    "ftype must be 'butter', 'cheby1', 'cheby2', 'ellip' or 'bessel', got '{name}'"
                )))
            }
        })
    }
}

/// What to design: scipy's `iirfilter(order, cutoffs / (samplerate / 2),
/// rp, rs, btype, ftype)`.
#[derive(Debug, Clone, PartialEq)]
pub struct IirSpec {
    /// The prototype's order (1 to [`MAX_ORDER`]); band filters have twice as many poles.
    pub order: usize,
    /// Cutoff frequencies in Hz: one for low/high-pass, two (rising) for band filters.
    pub cutoffs: Vec<f64>,
    /// The signal's sample rate.
    pub samplerate: f64,
    /// The band passed.
    pub band: Band,
    /// The prototype.
    pub family: Family,
    /// Passband ripple in dB (Chebyshev I, elliptic).
    pub rp: Option<f64>,
    /// Stopband attenuation in dB (Chebyshev II, elliptic).
    pub rs: Option<f64>,
}

/// The highest order designed: beyond it the sections lose all precision.
pub const MAX_ORDER: usize = 32;

/// The second-order sections of the filter `spec` describes, as scipy's
/// `iirfilter(..., output='sos')` returns them.
///
/// ```
/// use ringstream_core::dsp::iir_design::{iirfilter, Band, Family, IirSpec};
/// let spec = IirSpec { order: 2, cutoffs: vec![1000.0], samplerate: 8000.0,
///     band: Band::Lowpass, family: Family::Butter, rp: None, rs: None };
/// let sos = iirfilter(&spec).unwrap();
/// assert_eq!(sos.len(), 1);
/// // scipy.signal.butter(2, 0.25, output='sos')[0][0]
/// assert!((sos[0][0] - 0.09763107293781749).abs() < 1e-12);
/// ```
pub fn iirfilter(spec: &IirSpec) -> Result<Vec<Section>> {
    let wn = check(spec)?;
    refuse_unused(spec)?;
    let (z, p, k) = match spec.family {
        Family::Butter => buttap(spec.order),
        Family::Cheby1 => cheb1ap(spec.order, ripple(spec.rp, "rp", "cheby1")?),
        Family::Cheby2 => cheb2ap(spec.order, ripple(spec.rs, "rs", "cheby2")?),
        Family::Ellip => {
            let rp = ripple(spec.rp, "rp", "ellip")?;
            let rs = ripple(spec.rs, "rs", "ellip")?;
            ellipap(spec.order, rp, rs).ok_or_else(|| {
                Error::invalid_arg(format!(
                    "no elliptic filter has rp = {rp} dB and rs = {rs} dB: the stopband must lie further down than the ripple"
                ))
            })?
        }
        Family::Bessel => besselap(spec.order),
    };
    // scipy's pre-warp with fs = 2: cutoffs are fractions of Nyquist.
    let warped: Vec<f64> = wn.iter().map(|w| 4.0 * (PI * w / 2.0).tan()).collect();
    let proto = ZpkFormatFilter::new(z, p, k);
    let analog = match spec.band {
        Band::Lowpass => lp2lp_zpk_dyn(proto, Some(warped[0])),
        Band::Highpass => lp2hp_zpk(proto, warped[0]),
        Band::Bandpass | Band::Bandstop => {
            let bw = warped[1] - warped[0];
            let wo = (warped[0] * warped[1]).sqrt();
            if spec.band == Band::Bandpass {
                lp2bp_zpk_dyn(proto, Some(wo), Some(bw))
            } else {
                lp2bs_zpk(proto, wo, bw)
            }
        }
    };
    let digital = bilinear_zpk_dyn(analog, 2.0);
    let poles = digital.p.len();
    let sos = zpk2sos_dyn(poles, digital, None, Some(false)).sos;
    Ok(sos
        .iter()
        .map(|s| [s.b[0], s.b[1], s.b[2], s.a[0], s.a[1], s.a[2]])
        .collect())
}

/// The cutoffs as fractions of Nyquist, after checking every field.
fn check(spec: &IirSpec) -> Result<Vec<f64>> {
    if spec.order == 0 || spec.order > MAX_ORDER {
        return Err(Error::invalid_arg(format!(
            "order must be a whole number from 1 to {MAX_ORDER}, got {}",
            spec.order
        )));
    }
    super::audio::check_rate(spec.samplerate)?;
    let want = spec.band.cutoffs();
    if spec.cutoffs.len() != want {
        return Err(Error::invalid_arg(format!(
            "a {:?} filter takes {want} cutoff frequenc{}, got {}",
            spec.band,
            if want == 1 { "y" } else { "ies" },
            spec.cutoffs.len()
        )));
    }
    let nyquist = spec.samplerate / 2.0;
    for &f in &spec.cutoffs {
        if !(f > 0.0 && f < nyquist) {
            return Err(Error::invalid_arg(format!(
                "cutoff frequencies must lie strictly between 0 and {nyquist} Hz (half the samplerate), got {f}"
            )));
        }
    }
    if want == 2 && spec.cutoffs[0] >= spec.cutoffs[1] {
        return Err(Error::invalid_arg(format!(
            "band cutoffs must rise: [low, high], got [{}, {}]",
            spec.cutoffs[0], spec.cutoffs[1]
        )));
    }
    Ok(spec.cutoffs.iter().map(|f| f / nyquist).collect())
}

/// scipy ignores `rp` / `rs` where the family has no ripple; a port that
/// passes one expects it to shape the filter, so it is refused instead.
fn refuse_unused(spec: &IirSpec) -> Result<()> {
    let (uses_rp, uses_rs, family) = match spec.family {
        Family::Butter => (false, false, "butter"),
        Family::Cheby1 => (true, false, "cheby1"),
        Family::Cheby2 => (false, true, "cheby2"),
        Family::Ellip => (true, true, "ellip"),
        Family::Bessel => (false, false, "bessel"),
    };
    for (given, used, name, who) in [
        (spec.rp, uses_rp, "rp", "cheby1 and ellip"),
        (spec.rs, uses_rs, "rs", "cheby2 and ellip"),
    ] {
        if given.is_some() && !used {
            return Err(Error::invalid_arg(format!(
                "a {family} filter has no {name}: only {who} filters take {name} (dB); leave it out"
            )));
        }
    }
    Ok(())
}

fn ripple(value: Option<f64>, name: &str, family: &str) -> Result<f64> {
    match value {
        Some(v) if v.is_finite() && v > 0.0 => Ok(v),
        Some(v) => Err(Error::invalid_arg(format!(
            "{name} must be a positive number of dB, got {v}"
        ))),
        None => Err(Error::invalid_arg(format!(
            "a {family} filter needs {name} (dB)"
        ))),
    }
}

/// scipy's `lp2hp_zpk` (sci-rs 0.4.1's drops a prototype's finite zeros'
/// inversion, as cheby2's and ellip's).
fn lp2hp_zpk(proto: ZpkFormatFilter<f64>, wo: f64) -> ZpkFormatFilter<f64> {
    let degree = proto.p.len() - proto.z.len();
    let invert =
        |roots: &[Complex<f64>]| -> Vec<Complex<f64>> { roots.iter().map(|r| wo / r).collect() };
    let mut z = invert(&proto.z);
    z.extend(std::iter::repeat_n(Complex::new(0.0, 0.0), degree));
    let k = proto.k * (prod_neg(&proto.z) / prod_neg(&proto.p)).re;
    ZpkFormatFilter::new(z, invert(&proto.p), k)
}

/// The product of `-r` over `roots` (the gain factor scipy's transforms use).
pub(super) fn prod_neg(roots: &[Complex<f64>]) -> Complex<f64> {
    roots.iter().fold(Complex::new(1.0, 0.0), |acc, r| acc * -r)
}

/// scipy's `lp2bs_zpk` (sci-rs 0.4.1's garbles a prototype with zeros, as cheby2's).
fn lp2bs_zpk(proto: ZpkFormatFilter<f64>, wo: f64, bw: f64) -> ZpkFormatFilter<f64> {
    let degree = proto.p.len() - proto.z.len();
    let split = |roots: &[Complex<f64>]| -> Vec<Complex<f64>> {
        let hp: Vec<Complex<f64>> = roots.iter().map(|r| (bw / 2.0) / r).collect();
        let root = |h: &Complex<f64>| (h * h - wo * wo).sqrt();
        let plus = hp.iter().map(|h| h + root(h));
        let minus = hp.iter().map(|h| h - root(h));
        plus.chain(minus).collect()
    };
    let mut z = split(&proto.z);
    z.extend(std::iter::repeat_n(Complex::new(0.0, wo), degree));
    z.extend(std::iter::repeat_n(Complex::new(0.0, -wo), degree));
    let k = proto.k * (prod_neg(&proto.z) / prod_neg(&proto.p)).re;
    ZpkFormatFilter::new(z, split(&proto.p), k)
}

#[cfg(test)]
#[path = "iir_design_tests.rs"]
mod tests;
