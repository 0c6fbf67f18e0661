//! Slicing, concatenation and mixing one signal into another (pya's slices,
//! `append` and `add`).

use super::audio::{check_finite, check_len, Audio};
use crate::{Error, Result};

/// Frames `start..end` by `step` of the signal, as a Python slice
/// `[start:end:step]` on its frames: a negative index counts from the end,
/// `None` is the end the step runs from or to, indices are clamped to the
/// signal, and a negative step walks backwards. `step` 0 is refused.
pub fn slice(audio: &Audio, start: Option<i64>, end: Option<i64>, step: i64) -> Result<Vec<f32>> {
    if step == 0 {
        return Err(Error::invalid_arg(
            "step must not be 0 (1 takes every frame, -1 reverses)",
        ));
    }
    let ch = audio.channels;
    let (first, count) = slice_indices(audio.frames(), start, end, step);
    let mut out = Vec::with_capacity(count * ch);
    let mut i = first;
    for _ in 0..count {
        let f = i as usize;
        out.extend_from_slice(&audio.data[f * ch..(f + 1) * ch]);
        i += step;
    }
    Ok(out)
}

/// Python's `slice(start, end, step).indices(frames)`: the first frame and
/// the number of frames taken.
pub fn slice_indices(
    frames: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: i64,
) -> (i64, usize) {
    let n = frames as i64;
    let (lo, hi) = if step < 0 { (-1, n - 1) } else { (0, n) };
    let at = |i: i64| (if i < 0 { i + n } else { i }).clamp(lo, hi);
    let s = start.map_or(if step < 0 { hi } else { lo }, at);
    let e = end.map_or(if step < 0 { lo } else { hi }, at);
    let (span, stride) = if step > 0 {
        (e - s, step)
    } else {
        (s - e, -step)
    };
    let count = (span.max(0) as u64).div_ceil(stride as u64);
    (s, count as usize)
}

/// `a` then `amp` times `b`; both must have the same channel count.
pub fn append(a: &Audio, b: &Audio, amp: f64) -> Result<Vec<f32>> {
    same_channels(a, b)?;
    let amp = check_finite(amp, "amp")? as f32;
    let mut out = Vec::with_capacity(a.data.len() + b.data.len());
    out.extend_from_slice(a.data);
    out.extend(b.data.iter().map(|&x| x * amp));
    Ok(out)
}

fn same_channels(a: &Audio, b: &Audio) -> Result<()> {
    if a.channels != b.channels {
        return Err(Error::invalid_arg(format!(
            "the signals must have the same number of channels: {} and {}",
            a.channels, b.channels
        )));
    }
    Ok(())
}

/// Where and how loud [`add`] mixes.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// The frame of `base` where `other` starts.
    pub pos: usize,
    /// The gain of `other`.
    pub amp: f64,
}

/// pya's `add`: `base` with `amp * other` added from frame `pos` on; the
/// result is extended with silence when `other` runs past the end. A mono
/// `other` is added to every channel; otherwise the channel counts match.
pub fn add(base: &Audio, other: &Audio, at: Placement) -> Result<Vec<f32>> {
    let amp = check_finite(at.amp, "amp")? as f32;
    if other.channels != 1 {
        same_channels(base, other)?;
    }
    let ch = base.channels;
    let frames = base.frames().max(at.pos.saturating_add(other.frames()));
    check_len(frames as u128 * ch as u128, "the sum")?;
    let mut out = base.data.to_vec();
    out.resize(frames * ch, 0.0);
    let dst = &mut out[at.pos * ch..];
    if other.channels == ch {
        for (y, &x) in dst.iter_mut().zip(other.data) {
            *y += amp * x;
        }
    } else {
        for (frame, &x) in dst.chunks_exact_mut(ch).zip(other.data) {
            frame.iter_mut().for_each(|y| *y += amp * x);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_python_style() {
        let d = [0.0f32, 1.0, 2.0, 3.0];
        let a = Audio::new(&d, 1, 1.0).unwrap();
        let sl = |s, e, step| slice(&a, s, e, step).unwrap();
        assert_eq!(sl(Some(1), Some(3), 1), vec![1.0, 2.0]);
        assert_eq!(sl(Some(-1), None, 1), vec![3.0]);
        assert_eq!(sl(Some(3), Some(1), 1), Vec::<f32>::new());
        assert_eq!(sl(Some(0), Some(100), 1), d.to_vec());
        // Steps, as Python's a[::2], a[1::2], a[::-1], a[3:0:-2], a[-2::-3].
        assert_eq!(sl(None, None, 2), vec![0.0, 2.0]);
        assert_eq!(sl(Some(1), None, 2), vec![1.0, 3.0]);
        assert_eq!(sl(None, None, -1), vec![3.0, 2.0, 1.0, 0.0]);
        assert_eq!(sl(Some(3), Some(0), -2), vec![3.0, 1.0]);
        assert_eq!(sl(Some(-2), None, -3), vec![2.0]);
        assert_eq!(sl(Some(100), Some(-100), -3), vec![3.0, 0.0]);
        assert!(slice(&a, None, None, 0).is_err());
    }

    #[test]
    fn add_extends_and_broadcasts_mono() {
        let b = [1.0f32, 1.0, 1.0, 1.0];
        let base = Audio::new(&b, 2, 1.0).unwrap();
        let o = [1.0f32, 2.0];
        let other = Audio::new(&o, 1, 1.0).unwrap();
        let r = add(&base, &other, Placement { pos: 1, amp: 0.5 }).unwrap();
        assert_eq!(r, vec![1.0, 1.0, 1.5, 1.5, 1.0, 1.0]);
        let s = [0.0f32; 3];
        let three = Audio::new(&s, 3, 1.0).unwrap();
        assert!(append(&base, &three, 1.0).is_err());
        let half = append(&other, &other, 0.5).unwrap();
        assert_eq!(half, vec![1.0, 2.0, 0.5, 1.0]);
    }
}
