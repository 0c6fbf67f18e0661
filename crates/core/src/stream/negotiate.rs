//! Opening a stream's device: as the stream asks, or, when the device
//! refuses the rate or the channel count and the stream allows conversion,
//! at what the device offers with the engine converting between the two
//! ([`crate::convert`]).

use super::drift::{converting_callback, drift_for};
use crate::convert::channels::check_mix;
use crate::convert::converter::{Converter, Plan};
use crate::device::{DeviceInfo, DeviceStream, Host, Offers, StreamConfig};
use crate::engine::{Control, Engine};
use crate::error::{Error, ErrorKind, Result};
use std::sync::{Arc, Mutex};

/// What the device runs at: the stream's own rate and channels, or what the
/// engine converts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceRun {
    /// The device's frames per second.
    pub samplerate: u32,
    /// The device's `(input, output)` channels.
    pub channels: (usize, usize),
}

/// An open device and the engine it runs.
pub(super) struct Opened {
    pub device: Box<dyn DeviceStream>,
    pub control: Control,
    pub run: DeviceRun,
    /// `(input, output)` seconds: the device's plus the conversion's.
    pub latency: (f64, f64),
}

/// Where a failing device's message goes for the control side.
pub(super) type Message = Arc<Mutex<Option<String>>>;

/// What a stream opens: the device, the stream's side of the config, the
/// engine's action slots and where a failure's message goes.
pub(super) struct Request<'a> {
    pub host: &'a dyn Host,
    pub dev: &'a DeviceInfo,
    pub config: &'a StreamConfig,
    pub slots: usize,
    pub message: &'a Message,
}

/// Opens the device for the request, converting if it must.
pub(super) fn open_device(req: &Request<'_>) -> Result<Opened> {
    let config = req.config;
    for ch in [config.input_channels, config.output_channels] {
        check_mix(config.mix, ch)?;
    }
    let asked = DeviceRun {
        samplerate: config.samplerate,
        channels: (config.input_channels, config.output_channels),
    };
    let refused = match attempt(req, asked) {
        Err(e) if e.kind() == ErrorKind::UnsupportedConfig && config.convert => e,
        other => return other,
    };
    // A real host finds a named device without probing it (its rates and
    // channel counts unknown); what to convert from needs the probe.
    let probed = (req.dev.default_samplerate <= 0.0)
        .then(|| req.host.devices().ok())
        .flatten()
        .and_then(|list| list.into_iter().find(|d| d.id == req.dev.id));
    let mut last = None;
    for run in candidates(probed.as_ref().unwrap_or(req.dev), asked) {
        match attempt(req, run) {
            Ok(o) => return Ok(o),
            Err(e) => last = Some((run, e)),
        }
    }
    Err(match last {
        None => refused,
        Some((run, e)) => Error::new(
            ErrorKind::UnsupportedConfig,
            format!(
                "{}; converting from {} Hz with {} in, {} out was refused too: {}",
                refused.message(),
                run.samplerate,
                run.channels.0,
                run.channels.1,
                e.message()
            ),
        ),
    })
}

/// The rate the device offers nearest `asked`'s (in every direction the
/// stream uses; of two as near, the higher, which loses no band): the
/// least conversion, and the least band lost when the device's is lower.
/// None when the device lists no rates (opened by name, not probed).
fn nearest_rate(dev: &DeviceInfo, asked: DeviceRun) -> Option<u32> {
    let used: Vec<&Offers> = [
        (asked.channels.0, &dev.native.input),
        (asked.channels.1, &dev.native.output),
    ]
    .into_iter()
    .filter(|(ch, o)| *ch > 0 && !o.samplerates.is_empty())
    .map(|(_, o)| o)
    .collect();
    let takes = |r: u32| {
        used.iter()
            .all(|o| o.samplerates.iter().any(|&(lo, hi)| (lo..=hi).contains(&r)))
    };
    let want = asked.samplerate;
    used.iter()
        .flat_map(|o| o.samplerates.iter())
        .flat_map(|&(lo, hi)| [want.clamp(lo, hi), lo, hi])
        .filter(|&r| takes(r))
        .min_by_key(|&r| (r.abs_diff(want), std::cmp::Reverse(r)))
}

/// What to try after the device refused `asked`: the nearest rate it
/// offers, then the most channels it has, then both, then its default
/// rate with them (a listing the device does not keep to).
fn candidates(dev: &DeviceInfo, asked: DeviceRun) -> Vec<DeviceRun> {
    let default = dev.default_samplerate.round() as u32;
    let native = nearest_rate(dev, asked).unwrap_or(default);
    // An unprobed count (usize::MAX) is no count to open.
    let widest = |want: usize, max: usize| match (want, max) {
        (0, _) => 0,
        (_, usize::MAX) => want,
        _ => want.max(max),
    };
    let all = (
        widest(asked.channels.0, dev.max_input_channels),
        widest(asked.channels.1, dev.max_output_channels),
    );
    let mut runs: Vec<DeviceRun> = Vec::new();
    for (samplerate, channels) in [
        (native, asked.channels),
        (asked.samplerate, all),
        (native, all),
        (default, all),
    ] {
        let run = DeviceRun {
            samplerate,
            channels,
        };
        if samplerate > 0 && run != asked && !runs.contains(&run) {
            runs.push(run);
        }
    }
    runs
}

/// One try at opening the device at `run`, with a fresh engine (a refused
/// open consumes the callback it was given).
fn attempt(req: &Request<'_>, run: DeviceRun) -> Result<Opened> {
    let (host, dev, config) = (req.host, req.dev, req.config);
    let (mut engine, control) = Engine::with_capacity(
        config.input_channels,
        config.output_channels,
        config.samplerate,
        req.slots.max(1),
    );
    let shared = control.shared.clone();
    let msg = req.message.clone();
    let on_error = Box::new(move |e: Error| {
        *msg.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.message().to_string());
        shared.fail(e.kind());
    });
    let plan = Plan {
        stream_rate: config.samplerate,
        device_rate: run.samplerate,
        stream_channels: (config.input_channels, config.output_channels),
        device_channels: run.channels,
        mix: config.mix,
        chunk: config.blocksize.min(crate::convert::converter::SLICE),
    };
    let drift = drift_for(config, &control.shared);
    if !plan.converts() && drift.is_none() {
        let device = host.open(
            dev,
            config,
            Box::new(move |i, o, info| engine.process(i, o, info)),
            on_error,
        )?;
        let latency = device.latency();
        return Ok(Opened {
            device,
            control,
            run,
            latency,
        });
    }
    let inner = Box::new(move |i: &[_], o: &mut [_], info: &_| engine.process(i, o, info));
    let conv = match drift {
        Some(d) => Converter::with_drift(&plan, inner, d)?,
        None => Converter::new(&plan, inner)?,
    };
    let extra = conv.latency();
    let scale = f64::from(run.samplerate) / f64::from(config.samplerate);
    let device_config = StreamConfig {
        samplerate: run.samplerate,
        blocksize: ((config.blocksize as f64 * scale).round() as usize).max(1),
        input_channels: run.channels.0,
        output_channels: run.channels.1,
        ..config.clone()
    };
    let device = host.open(
        dev,
        &device_config,
        converting_callback(conv, control.shared.clone()),
        on_error,
    )?;
    let (li, lo) = device.latency();
    let latency = (
        if run.channels.0 > 0 {
            li + extra.0
        } else {
            0.0
        },
        if run.channels.1 > 0 {
            lo + extra.1
        } else {
            0.0
        },
    );
    Ok(Opened {
        device,
        control,
        run,
        latency,
    })
}

#[cfg(test)]
#[path = "negotiate_tests.rs"]
mod tests;
