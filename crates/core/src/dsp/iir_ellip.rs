//! scipy's elliptic (Cauer) analog prototype, `ellipap`, and the Jacobi
//! elliptic functions it needs (cephes' `ellipj` and `ellpk` by the
//! arithmetic-geometric mean, Orfanidis' degree equation and inverse `sn`
//! by Landen's transformation), so the sections match scipy's digits.

use super::iir_design::prod_neg;
use realfft::num_complex::Complex;
use std::f64::consts::{FRAC_PI_2, PI};

type C = Complex<f64>;

/// scipy's `EPSILON` in `_filter_design`: below it a root counts as zero.
const EPSILON: f64 = 2e-16;
/// Terms of the nome series in scipy's `_ellipdeg`.
const ELLIPDEG_MMAX: i32 = 7;
/// Landen steps scipy allows in `_arc_jac_sn` before giving up.
const LANDEN_MAXITER: usize = 10;

/// The arithmetic-geometric mean of `a` and `b`.
fn agm(mut a: f64, mut b: f64) -> f64 {
    for _ in 0..64 {
        if (a - b).abs() <= f64::EPSILON * a {
            break;
        }
        (a, b) = ((a + b) / 2.0, (a * b).sqrt());
    }
    a
}

/// The complete elliptic integral of the first kind `K(m)`.
fn ellipk(m: f64) -> f64 {
    PI / (2.0 * agm(1.0, (1.0 - m).sqrt()))
}

/// `K(1 - p)`, exact for small `p` (scipy's `ellipkm1`).
fn ellipkm1(p: f64) -> f64 {
    PI / (2.0 * agm(1.0, p.sqrt()))
}

/// Jacobi's `sn`, `cn`, `dn` of `u` with parameter `m`, as cephes' `ellipj`
/// (descending Landen/AGM, with its series at the two ends of `m`).
fn ellipj(u: f64, m: f64) -> (f64, f64, f64) {
    if m < 1e-9 {
        let (t, b) = (u.sin(), u.cos());
        let ai = 0.25 * m * (u - t * b);
        return (t - ai * b, b + ai * t, 1.0 - 0.5 * m * t * t);
    }
    if m >= 0.9999999999 {
        let ai = 0.25 * (1.0 - m);
        let (b, t) = (u.cosh(), u.tanh());
        let phi = 1.0 / b;
        let twon = b * u.sinh();
        let sn = t + ai * (twon - u) / (b * b);
        let ai = ai * t * phi;
        return (sn, phi - ai * (twon - u), phi + ai * (twon + u));
    }
    let mut a = [0.0f64; 9];
    let mut c = [0.0f64; 9];
    a[0] = 1.0;
    c[0] = m.sqrt();
    let mut b = (1.0 - m).sqrt();
    let mut twon = 1.0;
    let mut i = 0;
    while (c[i] / a[i]).abs() > f64::EPSILON / 2.0 && i < 8 {
        let ai = a[i];
        i += 1;
        c[i] = (ai - b) / 2.0;
        let t = (ai * b).sqrt();
        a[i] = (ai + b) / 2.0;
        b = t;
        twon *= 2.0;
    }
    let mut phi = twon * a[i] * u;
    let mut last = phi;
    while i > 0 {
        let t = c[i] * phi.sin() / a[i];
        last = phi;
        phi = (t.asin() + phi) / 2.0;
        i -= 1;
    }
    let cn = phi.cos();
    (phi.sin(), cn, cn / (phi - last).cos())
}

/// scipy's `_ellipdeg`: the `m` with `n K(m) / K'(m) = K(m1) / K'(m1)`.
fn ellipdeg(n: usize, m1: f64) -> f64 {
    let q1 = (-PI * ellipkm1(m1) / ellipk(m1)).exp();
    let q = q1.powf(1.0 / n as f64);
    let num: f64 = (0..=ELLIPDEG_MMAX).map(|m| q.powi(m * (m + 1))).sum();
    let den: f64 = 1.0 + 2.0 * (1..=ELLIPDEG_MMAX + 1).map(|m| q.powi(m * m)).sum::<f64>();
    16.0 * q * (num / den).powi(4)
}

/// scipy's `_arc_jac_sn`: the `z` with `sn(z, m) = w`, by Landen's
/// transformation; `None` when it does not converge.
fn arc_jac_sn(w: C, m: f64) -> Option<C> {
    let complement = |x: C| ((1.0 - x) * (1.0 + x)).sqrt();
    let k = m.sqrt();
    if k >= 1.0 {
        return (k == 1.0).then(|| w.atanh());
    }
    let mut ks = vec![k];
    while *ks.last()? != 0.0 {
        if ks.len() > LANDEN_MAXITER {
            return None;
        }
        let kp = complement(C::new(*ks.last()?, 0.0)).re;
        ks.push((1.0 - kp) / (1.0 + kp));
    }
    let capk = ks[1..].iter().map(|k| 1.0 + k).product::<f64>() * FRAC_PI_2;
    let mut wn = w;
    for pair in ks.windows(2) {
        wn = 2.0 * wn / ((1.0 + pair[1]) * (1.0 + complement(pair[0] * wn)));
    }
    Some(capk * (2.0 / PI) * wn.asin())
}

/// `10^x - 1`, exact for `x` near 0 (scipy's `_pow10m1`).
fn pow10m1(x: f64) -> f64 {
    (std::f64::consts::LN_10 * x).exp_m1()
}

/// scipy's `ellipap(n, rp, rs)`: zeros, poles and gain of the normalised
/// elliptic lowpass with `rp` dB passband ripple and the stopband `rs` dB
/// down; `None` when `rp` and `rs` admit no filter.
pub(super) fn ellipap(n: usize, rp: f64, rs: f64) -> Option<(Vec<C>, Vec<C>, f64)> {
    if n == 1 {
        let p = -(1.0 / pow10m1(0.1 * rp)).sqrt();
        return Some((Vec::new(), vec![C::new(p, 0.0)], -p));
    }
    let eps_sq = pow10m1(0.1 * rp);
    let ck1_sq = eps_sq / pow10m1(0.1 * rs);
    if ck1_sq == 0.0 || !ck1_sq.is_finite() {
        return None;
    }
    let m = ellipdeg(n, ck1_sq);
    let capk = ellipk(m);
    let nf = n as f64;
    let js = (1 - n % 2..n).step_by(2);
    let scd: Vec<(f64, f64, f64)> = js.map(|j| ellipj(j as f64 * capk / nf, m)).collect();
    let mut z: Vec<C> = scd
        .iter()
        .filter(|(s, _, _)| s.abs() > EPSILON)
        .map(|(s, _, _)| C::new(0.0, 1.0 / (m.sqrt() * s)))
        .collect();
    z.extend(z.clone().iter().map(|z| z.conj()));
    let r = arc_jac_sn(C::new(0.0, 1.0 / eps_sq.sqrt()), ck1_sq)?;
    if r.re.abs() > 1e-14 {
        return None;
    }
    let v0 = capk * r.im / (nf * ellipk(ck1_sq));
    let (sv, cv, dv) = ellipj(v0, 1.0 - m);
    let half: Vec<C> = scd
        .iter()
        .map(|(s, c, d)| -C::new(c * d * sv * cv, s * dv) / (1.0 - (d * sv).powi(2)))
        .collect();
    let norm = half.iter().map(|p| p.norm_sqr()).sum::<f64>().sqrt();
    let mut p = half.clone();
    p.extend(
        half.iter()
            .filter(|p| n.is_multiple_of(2) || p.im.abs() > EPSILON * norm)
            .map(|p| p.conj()),
    );
    let mut k = (prod_neg(&p) / prod_neg(&z)).re;
    if n.is_multiple_of(2) {
        k /= (1.0 + eps_sq).sqrt();
    }
    Some((z, p, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elliptic_functions_match_scipy() {
        // scipy.special.ellipj(0.7, 0.3), ellipk(0.3), ellipkm1(1e-5)
        let (s, c, d) = ellipj(0.7, 0.3);
        assert!((s - 0.6323047763108646).abs() < 1e-14, "{s}");
        assert!((c - 0.7747197363269298).abs() < 1e-14, "{c}");
        assert!((d - 0.9381136396814304).abs() < 1e-14, "{d}");
        assert!((ellipk(0.3) - 1.713889448178791).abs() < 1e-14);
        assert!((ellipkm1(1e-5) - 7.142772450581779).abs() < 1e-12);
    }

    #[test]
    fn fourth_order_prototype_matches_scipy() {
        // scipy.signal.ellipap(4, 1, 40)
        let (z, p, k) = ellipap(4, 1.0, 40.0).unwrap();
        assert_eq!((z.len(), p.len()), (4, 4));
        assert!((k - 0.009999999999999997).abs() < 1e-15, "{k}");
        let mut im: Vec<f64> = z.iter().map(|z| z.im).collect();
        im.sort_by(f64::total_cmp);
        assert!((im[3] - 3.5252874329960022).abs() < 1e-12, "{im:?}");
        assert!(ellipap(4, 1.0, 0.0).is_none());
    }
}
