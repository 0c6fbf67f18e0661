//! A side's device clock, smoothed: the instant its device frame 0 would
//! pass (the "epoch"), so that frame `n` passes at `epoch + n / rate`.
//!
//! Each callback gives one noisy estimate (its timestamp minus its device
//! frame position over the rate). An ALSA plugin PCM (JACK's) stamps a
//! callback when its thread woke, so a late wake-up makes that callback's
//! instants late by as much (milliseconds on a loaded machine), never early:
//! for such a device the second smallest of the last [`WINDOW`] estimates is
//! the epoch (the least late wake-ups; one early outlier is ignored). Other
//! devices' errors go either way: the median. Both ignore outliers and
//! follow slow drift and an xrun's jump within the window.

/// Callbacks the median looks back over.
pub const WINDOW: usize = 15;

/// The running median of a side's epoch estimates. Fixed arrays: no
/// allocation, safe in a callback.
pub struct Epoch {
    window: [f64; WINDOW],
    sorted: [f64; WINDOW],
    len: usize,
    next: usize,
    /// Errors are late only: take a low estimate, not the median.
    late_only: bool,
}

impl Epoch {
    /// No estimate yet; `late_only` for a device whose instants can only be
    /// late (see the module's documentation).
    pub fn new(late_only: bool) -> Epoch {
        Epoch {
            window: [0.0; WINDOW],
            sorted: [0.0; WINDOW],
            len: 0,
            next: 0,
            late_only,
        }
    }

    /// Adds the estimate of one callback (`instant` of the frame at device
    /// position `position`, at `rate`); returns the epoch.
    pub fn add(&mut self, instant: f64, position: u64, rate: f64) -> f64 {
        self.window[self.next] = instant - position as f64 / rate;
        self.next = (self.next + 1) % WINDOW;
        self.len = (self.len + 1).min(WINDOW);
        let s = &mut self.sorted[..self.len];
        s.copy_from_slice(&self.window[..self.len]);
        s.sort_unstable_by(f64::total_cmp);
        if self.late_only {
            s[1.min(self.len - 1)]
        } else {
            s[self.len / 2]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_wake_ups_do_not_move_it() {
        let rate = 48000.0;
        let mut e = Epoch::new(false);
        let mut last = 0.0;
        for k in 0..100u64 {
            // True epoch 1.0; every fourth callback woke 3 ms late.
            let late = if k % 4 == 3 { 0.003 } else { 0.00001 };
            let pos = k * 1024;
            last = e.add(1.0 + pos as f64 / rate + late, pos, rate);
        }
        assert!((last - 1.00001).abs() < 1e-9, "{last}");
    }

    #[test]
    fn a_late_only_device_gets_its_least_late_wake_ups() {
        let rate = 48000.0;
        let mut e = Epoch::new(true);
        let mut last = 0.0;
        for k in 0..100u64 {
            // True epoch 1.0; wake-ups 50-500 us late, one 1 ms early (a glitch).
            let late = if k == 90 {
                -0.001
            } else {
                0.00005 + 0.0001 * ((k * 3) % 5) as f64
            };
            let pos = k * 256;
            last = e.add(1.0 + pos as f64 / rate + late, pos, rate);
        }
        assert!((last - 1.00005).abs() < 1e-9, "{last}");
    }

    #[test]
    fn follows_a_jump_within_half_a_window() {
        let rate = 1000.0;
        let mut e = Epoch::new(false);
        for k in 0..20u64 {
            e.add(5.0 + k as f64, k * 1000, rate);
        }
        let mut got = 0.0;
        for k in 20..20 + WINDOW as u64 / 2 + 1 {
            got = e.add(6.0 + k as f64, k * 1000, rate);
        }
        assert_eq!(got, 6.0);
    }

    #[test]
    fn the_first_estimate_stands_alone() {
        for late_only in [false, true] {
            let mut e = Epoch::new(late_only);
            assert_eq!(e.add(2.5, 1000, 1000.0), 1.5);
        }
    }
}
