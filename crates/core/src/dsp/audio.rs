//! [`Audio`]: a checked view of interleaved samples with their layout.

use crate::{Error, Result};

/// Interleaved samples, a channel count and a sample rate, checked once so
/// that every kernel can rely on `data.len()` being a whole number of frames.
#[derive(Debug, Clone, Copy)]
pub struct Audio<'a> {
    /// Interleaved samples, `frames * channels` of them.
    pub data: &'a [f32],
    /// Channels per frame (at least 1).
    pub channels: usize,
    /// Frames per second (finite, above 0).
    pub samplerate: f64,
}

impl<'a> Audio<'a> {
    /// Checks the layout: `channels >= 1`, a positive finite `samplerate` and
    /// a length that is a multiple of `channels`.
    pub fn new(data: &'a [f32], channels: usize, samplerate: f64) -> Result<Self> {
        if channels == 0 {
            return Err(Error::invalid_arg("channels must be at least 1, got 0"));
        }
        check_rate(samplerate)?;
        if !data.len().is_multiple_of(channels) {
            return Err(Error::invalid_arg(format!(
                "the signal's length ({}) must be a whole number of frames of {channels} channels",
                data.len()
            )));
        }
        Ok(Audio {
            data,
            channels,
            samplerate,
        })
    }

    /// Frames in the signal.
    pub fn frames(&self) -> usize {
        self.data.len() / self.channels
    }

    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.frames() as f64 / self.samplerate
    }

    /// `seconds` as a whole number of frames (rounded down, as pya's
    /// `int(dur * sr)`), refusing negative and non-finite durations.
    pub fn frames_of(&self, seconds: f64, what: &str) -> Result<usize> {
        seconds_to_frames(seconds, self.samplerate, what)
    }
}

/// Refuses a sample rate that is not finite and above 0.
pub fn check_rate(samplerate: f64) -> Result<()> {
    if !(samplerate.is_finite() && samplerate > 0.0) {
        return Err(Error::invalid_arg(format!(
            "samplerate must be a positive number of frames per second, got {samplerate}"
        )));
    }
    Ok(())
}

/// Refuses a value that is not finite (NaN or infinite).
pub fn check_finite(value: f64, what: &str) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::invalid_arg(format!(
            "{what} must be a finite number, got {value}"
        )));
    }
    Ok(value)
}

/// `seconds * samplerate` rounded down, for a finite `seconds >= 0`.
pub fn seconds_to_frames(seconds: f64, samplerate: f64, what: &str) -> Result<usize> {
    if !(seconds.is_finite() && seconds >= 0.0) {
        return Err(Error::invalid_arg(format!(
            "{what} must be a duration of 0 seconds or more, got {seconds}"
        )));
    }
    Ok((seconds * samplerate + 1e-9).floor() as usize)
}

/// The most samples one result may hold: what a JS `Float32Array` can
/// (2^32 - 1 elements), far below what would exhaust memory unchecked.
pub const MAX_SAMPLES: u64 = (1 << 32) - 1;

/// Refuses a result of more than [`MAX_SAMPLES`] samples (`count` of `what`)
/// before anything is allocated.
pub fn check_len(count: u128, what: &str) -> Result<usize> {
    if count > MAX_SAMPLES as u128 {
        return Err(Error::invalid_arg(format!(
            "{what} would hold {count} samples, more than the {MAX_SAMPLES} an array can"
        )));
    }
    Ok(count as usize)
}
