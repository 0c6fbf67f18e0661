//! Opening one direction: the format and period to ask for, and the cpal
//! build with the typed sample callbacks (so that a callback never sees
//! another sample format than the one it converts).

use super::alsa;
use super::config::{self, Fmt};
use super::convert;
use super::gate::Ctl;
use super::in_side::InSide;
use super::sides::OutSide;
use crate::abi::kind;
use crate::host::{self, Failure};
use cpal::traits::DeviceTrait;
use cpal::{BufferSize, Device, SizedSample};
use std::sync::Arc;
use std::time::Duration;

/// Periods an ALSA build tries before the device's default.
const TRIES: usize = 4;

/// What is asked of one device.
pub(super) struct Request<'a> {
    pub host: &'a str,
    pub device: &'a str,
    pub rate: u32,
    pub block: u32,
    /// The device period the latency request aims at, in frames.
    pub target: f64,
}

/// How one direction is opened.
#[derive(Clone)]
pub(super) struct Plan {
    pub fmt: Fmt,
    /// Buffer sizes to try, best first.
    pub sizes: Vec<BufferSize>,
    pub channels: u16,
    pub rate: u32,
    /// Frames the device's timestamps are early by (see [`alsa::Settled::burst`]).
    pub shift: u32,
    /// What an ALSA device offers, for a refusal's message (empty elsewhere).
    pub offer: String,
    /// The output latency follows from the period alone (see
    /// [`alsa::Probe::latency_follows_period`]): the stream may start its
    /// device later than its open.
    pub predictable: bool,
}

impl Plan {
    fn config(&self, size: BufferSize) -> cpal::StreamConfig {
        cpal::StreamConfig {
            channels: self.channels,
            sample_rate: self.rate,
            buffer_size: size,
        }
    }
}

/// Builds with the plan's first buffer size the device takes (an ALSA
/// device's refined space can still have holes that only the build finds);
/// every attempt gets a fresh side from `make`.
fn build_first<S>(
    plan: &Plan,
    make: impl Fn() -> S,
    mut build: impl FnMut(cpal::StreamConfig, S) -> Result<cpal::Stream, cpal::Error>,
) -> Result<cpal::Stream, cpal::Error> {
    let mut last = cpal::Error::new(cpal::ErrorKind::UnsupportedConfig);
    for size in &plan.sizes {
        match build(plan.config(*size), make()) {
            Ok(s) => return Ok(s),
            Err(e) if e.kind() == cpal::ErrorKind::UnsupportedConfig => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

pub(super) fn dir_name(input: bool) -> &'static str {
    if input {
        "input"
    } else {
        "output"
    }
}

/// A direction's plan, and the ALSA probe it came from (see [`plan`]).
pub(super) struct Planned {
    pub plan: Plan,
    pub probe: Option<alsa::Probe>,
}

/// Picks the format and the period for one direction of `dev`; an ALSA
/// plan asks `reuse` (the PCM the host's period was found on) if given,
/// else opens the PCM.
pub(super) fn plan(
    req: &Request,
    dev: &Device,
    input: bool,
    channels: u16,
    reuse: Option<alsa::Probe>,
) -> Result<Planned, Failure> {
    if req.host == "alsa" {
        return alsa_plan(req, input, channels, reuse);
    }
    let dir = dir_name(input);
    let what = format!("{}:{} cannot open its {dir}", req.host, req.device);
    let ranges = ranges(dev, input, &what)?;
    // JACK: the server's rate and period; the format is f32.
    let fmt = config::choose_format(&ranges, dir, channels, req.rate)
        .map_err(|m| (kind::UNSUPPORTED_CONFIG, m))?;
    let plan = Plan {
        fmt,
        sizes: server_sizes(req, &ranges),
        channels,
        rate: req.rate,
        shift: 0,
        offer: String::new(),
        predictable: false,
    };
    Ok(Planned { plan, probe: None })
}

/// The configurations `dev` supports in one direction (`what` names the
/// direction for an error). A loopback input on an output device (WASAPI
/// loopback, a CoreAudio tap, a PipeWire monitor: the core lets only those
/// through) lists none of its own: it records in the formats the output plays.
pub(super) fn ranges(
    dev: &Device,
    input: bool,
    what: &str,
) -> Result<Vec<cpal::SupportedStreamConfigRange>, Failure> {
    let ranges: Vec<_> = if input {
        dev.supported_input_configs().map(|c| c.collect())
    } else {
        dev.supported_output_configs().map(|c| c.collect())
    }
    .map_err(|e| host::fail(what, &e))?;
    if input && ranges.is_empty() {
        return dev
            .supported_output_configs()
            .map(|c| c.collect())
            .map_err(|e| host::fail(what, &e));
    }
    Ok(ranges)
}

/// The first bounds on the buffer size that `ranges` name (none where the
/// host does not say).
pub(super) fn buffer_bounds(ranges: &[cpal::SupportedStreamConfigRange]) -> Option<(u32, u32)> {
    ranges.iter().find_map(|r| match r.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => Some((*min, *max)),
        cpal::SupportedBufferSize::Unknown => None,
    })
}

/// The buffer sizes to try on a host: a sound server (PipeWire, PulseAudio)
/// takes the period asked for (a PipeWire node latency, a PulseAudio
/// fragment; at least a block, so that a loaded machine keeps up), where
/// its own default is far longer (PulseAudio records in 2 s fragments);
/// JACK has only the server's period.
fn server_sizes(req: &Request, ranges: &[cpal::SupportedStreamConfigRange]) -> Vec<BufferSize> {
    match buffer_bounds(ranges) {
        Some((min, max)) if matches!(req.host, "pipewire" | "pulseaudio") => {
            let target = req.target.max(f64::from(req.block));
            let period = config::choose_period(min, max, req.block, target);
            vec![BufferSize::Fixed(period), BufferSize::Default]
        }
        _ => vec![BufferSize::Default],
    }
}

/// The ALSA plan, from one open of the PCM (cpal's own ranges would open it
/// once more and say less). The probe is handed back open: the stream plays
/// or records on it ([`super::alsa_setup`]).
fn alsa_plan(
    req: &Request,
    input: bool,
    channels: u16,
    reuse: Option<alsa::Probe>,
) -> Result<Planned, Failure> {
    let dir = dir_name(input);
    let what = format!("{}:{} cannot open its {dir}", req.host, req.device);
    let probe = match reuse {
        Some(p) => p,
        None => alsa::Probe::open(req.device, input)
            .map_err(|rc| super::refusal::open_failure(&what, rc))?,
    };
    // As many channels as the listing says, whether or not the process
    // listed devices (the core checks a listed device's count itself).
    let most = probe.max_channels();
    if u32::from(channels) > most {
        return Err((
            kind::UNSUPPORTED_CONFIG,
            format!(
                "{}:{} has {most} {dir} channels, {channels} requested",
                req.host, req.device
            ),
        ));
    }
    let offer = probe.offer();
    let mut why = String::new();
    for fmt in Fmt::ALL {
        let asked = (fmt, u32::from(channels), req.rate);
        let choice = alsa::Choice {
            candidates: |min, max| config::candidate_periods(min, max, req.block, req.target),
            rank: |takes| config::rank_periods(takes, req.block, req.target),
        };
        match probe.settle(asked, choice) {
            Ok(settled) => {
                let plan = Plan {
                    fmt,
                    // The best few periods, then what the device picks itself:
                    // a plug PCM that converts the rate only takes periods
                    // that map to whole periods of its slave, which its
                    // configuration space does not show before the install.
                    sizes: settled
                        .periods
                        .iter()
                        .take(TRIES)
                        .map(|p| BufferSize::Fixed(*p))
                        .chain([BufferSize::Default])
                        .collect(),
                    channels,
                    rate: req.rate,
                    shift: settled.burst.unwrap_or(0),
                    offer,
                    predictable: probe.latency_follows_period(),
                };
                return Ok(Planned {
                    plan,
                    probe: Some(probe),
                });
            }
            Err(w) => {
                if why.is_empty() || !w.contains("samples") {
                    why = w;
                }
            }
        }
    }
    Err((
        kind::UNSUPPORTED_CONFIG,
        format!(
            "{what} with {channels} channels at {} Hz in f32, i32 or i16: {why}; it offers {offer}",
            req.rate
        ),
    ))
}

fn build_output<T: convert::DeviceSample>(
    dev: &Device,
    plan: &Plan,
    make: impl Fn() -> OutSide,
    ctl: &Arc<Ctl>,
) -> Result<cpal::Stream, cpal::Error> {
    build_first(plan, make, |cfg, mut side| {
        dev.build_output_stream::<T, _, _>(
            cfg,
            move |d: &mut [T], i: &cpal::OutputCallbackInfo| side.callback(d, i),
            error_handler(ctl.clone(), false),
            Some(Duration::from_secs(5)),
        )
    })
}

fn build_input<T>(
    dev: &Device,
    plan: &Plan,
    make: impl Fn() -> InSide,
    ctl: &Arc<Ctl>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: convert::DeviceSample + SizedSample,
    f32: cpal::FromSample<T>,
{
    build_first(plan, make, |cfg, mut side| {
        dev.build_input_stream::<T, _, _>(
            cfg,
            move |d: &[T], i: &cpal::InputCallbackInfo| side.callback(d, i),
            error_handler(ctl.clone(), true),
            Some(Duration::from_secs(5)),
        )
    })
}

pub(super) fn error_handler(
    ctl: Arc<Ctl>,
    input: bool,
) -> impl FnMut(cpal::Error) + Send + 'static {
    move |e: cpal::Error| match e.kind() {
        cpal::ErrorKind::Xrun => ctl.xrun(input),
        // The host moved a stream that follows the default: told with the
        // next block, not a failure.
        cpal::ErrorKind::DeviceChanged => ctl.device_changed(),
        // Not a failure: the stream goes on.
        cpal::ErrorKind::RealtimeDenied => {}
        _ => {
            let (k, m) = host::fail(
                if input {
                    "input stream"
                } else {
                    "output stream"
                },
                &e,
            );
            ctl.report(k, &m);
        }
    }
}

/// Builds the output stream of `plan` on `dev`, sides made by `make`.
pub(super) fn output_stream(
    dev: &Device,
    plan: &Plan,
    make: impl Fn() -> OutSide,
    ctl: &Arc<Ctl>,
) -> Result<cpal::Stream, cpal::Error> {
    match plan.fmt {
        Fmt::F32 => build_output::<f32>(dev, plan, make, ctl),
        Fmt::I32 => build_output::<i32>(dev, plan, make, ctl),
        Fmt::I16 => build_output::<i16>(dev, plan, make, ctl),
    }
}

/// Builds the input stream of `plan` on `dev`, sides made by `make`.
pub(super) fn input_stream(
    dev: &Device,
    plan: &Plan,
    make: impl Fn() -> InSide,
    ctl: &Arc<Ctl>,
) -> Result<cpal::Stream, cpal::Error> {
    match plan.fmt {
        Fmt::F32 => build_input::<f32>(dev, plan, make, ctl),
        Fmt::I32 => build_input::<i32>(dev, plan, make, ctl),
        Fmt::I16 => build_input::<i16>(dev, plan, make, ctl),
    }
}

#[cfg(all(test, alsa_stack))]
mod tests {
    use super::*;

    fn null_request() -> Request<'static> {
        // alsa-lib's `null` PCM (alsa.conf, on every system) takes any
        // channel count, as a `plug` PCM does; it is listed with 64.
        Request {
            host: "alsa",
            device: "null",
            rate: 48000,
            block: 256,
            target: 240.0,
        }
    }

    #[test]
    fn more_channels_than_listed_are_refused_naming_the_count() {
        let req = null_request();
        let max = crate::pcm::MAX_CHANNELS as u16;
        let ok = alsa_plan(&req, false, max, None).expect("null takes the listed count");
        assert_eq!(ok.plan.channels, max);
        let Err((k, why)) = alsa_plan(&req, false, max + 36, None) else {
            panic!("100 channels on a PCM listed with 64 opened");
        };
        assert_eq!(k, kind::UNSUPPORTED_CONFIG);
        assert_eq!(why, "alsa:null has 64 output channels, 100 requested");
        let Err((_, why)) = alsa_plan(&req, true, max + 1, None) else {
            panic!("65 input channels opened");
        };
        assert_eq!(why, "alsa:null has 64 input channels, 65 requested");
    }
}
