//! A desktop host (PipeWire, PulseAudio) made to answer whether a device
//! exists, kept for the open that follows: the core asks
//! [`crate::host::has_device`] and then opens, and each new cpal host of a
//! sound server lists the server's nodes anew (a connection and a round
//! trip, 3-12 ms on the PipeWire sandbox), which the open need not wait for
//! twice. Kept once and briefly ([`FRESH`]): a later open lists anew.

use cpal::Host;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a kept host stands for the server's nodes.
pub const FRESH: Duration = Duration::from_millis(500);

struct Kept {
    name: String,
    made: Instant,
    host: Host,
}

static KEPT: Mutex<Option<Kept>> = Mutex::new(None);

/// Keeps `host` (of `host_name`, made at `made`) for the next [`take`].
pub fn keep(host_name: &str, made: Instant, host: Host) {
    let kept = Kept {
        name: host_name.to_string(),
        made,
        host,
    };
    *KEPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(kept);
}

/// The host kept for `host_name` if it was made within [`FRESH`]; none is
/// kept afterwards either way.
///
/// # Examples
/// ```
/// use ringstream_cpal::host_handoff::{keep, take};
/// use std::time::{Duration, Instant};
/// let made = Instant::now();
/// keep("alsa", made, cpal::host_from_id(cpal::HostId::Alsa).unwrap());
/// assert!(take("pipewire").is_none(), "another host's is not handed over");
/// assert!(take("alsa").is_none(), "nor kept past a take");
/// keep("alsa", made, cpal::host_from_id(cpal::HostId::Alsa).unwrap());
/// assert!(take("alsa").is_some());
/// ```
pub fn take(host_name: &str) -> Option<Host> {
    let kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner).take()?;
    (kept.name == host_name && kept.made.elapsed() < FRESH).then_some(kept.host)
}
