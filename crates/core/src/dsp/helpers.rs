//! pya's array helpers (`pya.helper`): padding, normalisation, integer
//! buffers to floats, framing, and a signal's time axis.

use super::audio::{check_len, check_rate, Audio};
use crate::{Error, Result};

/// pya's `Asig.get_times()`: the time of each frame, `k / samplerate`
/// (numpy's `linspace(0, (n - 1) / sr, n)`).
///
/// ```
/// assert_eq!(ringstream_core::dsp::helpers::times(3, 2.0).unwrap(), vec![0.0, 0.5, 1.0]);
/// ```
pub fn times(frames: usize, samplerate: f64) -> Result<Vec<f64>> {
    check_rate(samplerate)?;
    check_len(frames as u128, "the time axis")?;
    Ok((0..frames).map(|k| k as f64 / samplerate).collect())
}

/// pya's `next_pow2`: the smallest power of 2 at or above `x`, as pya's
/// `1 << (x - 1).bit_length()` (so 2 for 0, and 1 for 1).
///
/// ```
/// use ringstream_core::dsp::helpers::next_pow2;
/// assert_eq!([next_pow2(0), next_pow2(1), next_pow2(255), next_pow2(256)], [2, 1, 256, 256]);
/// ```
pub fn next_pow2(x: u64) -> u64 {
    match x {
        0 => 2,
        _ => x.next_power_of_two(),
    }
}

/// pya's `is_pow2`: whether `x` is a power of 2 (1 included; 0 and
/// negatives, and fractions, are not).
///
/// ```
/// use ringstream_core::dsp::helpers::is_pow2;
/// assert!(is_pow2(1.0) && is_pow2(256.0) && !is_pow2(0.0) && !is_pow2(-128.0) && !is_pow2(145.0) && is_pow2(0.5));
/// ```
pub fn is_pow2(x: f64) -> bool {
    x > 0.0 && x.is_finite() && x.log2().fract() == 0.0
}

/// pya's `padding`: `width` frames of `value` after the signal (`tail`)
/// or before it.
///
/// ```
/// use ringstream_core::dsp::{helpers::padding, Audio};
/// let d = [1.0f32, 2.0];
/// let a = Audio::new(&d, 1, 1.0).unwrap();
/// assert_eq!(padding(&a, 2, false, 9.0).unwrap(), vec![9.0, 9.0, 1.0, 2.0]);
/// ```
pub fn padding(audio: &Audio, width: usize, tail: bool, value: f32) -> Result<Vec<f32>> {
    let ch = audio.channels;
    let total = check_len(
        (audio.frames() as u128 + width as u128) * ch as u128,
        "the padded signal",
    )?;
    let mut out = Vec::with_capacity(total);
    if !tail {
        out.resize(width * ch, value);
    }
    out.extend_from_slice(audio.data);
    out.resize(total, value);
    Ok(out)
}

/// pya's `normalize`: each channel shifted and scaled to run from 0 to 1
/// (`(d - min) / ptp`; a constant channel gives NaN, as numpy's 0 / 0).
///
/// ```
/// use ringstream_core::dsp::{helpers::normalize, Audio};
/// let d = [1.0f32, 10.0, 3.0, 30.0, 2.0, 20.0];
/// let a = Audio::new(&d, 2, 1.0).unwrap();
/// assert_eq!(normalize(&a), vec![0.0, 0.0, 1.0, 1.0, 0.5, 0.5]);
/// ```
pub fn normalize(audio: &Audio) -> Vec<f32> {
    let ch = audio.channels;
    let mut lo = vec![f32::INFINITY; ch];
    let mut hi = vec![f32::NEG_INFINITY; ch];
    for frame in audio.data.chunks_exact(ch) {
        for (c, &x) in frame.iter().enumerate() {
            lo[c] = lo[c].min(x);
            hi[c] = hi[c].max(x);
        }
    }
    let mut out = audio.data.to_vec();
    for frame in out.chunks_exact_mut(ch) {
        for (c, x) in frame.iter_mut().enumerate() {
            *x = (*x - lo[c]) / (hi[c] - lo[c]);
        }
    }
    out
}

/// pya's `buf_to_float`: little-endian signed integers of `bytes` bytes
/// each (1, 2, 3 or 4) as floats, times `1 / 2^(8 * bytes - 1)`.
///
/// ```
/// use ringstream_core::dsp::helpers::buf_to_float;
/// assert_eq!(buf_to_float(&[0x00, 0x40, 0x00, 0xc0], 2).unwrap(), vec![0.5, -0.5]);
/// ```
pub fn buf_to_float(buf: &[u8], bytes: usize) -> Result<Vec<f32>> {
    if !(1..=4).contains(&bytes) {
        return Err(Error::invalid_arg(format!(
            "bytes per sample must be 1, 2, 3 or 4, got {bytes}"
        )));
    }
    if !buf.len().is_multiple_of(bytes) {
        return Err(Error::invalid_arg(format!(
            "the buffer's {} bytes are not a whole number of {bytes}-byte samples",
            buf.len()
        )));
    }
    let scale = 1.0 / (1u64 << (8 * bytes - 1)) as f64;
    let shift = 32 - 8 * bytes as u32;
    let out = buf
        .chunks_exact(bytes)
        .map(|s| {
            let mut word = [0u8; 4];
            word[4 - bytes..].copy_from_slice(s);
            // The sample sits in the top bytes; the arithmetic shift extends its sign.
            let v = i32::from_le_bytes(word) >> shift;
            (v as f64 * scale) as f32
        })
        .collect();
    Ok(out)
}

/// pya's `signal_to_frame` (mono): frames of `size` samples every `step`,
/// the signal padded with zeros to fill the last one, each frame times
/// `window` when given. Returns the frames one after the other.
///
/// ```
/// use ringstream_core::dsp::helpers::signal_to_frame;
/// let f = signal_to_frame(&[1.0, 2.0, 3.0, 4.0, 5.0], 3, 2, None).unwrap();
/// assert_eq!(f, vec![1.0, 2.0, 3.0, 3.0, 4.0, 5.0]);
/// ```
pub fn signal_to_frame(
    sig: &[f32],
    size: usize,
    step: usize,
    window: Option<&[f32]>,
) -> Result<Vec<f32>> {
    if size == 0 || step == 0 {
        return Err(Error::invalid_arg(format!(
            "frame size and step must be at least 1, got {size} and {step}"
        )));
    }
    if let Some(w) = window.filter(|w| w.len() != size) {
        return Err(Error::invalid_arg(format!(
            "the window has {} samples, the frames {size}",
            w.len()
        )));
    }
    let count = if sig.len() <= size {
        1
    } else {
        1 + (sig.len() - size).div_ceil(step)
    };
    check_len(count as u128 * size as u128, "the frames")?;
    let mut out = Vec::with_capacity(count * size);
    for k in 0..count {
        for j in 0..size {
            let x = sig.get(k * step + j).copied().unwrap_or(0.0);
            out.push(window.map_or(x, |w| x * w[j]));
        }
    }
    Ok(out)
}

/// Channels given one after the other (`channels` runs of equal length)
/// as interleaved frames: the constructor's per-channel form.
///
/// ```
/// use ringstream_core::dsp::helpers::interleave;
/// assert_eq!(interleave(&[1.0, 2.0, 10.0, 20.0], 2).unwrap(), vec![1.0, 10.0, 2.0, 20.0]);
/// ```
pub fn interleave(planar: &[f32], channels: usize) -> Result<Vec<f32>> {
    if channels == 0 || !planar.len().is_multiple_of(channels) {
        return Err(Error::invalid_arg(format!(
            "{} samples do not split into {channels} channels of equal length",
            planar.len()
        )));
    }
    let n = planar.len() / channels;
    Ok((0..n)
        .flat_map(|f| (0..channels).map(move |c| planar[c * n + f]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buf_to_float_reads_every_width() {
        assert_eq!(
            buf_to_float(&[0x80, 0x7f], 1).unwrap(),
            vec![-1.0, 127.0 / 128.0]
        );
        assert_eq!(buf_to_float(&[0, 0, 0x40], 3).unwrap(), vec![0.5]);
        assert_eq!(buf_to_float(&[0, 0, 0, 0x80], 4).unwrap(), vec![-1.0]);
        assert!(buf_to_float(&[0, 0, 0], 2).is_err());
        assert!(buf_to_float(&[0], 5).is_err());
    }

    #[test]
    fn frames_pad_the_last_and_take_the_window() {
        let f = signal_to_frame(&[1.0, 2.0], 4, 1, Some(&[1.0, 2.0, 3.0, 4.0])).unwrap();
        assert_eq!(f, vec![1.0, 4.0, 0.0, 0.0]);
        assert!(signal_to_frame(&[1.0], 2, 1, Some(&[1.0])).is_err());
    }

    #[test]
    fn padding_at_the_tail_keeps_channels() {
        let d = [1.0f32, 2.0];
        let a = Audio::new(&d, 2, 1.0).unwrap();
        assert_eq!(padding(&a, 1, true, 0.0).unwrap(), vec![1.0, 2.0, 0.0, 0.0]);
    }
}
