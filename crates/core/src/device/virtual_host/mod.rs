//! The built-in virtual device: a clock thread that calls the engine like a
//! sound card would, so everything runs and is tested without hardware.
//!
//! - `virtual:loopback`: what the output plays is captured by the input. A
//!   sample played at output DAC time T is captured with input ADC time T,
//!   so it comes back exactly `input + output latency` frames after it was
//!   written.
//! - `virtual:null`: output discarded, input silence.
//! - `virtual:stereo48`: the loopback as a raw `hw:` device offers it: only
//!   48000 Hz, only 2 channels each way (it shares the loopback's bus), so
//!   that a stream at another rate or channel count converts
//!   ([`crate::convert`]) without hardware.
//!
//! Streams on the same device, at the same sample rate and pace, share one
//! card ([`card`]): on `virtual:loopback` every output sums into one bus
//! that every input reads, on the card's one clock, as on a real
//! interface; a stream alone on it behaves as a duplex loopback.
//!
//! The latency is the stream's `latency` option ([`latency_frames`]), in
//! whole frames, each way. Like a card's buffer it absorbs late wake-ups:
//! at real-time pace only a wake-up later than the output latency (the
//! input latency for an input-only stream) is an xrun; above real time,
//! wall-clock jitter never is.
//!
//! Paced in real time by default; `speed` scales the pace (`INFINITY` = as
//! fast as possible). Block boundaries and timestamps are deterministic: block
//! `k` runs at device time `t = k * B / sr`, its output reaches the DAC at
//! `t + out_latency` and its input left the ADC at `t - in_latency`.
//! Faults ([`Faults`]) skip, delay or panic in callbacks, fail on open, or
//! make the device vanish or stall mid-stream ([`fault`]; [`inject`] does
//! it to the running streams of a device, for tests).

mod bus;
mod card;
#[cfg(test)]
mod clock_tests;
mod fault;
mod member;

use super::{
    Callback, DeviceInfo, DeviceStream, ErrorCallback, Host, Latency, Native, Offers, StreamConfig,
};
use crate::error::{Error, ErrorKind, Result};
use card::Card;
pub use fault::Injected;
use member::Member;
use std::sync::Arc;

/// The host's name.
pub const NAME: &str = "virtual";
/// Channels each virtual device offers in each direction.
pub const CHANNELS: usize = 32;

/// The one rate and channel count `virtual:stereo48` offers.
pub const FIXED: (u32, usize) = (48_000, 2);

/// The virtual host.
pub struct VirtualHost;

/// The virtual devices' own block, in frames: what a stream asking the
/// host to choose (`blocksize: 0`) runs with.
pub const OWN_BLOCK: usize = 512;

/// Frames of latency `(input, output)` for `config`: `'low'` is the least
/// the device sustains: at real-time pace two blocks and at least 20 ms (a
/// card double-buffers; 20 ms rides out a loaded machine's scheduling
/// jitter), above real time one block (jitter is never an xrun there);
/// `'high'` at least 100 ms, seconds as asked; never less than one block.
pub fn latency_frames(config: &StreamConfig) -> (usize, usize) {
    let b = config.blocksize;
    let frames = |secs: f64| (secs * f64::from(config.samplerate)).round() as usize;
    let each = |l: Latency| match l {
        Latency::Low if config.speed > 1.0 => b,
        Latency::Low => (2 * b).max(frames(0.02)),
        Latency::High => b.max(frames(0.1)),
        Latency::Seconds(s) => b.max(frames(s)),
    };
    let (i, o) = config.latencies();
    (each(i), each(o))
}

/// The rates a virtual device runs at (all but `stereo48`).
pub const RATES: (u32, u32) = (8000, 384_000);

/// The largest clock error ([`crate::device::Faults::clock_offset_ppm`]) a
/// virtual card takes, either way: 10%, far past any real crystal's.
pub const MAX_CLOCK_OFFSET_PPM: f64 = 100_000.0;

fn info(name: &str, default: bool, each: Offers) -> DeviceInfo {
    let channels = each.channels.last().map_or(0, |c| c.1 as usize);
    DeviceInfo {
        id: format!("{NAME}:{name}"),
        name: name.to_string(),
        host: NAME.to_string(),
        max_input_channels: channels,
        max_output_channels: channels,
        default_samplerate: 48000.0,
        is_default_input: default,
        is_default_output: default,
        loopback: false,
        native: Native {
            input: each.clone(),
            output: each,
        },
    }
}

impl Host for VirtualHost {
    fn name(&self) -> &'static str {
        NAME
    }

    fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let any = Offers::span(RATES, (1, CHANNELS as u32));
        Ok(vec![
            info("loopback", true, any.clone()),
            info("null", false, any),
            info(
                "stereo48",
                false,
                Offers::span((FIXED.0, FIXED.0), (FIXED.1 as u32, FIXED.1 as u32)),
            ),
        ])
    }

    fn own_block(&self, _device: &DeviceInfo, _config: &StreamConfig) -> Result<usize> {
        Ok(OWN_BLOCK)
    }

    fn open(
        &self,
        device: &DeviceInfo,
        config: &StreamConfig,
        callback: Callback,
        on_error: ErrorCallback,
    ) -> Result<Box<dyn DeviceStream>> {
        if config.faults.fail_on_open {
            return Err(Error::new(
                ErrorKind::DeviceBusy,
                format!(
                    "{} refused to open (fault injection: failOnOpen)",
                    device.id
                ),
            ));
        }
        let ppm = config.faults.clock_offset_ppm;
        if ppm.is_nan() || ppm.abs() > MAX_CLOCK_OFFSET_PPM {
            return Err(Error::invalid_arg(format!(
                "faults.clockOffsetPpm must be a number from -{MAX_CLOCK_OFFSET_PPM} to {MAX_CLOCK_OFFSET_PPM}, got {ppm}"
            )));
        }
        let fixed = device.name == "stereo48";
        let channels_ok = |n: usize| n == 0 || n == FIXED.1;
        if fixed
            && (config.samplerate != FIXED.0
                || !channels_ok(config.input_channels)
                || !channels_ok(config.output_channels))
        {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "{} runs only at {} Hz with {} channels each way, got {} Hz, {} in, {} out",
                    device.id,
                    FIXED.0,
                    FIXED.1,
                    config.samplerate,
                    config.input_channels,
                    config.output_channels
                ),
            ));
        }
        if !(RATES.0..=RATES.1).contains(&config.samplerate) {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "{} supports sample rates from {} to {} Hz, got {}",
                    device.id, RATES.0, RATES.1, config.samplerate
                ),
            ));
        }
        if config.input_channels > CHANNELS || config.output_channels > CHANNELS {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "{} supports up to {CHANNELS} input and {CHANNELS} output channels, got {} in, {} out",
                    device.id, config.input_channels, config.output_channels
                ),
            ));
        }
        let lat = latency_frames(config);
        let member = Member::new(
            config.blocksize,
            (config.input_channels, config.output_channels),
            lat,
            callback,
            on_error,
            config.faults.clone(),
        );
        let (card, id) = Card::join(
            device.name != "null",
            config.samplerate,
            config.speed,
            config.faults.clock_offset_ppm,
            member,
        )?;
        let secs = |frames: usize, channels: usize| {
            if channels > 0 {
                frames as f64 / f64::from(config.samplerate)
            } else {
                0.0
            }
        };
        Ok(Box::new(VirtualStream {
            card,
            id,
            latency: (
                secs(lat.0, config.input_channels),
                secs(lat.1, config.output_channels),
            ),
        }))
    }
}

/// A stream's membership of its card.
struct VirtualStream {
    card: Arc<Card>,
    id: u64,
    latency: (f64, f64),
}

impl DeviceStream for VirtualStream {
    fn start(&mut self) -> Result<()> {
        self.card.start(self.id)
    }

    fn pause(&mut self) -> Result<()> {
        self.card.pause(self.id);
        Ok(())
    }

    fn latency(&self) -> (f64, f64) {
        self.latency
    }
}

impl Drop for VirtualStream {
    fn drop(&mut self) {
        self.card.leave(self.id);
    }
}

/// Test only: makes every running stream on virtual device `device`
/// (`'loopback'`, `'stereo48'` or `'null'`, with or without the `virtual:` prefix)
/// vanish or stall now. Returns how many streams it hit.
pub fn inject(device: &str, fault: Injected) -> Result<usize> {
    let name = device.strip_prefix("virtual:").unwrap_or(device);
    let loopback = match name {
        "loopback" | "stereo48" => true,
        "null" => false,
        other => {
            return Err(Error::new(
                ErrorKind::DeviceNotFound,
                format!("no virtual device '{other}'; virtual devices: loopback, null, stereo48"),
            ))
        }
    };
    Ok(Card::each_running(loopback, |m| {
        m.fault(fault, "fault injection: injected")
    }))
}
