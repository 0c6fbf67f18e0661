//! python-rtmixer's statistics: blocks, block sizes and under/overflow
//! counts, kept per stream and per action as atomics the callback writes.

use std::sync::atomic::{AtomicU64, Ordering};

/// rtmixer's statistics, as atomics (readable while the callback writes them).
#[derive(Debug, Default)]
pub struct Stats {
    /// Callbacks counted.
    pub blocks: AtomicU64,
    /// Smallest block seen (u64::MAX before the first).
    pub min_blocksize: AtomicU64,
    /// Largest block seen.
    pub max_blocksize: AtomicU64,
    /// Blocks with an input underflow.
    pub input_underflows: AtomicU64,
    /// Blocks with an input overflow.
    pub input_overflows: AtomicU64,
    /// Blocks with an output underflow.
    pub output_underflows: AtomicU64,
    /// Blocks with an output overflow.
    pub output_overflows: AtomicU64,
    /// Frames lost (ringstream's addition): for the stream, frames the
    /// device or a source lost in under/overflows; for a ring action, the
    /// frames its full ring dropped (record) or its empty ring lacked (play)
    /// in the block where that ended it.
    pub frames_lost: AtomicU64,
}

/// A plain copy of [`Stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsSnapshot {
    /// Callbacks counted.
    pub blocks: u64,
    /// Smallest block seen (0 before the first).
    pub min_blocksize: u64,
    /// Largest block seen.
    pub max_blocksize: u64,
    /// Blocks with an input underflow.
    pub input_underflows: u64,
    /// Blocks with an input overflow.
    pub input_overflows: u64,
    /// Blocks with an output underflow.
    pub output_underflows: u64,
    /// Blocks with an output overflow.
    pub output_overflows: u64,
    /// Frames lost (see [`Stats::frames_lost`]).
    pub frames_lost: u64,
}

impl Stats {
    /// Fresh statistics.
    pub fn new() -> Stats {
        let s = Stats::default();
        s.min_blocksize.store(u64::MAX, Ordering::Relaxed);
        s
    }

    /// Counts one block of `frames` frames with status `flags`. Realtime-safe.
    pub fn count(&self, frames: usize, flags: u32) {
        use super::status as st;
        let n = frames as u64;
        self.blocks.fetch_add(1, Ordering::AcqRel);
        self.min_blocksize.fetch_min(n, Ordering::AcqRel);
        self.max_blocksize.fetch_max(n, Ordering::AcqRel);
        for (bit, c) in [
            (st::INPUT_UNDERFLOW, &self.input_underflows),
            (st::INPUT_OVERFLOW, &self.input_overflows),
            (st::OUTPUT_UNDERFLOW, &self.output_underflows),
            (st::OUTPUT_OVERFLOW, &self.output_overflows),
        ] {
            if flags & bit != 0 {
                c.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// Counts `frames` frames lost. Realtime-safe.
    pub fn lose(&self, frames: u64) {
        if frames > 0 {
            self.frames_lost.fetch_add(frames, Ordering::AcqRel);
        }
    }

    /// The current values.
    pub fn snapshot(&self) -> StatsSnapshot {
        let min = self.min_blocksize.load(Ordering::Acquire);
        StatsSnapshot {
            blocks: self.blocks.load(Ordering::Acquire),
            min_blocksize: if min == u64::MAX { 0 } else { min },
            max_blocksize: self.max_blocksize.load(Ordering::Acquire),
            input_underflows: self.input_underflows.load(Ordering::Acquire),
            input_overflows: self.input_overflows.load(Ordering::Acquire),
            output_underflows: self.output_underflows.load(Ordering::Acquire),
            output_overflows: self.output_overflows.load(Ordering::Acquire),
            frames_lost: self.frames_lost.load(Ordering::Acquire),
        }
    }

    /// Moves the values into `to` and resets these. Realtime-safe.
    pub fn move_into(&self, to: &Stats) {
        let pairs = [
            (&self.blocks, &to.blocks, 0),
            (&self.min_blocksize, &to.min_blocksize, u64::MAX),
            (&self.max_blocksize, &to.max_blocksize, 0),
            (&self.input_underflows, &to.input_underflows, 0),
            (&self.input_overflows, &to.input_overflows, 0),
            (&self.output_underflows, &to.output_underflows, 0),
            (&self.output_overflows, &to.output_overflows, 0),
            (&self.frames_lost, &to.frames_lost, 0),
        ];
        for (from, to, reset) in pairs {
            to.store(from.swap(reset, Ordering::AcqRel), Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_move_and_reset() {
        let a = Stats::new();
        a.count(256, super::super::status::OUTPUT_UNDERFLOW);
        a.count(128, 0);
        let b = Stats::new();
        a.move_into(&b);
        let s = b.snapshot();
        assert_eq!(
            (
                s.blocks,
                s.min_blocksize,
                s.max_blocksize,
                s.output_underflows
            ),
            (2, 128, 256, 1)
        );
        assert_eq!(a.snapshot(), StatsSnapshot::default());
    }
}
