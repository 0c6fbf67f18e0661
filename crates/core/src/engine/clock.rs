//! The stream clock: the device time of the latest callback and when it ran,
//! published by the audio thread and read by the control side, so that
//! `stream.time` moves between callbacks (as `Pa_GetStreamTime` does).

use super::notify::monotonic_ns;
use std::sync::atomic::{fence, AtomicU64, Ordering};

/// A seqlock over `(device time, monotonic ns)`: one writer (the audio
/// thread), wait-free for it; readers retry while a write is in progress.
#[derive(Default)]
pub struct Clock {
    seq: AtomicU64,
    time: AtomicU64,
    ns: AtomicU64,
}

/// One reading of the clock.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClockReading {
    /// The device time of the latest callback, in seconds.
    pub time: f64,
    /// When that callback ran, in [`monotonic_ns`] time (0: never).
    pub ns: u64,
}

impl Clock {
    /// Publishes `time` as the device time now. Realtime-safe: atomics and
    /// a vDSO clock read.
    #[inline]
    pub fn publish(&self, time: f64) {
        self.store(time, monotonic_ns().max(1));
    }

    /// Writes one `(time, ns)` pair under the sequence counter.
    #[inline]
    fn store(&self, time: f64, ns: u64) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s.wrapping_add(1), Ordering::Relaxed);
        fence(Ordering::Release);
        self.time.store(time.to_bits(), Ordering::Relaxed);
        self.ns.store(ns, Ordering::Relaxed);
        self.seq.store(s.wrapping_add(2), Ordering::Release);
    }

    /// The latest published reading.
    pub fn read(&self) -> ClockReading {
        loop {
            let s1 = self.seq.load(Ordering::Acquire);
            if s1 & 1 == 1 {
                std::hint::spin_loop();
                continue;
            }
            let time = f64::from_bits(self.time.load(Ordering::Relaxed));
            let ns = self.ns.load(Ordering::Relaxed);
            fence(Ordering::Acquire);
            if self.seq.load(Ordering::Relaxed) == s1 {
                return ClockReading { time, ns };
            }
        }
    }

    /// The device time now: the latest reading advanced by the wall time
    /// since, scaled by `rate` (device seconds per wall second; 0 when the
    /// device does not run in real time).
    pub fn now(&self, rate: f64) -> f64 {
        let r = self.read();
        if r.ns == 0 {
            return r.time;
        }
        let elapsed = monotonic_ns().saturating_sub(r.ns) as f64 / 1e9;
        r.time + elapsed * rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn advances_between_publications() {
        let c = Clock::default();
        assert_eq!(c.now(1.0), 0.0);
        c.publish(10.0);
        let a = c.now(1.0);
        std::thread::sleep(std::time::Duration::from_millis(5));
        let b = c.now(1.0);
        assert!(a >= 10.0 && b > a + 0.004, "{a} {b}");
        assert_eq!(c.now(0.0), 10.0);
    }

    #[test]
    fn readers_never_see_a_torn_pair() {
        // Each pair the writer stores is (i, 3i + 1): a reader that sees a
        // time from one publication and an ns from another breaks the relation.
        // Without the sequence check in `read` this fails within a few
        // thousand publications on two cores.
        let c = Arc::new(Clock::default());
        let w = c.clone();
        let go = Arc::new(std::sync::Barrier::new(2));
        let wgo = go.clone();
        let writer = std::thread::spawn(move || {
            wgo.wait();
            for i in 1..=2_000_000u64 {
                w.store(i as f64, 3 * i + 1);
            }
        });
        go.wait();
        let mut reads = 0u64;
        let mut last = 0.0;
        while !writer.is_finished() {
            let r = c.read();
            if r.ns != 0 {
                assert_eq!(
                    r.ns,
                    3 * (r.time as u64) + 1,
                    "torn pair: time {} with ns {}",
                    r.time,
                    r.ns
                );
            }
            assert!(r.time >= last, "time went back: {} < {last}", r.time);
            last = r.time;
            reads += 1;
        }
        writer.join().unwrap();
        assert!(
            reads > 1000,
            "the reader ran alongside the writer only {reads} times"
        );
    }
}
