//! Host lookup and device enumeration through cpal.

use crate::abi::kind;
use crate::listed::offers_of;
pub use crate::listed::Listed;
use cpal::traits::{DeviceTrait, HostTrait};
use cpal::{Device, Host, HostId, SupportedStreamConfigRange};
use std::ffi::CStr;

/// The hosts this plugin offers, as the core names them. The PipeWire host
/// (which links libpipewire) is built into a plugin file of its own.
#[cfg(all(alsa_stack, not(feature = "pipewire")))]
pub const HOSTS: &[&CStr] = &[c"alsa", c"jack", c"pulseaudio"];
/// The hosts this plugin offers, as the core names them: the PipeWire
/// plugin file (the core takes only `pipewire` from it).
#[cfg(all(alsa_stack, feature = "pipewire"))]
pub const HOSTS: &[&CStr] = &[c"alsa", c"jack", c"pulseaudio", c"pipewire"];
/// The hosts this plugin offers, as the core names them (never run: no Mac here).
#[cfg(target_os = "macos")]
pub const HOSTS: &[&CStr] = &[c"coreaudio"];
/// The hosts this plugin offers, as the core names them (never run: no Windows here).
#[cfg(windows)]
pub const HOSTS: &[&CStr] = &[c"wasapi"];

/// The one device the JACK host offers: cpal makes a JACK client per
/// direction, which together act as one duplex device.
pub const JACK_DEVICE: &str = "default";

/// An error for the ABI: a kind and a message.
pub type Failure = (u32, String);

/// Maps a cpal error to an ABI error kind.
pub fn kind_of(e: &cpal::Error) -> u32 {
    use cpal::ErrorKind as K;
    match e.kind() {
        K::DeviceNotAvailable | K::HostUnavailable | K::StreamInvalidated => kind::DEVICE_NOT_FOUND,
        K::DeviceBusy => kind::DEVICE_BUSY,
        K::UnsupportedConfig | K::UnsupportedOperation => kind::UNSUPPORTED_CONFIG,
        K::InvalidInput => kind::INVALID_ARG,
        _ => kind::IO,
    }
}

/// `(kind, "context: error")` for a cpal error.
pub fn fail(context: &str, e: &cpal::Error) -> Failure {
    (kind_of(e), format!("{context}: {e}"))
}

/// The cpal host called `name`.
pub fn host(name: &str) -> Result<Host, Failure> {
    let id = match name {
        #[cfg(alsa_stack)]
        "alsa" => HostId::Alsa,
        #[cfg(alsa_stack)]
        "jack" => HostId::Jack,
        #[cfg(alsa_stack)]
        "pulseaudio" => HostId::PulseAudio,
        #[cfg(all(alsa_stack, feature = "pipewire"))]
        "pipewire" => HostId::PipeWire,
        #[cfg(target_os = "macos")]
        "coreaudio" => HostId::CoreAudio,
        #[cfg(windows)]
        "wasapi" => HostId::Wasapi,
        other => {
            return Err((
                kind::DEVICE_NOT_FOUND,
                format!("the cpal plugin has no host '{other}'"),
            ))
        }
    };
    cpal::host_from_id(id).map_err(|e| fail(&format!("cannot use the {name} host"), &e))
}

/// Whether the server behind `host_name` answers (hosts without one: true).
pub fn server_answers(host_name: &str) -> bool {
    #[cfg(alsa_stack)]
    if crate::desktop::is_desktop(host_name) {
        return crate::desktop::answers(host_name);
    }
    let _ = host_name;
    true
}

fn max_channels(ranges: &Option<Vec<SupportedStreamConfigRange>>) -> u32 {
    ranges
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|r| u32::from(r.channels()))
        .max()
        .unwrap_or(0)
}

fn pcm_name(d: &Device) -> Option<String> {
    d.id().ok().map(|id| id.id().to_string())
}

/// Lists the devices of `host_name`.
pub fn devices(host_name: &str) -> Result<Vec<Listed>, Failure> {
    if host_name == "jack" {
        return Ok(jack_device()?.into_iter().collect());
    }
    let h = host(host_name)?;
    #[cfg(alsa_stack)]
    if crate::desktop::is_desktop(host_name) {
        return crate::desktop::devices(&h, host_name);
    }
    if host_name != "alsa" {
        return other_devices(&h, host_name);
    }
    list_alsa(&h)
}

#[cfg(alsa_stack)]
fn list_alsa(h: &Host) -> Result<Vec<Listed>, Failure> {
    crate::alsa_list::devices(h).map_err(|e| fail("cannot list the ALSA devices", &e))
}

/// Never reached: [`host`] offers no `alsa` host without `cfg(alsa_stack)` (build.rs).
#[cfg(not(alsa_stack))]
fn list_alsa(h: &Host) -> Result<Vec<Listed>, Failure> {
    other_devices(h, "alsa")
}

/// The devices of a host that needs no probing tricks (CoreAudio, WASAPI):
/// cpal's list, its defaults marked. Written for macOS and Windows and
/// type-checked for them; it has never run.
fn other_devices(h: &Host, host_name: &str) -> Result<Vec<Listed>, Failure> {
    let default_in = h.default_input_device().as_ref().and_then(pcm_name);
    let default_out = h.default_output_device().as_ref().and_then(pcm_name);
    let list = h
        .devices()
        .map_err(|e| fail(&format!("cannot list the {host_name} devices"), &e))?;
    Ok(list
        .filter_map(|d| {
            let name = pcm_name(&d)?;
            let ins = d
                .supported_input_configs()
                .ok()
                .map(|c| c.collect::<Vec<_>>());
            let outs = d
                .supported_output_configs()
                .ok()
                .map(|c| c.collect::<Vec<_>>());
            let samplerate = preferred_rate(outs.as_deref().or(ins.as_deref()).unwrap_or(&[]));
            let (max_in, max_out) = (max_channels(&ins), max_channels(&outs));
            (max_in > 0 || max_out > 0).then(|| Listed {
                native_in: offers_of(ins.as_deref().unwrap_or_default()),
                native_out: offers_of(outs.as_deref().unwrap_or_default()),
                loopback: max_out > 0 && crate::loopback::supported(host_name).is_ok(),
                default_in: max_in > 0 && default_in.as_deref() == Some(name.as_str()),
                default_out: max_out > 0 && default_out.as_deref() == Some(name.as_str()),
                name,
                max_in,
                max_out,
                samplerate,
                ..Listed::default()
            })
        })
        .collect())
}

/// 48 kHz, else 44.1 kHz, else the highest rate the ranges allow (cpal's
/// default config would open the device once more to say much the same).
fn preferred_rate(ranges: &[SupportedStreamConfigRange]) -> f64 {
    for want in [48000, 44100] {
        if ranges
            .iter()
            .any(|r| r.min_sample_rate() <= want && want <= r.max_sample_rate())
        {
            return f64::from(want);
        }
    }
    ranges
        .iter()
        .map(|r| f64::from(r.max_sample_rate()))
        .fold(0.0, f64::max)
}

/// The JACK host's devices (see [`crate::jack_cache`]).
fn jack_pair() -> Result<crate::jack_cache::Pair, Failure> {
    crate::jack_cache::devices(|| {
        let h = host("jack")?;
        Ok((h.default_input_device(), h.default_output_device()))
    })
}

fn jack_device() -> Result<Option<Listed>, Failure> {
    let (input, output) = jack_pair()?;
    if input.is_none() && output.is_none() {
        // No server: cpal could not make a client.
        return Ok(None);
    }
    let ins: Option<Vec<_>> = input
        .as_ref()
        .and_then(|d| d.supported_input_configs().ok().map(|c| c.collect()));
    let outs: Option<Vec<_>> = output
        .as_ref()
        .and_then(|d| d.supported_output_configs().ok().map(|c| c.collect()));
    let samplerate = output
        .as_ref()
        .and_then(|d| d.default_output_config().ok())
        .or_else(|| input.as_ref().and_then(|d| d.default_input_config().ok()))
        .map(|c| f64::from(c.sample_rate()))
        .unwrap_or(48000.0);
    let (max_in, max_out) = (max_channels(&ins), max_channels(&outs));
    Ok(Some(Listed {
        native_in: offers_of(ins.as_deref().unwrap_or_default()),
        native_out: offers_of(outs.as_deref().unwrap_or_default()),
        name: JACK_DEVICE.to_string(),
        max_in,
        max_out,
        samplerate,
        default_in: max_in > 0,
        default_out: max_out > 0,
        ..Listed::default()
    }))
}

/// Whether `host_name` has a device called exactly `name`, without opening
/// anything (ALSA: its hints; JACK: a running server).
pub fn has_device(host_name: &str, name: &str) -> Result<bool, Failure> {
    if host_name == "jack" {
        return Ok(name == JACK_DEVICE && find_jack(name).is_ok());
    }
    let h = host(host_name)?;
    #[cfg(alsa_stack)]
    if crate::desktop::is_desktop(host_name) {
        return crate::desktop::has_device(&h, name);
    }
    let list = h
        .devices()
        .map_err(|e| fail("cannot list the ALSA devices", &e))?;
    Ok(name == "default"
        || list
            .into_iter()
            .any(|d| pcm_name(&d).as_deref() == Some(name)))
}

/// The cpal devices behind `name` of `host_name`: `(input, output)`; the
/// JACK host's are made once per process ([`crate::jack_cache`]).
/// With `loopback`, the input records what the output plays (the desktop
/// servers' sinks).
pub fn lookup(
    host_name: &str,
    name: &str,
    loopback: bool,
) -> Result<(Option<Device>, Option<Device>), Failure> {
    if host_name == "jack" {
        if loopback {
            crate::loopback::supported(host_name)?;
        }
        return find_jack(name);
    }
    find(&host(host_name)?, host_name, name, loopback)
}

fn find_jack(name: &str) -> Result<(Option<Device>, Option<Device>), Failure> {
    if name != JACK_DEVICE {
        return Err((
            kind::DEVICE_NOT_FOUND,
            format!("the JACK host has one device, '{JACK_DEVICE}'; got '{name}'"),
        ));
    }
    let (i, o) = jack_pair()?;
    if i.is_none() && o.is_none() {
        return Err((
            kind::DEVICE_NOT_FOUND,
            "no JACK server is running (or it refused the client)".to_string(),
        ));
    }
    Ok((i, o))
}

/// The cpal devices behind `name`: `(input, output)`; with `loopback`, the
/// input records what the output plays (the desktop servers' sinks).
pub fn find(
    h: &Host,
    host_name: &str,
    name: &str,
    loopback: bool,
) -> Result<(Option<Device>, Option<Device>), Failure> {
    #[cfg(alsa_stack)]
    if crate::desktop::is_desktop(host_name) {
        return crate::desktop::find(h, host_name, name, loopback);
    }
    if loopback {
        crate::loopback::supported(host_name)?;
    }
    if host_name == "jack" {
        return find_jack(name);
    }
    let list = h
        .devices()
        .map_err(|e| fail(&format!("cannot list the {host_name} devices"), &e))?;
    for d in list {
        if pcm_name(&d).as_deref() == Some(name) {
            return Ok((Some(d.clone()), Some(d)));
        }
    }
    Err((
        kind::DEVICE_NOT_FOUND,
        format!("no {host_name} device '{name}'"),
    ))
}
