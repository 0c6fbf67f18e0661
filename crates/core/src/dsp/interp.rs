//! One-dimensional interpolation as scipy's `interp1d` does it (the kinds
//! pya's `resample` and `envelope` take): `linear`, `nearest`, `nearest-up`,
//! `previous`, `next`, and the interpolating B-splines `zero`, `slinear`,
//! `quadratic` and `cubic` (scipy's `make_interp_spline` with its default
//! knots: not-a-knot for the cubic, the Greville-like choice for the
//! quadratic). Points outside `[x[0], x[n - 1]]` take a fill value.

use crate::{Error, Result};

/// An interpolation kind of scipy's `interp1d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Straight lines between the points.
    Linear,
    /// The nearest point; halfway rounds down.
    Nearest,
    /// The nearest point; halfway rounds up.
    NearestUp,
    /// The point at or before.
    Previous,
    /// The point at or after.
    Next,
    /// An interpolating B-spline of this degree (0 `zero`, 1 `slinear`,
    /// 2 `quadratic`, 3 `cubic`).
    Spline(usize),
}

/// The kind names, as scipy spells them.
pub const KIND_NAMES: &str =
    "'linear', 'nearest', 'nearest-up', 'zero', 'slinear', 'quadratic', 'cubic', 'previous' or 'next'";

impl Kind {
    /// The kind scipy names `name`.
    pub fn parse(name: &str) -> Result<Kind> {
        Ok(match name {
            "linear" => Kind::Linear,
            "nearest" => Kind::Nearest,
            "nearest-up" => Kind::NearestUp,
            "previous" => Kind::Previous,
            "next" => Kind::Next,
            "zero" => Kind::Spline(0),
            "slinear" => Kind::Spline(1),
            "quadratic" => Kind::Spline(2),
            "cubic" => Kind::Spline(3),
            _ => {
                return Err(Error::invalid_arg(format!(
                    "kind must be {KIND_NAMES}, got '{name}'"
                )))
            }
        })
    }

    /// The kind's name, as scipy spells it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Linear => "linear",
            Kind::Nearest => "nearest",
            Kind::NearestUp => "nearest-up",
            Kind::Previous => "previous",
            Kind::Next => "next",
            Kind::Spline(0) => "zero",
            Kind::Spline(1) => "slinear",
            Kind::Spline(2) => "quadratic",
            Kind::Spline(_) => "cubic",
        }
    }

    /// The fewest points the kind interpolates.
    fn min_points(self) -> usize {
        match self {
            Kind::Spline(k) => k + 1,
            Kind::Linear => 2,
            _ => 1,
        }
    }
}

/// The function through `(x[i], y[i])`: `x` strictly increasing.
#[derive(Debug, Clone)]
pub struct Interp1d<'a> {
    x: &'a [f64],
    y: &'a [f64],
    kind: Kind,
    fill: f64,
    spline: Option<Spline>,
}

impl<'a> Interp1d<'a> {
    /// The interpolant of `kind` through the points; `fill` outside them.
    pub fn new(x: &'a [f64], y: &'a [f64], kind: Kind, fill: f64) -> Result<Self> {
        if x.len() != y.len() {
            return Err(Error::invalid_arg(format!(
                "interpolation needs as many values ({}) as points ({})",
                y.len(),
                x.len()
            )));
        }
        if x.len() < kind.min_points() {
            return Err(Error::invalid_arg(format!(
                "{} interpolation needs at least {} points, got {}",
                kind.name(),
                kind.min_points(),
                x.len()
            )));
        }
        if x.windows(2).any(|w| w[1] <= w[0]) {
            return Err(Error::invalid_arg(
                "interpolation needs strictly increasing points (no repeated time)",
            ));
        }
        let spline = match kind {
            Kind::Spline(k) => Some(Spline::fit(x, y, k)?),
            _ => None,
        };
        Ok(Interp1d {
            x,
            y,
            kind,
            fill,
            spline,
        })
    }

    /// The value at `t`.
    pub fn at(&self, t: f64) -> f64 {
        let (x, y) = (self.x, self.y);
        let n = x.len();
        if !(t >= x[0] && t <= x[n - 1]) {
            return self.fill;
        }
        match self.kind {
            Kind::Linear => {
                // scipy: searchsorted left, clipped to 1..n-1.
                let hi = x.partition_point(|&v| v < t).clamp(1, n - 1);
                let lo = hi - 1;
                let slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
                slope * (t - x[lo]) + y[lo]
            }
            Kind::Nearest | Kind::NearestUp => {
                let mid = |i: usize| (x[i] + x[i + 1]) / 2.0;
                let count = n - 1;
                let i = if self.kind == Kind::Nearest {
                    partition(count, |i| mid(i) < t)
                } else {
                    partition(count, |i| mid(i) <= t)
                };
                y[i]
            }
            Kind::Previous => y[x.partition_point(|&v| v <= t) - 1],
            Kind::Next => y[x.partition_point(|&v| v < t)],
            Kind::Spline(_) => self.spline.as_ref().map_or(self.fill, |s| s.at(t)),
        }
    }
}

/// The first `i` in `0..count` where `below(i)` is false.
fn partition(count: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let m = (lo + hi) / 2;
        if below(m) {
            lo = m + 1;
        } else {
            hi = m;
        }
    }
    lo
}

/// An interpolating B-spline of degree `k`: knots and coefficients.
#[derive(Debug, Clone)]
struct Spline {
    k: usize,
    t: Vec<f64>,
    c: Vec<f64>,
}

impl Spline {
    /// scipy's `make_interp_spline(x, y, k)` with its default knots.
    fn fit(x: &[f64], y: &[f64], k: usize) -> Result<Spline> {
        let n = x.len();
        let mut t = Vec::with_capacity(n + k + 1);
        match k {
            0 => {
                t.extend_from_slice(x);
                t.push(x[n - 1]);
            }
            1 => {
                t.push(x[0]);
                t.extend_from_slice(x);
                t.push(x[n - 1]);
            }
            2 => {
                // Greville sites, omitting the second and the second to last.
                t.extend(std::iter::repeat_n(x[0], 3));
                t.extend((2..n - 1).map(|i| (x[i] + x[i - 1]) / 2.0));
                t.extend(std::iter::repeat_n(x[n - 1], 3));
            }
            _ => {
                // Not-a-knot: the data sites but the first and last `k / 2` inner ones.
                let m = k / 2;
                t.extend(std::iter::repeat_n(x[0], k + 1));
                t.extend_from_slice(&x[m + 1..n - m - 1]);
                t.extend(std::iter::repeat_n(x[n - 1], k + 1));
            }
        }
        if k <= 1 {
            return Ok(Spline {
                k,
                t,
                c: y.to_vec(),
            });
        }
        // The collocation matrix is banded (k + 1 non-zeros a row, at most
        // k off the diagonal) and totally positive: Gaussian elimination
        // without pivoting is stable (de Boor). Row i holds columns i-k..=i+k.
        let w = 2 * k + 1;
        let mut a = vec![0.0f64; n * w];
        let mut b = y.to_vec();
        let mut basis = vec![0.0f64; k + 1];
        for (i, &xi) in x.iter().enumerate() {
            let l = interval(&t, k, n, xi);
            basis_funcs(&t, k, l, xi, &mut basis);
            for (j, &v) in basis.iter().enumerate() {
                let col = l - k + j;
                if col + k < i || col > i + k {
                    return Err(Error::invalid_arg(
                        "interpolation points too uneven for a spline",
                    ));
                }
                a[i * w + (col + k - i)] = v;
            }
        }
        for p in 0..n {
            let piv = a[p * w + k];
            if piv == 0.0 || !piv.is_finite() {
                return Err(Error::invalid_arg(
                    "the spline's equations are singular for these points",
                ));
            }
            for r in p + 1..(p + k + 1).min(n) {
                let f = a[r * w + (p + k - r)] / piv;
                if f == 0.0 {
                    continue;
                }
                for col in p..(p + k + 1).min(n) {
                    a[r * w + (col + k - r)] -= f * a[p * w + (col + k - p)];
                }
                b[r] -= f * b[p];
            }
        }
        let mut c = vec![0.0f64; n];
        for p in (0..n).rev() {
            let mut s = b[p];
            for col in p + 1..(p + k + 1).min(n) {
                s -= a[p * w + (col + k - p)] * c[col];
            }
            c[p] = s / a[p * w + k];
        }
        Ok(Spline { k, t, c })
    }

    fn at(&self, x: f64) -> f64 {
        let n = self.c.len();
        let l = interval(&self.t, self.k, n, x);
        let mut basis = [0.0f64; 4];
        basis_funcs(&self.t, self.k, l, x, &mut basis[..=self.k]);
        (0..=self.k)
            .map(|j| self.c[l - self.k + j] * basis[j])
            .sum()
    }
}

/// The knot interval `l` (k <= l < n) with `t[l] <= x < t[l + 1]`; the last
/// one at the right end.
fn interval(t: &[f64], k: usize, n: usize, x: f64) -> usize {
    let l = t[..n].partition_point(|&v| v <= x).saturating_sub(1);
    l.clamp(k, n - 1)
}

/// The `k + 1` B-splines that are non-zero on interval `l`, at `x` (Cox-de Boor).
fn basis_funcs(t: &[f64], k: usize, l: usize, x: f64, out: &mut [f64]) {
    out.iter_mut().for_each(|v| *v = 0.0);
    out[0] = 1.0;
    for d in 1..=k {
        let mut saved = 0.0;
        for r in 0..d {
            let right = t[l + 1 + r];
            let left = t[l + 1 + r - d];
            let term = out[r] / (right - left);
            out[r] = saved + (right - x) * term;
            saved = (x - left) * term;
        }
        out[d] = saved;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_through_known_points() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let y = [0.0, 1.0, 8.0, 27.0];
        let at = |kind: &str, t: f64| {
            Interp1d::new(&x, &y, Kind::parse(kind).unwrap(), -1.0)
                .unwrap()
                .at(t)
        };
        assert_eq!(at("linear", 1.5), 4.5);
        assert_eq!(at("nearest", 1.5), 1.0);
        assert_eq!(at("nearest-up", 1.5), 8.0);
        assert_eq!(at("previous", 1.5), 1.0);
        assert_eq!(at("next", 1.5), 8.0);
        assert_eq!(at("zero", 1.5), 1.0);
        assert_eq!(at("slinear", 1.5), 4.5);
        // Four points: the not-a-knot cubic is x^3 itself.
        assert!((at("cubic", 1.5) - 3.375).abs() < 1e-12);
        assert!((at("cubic", 2.9) - 24.389).abs() < 1e-12);
        assert_eq!(at("linear", 3.5), -1.0);
        assert!(Kind::parse("spline").is_err());
        assert!(Interp1d::new(&x[..3], &y[..3], Kind::Spline(3), 0.0).is_err());
        assert!(Interp1d::new(&[0.0, 0.0], &[1.0, 2.0], Kind::Linear, 0.0).is_err());
    }

    #[test]
    fn quadratic_reproduces_a_parabola() {
        let x: Vec<f64> = (0..7)
            .map(|i| i as f64 * 0.7 + (i * i) as f64 * 0.01)
            .collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v * v - v + 3.0).collect();
        let f = Interp1d::new(&x, &y, Kind::Spline(2), 0.0).unwrap();
        for i in 0..50 {
            let t = x[0] + (x[6] - x[0]) * i as f64 / 49.0;
            assert!((f.at(t) - (2.0 * t * t - t + 3.0)).abs() < 1e-9, "{t}");
        }
    }
}
