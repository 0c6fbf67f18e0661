//! The block adapter: the engine is always called with exactly `block`
//! frames, whatever the device's period (PortAudio's buffer processor does
//! the same). Each holds one block, preallocated; nothing here allocates.

use super::convert::{from_f32, to_f32, DeviceSample};
use cpal::FromSample;

/// Output: one engine block, handed to the device over as many callbacks as
/// it takes. Frames left over stay for the next callback, so no frame is
/// lost or repeated.
pub struct OutFifo {
    buf: Vec<f32>,
    ch: usize,
    block: usize,
    /// Frames of `buf` already handed to the device.
    taken: usize,
}

impl OutFifo {
    /// An empty adapter for `block` frames of `ch` channels.
    pub fn new(block: usize, ch: usize) -> OutFifo {
        OutFifo {
            buf: vec![0.0; block * ch],
            ch,
            block,
            taken: block,
        }
    }

    /// Frames generated but not yet handed to the device.
    pub fn left(&self) -> usize {
        self.block - self.taken
    }

    /// Copies as many held frames as fit into `dst` (interleaved device
    /// samples); returns the frames copied.
    pub fn take_into<T: DeviceSample>(&mut self, dst: &mut [T]) -> usize {
        let n = self.left().min(dst.len() / self.ch);
        let from = self.taken * self.ch;
        from_f32(&self.buf[from..from + n * self.ch], &mut dst[..n * self.ch]);
        self.taken += n;
        n
    }

    /// Refills the (empty) adapter: `f` gets the block to write, all of it.
    /// Returns what `f` returns.
    pub fn refill<R>(&mut self, f: impl FnOnce(&mut [f32]) -> R) -> R {
        debug_assert_eq!(self.left(), 0);
        let r = f(&mut self.buf);
        self.taken = 0;
        r
    }

    /// The frame index within the current block of the last non-zero
    /// sample, plus one (0: the block is silent).
    pub fn audible_frames(&self) -> usize {
        self.buf
            .iter()
            .rposition(|x| *x != 0.0)
            .map_or(0, |i| i / self.ch + 1)
    }
}

/// Input: frames collected until a block is full, then handed to the engine.
pub struct InBlock {
    buf: Vec<f32>,
    ch: usize,
    block: usize,
    /// Frames collected so far.
    filled: usize,
    /// Capture time of the block's first frame.
    start: f64,
}

impl InBlock {
    /// An empty collector of `block` frames of `ch` channels.
    pub fn new(block: usize, ch: usize) -> InBlock {
        InBlock {
            buf: vec![0.0; block * ch],
            ch,
            block,
            filled: 0,
            start: 0.0,
        }
    }

    /// Drops a partial block (a new run starts with a fresh one).
    pub fn reset(&mut self) {
        self.filled = 0;
    }

    /// Adds `src` (interleaved device samples whose first frame was
    /// captured at `t0`, `rate` frames per second); calls `full(block,
    /// capture time of its first frame)` for every block completed, and
    /// stops (dropping the rest of `src`) when it returns false.
    pub fn push<T>(
        &mut self,
        src: &[T],
        t0: f64,
        rate: f64,
        mut full: impl FnMut(&[f32], f64) -> bool,
    ) where
        T: DeviceSample,
        f32: FromSample<T>,
    {
        let frames = src.len() / self.ch;
        let mut at = 0;
        while at < frames {
            if self.filled == 0 {
                self.start = t0 + at as f64 / rate;
            }
            let m = (self.block - self.filled).min(frames - at);
            let (d, s) = (self.filled * self.ch, at * self.ch);
            to_f32(&src[s..s + m * self.ch], &mut self.buf[d..d + m * self.ch]);
            self.filled += m;
            at += m;
            if self.filled == self.block {
                self.filled = 0;
                if !full(&self.buf, self.start) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs an output adapter over device callbacks of the given sizes with
    /// an "engine" that counts up; checks every call gets exactly `block`
    /// frames and the device sees 0, 1, 2, ... without gap or repeat.
    fn run_out(block: usize, ch: usize, periods: &[usize]) {
        let mut fifo = OutFifo::new(block, ch);
        let mut next = 0u32;
        let mut seen = 0u32;
        for &n in periods {
            let mut dev = vec![-1.0f32; n * ch];
            let mut done = fifo.take_into(&mut dev);
            while done < n {
                let k = fifo.refill(|buf| {
                    assert_eq!(buf.len(), block * ch, "the engine gets whole blocks");
                    for f in buf.chunks_mut(ch) {
                        f.fill(next as f32);
                        next += 1;
                    }
                    1
                });
                assert_eq!(k, 1);
                done += fifo.take_into(&mut dev[done * ch..]);
            }
            assert_eq!(done, n);
            for f in dev.chunks(ch) {
                assert!(f.iter().all(|x| *x == seen as f32), "frame {seen}: {f:?}");
                seen += 1;
            }
            assert!(fifo.left() < block);
        }
    }

    #[test]
    fn output_blocks_are_exact_for_any_period() {
        run_out(64, 2, &[1024; 5]);
        run_out(100, 2, &[1024; 7]);
        run_out(1024, 1, &[1024; 3]);
        run_out(3000, 2, &[1024; 9]);
        run_out(7, 3, &[1, 2, 3, 5, 8, 13, 21, 34, 1024, 6]);
        run_out(256, 2, &[1024, 512, 1024, 100, 2048]); // JACK may change its period
    }

    #[test]
    fn audible_frames_find_the_last_sound() {
        let mut fifo = OutFifo::new(4, 2);
        fifo.refill(|b| b.copy_from_slice(&[0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]));
        assert_eq!(fifo.audible_frames(), 2);
        let mut dev = [0i16; 8];
        assert_eq!(fifo.take_into(&mut dev), 4);
        fifo.refill(|b| b.fill(0.0));
        assert_eq!(fifo.audible_frames(), 0);
    }

    #[test]
    fn input_blocks_are_exact_and_timed() {
        let rate = 1000.0;
        for (block, sizes) in [
            (64usize, vec![1024usize; 3]),
            (100, vec![1024; 4]),
            (3000, vec![1024; 7]),
            (5, vec![1, 2, 3, 4, 7, 11]),
        ] {
            let mut col = InBlock::new(block, 2);
            let mut frame = 0usize; // device frames so far
            let mut expect = 0usize; // next frame the engine should see
            for n in sizes {
                let src: Vec<f32> = (0..n)
                    .flat_map(|i| [(frame + i) as f32, -((frame + i) as f32)])
                    .collect();
                let t0 = frame as f64 / rate;
                col.push(&src, t0, rate, |b, t| {
                    assert_eq!(b.len(), block * 2);
                    assert_eq!(b[0], expect as f32);
                    assert_eq!(b[2 * block - 2], (expect + block - 1) as f32);
                    assert!(
                        (t - expect as f64 / rate).abs() < 1e-9,
                        "block at {expect} timed {t}"
                    );
                    expect += block;
                    true
                });
                frame += n;
            }
            assert_eq!(expect, frame / block * block);
        }
    }

    #[test]
    fn input_stops_when_told() {
        let mut col = InBlock::new(2, 1);
        let mut calls = 0;
        col.push(&[1.0f32; 10], 0.0, 1.0, |_, _| {
            calls += 1;
            calls < 2
        });
        assert_eq!(calls, 2);
    }
}
