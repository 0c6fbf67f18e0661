//! pya's arithmetic operators on signals (`+ - * /` and the reflected
//! `-` and `/`), with its length rules: equal lengths (or one frame,
//! repeated as numpy broadcasts), `bound` (the shorter length) or `extend`
//! (the longer, the missing operand taken as the operation's identity).

use super::audio::{check_len, Audio};
use crate::{Error, Result};

/// An arithmetic operation, `a op b` (`RSub` is `b - a`, `RDiv` `b / a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b` (IEEE: a division by 0 gives an infinity or NaN, as numpy's).
    Div,
    /// `b - a` (pya's `__rsub__`).
    RSub,
    /// `b / a` (pya's `__rtruediv__`).
    RDiv,
}

impl Op {
    fn apply(self, a: f32, b: f32) -> f32 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::RSub => b - a,
            Op::RDiv => b / a,
        }
    }

    /// What a missing operand counts as in `extend`: 0 for sums, 1 for
    /// products, so that pya's `a - b` past `a`'s end is `-b` and `a / b`
    /// is `1 / b`.
    fn identity(self) -> f32 {
        match self {
            Op::Add | Op::Sub | Op::RSub => 0.0,
            Op::Mul | Op::Div | Op::RDiv => 1.0,
        }
    }
}

/// How operands of different lengths combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lengths {
    /// Equal lengths, or one operand of one frame (repeated); else an error.
    Strict,
    /// The shorter length.
    Bound,
    /// The longer length.
    Extend,
}

/// pya's `==` (`__eq__`, numpy's `array_equal` and equal rates): the
/// same samplerate, channels, frames and samples; NaN equals nothing.
/// Labels and channel names do not count.
///
/// ```
/// use ringstream_core::dsp::{arith::equal, Audio};
/// let a = Audio::new(&[1.0, 2.0], 1, 10.0).unwrap();
/// assert!(equal(&a, &Audio::new(&[1.0, 2.0], 1, 10.0).unwrap()));
/// assert!(!equal(&a, &Audio::new(&[1.0, 2.0], 2, 10.0).unwrap()));
/// assert!(!equal(&a, &Audio::new(&[1.0, 2.0], 1, 20.0).unwrap()));
/// assert!(!equal(&Audio::new(&[f32::NAN], 1, 1.0).unwrap(), &Audio::new(&[f32::NAN], 1, 1.0).unwrap()));
/// ```
pub fn equal(a: &Audio, b: &Audio) -> bool {
    a.samplerate == b.samplerate && a.channels == b.channels && a.data == b.data
}

/// `a op b` frame by frame. The channel counts match, or one operand is a
/// single value (one frame of one channel) that goes with every sample. Returns the samples and the
/// result's channel count.
///
/// ```
/// use ringstream_core::dsp::arith::{binary, Lengths, Op};
/// use ringstream_core::dsp::Audio;
/// let (a, b) = ([1.0f32, 2.0, 3.0], [10.0f32]);
/// let (a, b) = (Audio::new(&a, 1, 1.0).unwrap(), Audio::new(&b, 1, 1.0).unwrap());
/// assert_eq!(binary(&a, &b, Op::RSub, Lengths::Strict).unwrap().0, vec![9.0, 8.0, 7.0]);
/// let (x, y) = ([2.0f32, 4.0], [1.0f32, 2.0, 4.0]);
/// let (x, y) = (Audio::new(&x, 1, 1.0).unwrap(), Audio::new(&y, 1, 1.0).unwrap());
/// assert_eq!(binary(&x, &y, Op::Div, Lengths::Extend).unwrap().0, vec![2.0, 2.0, 0.25]);
/// assert_eq!(binary(&x, &y, Op::Sub, Lengths::Bound).unwrap().0, vec![1.0, 2.0]);
/// assert!(binary(&x, &y, Op::Sub, Lengths::Strict).is_err());
/// ```
pub fn binary(a: &Audio, b: &Audio, op: Op, lengths: Lengths) -> Result<(Vec<f32>, usize)> {
    let (ca, cb) = (a.channels, b.channels);
    let (na, nb) = (a.frames(), b.frames());
    // As numpy broadcasts: a single value goes with every channel, a mono
    // signal of many frames does not (pya's `mono + stereo` is an error).
    let single = (ca == 1 && na == 1) || (cb == 1 && nb == 1);
    if ca != cb && !single {
        return Err(Error::invalid_arg(format!(
            "the operands have {ca} and {cb} channels: give the same count (or a single value); pick channels or mix them first"
        )));
    }
    let ch = ca.max(cb);
    let repeat = na == 1 || nb == 1;
    let frames = if na == nb {
        na
    } else if repeat && lengths == Lengths::Strict {
        if na == 1 {
            nb
        } else {
            na
        }
    } else {
        match lengths {
            Lengths::Strict => {
                return Err(Error::invalid_arg(format!(
                    "the operands have {na} and {nb} frames: give equal lengths, or mode 'bound' (the shorter) or 'extend' (the longer)"
                )))
            }
            Lengths::Bound => na.min(nb),
            Lengths::Extend => na.max(nb),
        }
    };
    check_len(frames as u128 * ch as u128, "the result")?;
    let broadcast = repeat && lengths == Lengths::Strict;
    let at = |x: &Audio, n: usize, f: usize, c: usize| -> f32 {
        let f = if broadcast && n == 1 { 0 } else { f };
        if f >= n {
            op.identity()
        } else {
            x.data[f * x.channels + if x.channels == 1 { 0 } else { c }]
        }
    };
    let mut out = Vec::with_capacity(frames * ch);
    for f in 0..frames {
        for c in 0..ch {
            out.push(op.apply(at(a, na, f, c), at(b, nb, f, c)));
        }
    }
    Ok((out, ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mono(d: &[f32]) -> Audio<'_> {
        Audio::new(d, 1, 1.0).unwrap()
    }

    #[test]
    fn extend_takes_the_missing_operand_as_the_identity() {
        // pya: a - b with a shorter is -(b - a) past a's end; a * b keeps b.
        let (a, b) = ([1.0f32], [1.0f32, 2.0, 3.0]);
        let long = [5.0f32, 6.0];
        let r =
            |op, x: &[f32], y: &[f32]| binary(&mono(x), &mono(y), op, Lengths::Extend).unwrap().0;
        assert_eq!(r(Op::Sub, &long, &b), vec![4.0, 4.0, -3.0]);
        assert_eq!(r(Op::Mul, &long, &b), vec![5.0, 12.0, 3.0]);
        assert_eq!(r(Op::Add, &b, &long), vec![6.0, 8.0, 3.0]);
        assert_eq!(r(Op::Div, &b, &long), vec![0.2, 2.0 / 6.0, 3.0]);
        // One frame in extend mode is a short operand, not a repeated one.
        assert_eq!(r(Op::Add, &a, &b), vec![2.0, 2.0, 3.0]);
    }

    #[test]
    fn single_values_go_with_every_channel() {
        let s = [1.0f32, 10.0, 2.0, 20.0];
        let st = Audio::new(&s, 2, 1.0).unwrap();
        let m = [1.0f32, 2.0];
        assert!(binary(&mono(&m), &st, Op::Mul, Lengths::Strict).is_err());
        let (r, ch) = binary(&mono(&[3.0]), &st, Op::RSub, Lengths::Strict).unwrap();
        assert_eq!((r, ch), (vec![-2.0, 7.0, -1.0, 17.0], 2));
        let gains = [0.5f32, 2.0];
        let row = Audio::new(&gains, 2, 1.0).unwrap();
        let (r, _) = binary(&st, &row, Op::Mul, Lengths::Strict).unwrap();
        assert_eq!(r, vec![0.5, 20.0, 1.0, 40.0]);
        let t = [0.0f32; 3];
        assert!(binary(
            &st,
            &Audio::new(&t, 3, 1.0).unwrap(),
            Op::Add,
            Lengths::Strict
        )
        .is_err());
    }
}
