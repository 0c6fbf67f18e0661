//! Rate conversion by any ratio: rubato's asynchronous sinc resampler,
//! built once at open with a fixed input chunk and preallocated buffers, fed
//! any number of frames at a time. [`super::stage::Stage`] uses it where the
//! ratio has no small rational form.
//!
//! The filter is long enough for the quality the stream promises: flat
//! within 0.1 dB to 0.9 of the lower Nyquist frequency and at least 100 dB
//! down above it (the tests in `quality_tests` measure both).

use super::fifo::Fifo;
use super::polyphase::{CUTOFF, TAPS_AT_LOWER_RATE};
use crate::engine::Sample;
use crate::error::{Error, ErrorKind, Result};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    calculate_cutoff, Adjustable, Async, FixedAsync, Resampler, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};

/// Intermediate sinc points per input frame; with cubic interpolation
/// between them the interpolation error is far below the stopband.
const OVERSAMPLING: usize = 256;

/// Rate conversion by `to / from` for `channels` interleaved channels.
pub struct Sinc {
    rs: Async<Sample>,
    channels: usize,
    chunk: usize,
    /// Input frames waiting for a whole chunk (interleaved).
    pending: Vec<Sample>,
    filled: usize,
    /// The resampler's output for one chunk (interleaved).
    out: Vec<Sample>,
    ratio: f64,
    /// How far `set_relative` may move the ratio (a factor).
    most: f64,
    /// Sinc taps, as rubato rounds them.
    taps: usize,
}

impl Sinc {
    /// A stage converting `from` Hz to `to` Hz, resampling every `chunk`
    /// input frames.
    ///
    /// ```
    /// use ringstream_core::convert::{fifo::Fifo, sinc::Sinc};
    /// let mut up = Sinc::new(16_000, 48_000, 1, 64).unwrap();
    /// let mut out = Fifo::new(1, 4096);
    /// assert!(up.feed(&[0.0; 640], &mut out));
    /// // Three output frames per input frame, give or take the filter's edge.
    /// assert!((1910..=1930).contains(&out.frames()), "{}", out.frames());
    /// ```
    pub fn new(from: u32, to: u32, channels: usize, chunk: usize) -> Result<Sinc> {
        Sinc::with_range(from, to, channels, chunk, 1.0)
    }

    /// The same, with a ratio that [`Sinc::set_relative`] can move by up to
    /// `most` (a factor, 1.01 for 1%) either way.
    ///
    /// ```
    /// use ringstream_core::convert::{fifo::Fifo, sinc::Sinc};
    /// let mut s = Sinc::with_range(48_000, 48_000, 1, 64, 1.01).unwrap();
    /// s.set_relative(1.01);
    /// let mut out = Fifo::new(1, 8192);
    /// assert!(s.feed(&[0.0; 6400], &mut out));
    /// assert!(out.frames() > 6400);
    /// ```
    pub fn with_range(
        from: u32,
        to: u32,
        channels: usize,
        chunk: usize,
        most: f64,
    ) -> Result<Sinc> {
        let ratio = f64::from(to) / f64::from(from);
        // The filter is designed at the input rate: downsampling needs it
        // longer by the rate factor to keep the same band edges.
        let taps = (TAPS_AT_LOWER_RATE as f64 / ratio.min(1.0)).ceil() as usize;
        let params = SincInterpolationParameters::new(taps, WindowFunction::BlackmanHarris2)
            .f_cutoff(CUTOFF.min(calculate_cutoff(taps, WindowFunction::BlackmanHarris2)))
            .oversampling_factor(OVERSAMPLING)
            .interpolation(SincInterpolationType::Cubic);
        let rs =
            Async::<Sample>::new_sinc(ratio, most, &params, chunk, channels, FixedAsync::Input)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::UnsupportedConfig,
                        format!("cannot convert {from} Hz to {to} Hz: {e}"),
                    )
                })?;
        let out = vec![0.0; rs.output_frames_max() * channels];
        Ok(Sinc {
            rs,
            channels,
            chunk,
            pending: vec![0.0; chunk * channels],
            filled: 0,
            out,
            ratio,
            most,
            taps: taps.next_multiple_of(8),
        })
    }

    /// The filter's delay in output frames (fractional): output frame `k`
    /// stands for input time `(k - delay) / to`.
    pub fn delay(&self) -> f64 {
        // rubato's `output_delay` truncates. The sinc is centred on half its
        // taps less one step of its oversampled table (input frames), and
        // rubato's first output index is one frame behind; measured to a
        // thousandth of a frame in `quality_tests`.
        (self.taps as f64 / 2.0 - 1.0 / OVERSAMPLING as f64) * self.ratio - 1.0
    }

    /// Output frames per input frame (the nominal ratio).
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// Sets the ratio to `rel` times the nominal one, clamped to the range
    /// given at construction; rubato ramps it over the next chunk, so the
    /// rate glides instead of stepping. Allocates nothing.
    pub fn set_relative(&mut self, rel: f64) {
        let most = self.most;
        // In range by the clamp, so rubato cannot refuse it.
        let _ = self
            .rs
            .set_resample_ratio_relative(rel.clamp(1.0 / most, most), true);
    }

    /// Input frames held until their chunk is whole.
    pub fn held(&self) -> usize {
        self.filled
    }

    /// Most output frames one [`Sinc::feed`] of `frames` input frames can
    /// produce.
    pub fn most_out(&self, frames: usize) -> usize {
        (frames.div_ceil(self.chunk) + 1) * self.out.len() / self.channels
    }

    /// Takes interleaved input frames; every whole chunk is converted and
    /// its output appended to `fifo`. Allocates nothing. False if some
    /// output did not fit in `fifo` (it is dropped: an overflow).
    pub fn feed(&mut self, mut input: &[Sample], fifo: &mut Fifo) -> bool {
        let ch = self.channels;
        let mut fits = true;
        while !input.is_empty() {
            let take = ((self.chunk - self.filled) * ch).min(input.len());
            self.pending[self.filled * ch..self.filled * ch + take].copy_from_slice(&input[..take]);
            self.filled += take / ch;
            input = &input[take..];
            if self.filled < self.chunk {
                break;
            }
            self.filled = 0;
            let produced = self.convert_chunk();
            fits &= fifo.push(&self.out[..produced * ch]);
        }
        fits
    }

    /// Converts the whole chunk in `pending` into `out`; returns the frames
    /// produced. The buffers are sized at construction, so rubato's checks
    /// cannot fail here.
    fn convert_chunk(&mut self) -> usize {
        let ch = self.channels;
        let frames_out = self.out.len() / ch;
        let (Ok(src), Ok(mut dst)) = (
            InterleavedSlice::new(&self.pending[..], ch, self.chunk),
            InterleavedSlice::new_mut(&mut self.out[..], ch, frames_out),
        ) else {
            return 0;
        };
        self.rs
            .process_into_buffer(&src, &mut dst, None)
            .map_or(0, |(_, produced)| produced)
    }

    /// Forgets the filter's history and the frames held (a new run).
    pub fn reset(&mut self) {
        self.rs.reset();
        self.filled = 0;
    }
}
