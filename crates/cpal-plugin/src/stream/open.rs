//! Opening a [`PluginStream`]: the config checked, each side planned and
//! built (cpal's stream or the plugin's own ALSA one), the devices started
//! (or an ALSA output-only one deferred to the first start), and the
//! latency measured.

use super::device_stream::DeviceStream;
#[cfg(alsa_stack)]
use super::device_stream::Side;
use super::gate::{mono_now, Calls, Ctl};
use super::handoff::Handoff;
use super::in_side::InSide;
use super::sides::{OutSide, Timing};
use super::{build, config, host_period, refusal, started, PluginStream, MAX_BLOCK};
use crate::abi::{kind, RsStreamConfig};
use crate::host::{self, Failure};
use crate::pulse_watch;
use ringbuf::{HeapCons, HeapProd, HeapRb};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Frames the duplex handoff holds at least (it also holds four blocks).
const RING_FRAMES: usize = 1 << 16;
/// Extra input latency in a duplex stream for the two device threads'
/// scheduling jitter, in seconds (beyond one input period, which covers
/// callbacks of the same device cycle running in either order).
const JITTER_SECONDS: f64 = 0.002;

/// Whether the sound server behind `host_name` plays an output callback's
/// frames a callback later than cpal says ([`crate::server_queue`]).
#[cfg(alsa_stack)]
fn server_queued(host_name: &str) -> bool {
    crate::server_queue::queues_a_callback(host_name)
}

/// No such sound server without `cfg(alsa_stack)` (build.rs).
#[cfg(not(alsa_stack))]
fn server_queued(_host_name: &str) -> bool {
    false
}

impl PluginStream {
    /// Opens `device` of `host_name` for `cfg`.
    ///
    /// An ALSA device plays or records on the PCM it was planned with
    /// (`super::device_stream::open_alsa`: one open). An output-only stream whose
    /// latency follows from its period ([`super::alsa::Probe::latency_follows_period`]:
    /// not behind a sound server's I/O plugin other than JACK's) returns as
    /// soon as its PCM is set up, with its output latency predicted from the
    /// period it got ([`config::predicted_frames`]: two periods in the
    /// buffer, cpal's geometry, which [`super::alsa_setup`] keeps); its device starts
    /// with the first [`PluginStream::start`],
    /// whose first callback already runs the engine. Started at open, the
    /// device would queue two periods of silence ahead of the first sound.
    /// Input and duplex streams still start here: their latency and a
    /// duplex stream's round trip come from the running device's callbacks.
    ///
    /// `planned` is what [`host_period::host_period`] opened for this
    /// stream: its planning asks that PCM instead of opening the device again.
    ///
    /// # Safety
    /// `calls` must follow the contract of [`Calls`] until the returned
    /// stream is dropped.
    pub unsafe fn open(
        host_name: &str,
        device: &str,
        cfg: &RsStreamConfig,
        calls: Calls,
        planned: Option<host_period::Planned>,
    ) -> Result<PluginStream, Failure> {
        let again = Calls { ..calls };
        // SAFETY: `calls` as this function's contract says.
        match unsafe { Self::open_once(host_name, device, cfg, calls, planned) } {
            // Made on devices cached before the server went or changed
            // rate: once more on fresh ones (the first attempt is dropped).
            Err(_) if host_name == "jack" && crate::jack_cache::forget() => {
                // SAFETY: as above; no callback of the failed attempt runs.
                unsafe { Self::open_once(host_name, device, cfg, again, None) }
            }
            r => r,
        }
    }

    /// One attempt of [`PluginStream::open`].
    ///
    /// # Safety
    /// As [`PluginStream::open`].
    unsafe fn open_once(
        host_name: &str,
        device: &str,
        cfg: &RsStreamConfig,
        calls: Calls,
        mut planned: Option<host_period::Planned>,
    ) -> Result<PluginStream, Failure> {
        let (in_ch, out_ch) = (cfg.input_channels as usize, cfg.output_channels as usize);
        let block = cfg.blocksize as usize;
        if block == 0
            || block > MAX_BLOCK
            || (in_ch == 0 && out_ch == 0)
            || in_ch > 1024
            || out_ch > 1024
            || cfg.samplerate == 0
        {
            return Err((
                kind::INVALID_ARG,
                format!(
                    "bad stream config: blocksize {block} (1 to {MAX_BLOCK}), samplerate {}, {in_ch} in, {out_ch} out (at least one side, at most 1024 channels)",
                    cfg.samplerate
                ),
            ));
        }
        let rate = cfg.samplerate;
        let frate = f64::from(rate);
        let target = |k, s| config::target_frames(k, s, rate).map_err(|m| (kind::INVALID_ARG, m));
        let req = build::Request {
            host: host_name,
            device,
            rate,
            block: cfg.blocksize,
            target: target(cfg.latency_kind, cfg.latency_seconds)?,
        };
        // Each side asks for its own latency (pastream's `latency=(input, output)`).
        let req_in = build::Request {
            target: target(cfg.input_latency_kind, cfg.input_latency_seconds)?,
            ..req
        };
        let (idev, odev) = host::lookup(host_name, device, cfg.loopback != 0)?;
        mono_now();
        let ctl = Arc::new(Ctl::new(calls));
        let duplex = in_ch > 0 && out_ch > 0;
        // Shared by the two sides; each build attempt takes a fresh producer
        // or consumer handle on it (a failed attempt drops its own).
        let ring_frames = RING_FRAMES.max(4 * block.next_power_of_two());
        let ring = duplex.then(|| Arc::new(HeapRb::<f32>::new(ring_frames * in_ch)));
        let no_dev = |dir: &str| {
            let what = if cfg.loopback != 0 && dir == "input" {
                "cannot be recorded (loopback)".to_string()
            } else {
                format!("has no {dir}")
            };
            (
                kind::UNSUPPORTED_CONFIG,
                format!("{host_name}:{device} {what}"),
            )
        };
        // An ALSA side records or plays on its planning probe (one open).
        let mut input = None;
        let mut watches = Vec::new();
        if in_ch > 0 {
            let dev = idev.ok_or_else(|| no_dev("input"))?;
            let build::Planned { plan: p, probe } = build::plan(
                &req_in,
                &dev,
                true,
                in_ch as u16,
                host_period::Planned::take(&mut planned, device, true),
            )?;
            let timing = Timing::new(block, frate, p.shift);
            let side = || {
                let prod = ring.as_ref().map(|r| HeapProd::new(r.clone()));
                InSide::new(ctl.clone(), prod, in_ch, timing)
            };
            input = Some(match probe {
                #[cfg(alsa_stack)]
                Some(probe) => {
                    super::device_stream::open_alsa(probe, &req_in, &p, Side::In(side()), &ctl)?
                }
                _ => {
                    let (s, watch) = pulse_watch::around(
                        (host_name, device),
                        (true, cfg.loopback != 0),
                        &ctl,
                        || build::input_stream(&dev, &p, side, &ctl),
                    )
                    .map_err(|e| refusal::build_failure(&req_in, &p, true, &e))?;
                    watches.extend(watch);
                    DeviceStream::Cpal(s)
                }
            });
        }
        let mut output = None;
        let mut out_shift = 0;
        let mut predictable = false;
        if out_ch > 0 {
            let dev = odev.ok_or_else(|| no_dev("output"))?;
            let build::Planned { plan: p, probe } = build::plan(
                &req,
                &dev,
                false,
                out_ch as u16,
                host_period::Planned::take(&mut planned, device, false),
            )?;
            out_shift = p.shift;
            predictable = p.predictable;
            let timing = Timing::new(block, frate, p.shift)
                .server(server_queued(host_name), host_name == "pipewire");
            let side = || {
                let handoff = ring
                    .as_ref()
                    .map(|r| Handoff::new(HeapCons::new(r.clone()), in_ch));
                OutSide::new(ctl.clone(), handoff, (in_ch, out_ch), timing)
            };
            output = Some(match probe {
                #[cfg(alsa_stack)]
                Some(probe) => {
                    super::device_stream::open_alsa(probe, &req, &p, Side::Out(side()), &ctl)?
                }
                _ => {
                    let (s, watch) =
                        pulse_watch::around((host_name, device), (false, false), &ctl, || {
                            build::output_stream(&dev, &p, side, &ctl)
                        })
                        .map_err(|e| refusal::build_failure(&req, &p, false, &e))?;
                    watches.extend(watch);
                    DeviceStream::Cpal(s)
                }
            });
        }
        let defer = predictable && in_ch == 0;
        let mut stream = PluginStream {
            input,
            output,
            ctl,
            unstarted: AtomicBool::new(defer),
            latency: (0.0, 0.0),
            watches,
        };
        if defer {
            let period = stream
                .output
                .as_ref()
                .map_or(cfg.blocksize, |s| s.period(cfg.blocksize));
            let frames = config::predicted_frames(cfg.blocksize, period) + out_shift;
            stream.latency = (0.0, f64::from(frames) / frate);
            return Ok(stream);
        }
        // Input first: the output's first period then meets input already
        // running (cpal's order; an ALSA pair is not linked, as the JACK
        // plugin's PCMs cannot be).
        if let Some(s) = &stream.input {
            s.play()?;
        }
        if let Some(s) = &stream.output {
            s.play()?;
        }
        let n_in = stream.input.as_ref().map_or(0, |s| s.period(cfg.blocksize));
        let n_out = stream
            .output
            .as_ref()
            .map_or(0, |s| s.period(cfg.blocksize));
        let longest = f64::from(n_in.max(n_out)) / frate;
        let need = started::needed(host_name, (in_ch > 0, out_ch > 0));
        started::wait(&stream.ctl, need, longest)
            .map_err(|m| (kind::IO, format!("{host_name}:{device}: {m}")))?;
        stream.latency = stream.measure_latency(cfg.blocksize, (n_in, n_out), frate);
        if duplex {
            let round_trip = stream.latency.0 + stream.latency.1;
            let need = (round_trip * frate).ceil() as usize + (n_in + cfg.blocksize) as usize;
            if need > ring_frames {
                return Err((
                    kind::UNSUPPORTED_CONFIG,
                    format!(
                        "{host_name}:{device}: a duplex stream with blocksize {block} needs {need} frames of input buffering at period {n_in}/{n_out}, more than the {ring_frames} it has; use a smaller blocksize or latency"
                    ),
                ));
            }
            stream.ctl.round_trip.store(round_trip);
        }
        Ok(stream)
    }

    /// `(input, output)` latency in seconds, from the device latencies the
    /// callbacks saw and the block adapter's geometry (see
    /// [`config::adapter_frames`]). A duplex stream's input latency is what
    /// its handoff holds: one input period (the two callbacks of a device
    /// cycle may run in either order), a block, and the jitter allowance.
    fn measure_latency(&self, block: u32, periods: (u32, u32), rate: f64) -> (f64, f64) {
        let (n_in, n_out) = periods;
        let dev_out = self.ctl.out_clock.device_latency.load().max(0.0);
        let dev_in = self.ctl.in_clock.device_latency.load().max(0.0);
        let out = if self.output.is_some() {
            dev_out + f64::from(config::adapter_frames(block, n_out)) / rate
        } else {
            0.0
        };
        let inp = match (&self.input, &self.output) {
            (None, _) => 0.0,
            // A period's first frame was captured a whole period before the
            // callback that hands it over (the bound `in_side::capture_instant` puts on
            // the blocks' ADC times), whatever delay the device reports: a
            // plugin chain can report 0 for it.
            (Some(_), None) => {
                dev_in.max(f64::from(n_in) / rate)
                    + f64::from(block - config::gcd(block, n_in)) / rate
            }
            (Some(_), Some(_)) => {
                let jitter = (JITTER_SECONDS * rate).ceil();
                dev_in + (f64::from(n_in) + f64::from(block) - 1.0 + jitter) / rate
            }
        };
        (inp, out)
    }
}
