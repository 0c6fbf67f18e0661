//! Stands in for the ALSA probe where there is no ALSA (macOS, Windows).
//! The plugin offers no `alsa` host there, so nothing reaches these; should
//! anything, they refuse as a missing device would.

use super::config::Fmt;
pub use super::settle::{errno, Choice, Refusal, Settled};

/// Refuses: there is no ALSA device on this system.
pub fn settle_period<C, R>(
    _name: &str,
    _input: bool,
    _asked: (Fmt, u32, u32),
    _choice: Choice<C, R>,
) -> Result<Settled, Refusal>
where
    C: FnOnce(u32, u32) -> Vec<u32>,
    R: FnOnce(Vec<u32>) -> Vec<u32>,
{
    Err(Refusal::Open(-errno::ENODEV))
}

/// What an ALSA device offers: nothing here.
pub fn offer(_name: &str, _input: bool) -> String {
    "nothing (there is no ALSA on this system)".to_string()
}
