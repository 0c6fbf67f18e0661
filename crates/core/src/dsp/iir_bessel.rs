//! scipy's Bessel (Thomson) analog prototype, `besselap(n, norm='phase')`:
//! the roots of the reverse Bessel polynomial, scaled so the phase reaches
//! half its swing at 1 rad/s (asymptotes as Butterworth's).
//!
//! scipy finds them with Aberth-Ehrlich iteration on `K_{n+1/2}` from
//! Campos and Calderon's starting points; the same iteration runs here on
//! the polynomial itself, rescaled so its roots have magnitude near 1,
//! then Newton's method polishes each root.

use realfft::num_complex::Complex;

type C = Complex<f64>;

/// Aberth sweeps before giving up (scipy allows 50; these converge in ~10).
const MAX_SWEEPS: usize = 100;

/// The reverse Bessel polynomial `theta_n`, lowest power first (OEIS
/// A001498: `a_k = (2n-k)! / (2^(n-k) k! (n-k)!)`).
fn reverse_bessel(n: usize) -> Vec<f64> {
    let mut a = vec![0.0; n + 1];
    a[n] = 1.0;
    for k in (0..n).rev() {
        a[k] = a[k + 1] * ((2 * n - k) * (k + 1)) as f64 / (2 * (n - k)) as f64;
    }
    a
}

/// `P(x)` and `P'(x)` by Horner's scheme.
fn eval(poly: &[f64], x: C) -> (C, C) {
    let mut p = C::new(0.0, 0.0);
    let mut dp = C::new(0.0, 0.0);
    for &c in poly.iter().rev() {
        dp = dp * x + p;
        p = p * x + c;
    }
    (p, dp)
}

/// Campos and Calderon's approximate zeros of the ordinary Bessel
/// polynomial `y_n` (scipy's `_campos_zeros`).
fn campos_zeros(n: usize) -> Vec<C> {
    if n == 1 {
        return vec![C::new(-1.0, 0.0)];
    }
    let nf = n as f64;
    let poly = |c: &[f64], x: f64| c.iter().rev().fold(0.0, |acc, c| acc * x + c);
    let s = poly(&[0.0, 0.0, 2.0, 0.0, -3.0, 1.0], nf);
    let b3 = poly(&[16.0, -8.0], nf) / s;
    let b2 = poly(&[-24.0, -12.0, 12.0], nf) / s;
    let b1 = poly(&[8.0, 24.0, -12.0, -2.0], nf) / s;
    let b0 = poly(&[0.0, -6.0, 0.0, 5.0, -1.0], nf) / s;
    let r = poly(&[0.0, 0.0, 2.0, 1.0], nf);
    let a1 = poly(&[-6.0, -6.0], nf) / r;
    let a2 = 6.0 / r;
    (1..=n)
        .map(|k| {
            let k = k as f64;
            C::new(poly(&[0.0, a1, a2], k), poly(&[b0, b1, b2, b3], k))
        })
        .collect()
}

/// scipy's `besselap(n, norm='phase')`: no zeros, `n` poles, gain 1.
pub(super) fn besselap(n: usize) -> (Vec<C>, Vec<C>, f64) {
    // theta_n(w u) / w^n with w = theta_n(0)^(1/n): monic, constant term 1,
    // its roots u the phase-normalised poles, all of magnitude near 1.
    let theta = reverse_bessel(n);
    let w = theta[0].powf(1.0 / n as f64);
    let poly: Vec<f64> = theta
        .iter()
        .enumerate()
        .map(|(k, c)| c * w.powi(k as i32 - n as i32))
        .collect();
    let mut x: Vec<C> = campos_zeros(n).iter().map(|z| 1.0 / (z * w)).collect();
    for _ in 0..MAX_SWEEPS {
        let mut largest: f64 = 0.0;
        for k in 0..n {
            let (p, dp) = eval(&poly, x[k]);
            let alpha = -p / dp;
            let beta: C = (0..n)
                .filter(|&j| j != k)
                .map(|j| 1.0 / (x[k] - x[j]))
                .sum();
            let step = alpha / (1.0 + alpha * beta);
            x[k] += step;
            largest = largest.max(step.norm());
        }
        if largest <= 1e-15 {
            break;
        }
    }
    for root in x.iter_mut() {
        for _ in 0..4 {
            let (p, dp) = eval(&poly, *root);
            if dp.norm() == 0.0 {
                break;
            }
            *root -= p / dp;
        }
    }
    // Conjugate pairs made exactly symmetric, as scipy does.
    let mirrored: Vec<C> = x.iter().rev().map(|r| r.conj()).collect();
    let p = x
        .iter()
        .zip(&mirrored)
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    (Vec::new(), p, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_bessel_coefficients_are_oeis_a001498() {
        assert_eq!(reverse_bessel(4), [105.0, 105.0, 45.0, 10.0, 1.0]);
        assert_eq!(reverse_bessel(1), [1.0, 1.0]);
    }

    #[test]
    fn fifth_order_poles_match_scipy() {
        // scipy.signal.besselap(5)
        let (_, p, k) = besselap(5);
        assert_eq!(k, 1.0);
        let want = [
            C::new(-0.5905759446119191, 0.9072067564574549),
            C::new(-0.8515536193688396, -0.44271746394433265),
            C::new(-0.9264420773877602, 0.0),
        ];
        for w in want {
            assert!(p.iter().any(|p| (p - w).norm() < 1e-12), "{p:?}");
        }
    }
}
