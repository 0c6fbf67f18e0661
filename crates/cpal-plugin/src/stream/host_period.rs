//! The host's own period for a stream (pastream's `blocksize=0`): asked
//! before the stream opens, so that the stream's block is that period.
//!
//! What each host gives when no block constrains it, for the latency the
//! stream asks ('low': about 5 ms), as PortAudio picks a host buffer for
//! `paFramesPerBufferUnspecified`:
//! - ALSA: the period the PCM settles on nearest the latency target (a
//!   JACK-backed PCM: the JACK period; a `dmix`: its fixed period). Found on
//!   the PCM the stream then plans and plays on ([`Planned`]): one open.
//! - JACK: the server's buffer size.
//! - PipeWire: the power of two nearest the target within the server's
//!   quantum limits (the graph's quanta are powers of two).
//! - PulseAudio: the target itself, a fragment the server takes as asked.
//!
//! A duplex stream's period is its output's; its input adapts to the block
//! as any input does (the block adapter).

use super::alsa;
use super::build;
use super::config;
use crate::abi::{kind, RsStreamConfig};
use crate::host::{self, Failure};

/// An ALSA PCM opened to find the period, handed to the stream's open
/// (through the ABI's `planned`) so that it plans on it instead of opening
/// the device again. Closed on drop when no open takes it.
pub struct Planned {
    /// The device it is open on.
    pub device: String,
    /// Its direction.
    pub input: bool,
    /// The open PCM.
    pub probe: alsa::Probe,
}

impl Planned {
    /// The probe, if `slot` holds one for `device` in direction `input`
    /// (taken; one for anything else stays for the other direction or is
    /// closed with the slot).
    pub fn take(slot: &mut Option<Planned>, device: &str, input: bool) -> Option<alsa::Probe> {
        slot.take_if(|p| p.device == device && p.input == input)
            .map(|p| p.probe)
    }
}

/// Which side decides the period, its channels and the latency it asks for,
/// in frames: the output's, else the input's.
fn decisive(cfg: &RsStreamConfig) -> Result<(bool, u32, f64), Failure> {
    let input = cfg.output_channels == 0;
    let (channels, k, seconds) = if input {
        (
            cfg.input_channels,
            cfg.input_latency_kind,
            cfg.input_latency_seconds,
        )
    } else {
        (cfg.output_channels, cfg.latency_kind, cfg.latency_seconds)
    };
    if channels == 0 || cfg.samplerate == 0 {
        return Err((
            kind::INVALID_ARG,
            format!(
                "bad stream config: samplerate {}, {} in, {} out (at least one side)",
                cfg.samplerate, cfg.input_channels, cfg.output_channels
            ),
        ));
    }
    let target =
        config::target_frames(k, seconds, cfg.samplerate).map_err(|m| (kind::INVALID_ARG, m))?;
    // A longer latency than the largest block is buffered beyond the period.
    Ok((input, channels, target.min(super::MAX_BLOCK as f64)))
}

/// The host's period for `cfg` on `device` of `host_name`, in frames, and
/// what was opened to find it (ALSA).
pub fn host_period(
    host_name: &str,
    device: &str,
    cfg: &RsStreamConfig,
) -> Result<(u32, Option<Planned>), Failure> {
    let (input, channels, target) = decisive(cfg)?;
    let dir = build::dir_name(input);
    if host_name == "alsa" {
        let what = format!("{host_name}:{device} cannot open its {dir}");
        let probe = alsa::Probe::open(device, input)
            .map_err(|rc| super::refusal::open_failure(&what, rc))?;
        let frames = probe
            .own_period(channels, cfg.samplerate, target)
            .unwrap_or_else(|| config::server_period(false, None, target));
        let planned = Planned {
            device: device.to_string(),
            input,
            probe,
        };
        return Ok((frames, Some(planned)));
    }
    let (idev, odev) = host::lookup(host_name, device, cfg.loopback != 0)?;
    let dev = if input { idev } else { odev }.ok_or_else(|| {
        (
            kind::UNSUPPORTED_CONFIG,
            format!("{host_name}:{device} has no {dir}"),
        )
    })?;
    let what = format!("{host_name}:{device} cannot open its {dir}");
    let bounds = build::buffer_bounds(&build::ranges(&dev, input, &what)?);
    Ok((
        config::server_period(host_name == "pipewire", bounds, target),
        None,
    ))
}

#[cfg(all(test, alsa_stack))]
mod tests {
    use super::*;
    use crate::abi::latency;

    fn cfg(input_channels: u32, output_channels: u32) -> RsStreamConfig {
        RsStreamConfig {
            samplerate: 48000,
            blocksize: 0,
            input_channels,
            output_channels,
            latency_kind: latency::LOW,
            latency_seconds: 0.0,
            input_latency_kind: latency::HIGH,
            input_latency_seconds: 0.0,
            loopback: 0,
        }
    }

    #[test]
    fn an_alsa_period_is_found_on_the_pcm_the_stream_then_plans_on() {
        // alsa-lib's `null` PCM takes any period: the 'low' target, 240.
        let (frames, planned) = host_period("alsa", "null", &cfg(0, 2)).expect("null opens");
        assert_eq!(frames, 240);
        let mut slot = planned;
        assert!(
            Planned::take(&mut slot, "null", true).is_none(),
            "an output PCM"
        );
        assert!(slot.is_some(), "kept for its own direction");
        assert!(Planned::take(&mut slot, "null", false).is_some());
        assert!(slot.is_none());
    }

    #[test]
    fn a_duplex_period_is_the_outputs_an_input_only_one_the_inputs() {
        // The input asks 'high' (4800 frames), the output 'low' (240).
        let (frames, planned) = host_period("alsa", "null", &cfg(2, 2)).expect("null opens");
        assert_eq!(frames, 240);
        assert!(!planned.expect("a probe").input);
        let (frames, planned) = host_period("alsa", "null", &cfg(2, 0)).expect("null opens");
        assert_eq!(frames, 4800);
        assert!(planned.expect("a probe").input);
    }

    unsafe extern "C" fn silence(
        _user: *mut std::ffi::c_void,
        _input: *const f32,
        _output: *mut f32,
        _info: *const crate::abi::RsBlockInfo,
    ) -> u32 {
        crate::abi::flow::CONTINUE
    }

    unsafe extern "C" fn ignore(
        _user: *mut std::ffi::c_void,
        _k: u32,
        _m: *const std::ffi::c_char,
    ) {
    }

    /// PCMs this thread opened for the period and the stream of `planned`'s
    /// open (the plan kept or dropped).
    fn opens_for(keep_plan: bool) -> usize {
        let before = crate::pcm::OPENS.with(|n| n.get());
        let mut c = cfg(0, 2);
        let (frames, planned) = host_period("alsa", "null", &c).expect("null opens");
        c.blocksize = frames;
        let calls = super::super::gate::Calls {
            user: std::ptr::null_mut(),
            callback: silence,
            on_error: ignore,
        };
        let planned = planned.filter(|_| keep_plan);
        // SAFETY: `silence` and `ignore` ignore `user` and never unwind.
        let s = unsafe { super::super::PluginStream::open("alsa", "null", &c, calls, planned) }
            .expect("null opens at its own period");
        drop(s);
        crate::pcm::OPENS.with(|n| n.get()) - before
    }

    #[test]
    fn a_stream_opens_its_device_once_on_the_pcm_its_period_was_found_on() {
        assert_eq!(opens_for(true), 1);
        assert_eq!(opens_for(false), 2, "the count sees a second open");
    }

    #[test]
    fn a_latency_past_the_largest_block_aims_at_that_block() {
        let mut c = cfg(0, 2);
        (c.latency_kind, c.latency_seconds) = (latency::SECONDS, 10.0);
        let (frames, _) = host_period("alsa", "null", &c).expect("null opens");
        assert_eq!(frames, super::super::MAX_BLOCK as u32);
        assert_eq!(
            config::server_period(false, Some((1, u32::MAX)), decisive(&c).unwrap().2),
            1 << 16
        );
    }

    #[test]
    fn a_stream_without_channels_is_refused() {
        let Err((k, _)) = host_period("alsa", "null", &cfg(0, 0)) else {
            panic!("no channels accepted");
        };
        assert_eq!(k, kind::INVALID_ARG);
    }
}
