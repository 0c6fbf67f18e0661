//! Rate conversion by a fixed rational ratio `up / down` (44.1 to 48 kHz is
//! 160 / 147) as a polyphase FIR: the windowed-sinc filter is sampled once,
//! at open, at every one of the `up` phases an output frame can fall on, so
//! each output frame is one dot product of a phase's taps with the input
//! history, with no interpolation between table points.
//!
//! Taps and history are `f32`: the dot products then run four or eight
//! lanes wide (AVX2 with fused multiply-adds where the CPU has it), and the rounding they add (about -140 dB) is far below the
//! 100 dB stopband the filter is designed for (`quality_tests` measure it).

use super::fifo::Fifo;
use crate::engine::Sample;
use rubato::{calculate_cutoff, WindowFunction};

/// Sinc taps at the lower of the two rates (see `stage`).
pub const TAPS_AT_LOWER_RATE: usize = 256;
/// The filter's cutoff relative to the lower Nyquist frequency, at most.
pub const CUTOFF: f32 = 0.95;
/// Most filter coefficients (phases times taps) a table may hold: 2 MB.
const MOST_COEFFS: usize = 1 << 19;
/// Output frames computed between two pushes to the queue.
const BATCH: usize = 64;
/// Lanes the dot product accumulates in: four SSE or two AVX registers,
/// enough independent sums to keep the multiply-adds in flight.
const LANES: usize = 16;

/// The greatest common divisor (Euclid).
fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The squared four-term Blackman-Harris window at `x` in `[0, 1]`.
fn window(x: f64) -> f64 {
    use std::f64::consts::TAU;
    let w = 0.35875 - 0.48829 * (TAU * x).cos() + 0.14128 * (2.0 * TAU * x).cos()
        - 0.01168 * (3.0 * TAU * x).cos();
    w * w
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let px = std::f64::consts::PI * x;
        px.sin() / px
    }
}

/// A fixed-ratio converter for interleaved frames.
pub struct Polyphase {
    up: usize,
    down: usize,
    taps: usize,
    channels: usize,
    /// `up` rows of `taps` coefficients: row `p` makes the output frame that
    /// falls `p / up` of an input frame after its first history frame.
    coeffs: Vec<f32>,
    /// Per channel, `cap` frames of input history (planar, so that a dot
    /// product reads contiguous memory).
    history: Vec<f32>,
    cap: usize,
    /// History frames held (the same for every channel).
    len: usize,
    /// The next output frame's first history frame and phase.
    first: usize,
    phase: usize,
    /// Up to `BATCH` output frames, interleaved.
    out: Vec<Sample>,
    dot: Dot,
}

impl Polyphase {
    /// A converter from `from` Hz to `to` Hz taking up to `most_in` input
    /// frames per [`Polyphase::feed`] call before it compacts its history;
    /// `None` if the ratio's reduced terms need a table larger than 2 MB
    /// (the sinc resampler then converts).
    ///
    /// ```
    /// use ringstream_core::convert::{fifo::Fifo, polyphase::Polyphase};
    /// let mut up = Polyphase::new(44_100, 48_000, 2, 512).unwrap();
    /// let mut q = Fifo::new(2, 1024);
    /// assert!(up.feed(&[0.0; 2 * 441], &mut q));
    /// assert_eq!(q.frames(), 480);
    /// assert!(Polyphase::new(44_100, 47_999, 1, 512).is_none());
    /// ```
    pub fn new(from: u32, to: u32, channels: usize, most_in: usize) -> Option<Polyphase> {
        let g = gcd(u64::from(from), u64::from(to));
        let (up, down) = ((u64::from(to) / g) as usize, (u64::from(from) / g) as usize);
        let ratio = up as f64 / down as f64;
        // Designed at the input rate: downsampling needs the filter longer by
        // the rate factor to keep the same band edges.
        let taps =
            ((TAPS_AT_LOWER_RATE as f64 / ratio.min(1.0)).ceil() as usize).next_multiple_of(LANES);
        if up.checked_mul(taps)? > MOST_COEFFS || channels == 0 || from == 0 || to == 0 {
            return None;
        }
        let cutoff = f64::from(CUTOFF.min(calculate_cutoff(taps, WindowFunction::BlackmanHarris2)))
            * ratio.min(1.0);
        let half = (taps / 2) as f64;
        let mut coeffs = vec![0f32; up * taps];
        let mut row = vec![0f64; taps];
        for (p, dst) in coeffs.chunks_exact_mut(taps).enumerate() {
            // Tap `i` weighs history frame `i`; the output stands `u` input
            // frames after it.
            let frac = p as f64 / up as f64;
            for (i, r) in row.iter_mut().enumerate() {
                let u = frac + half - 1.0 - i as f64;
                *r = cutoff * sinc(cutoff * u) * window((u + half) / taps as f64);
            }
            // Every phase passes DC at exactly unity: no ripple at the
            // output rate from phases whose sums differ.
            let sum: f64 = row.iter().sum();
            for (d, r) in dst.iter_mut().zip(&row) {
                *d = (r / sum) as f32;
            }
        }
        let cap = taps + most_in;
        Some(Polyphase {
            up,
            down,
            taps,
            channels,
            coeffs,
            history: vec![0.0; cap * channels],
            cap,
            // Silence before the first frame, so the first output is due as
            // soon as the first input frame arrives.
            len: taps - 1,
            first: 0,
            phase: 0,
            out: vec![0.0; BATCH * channels],
            dot: best_dot(),
        })
    }

    /// The filter's delay in output frames: output frame `k` stands for input
    /// time `(k - delay) / to`.
    pub fn delay(&self) -> f64 {
        // Output k is centred at history position k·down/up + taps/2 - 1, and
        // the history starts with taps - 1 frames of silence.
        (self.taps / 2) as f64 * self.up as f64 / self.down as f64
    }

    /// Most output frames one [`Polyphase::feed`] of `frames` frames makes.
    pub fn most_out(&self, frames: usize) -> usize {
        (frames * self.up).div_ceil(self.down) + 1
    }

    /// Takes interleaved input frames and appends every output frame they
    /// complete to `fifo`. Allocates nothing. False if some output did not
    /// fit in `fifo` (it is dropped: an overflow).
    pub fn feed(&mut self, mut input: &[Sample], fifo: &mut Fifo) -> bool {
        let ch = self.channels;
        let mut fits = true;
        while !input.is_empty() {
            if self.len == self.cap {
                self.compact();
            }
            let n = (input.len() / ch).min(self.cap - self.len);
            for c in 0..ch {
                let hist = &mut self.history[c * self.cap + self.len..][..n];
                for (h, x) in hist.iter_mut().zip(input[c..].iter().step_by(ch)) {
                    *h = *x as f32;
                }
            }
            self.len += n;
            input = &input[n * ch..];
            fits &= self.drain(fifo);
        }
        fits
    }

    /// Computes every output frame the history completes.
    fn drain(&mut self, fifo: &mut Fifo) -> bool {
        let ch = self.channels;
        let mut fits = true;
        loop {
            let mut made = 0;
            while made < BATCH && self.first + self.taps <= self.len {
                let taps = &self.coeffs[self.phase * self.taps..][..self.taps];
                for c in 0..ch {
                    let hist = &self.history[c * self.cap + self.first..][..self.taps];
                    self.out[made * ch + c] = Sample::from((self.dot)(taps, hist));
                }
                made += 1;
                self.phase += self.down;
                self.first += self.phase / self.up;
                self.phase %= self.up;
            }
            if made == 0 {
                return fits;
            }
            fits &= fifo.push(&self.out[..made * ch]);
        }
    }

    /// Moves the history still needed to the front of each channel's buffer.
    fn compact(&mut self) {
        let keep = self.len - self.first.min(self.len);
        for c in 0..self.channels {
            let base = c * self.cap;
            self.history
                .copy_within(base + self.len - keep..base + self.len, base);
        }
        self.first -= self.len - keep;
        self.len = keep;
    }

    /// Forgets the history (a new run starts from silence).
    pub fn reset(&mut self) {
        self.history.fill(0.0);
        self.len = self.taps - 1;
        self.first = 0;
        self.phase = 0;
    }
}

/// A dot product of two equal-length slices whose length is a multiple of
/// `LANES`.
type Dot = fn(&[f32], &[f32]) -> f32;

/// The fastest dot product this CPU runs: fused multiply-adds eight lanes
/// wide where the CPU has them (checked once, at open), else the portable
/// one (four lanes on any x86-64).
fn best_dot() -> Dot {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        return dot_avx2;
    }
    dot_lanes::<false>
}

#[cfg(target_arch = "x86_64")]
fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    // SAFETY: `best_dot` returns this function only after the CPU reported
    // AVX2 and FMA, the only features `dot_avx2_fma` is compiled for.
    unsafe { dot_avx2_fma(a, b) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot_avx2_fma(a: &[f32], b: &[f32]) -> f32 {
    dot_lanes::<true>(a, b)
}

/// `a · b` in `LANES` independent sums (so the compiler keeps them in
/// vector registers), with fused multiply-adds when `FMA` (only where the
/// CPU has them: elsewhere `mul_add` is a slow library call).
#[inline(always)]
fn dot_lanes<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    for (x, y) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        for l in 0..LANES {
            acc[l] = if FMA {
                x[l].mul_add(y[l], acc[l])
            } else {
                acc[l] + x[l] * y[l]
            };
        }
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_compaction_keeps_the_stream_continuous() {
        // The same input fed whole and in ragged pieces (compacting many
        // times over) gives the same output, sample for sample.
        let input: Vec<Sample> = (0..4000).map(|k| (k as Sample * 0.013).sin()).collect();
        let mut whole = Polyphase::new(48_000, 44_100, 1, 4000).unwrap();
        let mut a = Fifo::new(1, 8192);
        assert!(whole.feed(&input, &mut a));
        let mut bits = Polyphase::new(48_000, 44_100, 1, 37).unwrap();
        let mut b = Fifo::new(1, 8192);
        for piece in input.chunks(29) {
            assert!(bits.feed(piece, &mut b));
        }
        assert_eq!(a.frames(), b.frames());
        let (mut x, mut y) = (vec![0.0; a.frames()], vec![0.0; b.frames()]);
        a.pop(&mut x);
        b.pop(&mut y);
        assert_eq!(x, y);
    }
}
