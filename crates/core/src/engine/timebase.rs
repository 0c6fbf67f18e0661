//! Block times on one frame grid: a host's timestamps jitter by fractions
//! of a frame (smoothed clocks, scheduling), and an action scheduled at a
//! stream time must land on the same frame whichever block it falls in.
//! Within a run, block times advance by exactly `frames / samplerate`
//! from the first block's; the host's own times take over again only when
//! they part from that grid by more than [`TOLERANCE`] (an xrun, a clock
//! that drifts).

use super::BlockInfo;

/// How far a host's block time may stray from the grid before it is
/// taken as a discontinuity, in seconds.
pub const TOLERANCE: f64 = 0.002;

/// The grid of one run.
#[derive(Debug, Default)]
pub struct Timebase {
    /// Output and input time of the anchor block, and its frame.
    anchor: Option<(f64, f64, u64)>,
    frames: u64,
}

impl Timebase {
    /// Forgets the grid (a new run).
    pub fn reset(&mut self) {
        *self = Timebase::default();
    }

    /// `info` with its output and input times on the grid.
    pub fn steady(&mut self, info: &BlockInfo, sr: f64) -> BlockInfo {
        let mut b = *info;
        let on_grid = self.anchor.and_then(|(out0, in0, f0)| {
            let dt = (self.frames - f0) as f64 / sr;
            let (o, i) = (out0 + dt, in0 + dt);
            ((o - info.output_time).abs() <= TOLERANCE && (i - info.input_time).abs() <= TOLERANCE)
                .then_some((o, i))
        });
        match on_grid {
            Some((o, i)) => {
                b.output_time = o;
                b.input_time = i;
            }
            None => self.anchor = Some((info.output_time, info.input_time, self.frames)),
        }
        self.frames += info.frames as u64;
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_blocks_on_one_grid_and_follows_jumps() {
        let sr = 48_000.0;
        let mut tb = Timebase::default();
        let block = |t: f64| BlockInfo {
            frames: 480,
            output_time: t,
            input_time: t - 0.05,
            ..Default::default()
        };
        assert_eq!(tb.steady(&block(1.0), sr).output_time, 1.0);
        // Jitter of a third of a frame is taken off.
        let b = tb.steady(&block(1.01 + 0.33 / sr), sr);
        assert_eq!(b.output_time, 1.01);
        assert!((b.input_time - 0.96).abs() < 1e-12);
        // A jump (an xrun) re-anchors.
        assert_eq!(tb.steady(&block(1.5), sr).output_time, 1.5);
        assert!((tb.steady(&block(1.51), sr).output_time - 1.51).abs() < 1e-12);
    }
}
