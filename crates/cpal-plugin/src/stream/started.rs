//! How long a stream's open waits for its device to run: the callbacks
//! each side needs before its latency (and a duplex stream's round trip)
//! can be told, and the wait for them.

use super::gate::Ctl;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

/// How long a device may take to call back after it was started.
const START_TIMEOUT: Duration = Duration::from_secs(2);

/// The `(input, output)` callbacks an open waits for on `host_name`, for a
/// stream with the `sides` (input, output) it has. A duplex stream's
/// smoothed clocks ([`super::epoch`]) need five callbacks a side to place
/// the input exactly from the first run on (the median of five shrugs off
/// two late wake-ups). Otherwise an output needs three where its first
/// callbacks may fill a buffer at once (an ALSA output's first two), and
/// one on PipeWire, whose graph calls an output once a cycle from the first
/// cycle on with the latency it keeps: the two more were two graph cycles
/// more before the first sound.
///
/// # Examples
/// ```
/// use ringstream_cpal::stream::started::needed;
/// assert_eq!(needed("pipewire", (false, true)), (0, 1));
/// assert_eq!(needed("alsa", (false, true)), (0, 3));
/// assert_eq!(needed("pipewire", (true, true)), (5, 5));
/// ```
pub fn needed(host_name: &str, sides: (bool, bool)) -> (u32, u32) {
    let (need_in, need_out) = match sides {
        (true, true) => (5, 5),
        _ if host_name == "pipewire" => (2, 1),
        _ => (2, 3),
    };
    (
        if sides.0 { need_in } else { 0 },
        if sides.1 { need_out } else { 0 },
    )
}

/// Waits until each side has called back as often as `need` says (see
/// [`needed`]); the error says how far the device got.
pub(super) fn wait(ctl: &Ctl, need: (u32, u32), longest_period: f64) -> Result<(), String> {
    let (need_in, need_out) = need;
    let limit = START_TIMEOUT.as_secs_f64() + f64::from(need_in.max(need_out) + 1) * longest_period;
    let deadline = Instant::now() + Duration::from_secs_f64(limit);
    loop {
        let i = ctl.in_clock.calls.load(SeqCst);
        let o = ctl.out_clock.calls.load(SeqCst);
        if i >= need_in && o >= need_out {
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
