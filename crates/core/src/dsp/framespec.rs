//! pya's `magspec` / `powspec` and `spectrum` helpers: raw (unscaled)
//! real FFTs of frames and of channels, as numpy's `rfft` gives them.

use super::audio::{check_len, Audio};
use crate::{Error, Result};
use realfft::RealFftPlanner;

/// pya's `magspec` (or `powspec` when `power`): `|rfft(frame, nfft)|` of
/// each frame of `size` samples in `frames` (one after the other), the
/// frame zero-padded or cut to `nfft`; `nfft / 2 + 1` bins a frame. The
/// power is `|X|^2 / nfft`.
///
/// ```
/// use ringstream_core::dsp::framespec::magspec;
/// let m = magspec(&[1.0, 1.0, 1.0, 1.0], 4, 4, false).unwrap();
/// assert!(m[0] == 4.0 && m[1].abs() < 1e-6 && m[2].abs() < 1e-6);
/// let p = magspec(&[1.0, 1.0, 1.0, 1.0], 4, 4, true).unwrap();
/// assert_eq!(p[0], 4.0); // |4|^2 / 4
/// ```
pub fn magspec(frames: &[f32], size: usize, nfft: usize, power: bool) -> Result<Vec<f32>> {
    if size == 0 || nfft == 0 || !frames.len().is_multiple_of(size) {
        return Err(Error::invalid_arg(format!(
            "frames must be whole frames of size >= 1 and nfft >= 1, got {} samples, size {size}, nfft {nfft}",
            frames.len()
        )));
    }
    let bins = nfft / 2 + 1;
    check_len((frames.len() / size) as u128 * bins as u128, "the spectra")?;
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(nfft);
    let (mut input, mut output, mut scratch) = (
        fft.make_input_vec(),
        fft.make_output_vec(),
        fft.make_scratch_vec(),
    );
    let mut out = Vec::with_capacity(frames.len() / size * bins);
    for frame in frames.chunks_exact(size) {
        for (k, x) in input.iter_mut().enumerate() {
            *x = frame.get(k).map_or(0.0, |&v| v as f64);
        }
        fft.process_with_scratch(&mut input, &mut output, &mut scratch)
            .map_err(|e| Error::invalid_arg(e.to_string()))?;
        out.extend(output.iter().map(|z| {
            if power {
                (z.norm_sqr() / nfft as f64) as f32
            } else {
                z.norm() as f32
            }
        }));
    }
    Ok(out)
}

/// pya's `spectrum`: numpy's `fft(channel)[:n / 2 + 1]` of every channel,
/// unscaled: the real parts then the imaginary parts, each planar by
/// channel (`channels * (n / 2 + 1)` values).
///
/// ```
/// use ringstream_core::dsp::{framespec::channel_rfft, Audio};
/// let d = [1.0f32, 0.0, 0.0, 0.0];
/// let (re, im) = channel_rfft(&Audio::new(&d, 1, 4.0).unwrap()).unwrap();
/// assert_eq!(re, vec![1.0, 1.0, 1.0]);
/// assert!(im.iter().all(|x| x.abs() < 1e-12));
/// ```
pub fn channel_rfft(audio: &Audio) -> Result<(Vec<f32>, Vec<f32>)> {
    let n = audio.frames();
    if n == 0 {
        return Err(Error::invalid_arg(
            "the spectrum of an empty signal is undefined: give at least one frame",
        ));
    }
    // The same transform as pya's Aspec (`rfft`), handed back in f32.
    let b = super::rfft::rfft(audio)?;
    let narrow = |v: Vec<f64>| v.into_iter().map(|x| x as f32).collect();
    Ok((narrow(b.re), narrow(b.im)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magspec_pads_and_cuts_to_nfft() {
        // A frame of 2 ones padded to 4: |X| = [2, sqrt 2, 0].
        let m = magspec(&[1.0, 1.0], 2, 4, false).unwrap();
        assert!((m[1] - 2f32.sqrt()).abs() < 1e-6 && m[0] == 2.0 && m[2].abs() < 1e-6);
        // Cut to 2: only the first two samples count.
        let cut = magspec(&[1.0, -1.0, 5.0], 3, 2, false).unwrap();
        assert!(cut[0].abs() < 1e-6 && (cut[1] - 2.0).abs() < 1e-6);
        assert!(magspec(&[1.0, 1.0, 1.0], 2, 4, false).is_err());
    }

    #[test]
    fn rfft_of_each_channel_is_numpys() {
        // numpy.fft.fft([0, 1, 0, -1]) = [0, -2j, 0, 2j]: bins 0..=2 are 0, -2j, 0.
        let d = [0.0f32, 5.0, 1.0, 5.0, 0.0, 5.0, -1.0, 5.0];
        let (re, im) = channel_rfft(&Audio::new(&d, 2, 4.0).unwrap()).unwrap();
        let near = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        assert!(
            near(&im[..3], &[0.0, -2.0, 0.0]) && near(&re[..3], &[0.0, 0.0, 0.0]),
            "{re:?} {im:?}"
        );
        assert!(near(&re[3..], &[20.0, 0.0, 0.0]) && near(&im[3..], &[0.0, 0.0, 0.0]));
    }
}
