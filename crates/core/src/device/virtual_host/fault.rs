//! Faults of the virtual card that end a stream: the device vanishing (an
//! error, as a real host reports an unplugged card) or stalling (callbacks
//! stop without a word, as an ALSA device does when the JACK server under
//! it dies; only the watchdog notices). Scheduled per stream with
//! [`Faults`](crate::device::Faults), or injected into running streams
//! with [`inject`] (test only).

use super::card::{Card, Member};
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

/// Applies `fault` to member `m` now (`why` names its origin).
pub(super) fn apply(m: &mut Member, fault: Injected, why: &str) {
    match fault {
        Injected::Vanish => {
            (m.on_error)(Error::new(
                ErrorKind::DeviceNotFound,
                format!("the virtual device vanished ({why})"),
            ));
            m.running = false;
            m.gone = true;
        }
        Injected::Stall => m.stalled = true,
    }
}

/// The fault member `m` has scheduled before its block `k`, if any.
pub(super) fn scheduled(m: &Member, k: u64) -> Option<(Injected, &'static str)> {
    if m.faults.vanish_at_block == Some(k) {
        Some((Injected::Vanish, "fault injection: vanishAtBlock"))
    } else if m.faults.stall_at_block == Some(k) {
        Some((Injected::Stall, "fault injection: stallAtBlock"))
    } else {
        None
    }
}

/// Test only: makes every running stream on virtual device `device`
/// (`'loopback'` or `'null'`, with or without the `virtual:` prefix)
/// vanish or stall now. Returns how many streams it hit.
pub fn inject(device: &str, fault: Injected) -> Result<usize> {
    let name = device.strip_prefix("virtual:").unwrap_or(device);
    let loopback = match name {
        "loopback" => true,
        "null" => false,
        other => {
            return Err(Error::new(
                ErrorKind::DeviceNotFound,
                format!("no virtual device '{other}'; virtual devices: loopback, null"),
            ))
        }
    };
    Ok(Card::each_running(loopback, |m| {
        apply(m, fault, "fault injection: injected")
    }))
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
