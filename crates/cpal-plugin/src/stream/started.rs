//! Waiting for a device that was just started to run.

use super::gate::Ctl;
use super::START_TIMEOUT;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

/// Waits until both sides have called back often enough that their device
/// latencies are those of the running device (an ALSA output's first two
/// callbacks fill its buffer at once), and, in a duplex stream, that each
/// side's smoothed clock ([`epoch`]) has enough callbacks behind it to place
/// the input exactly from the first run on (the median of five shrugs off
/// two late wake-ups).
pub(super) fn wait_started(
    ctl: &Ctl,
    sides: (bool, bool),
    longest_period: f64,
) -> Result<(), String> {
    let (need_in, need_out) = if sides.0 && sides.1 { (5, 5) } else { (2, 3) };
    let limit = START_TIMEOUT.as_secs_f64() + f64::from(need_in + 1) * longest_period;
    let deadline = Instant::now() + Duration::from_secs_f64(limit);
    loop {
        let i = ctl.in_clock.calls.load(SeqCst);
        let o = ctl.out_clock.calls.load(SeqCst);
        if (!sides.0 || i >= need_in) && (!sides.1 || o >= need_out) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the device did not run: {o} output and {i} input callbacks within {limit:.1} s of starting it"
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
