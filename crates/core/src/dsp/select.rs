//! pya's reading forms (`__getitem__`): which frames and channels an
//! operation addresses, and the samples at them.

use super::audio::{check_len, Audio};
use super::edit::slice_indices;
use crate::{Error, Result};

/// The frames a read or a write addresses (pya's row index).
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    /// Python's `[start:end:step]` on the frames.
    Range {
        /// First frame (negative counts from the end); `None` is the open end.
        start: Option<i64>,
        /// Frame after the last (exclusive); `None` is the open end.
        end: Option<i64>,
        /// Frames between picks; negative walks backwards; never 0.
        step: i64,
    },
    /// Frame indices, in order (negative ones count from the end).
    List(&'a [i64]),
    /// One flag per frame: the frames whose flag is set.
    Mask(&'a [bool]),
}

impl Rows<'_> {
    /// The frame indices these rows address in a signal of `frames` frames.
    /// A list index out of range and a mask of another length are refused
    /// (numpy's IndexError), a range is clamped as Python's.
    ///
    /// ```
    /// use ringstream_core::dsp::select::Rows;
    /// let r = Rows::Range { start: Some(1), end: None, step: 2 };
    /// assert_eq!(r.indices(6).unwrap(), vec![1, 3, 5]);
    /// assert_eq!(Rows::List(&[0, -1]).indices(6).unwrap(), vec![0, 5]);
    /// assert!(Rows::List(&[6]).indices(6).is_err());
    /// ```
    pub fn indices(&self, frames: usize) -> Result<Vec<usize>> {
        match *self {
            Rows::Range { start, end, step } => {
                if step == 0 {
                    return Err(Error::invalid_arg(
                        "step must not be 0 (1 takes every frame, -1 reverses)",
                    ));
                }
                let (first, count) = slice_indices(frames, start, end, step);
                Ok((0..count as i64)
                    .map(|k| (first + k * step) as usize)
                    .collect())
            }
            Rows::List(list) => list.iter().map(|&i| frame_index(i, frames)).collect(),
            Rows::Mask(mask) => {
                if mask.len() != frames {
                    return Err(Error::invalid_arg(format!(
                        "a frame mask needs one flag per frame ({frames}), got {}",
                        mask.len()
                    )));
                }
                Ok(mask
                    .iter()
                    .enumerate()
                    .filter(|(_, &m)| m)
                    .map(|(i, _)| i)
                    .collect())
            }
        }
    }
}

/// Frame `i` of `frames` (negative counts from the end), or an error.
fn frame_index(i: i64, frames: usize) -> Result<usize> {
    let n = frames as i64;
    let at = if i < 0 { i + n } else { i };
    if at < 0 || at >= n {
        return Err(Error::invalid_arg(format!(
            "frame index {i} is out of range: it must be below {frames} (or at least -{frames}, counting from the end)"
        )));
    }
    Ok(at as usize)
}

/// Refuses a channel index at or past `channels`.
pub fn check_channels(cols: &[usize], channels: usize) -> Result<()> {
    if let Some(&c) = cols.iter().find(|&&c| c >= channels) {
        return Err(Error::invalid_arg(format!(
            "channel {c} is out of range: it must be below {channels}, the signal's channel count"
        )));
    }
    Ok(())
}

/// The samples of `audio` at `rows` and channels `cols` (in that order),
/// interleaved with `cols.len()` channels.
///
/// ```
/// use ringstream_core::dsp::{select::{gather, Rows}, Audio};
/// let d = [0.0f32, 10.0, 1.0, 11.0, 2.0, 12.0];
/// let a = Audio::new(&d, 2, 1.0).unwrap();
/// assert_eq!(gather(&a, Rows::List(&[2, 0]), &[1]).unwrap(), vec![12.0, 10.0]);
/// ```
pub fn gather(audio: &Audio, rows: Rows, cols: &[usize]) -> Result<Vec<f32>> {
    check_channels(cols, audio.channels)?;
    let idx = rows.indices(audio.frames())?;
    check_len(idx.len() as u128 * cols.len() as u128, "the selection")?;
    let ch = audio.channels;
    let mut out = Vec::with_capacity(idx.len() * cols.len());
    for f in idx {
        let frame = &audio.data[f * ch..(f + 1) * ch];
        out.extend(cols.iter().map(|&c| frame[c]));
    }
    Ok(out)
}

/// pya's `shift_channel`: a positive `shift` puts `shift` silent channels
/// before the signal's, a negative one drops the first `-shift` channels.
///
/// ```
/// use ringstream_core::dsp::{select::shift_channels, Audio};
/// let d = [1.0f32, 2.0];
/// let a = Audio::new(&d, 1, 1.0).unwrap();
/// assert_eq!(shift_channels(&a, 2).unwrap(), vec![0.0, 0.0, 1.0, 0.0, 0.0, 2.0]);
/// ```
pub fn shift_channels(audio: &Audio, shift: i64) -> Result<Vec<f32>> {
    let ch = audio.channels as i64;
    if shift <= -ch {
        return Err(Error::invalid_arg(format!(
            "shift must leave at least one of the {ch} channels, got {shift}"
        )));
    }
    let out_ch = (ch + shift) as usize;
    check_len(
        audio.frames() as u128 * out_ch as u128,
        "the shifted signal",
    )?;
    let mut out = Vec::with_capacity(audio.frames() * out_ch);
    let (pad, skip) = (shift.max(0) as usize, (-shift).max(0) as usize);
    for frame in audio.data.chunks_exact(audio.channels) {
        out.extend(std::iter::repeat_n(0.0, pad));
        out.extend_from_slice(&frame[skip..]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_ranges_resolve_as_numpy() {
        assert_eq!(
            Rows::Mask(&[true, false, true]).indices(3).unwrap(),
            vec![0, 2]
        );
        assert!(Rows::Mask(&[true]).indices(3).is_err());
        let back = Rows::Range {
            start: None,
            end: None,
            step: -2,
        };
        assert_eq!(back.indices(5).unwrap(), vec![4, 2, 0]);
        let zero = Rows::Range {
            start: None,
            end: None,
            step: 0,
        };
        assert!(zero.indices(5).is_err());
        assert!(Rows::List(&[-4]).indices(3).is_err());
    }

    #[test]
    fn gathers_channels_in_the_order_given() {
        let d = [0.0f32, 10.0, 20.0, 1.0, 11.0, 21.0];
        let a = Audio::new(&d, 3, 1.0).unwrap();
        let all = Rows::Range {
            start: None,
            end: None,
            step: 1,
        };
        assert_eq!(
            gather(&a, all, &[2, 0]).unwrap(),
            vec![20.0, 0.0, 21.0, 1.0]
        );
        assert!(gather(&a, all, &[3]).is_err());
    }

    #[test]
    fn shifts_left_by_dropping_channels() {
        let d = [0.0f32, 10.0, 20.0, 1.0, 11.0, 21.0];
        let a = Audio::new(&d, 3, 1.0).unwrap();
        assert_eq!(shift_channels(&a, -2).unwrap(), vec![20.0, 21.0]);
        assert_eq!(shift_channels(&a, 0).unwrap(), d.to_vec());
        assert!(shift_channels(&a, -3).is_err());
    }
}
