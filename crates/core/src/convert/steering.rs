//! Drift correction inside the converter: the loop that steers the rate by
//! the watched ring's fill ([`DriftLoop`]), and the fit that reports the
//! clocks' offset ([`RateFit`]).

use super::converter::Drift;
use super::drift::{DriftLoop, Side};
use super::drift_fit::RateFit;

/// Seconds of the stream's clock the reported offset is fitted over.
const FIT_MEMORY: f64 = 600.0;

/// One converter's drift correction. Nothing here allocates.
pub(super) struct Steering {
    control: DriftLoop,
    fit: RateFit,
    drift: Drift,
    /// Frames the watched ring holds (0: no ring now).
    size: usize,
    /// Whether the other side moved since the ring appeared.
    other: Other,
}

/// The other side of the watched ring, since the ring appeared.
#[derive(Clone, Copy, PartialEq)]
enum Other {
    /// No step has seen the ring yet.
    Unseen,
    /// It has moved nothing since it had moved this much.
    Waiting(f64),
    /// It moves: its frames are on its clock.
    Moving,
}

impl Steering {
    /// Steering for `drift`'s ring, the stream running `rate` frames per second.
    pub(super) fn new(drift: Drift, rate: f64) -> Steering {
        Steering {
            control: DriftLoop::new(drift.side, rate, 0.0),
            fit: RateFit::new(FIT_MEMORY * rate, rate),
            drift,
            size: 0,
            other: Other::Unseen,
        }
    }

    /// After the engine ran `k` frames: `at` is `(engine frames, device
    /// frames in nominal stream frames)` so far. Returns the speed the
    /// device's side should run at, or None while no ring is watched (the
    /// speed stays).
    pub(super) fn step(&mut self, k: usize, (engine, device): (f64, f64)) -> Option<f64> {
        let Some((fill, size)) = (self.drift.ring)() else {
            self.control.hold();
            self.size = 0;
            return None;
        };
        if size != self.size {
            // Half full: as far from running dry as from overflowing.
            self.control.retarget(size as f64 / 2.0);
            self.fit.reset();
            self.size = size;
            self.other = Other::Unseen;
        }
        // What the other clock moved through the ring, up to a constant.
        let moved = match self.drift.side {
            Side::Drains => engine + fill as f64,
            Side::Fills => engine - fill as f64,
        };
        // The line starts when the other side first moves: one that waits
        // (a reader letting its ring fill before it reads) is not yet on
        // its clock, and a line through that wait bends by it for minutes.
        // A pause later is the other side's, and one that catches up after
        // it (as a producer on a wall clock does) stays on its line.
        match self.other {
            Other::Unseen => self.other = Other::Waiting(moved),
            Other::Waiting(at) if at == moved => {}
            _ => {
                self.other = Other::Moving;
                self.fit.add(device, moved);
            }
        }
        Some(self.control.update(fill as f64, k))
    }

    /// The loop's current speed.
    pub(super) fn speed(&self) -> f64 {
        self.control.speed()
    }

    /// The device clock's offset (relative): the fit's, the loop's until
    /// the fit spans enough.
    pub(super) fn offset(&self) -> f64 {
        self.fit
            .slope()
            .map_or(self.control.offset(), |b| 1.0 / b - 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A recording on a device 1000 ppm fast, read on the nominal clock
    /// in bursts, by a reader that waits `start` seconds (the ring filling)
    /// before it reads: ten minutes on, the offset reported is within two
    /// ppm, the wait left out of the fit (a line through it read 1095 ppm).
    fn offset_after_ten_minutes(start: f64) -> f64 {
        let rate = 8000.0;
        let fill = Arc::new(AtomicUsize::new(0));
        let probe = fill.clone();
        let drift = Drift {
            side: Side::Fills,
            ring: Box::new(move || Some((probe.load(Ordering::Relaxed), 1 << 16))),
        };
        let mut s = Steering::new(drift, rate);
        let (mut engine, mut read, mut speed) = (0.0f64, 0.0f64, 1.0);
        for block in 1..=(600.0 * rate * 1.001 / 256.0) as u64 {
            let device = block as f64 * 256.0;
            engine += 256.0 * speed;
            // Whole frames, as the engine and the reader count them.
            let due = (device / 1.001 - start * rate).max(0.0).floor();
            if due - read >= 400.0 {
                read = due;
            }
            fill.store((engine.floor() - read) as usize, Ordering::Relaxed);
            speed = s.step(256, (engine.floor(), device)).unwrap();
        }
        s.offset() * 1e6
    }

    #[test]
    fn a_reader_that_starts_late_does_not_bend_the_offset() {
        for start in [0.0, 4.0] {
            let ppm = offset_after_ten_minutes(start);
            assert!((ppm - 1000.0).abs() < 2.0, "start {start} s: {ppm} ppm");
        }
    }
}
