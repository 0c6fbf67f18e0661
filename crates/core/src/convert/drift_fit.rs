//! The clocks' offset as a drift-corrected stream reports it: a straight
//! line fitted to the frames the other clock moved through the ring against
//! the device's frames. The drift loop's integral also tracks the offset,
//! but it answers every burst of a producer within its minute-long period;
//! the fit weighs a burst's jitter against the whole span it covers (about
//! ten minutes, forgotten exponentially), so it reads the offset to a few
//! ppm where the loop's integral wanders by hundreds.

/// An exponentially weighted least-squares fit of `y` against `x`, in
/// frames. No allocation: a few numbers updated per point (West's weighted
/// incremental algorithm, stable whatever the counts reach).
#[derive(Debug, Clone)]
pub struct RateFit {
    /// Frames of `x` over which a point's weight falls by `e`.
    memory: f64,
    /// The span of `x` the points must cover before the fit reports.
    least: f64,
    weight: f64,
    mean_x: f64,
    mean_y: f64,
    sxx: f64,
    sxy: f64,
    first_x: f64,
    last_x: f64,
}

/// The span the fit must cover before it reports, in seconds: a shorter
/// one says more about a producer's bursts than about its clock.
const LEAST_SPAN: f64 = 10.0;

impl RateFit {
    /// A fit forgetting over `memory` frames of `x`, counted at `rate`
    /// frames per second.
    ///
    /// ```
    /// use ringstream_core::convert::drift_fit::RateFit;
    /// let mut fit = RateFit::new(600.0 * 8000.0, 8000.0);
    /// assert_eq!(fit.slope(), None);
    /// for k in 0..10_000u32 {
    ///     let x = f64::from(k) * 100.0;
    ///     fit.add(x, x * 0.999 + 5.0);
    /// }
    /// assert!((fit.slope().unwrap() - 0.999).abs() < 1e-9);
    /// ```
    pub fn new(memory: f64, rate: f64) -> RateFit {
        RateFit {
            memory,
            least: LEAST_SPAN * rate,
            weight: 0.0,
            mean_x: 0.0,
            mean_y: 0.0,
            sxx: 0.0,
            sxy: 0.0,
            first_x: 0.0,
            last_x: 0.0,
        }
    }

    /// Forgets every point (the line's `y` moved: another ring).
    pub fn reset(&mut self) {
        self.weight = 0.0;
    }

    /// Adds the point `(x, y)`; `x` must not go back.
    pub fn add(&mut self, x: f64, y: f64) {
        if self.weight == 0.0 {
            (self.first_x, self.last_x) = (x, x);
            (self.mean_x, self.mean_y) = (x, y);
            (self.sxx, self.sxy, self.weight) = (0.0, 0.0, 1.0);
            return;
        }
        let decay = (-(x - self.last_x) / self.memory).exp();
        self.last_x = x;
        self.weight = self.weight * decay + 1.0;
        let dx = x - self.mean_x;
        self.mean_x += dx / self.weight;
        self.mean_y += (y - self.mean_y) / self.weight;
        self.sxx = self.sxx * decay + dx * (x - self.mean_x);
        self.sxy = self.sxy * decay + dx * (y - self.mean_y);
    }

    /// The fitted slope, once the points span enough of `x`.
    pub fn slope(&self) -> Option<f64> {
        let span = self.last_x - self.first_x;
        (self.weight > 0.0 && span >= self.least && self.sxx > 0.0).then(|| self.sxy / self.sxx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A producer 1000 ppm slow against the device, writing in bursts of
    /// random size (up to a tenth of a second at 8 kHz: a JS timer of a few
    /// milliseconds at ten times real time): the fit reads the offset to
    /// two ppm, where the drift loop's integral wanders by hundreds.
    #[test]
    fn reads_the_offset_through_bursty_jitter() {
        let rate = 8000.0;
        let mut fit = RateFit::new(600.0 * rate, rate);
        let (mut seed, mut written, mut next) = (1u32, 0.0, 0.0);
        for block in 0..(600.0 * rate / 256.0) as u32 {
            let x = f64::from(block) * 256.0;
            let due = x / 1.001;
            if due >= next {
                written = due;
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                next = due + f64::from(seed % 800);
            }
            fit.add(x, written + 12_345.0);
        }
        let offset = 1.0 / fit.slope().unwrap() - 1.0;
        assert!((offset * 1e6 - 1000.0).abs() < 2.0, "{} ppm", offset * 1e6);
    }

    #[test]
    fn reports_nothing_before_ten_seconds_and_after_a_reset() {
        let mut fit = RateFit::new(4800.0, 48.0);
        for k in 0..480u32 {
            fit.add(f64::from(k), f64::from(k));
        }
        assert_eq!(fit.slope(), None);
        fit.add(480.0, 480.0);
        assert!(fit.slope().is_some());
        fit.reset();
        fit.add(500.0, 0.0);
        assert_eq!(fit.slope(), None);
    }
}
