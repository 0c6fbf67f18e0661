//! The virtual loopback's air: what every output stream plays is summed at
//! its DAC frame, and every input stream reads it at the same ADC frame.
//! Each slot is stamped with the absolute frame it holds, so stale audio
//! from a frame one ring length earlier is never heard and nothing has to
//! sweep the ring clean. It carries the engine's [`Sample`] (f64), so an
//! int32 stream comes back bit-exact.

use crate::engine::Sample;

/// Frames the bus holds: latency plus a block, each way, must fit.
pub const FRAMES: usize = 1 << 18;

/// A ring of interleaved frames indexed by absolute device frame.
pub struct Bus {
    ch: usize,
    data: Vec<Sample>,
    stamps: Vec<u64>,
}

impl Bus {
    /// An empty bus (no channels until a stream asks for them).
    pub fn new() -> Bus {
        Bus {
            ch: 0,
            data: Vec::new(),
            stamps: Vec::new(),
        }
    }

    /// Makes room for `ch` channels (on the control side, when a stream joins).
    pub fn ensure_channels(&mut self, ch: usize) {
        if ch <= self.ch {
            return;
        }
        let mut data = vec![0.0; FRAMES * ch];
        if self.ch > 0 {
            for f in 0..FRAMES {
                data[f * ch..f * ch + self.ch]
                    .copy_from_slice(&self.data[f * self.ch..(f + 1) * self.ch]);
            }
        } else {
            self.stamps = vec![u64::MAX; FRAMES];
        }
        self.data = data;
        self.ch = ch;
    }

    /// Forgets everything played (a card that starts from silence).
    pub fn clear(&mut self) {
        self.stamps.fill(u64::MAX);
    }

    /// Adds `block` (interleaved, `och` channels) from absolute frame `at`.
    pub fn add(&mut self, at: u64, block: &[Sample], och: usize) {
        if self.ch == 0 || och == 0 {
            return;
        }
        for (f, frame) in block.chunks_exact(och).enumerate() {
            let p = at + f as u64;
            let i = (p % FRAMES as u64) as usize;
            let slot = &mut self.data[i * self.ch..(i + 1) * self.ch];
            if self.stamps[i] != p {
                slot.fill(0.0);
                self.stamps[i] = p;
            }
            for (d, s) in slot.iter_mut().zip(frame) {
                *d += *s;
            }
        }
    }

    /// Fills `input` (`ich` channels) with what was played at absolute
    /// frames `from..` (negative or never-played frames are silence).
    pub fn read(&self, from: i64, input: &mut [Sample], ich: usize) {
        if ich == 0 {
            return;
        }
        for (f, dst) in input.chunks_exact_mut(ich).enumerate() {
            let p = from + f as i64;
            if self.ch == 0 || p < 0 {
                dst.fill(0.0);
                continue;
            }
            let i = (p as u64 % FRAMES as u64) as usize;
            if self.stamps[i] != p as u64 {
                dst.fill(0.0);
                continue;
            }
            let src = &self.data[i * self.ch..(i + 1) * self.ch];
            for (c, d) in dst.iter_mut().enumerate() {
                *d = src.get(c).copied().unwrap_or(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_outputs_and_forgets_old_frames() {
        let mut b = Bus::new();
        b.ensure_channels(2);
        b.add(10, &[1.0, 2.0, 3.0, 4.0], 2);
        b.add(11, &[0.5, 0.5], 2);
        let mut got = [9.0; 6];
        b.read(10, &mut got, 2);
        assert_eq!(got, [1.0, 2.0, 3.5, 4.5, 0.0, 0.0]);
        // A frame one ring length later does not hear frame 10.
        b.read(10 + FRAMES as i64, &mut got[..2], 2);
        assert_eq!(&got[..2], &[0.0, 0.0]);
        // Mono in, from the first channel; negative frames are silence.
        let mut mono = [9.0; 3];
        b.read(9, &mut mono, 1);
        assert_eq!(mono, [0.0, 1.0, 3.5]);
        b.ensure_channels(4);
        let mut wide = [9.0; 4];
        b.read(10, &mut wide, 4);
        assert_eq!(wide, [1.0, 2.0, 0.0, 0.0]);
    }
}
