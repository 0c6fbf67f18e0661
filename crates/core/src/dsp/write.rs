//! pya's writing into a signal (`__setitem__`) and its modes: the plain
//! form (lengths must match), `bound` (the value cut to fit), `extend`
//! (the signal grows to take the value) and `overwrite` (the frames
//! replaced by the value, whatever its length).

use super::audio::{check_len, Audio};
use super::edit::slice_indices;
use super::select::{check_channels, Rows};
use crate::{Error, Result};

/// How a value whose length differs from the selection is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// pya's plain `a[...] = v`: the value has as many frames as the
    /// selection (or one frame, repeated as numpy broadcasts).
    Strict,
    /// pya's `.b`: the value is cut to the selection, or fills its start.
    Bound,
    /// pya's `.x`: a step-1 range running to the end grows to take the value.
    Extend,
    /// pya's `.o`: the frames of a step-1 range are replaced by the value.
    Overwrite,
}

/// The value written: samples with their channel count, and whether it is
/// a constant (a number or one value per channel), which fills the whole
/// selection in every mode, as pya's scalars and lists do.
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    /// The value's samples.
    pub audio: Audio<'a>,
    /// A constant: one frame written to every selected frame.
    pub constant: bool,
}

/// Where a value is written: frames and channels of the signal.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The frames.
    pub rows: Rows<'a>,
    /// The channels, in the order the value's channels go to.
    pub cols: &'a [usize],
}

/// `dest` with `value` written at `at` as `mode` says; `dest` is not
/// changed (signals are immutable), the result is a new signal's samples.
///
/// ```
/// use ringstream_core::dsp::select::Rows;
/// use ringstream_core::dsp::write::{set, Mode, Target, Value};
/// use ringstream_core::dsp::Audio;
/// let d = [0.0f32; 4];
/// let dest = Audio::new(&d, 1, 1.0).unwrap();
/// let v = [1.0f32, 2.0, 3.0];
/// let value = Value { audio: Audio::new(&v, 1, 1.0).unwrap(), constant: false };
/// let rows = Rows::Range { start: Some(2), end: None, step: 1 };
/// let at = Target { rows, cols: &[0] };
/// assert_eq!(set(&dest, at, value, Mode::Bound).unwrap(), vec![0.0, 0.0, 1.0, 2.0]);
/// assert_eq!(set(&dest, at, value, Mode::Extend).unwrap(), vec![0.0, 0.0, 1.0, 2.0, 3.0]);
/// assert!(set(&dest, at, value, Mode::Strict).is_err());
/// ```
pub fn set(dest: &Audio, at: Target, value: Value, mode: Mode) -> Result<Vec<f32>> {
    check_channels(at.cols, dest.channels)?;
    let vch = value.audio.channels;
    if vch != 1 && vch != at.cols.len() {
        return Err(Error::invalid_arg(format!(
            "the value has {vch} channels but {} are selected: give 1 (for all) or {}",
            at.cols.len(),
            at.cols.len()
        )));
    }
    if value.constant {
        return write_rows(dest, at, value, Mode::Strict);
    }
    match mode {
        Mode::Strict | Mode::Bound => write_rows(dest, at, value, mode),
        Mode::Extend => extend(dest, at, value),
        Mode::Overwrite => overwrite(dest, at, value),
    }
}

/// The plain and bound forms: the selected frames take the value's frames.
fn write_rows(dest: &Audio, at: Target, value: Value, mode: Mode) -> Result<Vec<f32>> {
    let idx = at.rows.indices(dest.frames())?;
    let vn = value.audio.frames();
    let repeat = value.constant || (mode == Mode::Strict && vn == 1);
    if mode == Mode::Strict && !repeat && vn != idx.len() {
        return Err(Error::invalid_arg(format!(
            "the value has {vn} frames but {} are selected: give as many, or mode 'bound' (cut to fit) or 'extend' (grow)",
            idx.len()
        )));
    }
    let mut out = dest.data.to_vec();
    let n = if repeat { idx.len() } else { idx.len().min(vn) };
    for (k, &f) in idx[..n].iter().enumerate() {
        put(
            &mut out,
            dest.channels,
            f,
            at.cols,
            source_frame(&value, if repeat { 0 } else { k }),
        );
    }
    Ok(out)
}

/// Frame `k` of the value.
fn source_frame<'v>(value: &Value<'v>, k: usize) -> &'v [f32] {
    let ch = value.audio.channels;
    &value.audio.data[k * ch..(k + 1) * ch]
}

/// Writes one value frame into frame `f` of `out` at channels `cols` (a
/// mono value goes to every one of them).
fn put(out: &mut [f32], channels: usize, f: usize, cols: &[usize], src: &[f32]) {
    let frame = &mut out[f * channels..(f + 1) * channels];
    for (j, &c) in cols.iter().enumerate() {
        frame[c] = if src.len() == 1 { src[0] } else { src[j] };
    }
}

/// The start of a step-1 range, or why the mode needs one.
fn range_start(rows: Rows, frames: usize, mode: &str) -> Result<(usize, usize)> {
    let Rows::Range { start, end, step } = rows else {
        return Err(Error::invalid_arg(format!(
            "mode '{mode}' needs a range of frames (start, end, step 1), not a list or a mask"
        )));
    };
    if step != 1 {
        return Err(Error::invalid_arg(format!(
            "mode '{mode}' needs a range with step 1, got step {step}"
        )));
    }
    // A start past the end stays where it is: extend pads with silence up to it.
    let s = match start {
        Some(s) if s > frames as i64 => s as usize,
        _ => slice_indices(frames, start, None, 1).0 as usize,
    };
    let e = match end {
        None => frames.max(s),
        Some(_) => (slice_indices(frames, end, None, 1).0 as usize).max(s),
    };
    Ok((s, e))
}

/// pya's `.x`: the value from the range's start, the signal grown (with
/// silence in the other channels) when the value runs past its end.
fn extend(dest: &Audio, at: Target, value: Value) -> Result<Vec<f32>> {
    let frames = dest.frames();
    let (s, e) = range_start(at.rows, frames, "extend")?;
    if e < frames {
        return Err(Error::invalid_arg(format!(
            "mode 'extend' needs a range that runs to the end of the signal (frame {frames}), it ends at {e}"
        )));
    }
    let ch = dest.channels;
    let total = frames.max(s + value.audio.frames());
    check_len(total as u128 * ch as u128, "the extended signal")?;
    let mut out = dest.data.to_vec();
    out.resize(total * ch, 0.0);
    for k in 0..value.audio.frames() {
        put(&mut out, ch, s + k, at.cols, source_frame(&value, k));
    }
    Ok(out)
}

/// pya's `.o`: the range's frames cut out and the value put in their place
/// (all channels: the value has the signal's channels, or one for all).
fn overwrite(dest: &Audio, at: Target, value: Value) -> Result<Vec<f32>> {
    let ch = dest.channels;
    let all: Vec<usize> = (0..ch).collect();
    if at.cols != all.as_slice() {
        return Err(Error::invalid_arg(
            "mode 'overwrite' replaces whole frames: it needs all channels selected, in their order",
        ));
    }
    let frames = dest.frames();
    let (s, e) = range_start(at.rows, frames, "overwrite")?;
    let (s, e) = (s.min(frames), e.min(frames));
    let vn = value.audio.frames();
    let total = frames - (e - s) + vn;
    check_len(total as u128 * ch as u128, "the overwritten signal")?;
    let mut out = Vec::with_capacity(total * ch);
    out.extend_from_slice(&dest.data[..s * ch]);
    out.resize((s + vn) * ch, 0.0);
    for k in 0..vn {
        put(&mut out, ch, s + k, &all, source_frame(&value, k));
    }
    out.extend_from_slice(&dest.data[e * ch..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mono(d: &[f32]) -> Audio<'_> {
        Audio::new(d, 1, 1.0).unwrap()
    }

    #[test]
    fn overwrite_replaces_the_range_whatever_its_length() {
        // pya's test_replace: 100 frames, [40:50] replaced by 290 ones.
        let d: Vec<f32> = (0..100).map(|i| i as f32).collect();
        let ones = vec![1.0f32; 290];
        let rows = Rows::Range {
            start: Some(40),
            end: Some(50),
            step: 1,
        };
        let value = Value {
            audio: mono(&ones),
            constant: false,
        };
        let r = set(
            &mono(&d),
            Target { rows, cols: &[0] },
            value,
            Mode::Overwrite,
        )
        .unwrap();
        assert_eq!(r.len(), 380);
        assert_eq!(r[39], 39.0);
        assert_eq!(r[50..60].iter().sum::<f32>(), 10.0);
        assert_eq!(r[330], 50.0);
    }

    #[test]
    fn extend_pads_to_a_start_past_the_end() {
        let d = [1.0f32; 4];
        let dest = Audio::new(&d, 2, 1.0).unwrap();
        let v = [5.0f32];
        let rows = Rows::Range {
            start: Some(3),
            end: None,
            step: 1,
        };
        let value = Value {
            audio: mono(&v),
            constant: false,
        };
        let r = set(&dest, Target { rows, cols: &[1] }, value, Mode::Extend).unwrap();
        assert_eq!(r, vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 5.0]);
        let short = Rows::Range {
            start: Some(0),
            end: Some(1),
            step: 1,
        };
        assert!(set(
            &dest,
            Target {
                rows: short,
                cols: &[1]
            },
            value,
            Mode::Extend
        )
        .is_err());
        let list = Rows::List(&[0]);
        assert!(set(
            &dest,
            Target {
                rows: list,
                cols: &[1]
            },
            value,
            Mode::Extend
        )
        .is_err());
    }

    #[test]
    fn constants_fill_the_selection_in_every_mode() {
        let d = [0.0f32; 3];
        let c = [2.0f32];
        let value = Value {
            audio: mono(&c),
            constant: true,
        };
        let rows = Rows::Mask(&[true, false, true]);
        for mode in [Mode::Strict, Mode::Bound, Mode::Extend, Mode::Overwrite] {
            let r = set(&mono(&d), Target { rows, cols: &[0] }, value, mode).unwrap();
            assert_eq!(r, vec![2.0, 0.0, 2.0]);
        }
    }

    #[test]
    fn refuses_a_value_with_other_channels() {
        let d = [0.0f32; 8];
        let dest = Audio::new(&d, 4, 1.0).unwrap();
        let v = [0.0f32; 4];
        let value = Value {
            audio: Audio::new(&v, 2, 1.0).unwrap(),
            constant: false,
        };
        let rows = Rows::Range {
            start: None,
            end: None,
            step: 1,
        };
        let at = Target {
            rows,
            cols: &[0, 1, 2, 3],
        };
        assert!(set(&dest, at, value, Mode::Overwrite).is_err());
    }
}
