//! A device stream on cpal.
//!
//! - [`gate`]: the start gate and the atomics shared with the callbacks;
//! - [`sides`] and [`in_side`]: the output and input callbacks;
//! - [`adapter`]: the block adapter (the engine always gets `blocksize` frames);
//! - [`handoff`]: a duplex stream's input, aligned to a known round trip;
//! - [`host_period`]: the host's own period, the block of a stream that
//!   lets the host choose (found on the PCM the stream then plans on);
//! - `open`: opening a stream (plan, build and start each side, measure
//!   the latency);
//! - `build`: the format and period to ask for, and the typed cpal builds;
//! - [`device_stream`]: each direction's device, cpal's or (ALSA) the
//!   plugin's own ([`alsa_out`], [`alsa_in`], sharing [`alsa_thread`], on
//!   the PCM [`alsa_setup`] sets up);
//! - `refusal`: what a refused open says;
//! - [`config`]: format, period and latency choices (pure functions);
//! - [`convert`]: sample conversion;
//! - [`epoch`]: each side's device clock, smoothed;
//! - [`alsa`]: what an ALSA PCM really takes (a refusing stand-in without ALSA);
//! - [`settle`]: what a period probe answers;
//! - [`started`]: the callbacks an open waits for.
//!
//! The devices run from open to close (an ALSA output-only stream's from its
//! first start: see [`PluginStream::open`]); start and pause only open and
//! close the gate, so restarts never make a device underrun.

pub mod adapter;
#[cfg(alsa_stack)]
pub mod alsa;
#[cfg(not(alsa_stack))]
#[path = "no_alsa.rs"]
pub mod alsa;
#[cfg(alsa_stack)]
pub mod alsa_in;
#[cfg(alsa_stack)]
pub mod alsa_out;
#[cfg(alsa_stack)]
pub mod alsa_setup;
#[cfg(alsa_stack)]
pub mod alsa_thread;
mod build;
pub mod config;
pub mod convert;
pub mod device_stream;
pub mod epoch;
pub mod gate;
pub mod handoff;
pub mod host_period;
pub mod in_side;
mod open;
#[cfg(all(test, alsa_stack))]
mod open_tests;
mod refusal;
pub mod settle;
pub mod sides;
pub mod started;

use crate::abi::kind;
use crate::host::Failure;
use device_stream::DeviceStream;
use gate::Ctl;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest block (TypeScript allows as much).
const MAX_BLOCK: usize = 1 << 16;
/// The longest close waits for queued output to reach the DAC, beyond the
/// output latency.
const CLOSE_SLACK: f64 = 0.25;

/// An open device stream of the plugin.
pub struct PluginStream {
    // Dropped first (in Drop): the threads are joined, so no callback runs after.
    input: Option<DeviceStream>,
    output: Option<DeviceStream>,
    ctl: Arc<Ctl>,
    /// An ALSA output-only stream's device is built but not started until
    /// the first [`PluginStream::start`], so that the first period it plays
    /// already holds the first block (see [`PluginStream::open`]).
    unstarted: AtomicBool,
    /// `(input, output)` latency in seconds.
    pub latency: (f64, f64),
    /// A pulseaudio stream's sides, watched for the server moving them.
    watches: Vec<crate::pulse_watch::Watch>,
}

impl PluginStream {
    /// Opens the gate: the engine is called from the next callback on.
    pub fn start(&self) -> Result<(), Failure> {
        if self.ctl.dead.load(SeqCst) {
            return Err((
                kind::DEVICE_NOT_FOUND,
                "the stream failed and cannot be restarted".to_string(),
            ));
        }
        self.ctl.flags.store(0, SeqCst);
        self.ctl.generation.fetch_add(1, SeqCst);
        self.ctl.running.store(true, SeqCst);
        if self.unstarted.swap(false, SeqCst) {
            if let Some(s) = &self.output {
                s.play().inspect_err(|_| {
                    // Refused: the next start tries the device again.
                    self.ctl.running.store(false, SeqCst);
                    self.unstarted.store(true, SeqCst);
                })?;
            }
        }
        Ok(())
    }

    /// The device (a name of the host's listing) the host last moved the
    /// `input` or output side to, where the plugin learns it (PulseAudio);
    /// `None` if it never moved, or the host does not say where.
    pub fn moved_to(&self, input: bool) -> Option<String> {
        self.watches
            .iter()
            .find(|w| w.input() == input)
            .and_then(|w| w.moved_to())
    }

    /// Closes the gate and waits until no callback is inside it.
    pub fn pause(&self) -> Result<(), Failure> {
        self.ctl.running.store(false, SeqCst);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.ctl.busy.load(SeqCst) != 0 {
            if Instant::now() > deadline {
                return Err((
                    kind::IO,
                    "the audio callback did not return within 5 s".to_string(),
                ));
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        Ok(())
    }
}

impl Drop for PluginStream {
    /// Closing an ALSA PCM drops what its buffer still holds (snd_pcm_close
    /// calls snd_pcm_drop), so close first waits, bounded by the output
    /// latency plus [`CLOSE_SLACK`], until the last audible frame the engine
    /// wrote has reached the DAC.
    fn drop(&mut self) {
        self.ctl.running.store(false, SeqCst);
        if self.output.is_some() {
            let until = self.ctl.last_audible.load();
            if until > 0.0 {
                let wait = (until - self.ctl.out_clock.now()).min(self.latency.1 + CLOSE_SLACK);
                if wait > 0.0 {
                    std::thread::sleep(Duration::from_secs_f64(wait));
                }
            }
        }
        self.input = None;
        self.output = None;
    }
}
