//! A duplex stream's input, handed from the input callback to the output
//! callback (which runs the engine) through a preallocated SPSC ring.
//!
//! Alignment: when a run starts, the output side waits for the input's first
//! frames, then places them so that the round trip (output DAC time to the
//! engine block that receives the same instant's input) is exactly the
//! stream's reported `input + output` latency: the first captured frame goes
//! to the engine frame whose DAC time is its capture time plus that round
//! trip (timestamps of both sides on one clock). From then on every captured
//! frame reaches the engine once; a frame that arrives too late is replaced
//! by silence (flagged) and dropped when it comes, so the alignment holds.

use crate::abi::status;
use ringbuf::traits::{Consumer as _, Observer as _};
use ringbuf::HeapCons;

/// Where the first captured frame of a run goes, in frames after the start
/// of the engine block whose first frame reaches the DAC at `block_dac`
/// (negative: that many frames are too old and are dropped). All times in
/// seconds on one clock; `round_trip` is the reported input + output latency.
pub fn first_frame_offset(first_capture: f64, block_dac: f64, round_trip: f64, rate: f64) -> i64 {
    ((first_capture + round_trip - block_dac) * rate).round() as i64
}

/// `first_capture` moved to the nearest instant a whole number of `cycle`s
/// from `grid` (seconds; a `cycle` of 0 leaves it as it is). A JACK-backed
/// ALSA PCM moves both directions by whole JACK cycles, so the capture time
/// of an input period's first frame is a whole number of cycles from the
/// DAC time of an output period's first frame; what the input side
/// estimates is late by more than its wake-up: cpal stamps an input
/// callback after reading the period, and through a `plug` PCM that
/// converts the channel count that read costs 5 frames or more.
pub fn on_cycle(first_capture: f64, grid: f64, cycle: f64) -> f64 {
    if cycle <= 0.0 {
        return first_capture;
    }
    grid + ((first_capture - grid) / cycle).round() * cycle
}

/// The output side's end of the handoff.
pub struct Handoff {
    cons: HeapCons<f32>,
    ch: usize,
    primed: bool,
    /// Frames of silence still to give before captured frames.
    owed: usize,
    /// Captured frames still to drop (too old, or replaced by silence).
    skip: usize,
}

impl Handoff {
    /// The consumer end for `ch` channels.
    pub fn new(cons: HeapCons<f32>, ch: usize) -> Handoff {
        Handoff {
            cons,
            ch,
            primed: false,
            owed: 0,
            skip: 0,
        }
    }

    /// Forgets everything: a new run waits for fresh input.
    pub fn reset(&mut self) {
        let stale = self.cons.occupied_len();
        self.cons.skip(stale);
        self.primed = false;
        self.owed = 0;
        self.skip = 0;
    }

    /// Whether the run's first input has been placed.
    pub fn primed(&self) -> bool {
        self.primed
    }

    /// Places the run's first captured frame `offset` frames into the next
    /// block (see [`first_frame_offset`]).
    pub fn prime(&mut self, offset: i64) {
        self.primed = true;
        if offset >= 0 {
            self.owed = offset as usize;
        } else {
            self.skip = offset.unsigned_abs() as usize;
        }
    }

    fn drop_skipped(&mut self) {
        let frames = (self.cons.occupied_len() / self.ch).min(self.skip);
        self.cons.skip(frames * self.ch);
        self.skip -= frames;
    }

    /// Fills `out` (whole frames) with the next input; returns status flags
    /// ([`status::INPUT_UNDERFLOW`] when captured frames were not there).
    pub fn fill(&mut self, out: &mut [f32]) -> u32 {
        if !self.primed {
            out.fill(0.0);
            return 0;
        }
        let frames = out.len() / self.ch;
        let z = self.owed.min(frames);
        self.owed -= z;
        out[..z * self.ch].fill(0.0);
        self.drop_skipped();
        let rest = &mut out[z * self.ch..];
        let want = frames - z;
        let got = if self.skip > 0 {
            0
        } else {
            let avail = self.cons.occupied_len() / self.ch;
            let n = avail.min(want);
            self.cons.pop_slice(&mut rest[..n * self.ch]);
            n
        };
        if got < want {
            rest[got * self.ch..].fill(0.0);
            self.skip += want - got;
            return status::INPUT_UNDERFLOW;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringbuf::traits::{Producer as _, Split as _};
    use ringbuf::HeapRb;

    #[test]
    fn a_capture_estimate_snaps_to_the_cycle_grid() {
        let rate = 48000.0;
        let cycle = 1024.0 / rate;
        let grid = 10.0;
        // Two cycles before the grid instant, estimated 6 frames late (the
        // read of a converted period), or 3 early.
        let exact = grid - 2.0 * cycle;
        for err in [6.0, -3.0, 0.0, 500.0] {
            let snapped = on_cycle(exact + err / rate, grid, cycle);
            assert!((snapped - exact).abs() < 1e-12, "{err}: {snapped}");
        }
        // Half a cycle or more off: the next cycle (a wrong model, not noise).
        assert!((on_cycle(exact + 600.0 / rate, grid, cycle) - (exact + cycle)).abs() < 1e-12);
        // No cycle: unchanged.
        assert_eq!(on_cycle(exact + 6.0 / rate, grid, 0.0), exact + 6.0 / rate);
    }

    #[test]
    fn offsets_round_to_frames() {
        assert_eq!(first_frame_offset(1.0, 1.0, 0.5, 1000.0), 500);
        assert_eq!(first_frame_offset(1.0, 1.6, 0.5, 1000.0), -100);
        assert_eq!(first_frame_offset(1.0, 1.0, 0.0004, 1000.0), 0);
    }

    fn frames(from: u32, n: u32) -> Vec<f32> {
        (from..from + n)
            .flat_map(|i| [i as f32, i as f32])
            .collect()
    }

    #[test]
    fn silence_first_then_every_frame_once() {
        let (mut p, c) = HeapRb::<f32>::new(64).split();
        let mut h = Handoff::new(c, 2);
        let mut out = [9.0f32; 8];
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out, [0.0; 8], "silence until primed");
        p.push_slice(&frames(1, 10));
        h.prime(3);
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out[..], frames(2, 4)[..]);
    }

    #[test]
    fn too_old_frames_are_dropped() {
        let (mut p, c) = HeapRb::<f32>::new(64).split();
        let mut h = Handoff::new(c, 2);
        p.push_slice(&frames(1, 10));
        h.prime(-3);
        let mut out = [0.0f32; 4];
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out[..], frames(4, 2)[..]);
    }

    #[test]
    fn late_frames_become_flagged_silence_and_alignment_holds() {
        let (mut p, c) = HeapRb::<f32>::new(64).split();
        let mut h = Handoff::new(c, 2);
        p.push_slice(&frames(1, 2));
        h.prime(0);
        let mut out = [0.0f32; 8];
        assert_eq!(h.fill(&mut out), status::INPUT_UNDERFLOW);
        assert_eq!(out, [1.0, 1.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0]);
        // Frames 3 and 4 come late: dropped; 5.. are where they belong.
        p.push_slice(&frames(3, 6));
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out[..], frames(5, 4)[..]);
    }

    #[test]
    fn reset_forgets_stale_input() {
        let (mut p, c) = HeapRb::<f32>::new(64).split();
        let mut h = Handoff::new(c, 2);
        p.push_slice(&frames(1, 5));
        h.prime(0);
        h.reset();
        assert!(!h.primed());
        p.push_slice(&frames(100, 2));
        h.prime(0);
        let mut out = [0.0f32; 4];
        assert_eq!(h.fill(&mut out), 0);
        assert_eq!(out[..], frames(100, 2)[..]);
    }
}
