//! One direction of rate conversion, whichever filter serves the ratio: the
//! polyphase FIR for ratios with small rational terms (every pair of the
//! usual rates: 44.1 to 48 kHz is 160 / 147), rubato's sinc resampler for
//! the rest. Both are flat within 0.1 dB to 0.9 of the lower Nyquist
//! frequency and at least 100 dB down above it (`quality_tests` measure
//! both).

use super::fifo::Fifo;
use super::polyphase::Polyphase;
use super::sinc::Sinc;
use crate::engine::Sample;
use crate::error::Result;

/// Input frames the polyphase filter takes between two compactions of its
/// history: each compaction copies less than one filter length.
const POLYPHASE_RUN: usize = 1024;

enum Kernel {
    Polyphase(Polyphase),
    Sinc(Sinc),
}

/// Rate conversion by `to / from` for interleaved channels.
pub struct Stage {
    kernel: Kernel,
}

impl Stage {
    /// A stage converting `from` Hz to `to` Hz; `chunk` is the sinc
    /// resampler's input chunk when the ratio needs it.
    ///
    /// ```
    /// use ringstream_core::convert::{fifo::Fifo, stage::Stage};
    /// let mut up = Stage::new(16_000, 48_000, 1, 64).unwrap();
    /// let mut out = Fifo::new(1, 4096);
    /// assert!(up.feed(&[0.0; 640], &mut out));
    /// assert_eq!(out.frames(), 1920);
    /// ```
    pub fn new(from: u32, to: u32, channels: usize, chunk: usize) -> Result<Stage> {
        let kernel = match Polyphase::new(from, to, channels, POLYPHASE_RUN) {
            Some(p) => Kernel::Polyphase(p),
            None => Kernel::Sinc(Sinc::new(from, to, channels, chunk)?),
        };
        Ok(Stage { kernel })
    }

    /// A stage whose ratio [`Stage::set_relative`] can move by up to
    /// `drift::MOST` either way (drift correction): always the sinc
    /// resampler, even between equal rates.
    ///
    /// ```
    /// use ringstream_core::convert::stage::Stage;
    /// let mut s = Stage::adaptive(44_100, 48_000, 2, 64).unwrap();
    /// assert!(s.delay() > 100.0);
    /// assert!(s.set_relative(1.001));
    /// ```
    pub fn adaptive(from: u32, to: u32, channels: usize, chunk: usize) -> Result<Stage> {
        let most = 1.0 + super::drift::MOST;
        Ok(Stage {
            kernel: Kernel::Sinc(Sinc::with_range(from, to, channels, chunk, most)?),
        })
    }

    /// Sets the ratio to `rel` times the nominal one (gliding over the next
    /// chunk); false for a stage with a fixed ratio. Allocates nothing.
    pub fn set_relative(&mut self, rel: f64) -> bool {
        match &mut self.kernel {
            Kernel::Polyphase(_) => false,
            Kernel::Sinc(s) => {
                s.set_relative(rel);
                true
            }
        }
    }

    /// The filter's delay in output frames (fractional): output frame `k`
    /// stands for input time `(k - delay) / to`.
    pub fn delay(&self) -> f64 {
        match &self.kernel {
            Kernel::Polyphase(p) => p.delay(),
            Kernel::Sinc(s) => s.delay(),
        }
    }

    /// Most output frames one [`Stage::feed`] of `frames` input frames can
    /// produce.
    pub fn most_out(&self, frames: usize) -> usize {
        match &self.kernel {
            Kernel::Polyphase(p) => p.most_out(frames),
            Kernel::Sinc(s) => s.most_out(frames),
        }
    }

    /// Takes interleaved input frames and appends the output they complete
    /// to `fifo`. Allocates nothing. False if some output did not fit in
    /// `fifo` (it is dropped: an overflow).
    pub fn feed(&mut self, input: &[Sample], fifo: &mut Fifo) -> bool {
        match &mut self.kernel {
            Kernel::Polyphase(p) => p.feed(input, fifo),
            Kernel::Sinc(s) => s.feed(input, fifo),
        }
    }

    /// Forgets the filter's history (a new run).
    pub fn reset(&mut self) {
        match &mut self.kernel {
            Kernel::Polyphase(p) => p.reset(),
            Kernel::Sinc(s) => s.reset(),
        }
    }
}
