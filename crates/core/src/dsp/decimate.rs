//! Min / max per plot column: what a waveform drawing needs, whatever the
//! length of the signal (an hour of audio reduces to a few thousand pairs).

use super::audio::{check_len, Audio};
use crate::{Error, Result};

/// Lanes per vectorised step: 16 floats, a multiple of 1, 2, 4, 8 and 16 channels.
const LANES: usize = 16;

/// Per channel, per column, the `[min, max]` of the frames that fall into
/// that column: column `c` of `columns` covers frames
/// `floor(c * frames / columns) .. floor((c + 1) * frames / columns)`.
/// A column that holds no frame (more columns than frames) takes the frame
/// under it. Laid out planar: `out[(ch * columns + c) * 2 + {0: min, 1: max}]`.
/// Runs on every core for long signals.
pub fn min_max(audio: &Audio, columns: usize) -> Result<Vec<f32>> {
    if columns == 0 {
        return Err(Error::invalid_arg("columns must be at least 1, got 0"));
    }
    let ch = audio.channels;
    check_len(columns as u128 * ch as u128 * 2, "the columns")?;
    let mut cols = vec![0.0f32; columns * ch * 2]; // column-major while computing
    let threads = if audio.data.len() < 1 << 20 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let per = columns.div_ceil(threads);
    std::thread::scope(|s| {
        for (t, part) in cols.chunks_mut(per * ch * 2).enumerate() {
            s.spawn(move || fill(audio, columns, t * per, part));
        }
    });
    // Column-major [c][ch][2] to planar [ch][c][2].
    let mut out = vec![0.0f32; cols.len()];
    for c in 0..columns {
        for k in 0..ch {
            let src = (c * ch + k) * 2;
            let dst = (k * columns + c) * 2;
            out[dst..dst + 2].copy_from_slice(&cols[src..src + 2]);
        }
    }
    Ok(out)
}

/// Fills `part` (columns from `first` on, `[ch][min, max]` each).
fn fill(audio: &Audio, columns: usize, first: usize, part: &mut [f32]) {
    let ch = audio.channels;
    let frames = audio.frames();
    for (j, out) in part.chunks_exact_mut(ch * 2).enumerate() {
        let c = first + j;
        let start = c * frames / columns;
        let end = ((c + 1) * frames / columns).max((start + 1).min(frames));
        if start >= end {
            out.fill(0.0);
            continue;
        }
        column(&audio.data[start * ch..end * ch], ch, out);
    }
}

/// `[min, max]` per channel of the interleaved `data` into `out`.
fn column(data: &[f32], ch: usize, out: &mut [f32]) {
    if !LANES.is_multiple_of(ch) {
        for k in 0..ch {
            out[k * 2] = f32::INFINITY;
            out[k * 2 + 1] = f32::NEG_INFINITY;
        }
        for frame in data.chunks_exact(ch) {
            for (k, &x) in frame.iter().enumerate() {
                out[k * 2] = out[k * 2].min(x);
                out[k * 2 + 1] = out[k * 2 + 1].max(x);
            }
        }
        return;
    }
    // Lane i holds channel i % ch; plain compares (not f32::min) vectorise.
    let mut lo = [f32::INFINITY; LANES];
    let mut hi = [f32::NEG_INFINITY; LANES];
    let chunks = data.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for i in 0..LANES {
            let x = chunk[i];
            lo[i] = if x < lo[i] { x } else { lo[i] };
            hi[i] = if x > hi[i] { x } else { hi[i] };
        }
    }
    // Whole chunks end on frame boundaries, so the rest starts at channel 0.
    for (i, &x) in rest.iter().enumerate() {
        let l = i % ch;
        lo[l] = lo[l].min(x);
        hi[l] = hi[l].max(x);
    }
    for k in 0..ch {
        let (mut mn, mut mx) = (f32::INFINITY, f32::NEG_INFINITY);
        for lane in (k..LANES).step_by(ch) {
            mn = mn.min(lo[lane]);
            mx = mx.max(hi[lane]);
        }
        out[k * 2] = mn;
        out[k * 2 + 1] = mx;
    }
}

/// Columns on a logarithmic frequency axis, for [`log_peaks`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogAxis {
    /// Hz between bins (bin `k` is at `k * resolution`).
    pub resolution: f64,
    /// The frequency at the left edge.
    pub low: f64,
    /// The frequency at the right edge.
    pub high: f64,
    /// Columns across.
    pub columns: usize,
}

/// The loudest bin of each column of a logarithmic frequency axis: column
/// `c` covers `low * (high / low)^(c / columns)` up to the next column's
/// start. A column narrower than a bin takes the bin under its centre.
pub fn log_peaks(mags: &[f32], axis: &LogAxis) -> Result<Vec<f32>> {
    let ok =
        axis.resolution > 0.0 && axis.low > 0.0 && axis.high > axis.low && axis.high.is_finite();
    if !ok || axis.columns == 0 {
        return Err(Error::invalid_arg(format!(
            "a log axis needs 0 < low < high and at least one column, got {} to {} Hz over {} columns",
            axis.low, axis.high, axis.columns
        )));
    }
    check_len(axis.columns as u128, "the columns")?;
    let ratio = (axis.high / axis.low).ln() / axis.columns as f64;
    let at = |c: f64| axis.low * (ratio * c).exp() / axis.resolution;
    let last = mags.len().saturating_sub(1);
    Ok((0..axis.columns)
        .map(|c| {
            // Bins from the column's left edge (inclusive) to the next one's;
            // the tolerance keeps 99.99999 and 100.00001 the same edge.
            let edge = |x: f64| (x - 1e-9).ceil().max(0.0) as usize;
            let from = edge(at(c as f64));
            let to = edge(at(c as f64 + 1.0)).min(mags.len());
            if from < to {
                mags[from..to].iter().copied().fold(0.0, f32::max)
            } else {
                let k = (at(c as f64 + 0.5).round() as usize).min(last);
                mags.get(k).copied().unwrap_or(0.0)
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_per_column_and_channel() {
        // Stereo, 40 frames: left is the frame index, right its negative.
        let d: Vec<f32> = (0..40).flat_map(|i| [i as f32, -(i as f32)]).collect();
        let a = Audio::new(&d, 2, 1.0).unwrap();
        let m = min_max(&a, 4).unwrap();
        // Left, columns of 10 frames: [0, 9], [10, 19], ...
        assert_eq!(&m[..8], &[0.0, 9.0, 10.0, 19.0, 20.0, 29.0, 30.0, 39.0]);
        assert_eq!(&m[8..10], &[-9.0, 0.0]);
        // Three channels (no lane trick), more columns than frames.
        let t = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = Audio::new(&t, 3, 1.0).unwrap();
        let n = min_max(&b, 4).unwrap();
        assert_eq!(&n[..8], &[1.0, 1.0, 1.0, 1.0, 4.0, 4.0, 4.0, 4.0]);
    }

    #[test]
    fn log_columns_take_the_loudest_bin() {
        // 1 Hz bins 0..1000; a peak at 100 Hz falls in the middle column of 10 to 1000 Hz.
        let mut mags = vec![0.0f32; 1001];
        mags[100] = 1.0;
        mags[11] = 0.5;
        let axis = LogAxis {
            resolution: 1.0,
            low: 10.0,
            high: 1000.0,
            columns: 4,
        };
        let p = log_peaks(&mags, &axis).unwrap();
        // Columns: 10-31.6, 31.6-100, 100-316, 316-1000.
        assert_eq!(p, vec![0.5, 0.0, 1.0, 0.0]);
        assert!(log_peaks(&mags, &LogAxis { low: 0.0, ..axis }).is_err());
    }

    #[test]
    fn long_signals_split_across_threads_agree() {
        let d: Vec<f32> = (0..3_000_000i64)
            .map(|i| ((i * 7919) % 1000) as f32 - 500.0)
            .collect();
        let a = Audio::new(&d, 1, 1.0).unwrap();
        let m = min_max(&a, 1000).unwrap();
        for c in [0usize, 499, 999] {
            let s = &d[c * 3000..(c + 1) * 3000];
            let mn = s.iter().copied().fold(f32::INFINITY, f32::min);
            let mx = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            assert_eq!([m[c * 2], m[c * 2 + 1]], [mn, mx]);
        }
    }
}
