//! The desktop's sound servers: cpal's PipeWire and PulseAudio hosts.
//!
//! Both name a device by the server's own name for it (a PipeWire node
//! name, a PulseAudio sink or source name) and carry the description the
//! desktop shows. A sink is an output whose playback can be recorded
//! (`loopback`): PipeWire captures a sink through its monitor ports (cpal
//! sets `stream.capture.sink`), PulseAudio through the sink's `.monitor`
//! source. Each host also has a `default` device that follows the desktop's
//! choice of sink and source.

use crate::abi::kind;
use crate::abi::RsOffers;
use crate::host::Failure;
use crate::listed::{offers_of, Listed};
use cpal::traits::{DeviceTrait, HostTrait};
use cpal::{Device, Host};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

/// The device that follows the desktop's default sink and source.
pub const DEFAULT: &str = "default";
/// The description of [`DEFAULT`].
const DEFAULT_DESCRIPTION: &str = "Default (follows the desktop's choice)";
/// cpal's PipeWire devices that follow the defaults: the sink (recorded
/// through its monitor), the output and the input.
const PW_DEFAULTS: [&str; 3] = ["sink_default", "output_default", "input_default"];

/// Whether `host` (`pipewire` or `pulseaudio`) is a desktop server host.
pub fn is_desktop(host: &str) -> bool {
    matches!(host, "pipewire" | "pulseaudio")
}

/// The socket the server of `host` listens on, as its clients find it.
pub fn socket(host: &str) -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let runtime = var("XDG_RUNTIME_DIR").map(PathBuf::from);
    match host {
        "pipewire" => {
            let remote = var("PIPEWIRE_REMOTE").unwrap_or_else(|| "pipewire-0".into());
            let remote = PathBuf::from(remote);
            if remote.is_absolute() {
                return Some(remote);
            }
            var("PIPEWIRE_RUNTIME_DIR")
                .map(PathBuf::from)
                .or(runtime)
                .map(|d| d.join(remote))
        }
        "pulseaudio" => {
            if let Some(s) = var("PULSE_SERVER") {
                // The first local server of the list ("unix:/path" or "/path").
                return s.to_string_lossy().split_whitespace().find_map(|e| {
                    let p = e.strip_prefix("unix:").unwrap_or(e);
                    p.starts_with('/').then(|| PathBuf::from(p))
                });
            }
            var("PULSE_RUNTIME_PATH")
                .map(PathBuf::from)
                .or_else(|| runtime.map(|d| d.join("pulse")))
                .map(|d| d.join("native"))
        }
        _ => None,
    }
}

/// Whether the server of `host` answers: its socket takes a connection (a
/// socket file left by a dead server refuses it). Costs a connect, never
/// the host's full start (PipeWire's lists every node).
pub fn answers(host: &str) -> bool {
    socket(host).is_some_and(|p| UnixStream::connect(p).is_ok())
}

fn id_of(d: &Device) -> Option<String> {
    d.id().ok().map(|id| id.id().to_string())
}

fn description_of(d: &Device) -> String {
    d.description()
        .map(|x| x.name().to_string())
        .unwrap_or_default()
}

fn channels(d: &Device, input: bool) -> u32 {
    let c = if input {
        d.default_input_config()
    } else {
        d.default_output_config()
    };
    c.map_or(0, |c| u32::from(c.channels()))
}

/// What `d` offers for `input` or output (cpal's ranges: what the server converts).
fn offers(d: Option<&Device>, input: bool) -> RsOffers {
    let ranges: Vec<_> = match (d, input) {
        (None, _) => Vec::new(),
        (Some(d), true) => d
            .supported_input_configs()
            .map_or(Vec::new(), |c| c.collect()),
        (Some(d), false) => d
            .supported_output_configs()
            .map_or(Vec::new(), |c| c.collect()),
    };
    offers_of(&ranges)
}

fn rate(d: &Device, input: bool) -> f64 {
    let c = if input {
        d.default_input_config()
    } else {
        d.default_output_config()
    };
    c.map_or(0.0, |c| f64::from(c.sample_rate()))
}

/// The `default` entry: the host's default output and input, recordable
/// when the default sink is (PipeWire's `sink_default`, PulseAudio's
/// default sink's monitor).
fn default_entry(h: &Host, loopback: bool) -> Option<Listed> {
    let (i, o) = (h.default_input_device(), h.default_output_device());
    let max_in = i.as_ref().map_or(0, |d| channels(d, true));
    let max_out = o.as_ref().map_or(0, |d| channels(d, false));
    (max_in > 0 || max_out > 0).then(|| Listed {
        name: DEFAULT.to_string(),
        description: DEFAULT_DESCRIPTION.to_string(),
        max_in,
        max_out,
        samplerate: o
            .as_ref()
            .map(|d| rate(d, false))
            .or(i.as_ref().map(|d| rate(d, true)))
            .unwrap_or(0.0),
        default_in: max_in > 0,
        default_out: max_out > 0,
        loopback: loopback && max_out > 0,
        native_in: offers(i.as_ref().filter(|_| max_in > 0), true),
        native_out: offers(o.as_ref().filter(|_| max_out > 0), false),
    })
}

/// Lists the devices of `host_name` (`pipewire` or `pulseaudio`).
pub fn devices(h: &Host, host_name: &str) -> Result<Vec<Listed>, Failure> {
    let list: Vec<Device> = h
        .devices()
        .map_err(|e| crate::host::fail(&format!("cannot list the {host_name} devices"), &e))?
        .collect();
    let mut out = Vec::new();
    if host_name == "pipewire" {
        let sink_default = list
            .iter()
            .any(|d| id_of(d).as_deref() == Some(PW_DEFAULTS[0]));
        out.extend(default_entry(h, sink_default));
        // cpal names no default node; PipeWire's PulseAudio server does.
        let server = crate::pulse_server::info().filter(|i| i.is_pipewire());
        let defaults = server.map(|i| (i.default_sink, i.default_source));
        let (sink, source) = defaults.unwrap_or_default();
        out.extend(
            list.iter()
                .filter_map(|d| pipewire_entry(d, (sink.as_deref(), source.as_deref()))),
        );
    } else {
        let monitors: Vec<String> = list
            .iter()
            .filter(|d| d.supports_input())
            .filter_map(id_of)
            .collect();
        let has_monitor = |sink: &str| monitors.iter().any(|m| *m == format!("{sink}.monitor"));
        let default_sink = h.default_output_device().and_then(|d| id_of(&d));
        let default_source = h.default_input_device().and_then(|d| id_of(&d));
        out.extend(default_entry(
            h,
            default_sink.as_deref().is_some_and(has_monitor),
        ));
        out.extend(list.iter().filter_map(|d| {
            let name = id_of(d)?;
            let output = d.supports_output();
            Some(Listed {
                loopback: output && has_monitor(&name),
                default_out: output && default_sink.as_deref() == Some(name.as_str()),
                default_in: !output && default_source.as_deref() == Some(name.as_str()),
                description: description_of(d),
                max_in: if output { 0 } else { channels(d, true) },
                max_out: if output { channels(d, false) } else { 0 },
                samplerate: rate(d, !output),
                native_in: offers((!output).then_some(d), true),
                native_out: offers(output.then_some(d), false),
                name,
            })
        }));
    }
    Ok(out)
}

/// A PipeWire node as a device: a sink (cpal calls it duplex: its input is
/// the monitor) is an output that can be recorded; a source an input. An
/// application's playback stream (an output node that is no sink) is left
/// out: nothing else can play into it. The sink and the source the server
/// names its defaults are marked so (beside the `default` entry that follows
/// them).
fn pipewire_entry(d: &Device, (sink, source): (Option<&str>, Option<&str>)) -> Option<Listed> {
    let name = id_of(d)?;
    if PW_DEFAULTS.contains(&name.as_str()) {
        return None;
    }
    let (input, output) = (d.supports_input(), d.supports_output());
    if output && !input {
        return None;
    }
    Some(Listed {
        description: description_of(d),
        max_in: if output { 0 } else { channels(d, true) },
        max_out: if output { channels(d, false) } else { 0 },
        samplerate: rate(d, !output),
        loopback: output,
        native_in: offers((!output).then_some(d), true),
        native_out: offers(output.then_some(d), false),
        default_out: output && sink == Some(name.as_str()),
        default_in: !output && source == Some(name.as_str()),
        name,
    })
}

/// Whether `host_name` has a device called exactly `name`.
pub fn has_device(h: &Host, name: &str) -> Result<bool, Failure> {
    if name == DEFAULT {
        return Ok(true);
    }
    let list = h
        .devices()
        .map_err(|e| crate::host::fail("cannot list the devices", &e))?;
    Ok(list.into_iter().any(|d| id_of(&d).as_deref() == Some(name)))
}

/// The cpal devices behind `name`: `(input, output)`. With `loopback`, the
/// input records what the output plays (`name` must be a sink).
pub fn find(
    h: &Host,
    host_name: &str,
    name: &str,
    loopback: bool,
) -> Result<(Option<Device>, Option<Device>), Failure> {
    let list: Vec<Device> = h
        .devices()
        .map_err(|e| crate::host::fail(&format!("cannot list the {host_name} devices"), &e))?
        .collect();
    let named = |n: &str| {
        list.iter()
            .find(|d| id_of(d).as_deref() == Some(n))
            .cloned()
    };
    let pw = host_name == "pipewire";
    let (input, output) = match (name, pw) {
        (DEFAULT, true) => (
            named(if loopback {
                PW_DEFAULTS[0]
            } else {
                PW_DEFAULTS[2]
            }),
            named(PW_DEFAULTS[1]),
        ),
        (DEFAULT, false) => {
            let o = h.default_output_device();
            let i = if loopback {
                o.as_ref()
                    .and_then(id_of)
                    .and_then(|s| named(&format!("{s}.monitor")))
            } else {
                h.default_input_device()
            };
            (i, o)
        }
        (_, true) => {
            let d = named(name).ok_or_else(|| not_found(host_name, name))?;
            let sink = d.supports_output();
            ((loopback || !sink).then(|| d.clone()), sink.then_some(d))
        }
        (_, false) => {
            let d = named(name).ok_or_else(|| not_found(host_name, name))?;
            if d.supports_output() {
                let monitor = if loopback {
                    named(&format!("{name}.monitor"))
                } else {
                    None
                };
                (monitor, Some(d))
            } else {
                (Some(d), None)
            }
        }
    };
    Ok((input, output))
}

fn not_found(host_name: &str, name: &str) -> Failure {
    (
        kind::DEVICE_NOT_FOUND,
        format!("no {host_name} device '{name}'"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_come_from_the_environment_as_the_servers_clients_find_them() {
        // One test touches the environment (tests run in threads).
        let keys = [
            "XDG_RUNTIME_DIR",
            "PIPEWIRE_RUNTIME_DIR",
            "PIPEWIRE_REMOTE",
            "PULSE_SERVER",
            "PULSE_RUNTIME_PATH",
        ];
        let saved: Vec<_> = keys.iter().map(std::env::var_os).collect();
        let set = |k: &str, v: Option<&str>| match v {
            // SAFETY: no other test of this crate reads these variables.
            Some(v) => unsafe { std::env::set_var(k, v) },
            // SAFETY: as above.
            None => unsafe { std::env::remove_var(k) },
        };
        for k in keys {
            set(k, None);
        }
        assert_eq!(socket("pipewire"), None);
        set("XDG_RUNTIME_DIR", Some("/run/user/7"));
        assert_eq!(socket("pipewire"), Some("/run/user/7/pipewire-0".into()));
        assert_eq!(
            socket("pulseaudio"),
            Some("/run/user/7/pulse/native".into())
        );
        set("PIPEWIRE_RUNTIME_DIR", Some("/pw"));
        set("PIPEWIRE_REMOTE", Some("other"));
        assert_eq!(socket("pipewire"), Some("/pw/other".into()));
        set("PULSE_SERVER", Some("tcp:host unix:/s/native"));
        assert_eq!(socket("pulseaudio"), Some("/s/native".into()));
        set("PULSE_SERVER", Some("tcp:elsewhere"));
        assert_eq!(socket("pulseaudio"), None);
        assert!(!answers("pulseaudio"));
        for (k, v) in keys.iter().zip(saved) {
            match v {
                // SAFETY: as above.
                Some(v) => unsafe { std::env::set_var(k, v) },
                // SAFETY: as above.
                None => unsafe { std::env::remove_var(k) },
            }
        }
    }
}
