//! A spectrogram as a picture: magnitudes reduced to a pixel grid (the
//! loudest bin of each cell), in dB below the loudest cell, through a
//! dark-to-bright colour map, encoded as PNG.

use super::png::png_rgb;
use super::spectrum::Spectrogram;
use crate::{Error, Result};

/// The picture's size and dynamic range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatmapSpec {
    /// The channel drawn.
    pub channel: usize,
    /// Pixels across (time); at most the slices.
    pub width: usize,
    /// Pixels down (frequency, highest at the top); at most the bins.
    pub height: usize,
    /// dB below the loudest cell drawn as black (e.g. 90).
    pub range_db: f64,
}

/// Colour stops from silence to the loudest cell (black, purple, red, orange, pale yellow).
const STOPS: [[f64; 3]; 5] = [
    [0.0, 0.0, 4.0],
    [81.0, 18.0, 124.0],
    [183.0, 55.0, 121.0],
    [252.0, 137.0, 97.0],
    [252.0, 253.0, 191.0],
];

fn colour(level: f64) -> [u8; 3] {
    let x = level.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mut c = [0u8; 3];
    for (k, v) in c.iter_mut().enumerate() {
        *v = (STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f).round() as u8;
    }
    c
}

/// The PNG of one channel of `g`, and its size `(width, height)`.
pub fn heatmap_png(g: &Spectrogram, spec: &HeatmapSpec) -> Result<(Vec<u8>, usize, usize)> {
    let channels = g.mags.len() / (g.slices * g.bins).max(1);
    if spec.channel >= channels {
        return Err(Error::invalid_arg(format!(
            "channel {} does not exist: the spectrogram has {channels}",
            spec.channel
        )));
    }
    if spec.width == 0 || spec.height == 0 || spec.range_db.is_nan() || spec.range_db <= 0.0 {
        return Err(Error::invalid_arg(format!(
            "width and height must be at least 1 and rangeDb above 0, got {}, {} and {}",
            spec.width, spec.height, spec.range_db
        )));
    }
    let w = spec.width.min(g.slices);
    let h = spec.height.min(g.bins);
    let base = spec.channel * g.slices * g.bins;
    let mut cells = vec![0.0f32; w * h];
    for s in 0..g.slices {
        let x = s * w / g.slices;
        let row = &g.mags[base + s * g.bins..base + (s + 1) * g.bins];
        for (k, &m) in row.iter().enumerate() {
            let y = h - 1 - k * h / g.bins;
            let cell = &mut cells[y * w + x];
            if m > *cell {
                *cell = m;
            }
        }
    }
    let top = cells
        .iter()
        .copied()
        .fold(0.0f32, f32::max)
        .max(f32::MIN_POSITIVE) as f64;
    let mut rgb = Vec::with_capacity(w * h * 3);
    for &m in &cells {
        let db = 20.0 * (m as f64 / top).max(1e-30).log10();
        rgb.extend_from_slice(&colour(1.0 + db / spec.range_db));
    }
    Ok((png_rgb(w, h, &rgb), w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loudest_cell_is_brightest() {
        // 2 slices x 4 bins; slice 1, bin 3 (top row) is the loudest.
        let g = Spectrogram {
            bins: 4,
            slices: 2,
            mags: vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        };
        let spec = HeatmapSpec {
            channel: 0,
            width: 2,
            height: 4,
            range_db: 60.0,
        };
        let (png, w, h) = heatmap_png(&g, &spec).unwrap();
        assert_eq!((w, h), (2, 4));
        assert!(png.len() > 40);
        assert_eq!(colour(1.0), [252, 253, 191]);
        assert_eq!(colour(0.0), [0, 0, 4]);
        assert!(heatmap_png(&g, &HeatmapSpec { channel: 1, ..spec }).is_err());
    }
}
