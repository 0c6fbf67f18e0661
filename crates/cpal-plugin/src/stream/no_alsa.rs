//! Stands in for the ALSA probe where there is no ALSA (macOS, Windows: no `cfg(alsa_stack)`).
//! The plugin offers no `alsa` host there, so nothing reaches these; should
//! anything, they refuse as a missing device would.

use super::config::Fmt;
pub use super::settle::{errno, Choice, Settled};
use std::ffi::c_int;

/// Never made: there is no ALSA device on this system.
pub struct Probe;

impl Probe {
    /// Refuses: there is no ALSA device on this system.
    pub fn open(_name: &str, _input: bool) -> Result<Probe, c_int> {
        Err(-errno::ENODEV)
    }

    /// An ALSA device's period: none here.
    pub fn own_period(&self, _channels: u32, _rate: u32, _target: f64) -> Option<u32> {
        None
    }

    /// The most channels an ALSA device has: none here.
    pub fn max_channels(&self) -> u32 {
        0
    }

    /// What an ALSA device offers: nothing here.
    pub fn offer(&self) -> String {
        "nothing (there is no ALSA on this system)".to_string()
    }

    /// Whether an output's latency follows from its period: no device here.
    pub fn latency_follows_period(&self) -> bool {
        false
    }

    /// Refuses (never reached: no probe is ever made).
    pub fn settle<C, R>(
        &self,
        _asked: (Fmt, u32, u32),
        _choice: Choice<C, R>,
    ) -> Result<Settled, String>
    where
        C: FnOnce(u32, u32) -> Vec<u32>,
        R: FnOnce(Vec<u32>) -> Vec<u32>,
    {
        Err("there is no ALSA on this system".to_string())
    }
}
