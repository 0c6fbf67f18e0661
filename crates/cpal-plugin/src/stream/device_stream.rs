//! A stream's device, one direction of it: a cpal stream, or (an ALSA
//! device, where ALSA is) the plugin's own ALSA thread on the planning probe's
//! PCM ([`super::alsa_out`], [`super::alsa_in`]).

#[cfg(alsa_stack)]
use super::{
    build::{Plan, Request},
    gate::Ctl,
};
use super::{in_side::InSide, sides::OutSide};
use crate::host::{self, Failure};
use cpal::traits::StreamTrait;
#[cfg(alsa_stack)]
use std::sync::Arc;

/// The device side that plays a stream's output or records its input.
pub enum DeviceStream {
    /// Built by cpal.
    Cpal(cpal::Stream),
    /// The plugin's own ALSA thread.
    #[cfg(alsa_stack)]
    Alsa(super::alsa_thread::AlsaThread),
}

impl DeviceStream {
    /// Frames per device callback (`fallback` when the host does not say).
    pub fn period(&self, fallback: u32) -> u32 {
        match self {
            DeviceStream::Cpal(s) => s.buffer_size().unwrap_or(fallback).max(1),
            #[cfg(alsa_stack)]
            DeviceStream::Alsa(a) => a.period().max(1),
        }
    }

    /// Starts the device (its callbacks run from now on).
    pub fn play(&self) -> Result<(), Failure> {
        match self {
            DeviceStream::Cpal(s) => s
                .play()
                .map_err(|e| host::fail("cannot start the device", &e)),
            #[cfg(alsa_stack)]
            DeviceStream::Alsa(a) => {
                a.play();
                Ok(())
            }
        }
    }
}

/// The callback an ALSA thread calls.
pub enum Side {
    /// An output's.
    Out(OutSide),
    /// An input's.
    In(InSide),
}

/// Sets up the planning probe's PCM for `plan` and starts the thread that
/// will play or record it (waiting for [`DeviceStream::play`]) with `side`.
#[cfg(alsa_stack)]
pub(super) fn open_alsa(
    probe: super::alsa::Probe,
    req: &Request,
    plan: &Plan,
    side: Side,
    ctl: &Arc<Ctl>,
) -> Result<DeviceStream, Failure> {
    let input = matches!(side, Side::In(_));
    let asked = (plan.fmt, u32::from(plan.channels), plan.rate);
    let geometry = super::alsa_setup::install(&probe, asked, &plan.sizes)
        .map_err(|why| super::refusal::setup_failure(req, plan, input, &why))?;
    let prepared = super::alsa_thread::Prepared {
        pcm: probe.into_pcm(),
        fmt: plan.fmt,
        geometry,
        channels: usize::from(plan.channels),
        rate: plan.rate,
    };
    let ctl = ctl.clone();
    match side {
        Side::Out(s) => super::alsa_out::spawn(prepared, s, ctl),
        Side::In(s) => super::alsa_in::spawn(prepared, s, ctl),
    }
    .map(DeviceStream::Alsa)
    .map_err(|m| (crate::abi::kind::IO, m))
}
