//! pya's `Asig.overlap_add`: segments read every `stride_in` frames,
//! windowed, and added back every `stride_out` frames (time stretching by
//! `stride_out / stride_in`), each position optionally jittered.

use super::audio::{check_len, Audio};
use super::rng::Rng;
use super::window::get_window;
use crate::{Error, Result};

/// pya's `overlap_add` arguments; `seed` fixes the jitter (pya draws it
/// from numpy's global generator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OlaSpec {
    /// Frames per segment.
    pub nperseg: usize,
    /// Frames between segments read.
    pub stride_in: usize,
    /// Frames between segments written.
    pub stride_out: usize,
    /// Read positions move by a random `0..jitter_in` frames (0: none).
    pub jitter_in: usize,
    /// Write positions move by a random `0..jitter_out` frames (0: none).
    pub jitter_out: usize,
    /// The window over each segment (scipy's name), or none.
    pub win: Option<String>,
    /// The jitter's seed; `None` seeds from the clock.
    pub seed: Option<u64>,
}

/// pya's `overlap_add` on every channel: `frames / stride_in` segments;
/// segment `i` reads `nperseg` frames from `i stride_in - nperseg / 2 +
/// jitter`, cut to `[0, frames - 1)` as pya cuts them, and is added at
/// frame `i stride_out + jitter` of a result `frames / stride_in *
/// stride_out` frames long (what falls past its end is dropped).
///
/// ```
/// use ringstream_core::dsp::ola::{overlap_add, OlaSpec};
/// use ringstream_core::dsp::Audio;
/// let x = [1.0f32; 8];
/// let spec = OlaSpec { nperseg: 4, stride_in: 2, stride_out: 2, jitter_in: 0,
///     jitter_out: 0, win: None, seed: None };
/// // numpy, following pya's loop: segments of 2, 4, 4, 3 ones added at 0, 2, 4, 6.
/// assert_eq!(overlap_add(&Audio::new(&x, 1, 8.0).unwrap(), &spec).unwrap(),
///     [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0]);
/// ```
pub fn overlap_add(audio: &Audio, spec: &OlaSpec) -> Result<Vec<f32>> {
    if spec.nperseg == 0 || spec.stride_in == 0 || spec.stride_out == 0 {
        return Err(Error::invalid_arg(format!(
            "nperseg, strideIn and strideOut must be at least 1, got {}, {} and {}",
            spec.nperseg, spec.stride_in, spec.stride_out
        )));
    }
    if let Some(name) = &spec.win {
        get_window(name, 2)?;
    }
    let (frames, ch) = (audio.frames(), audio.channels);
    let segments = frames / spec.stride_in;
    let out_frames = check_len(
        segments as u128 * spec.stride_out as u128,
        "overlapAdd's result",
    )?;
    check_len(out_frames as u128 * ch as u128, "overlapAdd's result")?;
    let mut out = vec![0.0f64; out_frames * ch];
    let mut rng = Rng::seeded(spec.seed);
    let mut jitter = |n: usize| {
        if n > 0 {
            (rng.next_u64() % n as u64) as i64
        } else {
            0
        }
    };
    let last = frames as i64 - 1;
    for s in 0..segments {
        // pya draws the read jitter, then the write jitter, per segment.
        let i0 = (s * spec.stride_in) as i64 - (spec.nperseg / 2) as i64 + jitter(spec.jitter_in);
        let i1 = (i0 + spec.nperseg as i64).min(last);
        let i0 = i0.max(0);
        let pos = s * spec.stride_out + jitter(spec.jitter_out) as usize;
        let len = (i1 - i0).max(0) as usize;
        let w = match &spec.win {
            Some(name) => get_window(name, len)?,
            None => vec![1.0; len],
        };
        for (j, g) in w.iter().enumerate() {
            let at = pos + j;
            if at >= out_frames {
                break;
            }
            let from = (i0 as usize + j) * ch;
            for k in 0..ch {
                out[at * ch + k] += audio.data[from + k] as f64 * g;
            }
        }
    }
    Ok(out.iter().map(|v| *v as f32).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(win: Option<&str>, jitter: usize, seed: Option<u64>) -> OlaSpec {
        OlaSpec {
            nperseg: 8,
            stride_in: 4,
            stride_out: 6,
            jitter_in: jitter,
            jitter_out: jitter,
            win: win.map(str::to_string),
            seed,
        }
    }

    #[test]
    fn stretches_by_stride_out_over_stride_in_on_every_channel() {
        let x: Vec<f32> = (0..80).map(|i| (i % 7) as f32).collect();
        let y = overlap_add(
            &Audio::new(&x, 2, 8.0).unwrap(),
            &spec(Some("hann"), 0, None),
        )
        .unwrap();
        assert_eq!(y.len(), 40 / 4 * 6 * 2);
        let mono: Vec<f32> = x.iter().step_by(2).copied().collect();
        let left = overlap_add(
            &Audio::new(&mono, 1, 8.0).unwrap(),
            &spec(Some("hann"), 0, None),
        )
        .unwrap();
        assert_eq!(y.iter().step_by(2).copied().collect::<Vec<_>>(), left);
    }

    #[test]
    fn jitter_is_fixed_by_the_seed() {
        let x: Vec<f32> = (0..200).map(|i| (i as f32 * 0.3).sin()).collect();
        let a = Audio::new(&x, 1, 8.0).unwrap();
        let one = overlap_add(&a, &spec(None, 3, Some(7))).unwrap();
        assert_eq!(one, overlap_add(&a, &spec(None, 3, Some(7))).unwrap());
        assert_ne!(one, overlap_add(&a, &spec(None, 3, Some(8))).unwrap());
        assert_ne!(one, overlap_add(&a, &spec(None, 0, Some(7))).unwrap());
        assert!(overlap_add(&a, &spec(Some("kaiser"), 0, None)).is_err());
    }
}
