//! A stream's output device: a cpal stream, or (an ALSA output-only
//! stream, on Linux) the plugin's own ALSA output on the planning probe's
//! PCM ([`super::alsa_out`]).

use super::build::{Plan, Request};
use super::gate::Ctl;
use super::sides::OutSide;
use crate::host::{self, Failure};
use cpal::traits::StreamTrait;
use std::sync::Arc;

/// The device side that plays a stream's output.
pub enum DeviceOut {
    /// Built by cpal.
    Cpal(cpal::Stream),
    /// The plugin's own ALSA output.
    #[cfg(target_os = "linux")]
    Alsa(super::alsa_out::AlsaOut),
}

impl DeviceOut {
    /// Frames per device callback (`fallback` when the host does not say).
    pub fn period(&self, fallback: u32) -> u32 {
        match self {
            DeviceOut::Cpal(s) => s.buffer_size().unwrap_or(fallback).max(1),
            #[cfg(target_os = "linux")]
            DeviceOut::Alsa(a) => a.period().max(1),
        }
    }

    /// Starts the device (its callbacks run from now on).
    pub fn play(&self) -> Result<(), Failure> {
        match self {
            DeviceOut::Cpal(s) => s
                .play()
                .map_err(|e| host::fail("cannot start the device", &e)),
            #[cfg(target_os = "linux")]
            DeviceOut::Alsa(a) => {
                a.play();
                Ok(())
            }
        }
    }
}

/// Sets up the planning probe's PCM for `plan` and starts the thread that
/// will play it (waiting for [`DeviceOut::play`]) with `side`.
#[cfg(target_os = "linux")]
pub(super) fn open_alsa(
    probe: super::alsa::Probe,
    req: &Request,
    plan: &Plan,
    side: OutSide,
    ctl: &Arc<Ctl>,
) -> Result<DeviceOut, Failure> {
    use super::alsa_out::{AlsaOut, Playback};
    let asked = (plan.fmt, u32::from(plan.channels), plan.rate);
    let geometry = super::alsa_setup::install(&probe, asked, &plan.sizes)
        .map_err(|why| super::refusal::setup_failure(req, plan, &why))?;
    let play = Playback {
        pcm: probe.into_pcm(),
        fmt: plan.fmt,
        geometry,
        channels: usize::from(plan.channels),
        rate: plan.rate,
    };
    AlsaOut::spawn(play, side, ctl.clone())
        .map(DeviceOut::Alsa)
        .map_err(|m| (crate::abi::kind::IO, m))
}
