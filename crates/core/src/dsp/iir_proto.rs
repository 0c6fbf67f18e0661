//! scipy's classic analog lowpass prototypes: `buttap`, `cheb1ap` and
//! `cheb2ap` (zeros, poles, gain), normalised to 1 rad/s.

use super::iir_design::prod_neg;
use realfft::num_complex::Complex;
use std::f64::consts::PI;

/// Zeros, poles and gain of an analog prototype.
pub(super) type Zpk = (Vec<Complex<f64>>, Vec<Complex<f64>>, f64);

/// `m = -n+1, -n+3, ..., n-1`, the angles' numerators of scipy's prototypes.
fn odd_steps(n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| (2 * i) as f64 - (n as f64 - 1.0))
}

/// scipy's `buttap`.
pub(super) fn buttap(n: usize) -> Zpk {
    let p = odd_steps(n)
        .map(|m| -Complex::from_polar(1.0, PI * m / (2.0 * n as f64)))
        .collect();
    (Vec::new(), p, 1.0)
}

/// scipy's `cheb1ap`.
pub(super) fn cheb1ap(n: usize, rp: f64) -> Zpk {
    let eps = (10f64.powf(0.1 * rp) - 1.0).sqrt();
    let mu = (1.0 / eps).asinh() / n as f64;
    let p: Vec<Complex<f64>> = odd_steps(n)
        .map(|m| -Complex::new(mu, PI * m / (2.0 * n as f64)).sinh())
        .collect();
    let mut k = prod_neg(&p).re;
    if n.is_multiple_of(2) {
        k /= (1.0 + eps * eps).sqrt();
    }
    (Vec::new(), p, k)
}

/// scipy's `cheb2ap`.
pub(super) fn cheb2ap(n: usize, rs: f64) -> Zpk {
    let de = 1.0 / (10f64.powf(0.1 * rs) - 1.0).sqrt();
    let mu = (1.0 / de).asinh() / n as f64;
    let nf = n as f64;
    // An odd order has no zero at m = 0 (it would sit at infinity).
    let z: Vec<Complex<f64>> = odd_steps(n)
        .filter(|&m| m != 0.0)
        .map(|m| -(Complex::new(0.0, 1.0) / (m * PI / (2.0 * nf)).sin()).conj())
        .collect();
    let p: Vec<Complex<f64>> = odd_steps(n)
        .map(|m| {
            let q = -Complex::from_polar(1.0, PI * m / (2.0 * nf));
            Complex::new(mu.sinh() * q.re, mu.cosh() * q.im).inv()
        })
        .collect();
    let k = (prod_neg(&p) / prod_neg(&z)).re;
    (z, p, k)
}
