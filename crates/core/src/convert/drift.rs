//! Clock drift: the loop that keeps a ring between two clocks at its target
//! fill when one side runs on the device's clock and the other on another
//! (the system clock, or a second device), by nudging the rate the device's
//! side runs at.
//!
//! The ring's fill, low-passed over a few seconds (a producer that writes
//! in bursts makes it a sawtooth), drives a proportional-integral loop: the
//! integral settles on the clocks' relative offset, so the fill comes back
//! to its target and stays there, and the estimate is what
//! [`DriftLoop::offset`] reports. The loop is slow (about a minute to
//! settle) and its output is clamped to 1%, so the rate changes by a few
//! parts per million per block: no pitch step, no click.

/// Which side of the ring the device's clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The device's side reads the ring (playback of data paced elsewhere).
    Drains,
    /// The device's side writes the ring (a recording read elsewhere).
    Fills,
}

/// The most the loop speeds up or slows down the device's side.
pub const MOST: f64 = 0.01;
/// The loop's natural period, in seconds: slow enough that its correction
/// never wobbles the pitch, fast enough to settle well within minutes.
const PERIOD: f64 = 60.0;
/// Damping of the loop (critically damped would be 1; this settles faster
/// with a small overshoot).
const DAMPING: f64 = 0.8;
/// Time constant of the fill's low-pass, in seconds.
const SMOOTHING: f64 = 2.0;

/// The drift loop of one ring.
#[derive(Debug, Clone)]
pub struct DriftLoop {
    side: Side,
    rate: f64,
    target: f64,
    /// The low-passed fill error, in seconds of audio.
    error: f64,
    /// The integral term: the relative speed that holds the fill.
    integral: f64,
    speed: f64,
    primed: bool,
}

impl DriftLoop {
    /// A loop holding a ring at `target` frames, counting `rate` frames per
    /// second, with the device's clock on `side`.
    ///
    /// ```
    /// use ringstream_core::convert::drift::{DriftLoop, Side};
    /// let mut dl = DriftLoop::new(Side::Drains, 48_000.0, 4800.0);
    /// // The ring is running low: the device's side is slowed down.
    /// assert!(dl.update(1000.0, 256) < 1.0);
    /// ```
    pub fn new(side: Side, rate: f64, target: f64) -> DriftLoop {
        DriftLoop {
            side,
            rate,
            target,
            error: 0.0,
            integral: 0.0,
            speed: 1.0,
            primed: false,
        }
    }

    /// Takes the ring's fill after the device's side moved `frames` frames;
    /// returns the speed the device's side should run at relative to its
    /// nominal rate (between `1 - MOST` and `1 + MOST`). No allocation.
    pub fn update(&mut self, fill: f64, frames: usize) -> f64 {
        let dt = frames as f64 / self.rate;
        let err = (fill - self.target) / self.rate;
        // The first reading starts the low-pass where the fill is, so a ring
        // that starts off target is not taken for a sudden change.
        if self.primed {
            self.error += (err - self.error) * (dt / SMOOTHING).min(1.0);
        } else {
            (self.error, self.primed) = (err, true);
        }
        let w = std::f64::consts::TAU / PERIOD;
        let sign = match self.side {
            // A ring running low means the device drains it too fast.
            Side::Drains => 1.0,
            Side::Fills => -1.0,
        };
        self.integral = (self.integral + sign * w * w * self.error * dt).clamp(-MOST, MOST);
        self.speed =
            1.0 + (self.integral + sign * 2.0 * DAMPING * w * self.error).clamp(-MOST, MOST);
        self.speed
    }

    /// Holds the ring at `target` frames from now on; a new target (a new
    /// ring) restarts the fill's low-pass where the fill is, and the
    /// offset found so far stays (the clocks did not change).
    ///
    /// ```
    /// use ringstream_core::convert::drift::{DriftLoop, Side};
    /// let mut dl = DriftLoop::new(Side::Drains, 48_000.0, 0.0);
    /// dl.retarget(4800.0);
    /// assert_eq!(dl.update(4800.0, 256), 1.0);
    /// ```
    pub fn retarget(&mut self, target: f64) {
        if target != self.target {
            (self.target, self.primed) = (target, false);
        }
    }

    /// No ring to watch for now: the speed stays, and the next fill starts
    /// the low-pass afresh (a new ring's fill says nothing of the old one's).
    pub fn hold(&mut self) {
        self.primed = false;
    }

    /// The speed last returned.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// The estimated offset of the device's clock against the other side's,
    /// relative (1e-6 is one ppm; positive: the device runs fast).
    ///
    /// ```
    /// use ringstream_core::convert::drift::{DriftLoop, Side};
    /// let dl = DriftLoop::new(Side::Fills, 48_000.0, 4800.0);
    /// assert_eq!(dl.offset(), 0.0);
    /// ```
    pub fn offset(&self) -> f64 {
        1.0 / (1.0 + self.integral) - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten minutes of a ring between a device whose clock is off by `ppm`
    /// and a side on the nominal clock that moves 1024 frames at a time;
    /// returns the fill's range after the first second and the loop.
    fn ten_minutes(side: Side, ppm: f64) -> ((f64, f64), DriftLoop) {
        let rate = 48_000.0;
        let target = 4096.0;
        let mut dl = DriftLoop::new(side, rate, target);
        let block = 256;
        let true_rate = rate * (1.0 + ppm * 1e-6);
        // Fractional frames: what the resampler makes of the device's
        // frames at the loop's speed, in stream frames.
        let (mut fill, mut other_due, mut t) = (target, 0.0, 0.0);
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        let mut speed = 1.0;
        while t < 600.0 {
            // One device block: its duration on the true clock.
            let dt = block as f64 / true_rate;
            t += dt;
            let moved = block as f64 * speed;
            fill += match side {
                Side::Drains => -moved,
                Side::Fills => moved,
            };
            // The other side, on the nominal clock, in bursts of 1024.
            other_due += dt * rate;
            while other_due >= 1024.0 {
                other_due -= 1024.0;
                fill += match side {
                    Side::Drains => 1024.0,
                    Side::Fills => -1024.0,
                };
            }
            speed = dl.update(fill, block);
            if t > 1.0 {
                (low, high) = (low.min(fill), high.max(fill));
            }
        }
        ((low, high), dl)
    }

    #[test]
    fn holds_the_fill_and_finds_the_offset_over_ten_minutes() {
        for side in [Side::Drains, Side::Fills] {
            for ppm in [-1000.0, 1000.0, 0.0, 300.0] {
                let ((low, high), dl) = ten_minutes(side, ppm);
                assert!(
                    low > 1024.0 && high < 8192.0,
                    "{side:?} at {ppm} ppm: fill ran from {low} to {high} frames"
                );
                let found = dl.offset() * 1e6;
                // The fill is sampled at the device's blocks, the bursts come
                // on the other clock: their phase slides by the offset, so
                // the sampled sawtooth's mean beats with a period of 1 / (ppm
                // x burst time): 21 s at 1000 ppm (filtered out), 71 s at 300
                // ppm (near the loop's own period, so the estimate wobbles).
                let within = if ppm.abs() >= 1000.0 || ppm == 0.0 {
                    3.0
                } else {
                    25.0
                };
                assert!(
                    (found - ppm).abs() < within,
                    "{side:?} at {ppm} ppm: estimated {found} ppm"
                );
            }
        }
    }

    #[test]
    fn the_speed_changes_smoothly() {
        // A producer in bursts of 1024 frames makes the fill a sawtooth; the
        // speed it leaves must not follow it: from one block to the next it
        // moves by less than 10 ppm at steady state (a thousandth of a
        // cent; unfiltered, a burst would step it by 0.4%).
        let mut dl = DriftLoop::new(Side::Drains, 48_000.0, 4096.0);
        let mut fill = 4096.0;
        let mut last = 1.0;
        let mut largest: f64 = 0.0;
        for k in 0..200_000u64 {
            fill += if k % 4 == 0 { 1024.0 } else { 0.0 } - 256.0 * dl.speed();
            let s = dl.update(fill, 256);
            if k > 20_000 {
                largest = largest.max((s - last).abs());
            }
            last = s;
        }
        assert!(largest < 1e-5, "speed stepped by {largest}");
    }
}
