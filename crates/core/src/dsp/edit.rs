//! Slicing, concatenation and mixing one signal into another (pya's slices,
//! `append` and `add`).

use super::audio::{check_finite, check_len, Audio};
use crate::{Error, Result};

/// Frames `start..end` of the signal, Python-style: a negative index
/// counts from the end, `None` means the end, both are clamped to the
/// signal, and an end before the start gives an empty signal.
pub fn slice(audio: &Audio, start: i64, end: Option<i64>) -> Vec<f32> {
    let (s, e) = frame_range(audio.frames(), start, end);
    audio.data[s * audio.channels..e * audio.channels].to_vec()
}

/// The clamped frame range `slice` copies.
pub fn frame_range(frames: usize, start: i64, end: Option<i64>) -> (usize, usize) {
    let n = frames as i64;
    let at = |i: i64| (if i < 0 { n + i } else { i }).clamp(0, n) as usize;
    let s = at(start);
    let e = end.map_or(frames, at);
    (s, e.max(s))
}

/// `a` then `b`; both must have the same channel count.
pub fn append(a: &Audio, b: &Audio) -> Result<Vec<f32>> {
    same_channels(a, b)?;
    let mut out = Vec::with_capacity(a.data.len() + b.data.len());
    out.extend_from_slice(a.data);
    out.extend_from_slice(b.data);
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
        assert_eq!(slice(&a, 1, Some(3)), vec![1.0, 2.0]);
        assert_eq!(slice(&a, -1, None), vec![3.0]);
        assert_eq!(slice(&a, 3, Some(1)), Vec::<f32>::new());
        assert_eq!(slice(&a, 0, Some(100)), d.to_vec());
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
        assert!(append(&base, &three).is_err());
    }
}
