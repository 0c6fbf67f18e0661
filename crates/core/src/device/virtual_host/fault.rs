//! Faults of the virtual card that end a stream: the device vanishing (an
//! error, as a real host reports an unplugged card) or stalling (callbacks
//! stop without a word, as an ALSA device does when the JACK server under
//! it dies; only the watchdog notices). Scheduled per stream with
//! [`Faults`](crate::device::Faults), or injected into running streams
//! with [`inject`](super::inject) (test only).

use crate::device::Faults;
use crate::engine::status;
use crate::error::{Error, ErrorKind, Result};

/// A fault injected into the running streams of a virtual device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// The device disappears: each stream ends with `ERR_DEVICE_NOT_FOUND`.
    Vanish,
    /// The device stops calling back, silently.
    Stall,
}

impl Injected {
    /// `'vanish'` or `'stall'`.
    pub fn parse(name: &str) -> Result<Injected> {
        match name {
            "vanish" => Ok(Injected::Vanish),
            "stall" => Ok(Injected::Stall),
            other => Err(Error::invalid_arg(format!(
                "a virtual fault is 'vanish' or 'stall', got '{other}'"
            ))),
        }
    }
}

/// The error a vanished device reports (`why` names the fault's origin).
pub(super) fn vanished(why: &str) -> Error {
    Error::new(
        ErrorKind::DeviceNotFound,
        format!("the virtual device vanished ({why})"),
    )
}

/// The fault `faults` schedule before block `k`, if any.
pub(super) fn scheduled(faults: &Faults, k: u64) -> Option<(Injected, &'static str)> {
    if faults.vanish_at_block == Some(k) {
        Some((Injected::Vanish, "fault injection: vanishAtBlock"))
    } else if faults.stall_at_block == Some(k) {
        Some((Injected::Stall, "fault injection: stallAtBlock"))
    } else {
        None
    }
}

/// The flags of an xrun (a skipped or late block) on a stream with these channels.
pub(super) fn xrun_flags((ich, och): (usize, usize)) -> u32 {
    let mut f = 0;
    if ich > 0 {
        f |= status::INPUT_OVERFLOW;
    }
    if och > 0 {
        f |= status::OUTPUT_UNDERFLOW;
    }
    f
}
