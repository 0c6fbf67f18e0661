//! Which device a stream opens: the host it names or falls back to, and the
//! device a selector (default, index, id or name) picks from a host's list.

use super::{default_host, virtual_host, DeviceInfo};
use crate::error::{Error, ErrorKind, Result};

/// The host a device id names (`alsa:loopback`), if it starts with a host name and a colon.
fn host_of_id(id: &str) -> Option<&'static str> {
    let (prefix, _) = id.split_once(':')?;
    std::iter::once(virtual_host::NAME)
        .chain(super::cpal::loader::KNOWN_HOSTS)
        .find(|h| *h == prefix)
}

/// The host a stream opens on: `host` when given; else the host that a
/// device id names (`alsa:loopback` opens on `alsa`); else `preferred` (the
/// process-wide default host setting); else the system's default
/// ([`default_host`]). Returns the host and, when the stream falls back to
/// the virtual device, why.
pub fn resolve_host(
    host: Option<&str>,
    preferred: Option<&str>,
    sel: &DeviceSelector,
    input: bool,
    output: bool,
) -> Result<(String, Option<String>)> {
    let named = match sel {
        DeviceSelector::Name(s) => host_of_id(s),
        _ => None,
    };
    match (host, named) {
        (Some(h), Some(n)) if h != n => Err(Error::invalid_arg(format!(
            "device '{}' belongs to host '{n}', but host '{h}' was given (leave host out, or name a device of '{h}')",
            match sel {
                DeviceSelector::Name(s) => s.as_str(),
                _ => "",
            }
        ))),
        (Some(h), _) => Ok((h.to_string(), None)),
        (None, Some(n)) => Ok((n.to_string(), None)),
        (None, None) => Ok(match preferred {
            Some(p) => (p.to_string(), None),
            None => default_host(input, output),
        }),
    }
}

/// Which device a stream wants.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceSelector {
    /// The host's default for the stream's direction.
    Default,
    /// An index into the host's device list.
    Index(usize),
    /// An id (`host:name`) or a name substring.
    Name(String),
}

impl std::fmt::Display for DeviceSelector {
    /// How a message names the selector: `the default device`, `index 3`,
    /// `'hw:1'` (never Rust's debug form).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeviceSelector::Default => f.write_str("the default device"),
            DeviceSelector::Index(i) => write!(f, "index {i}"),
            DeviceSelector::Name(s) => write!(f, "'{s}'"),
        }
    }
}

/// Finds the device `sel` names among `list`, for a stream that needs input
/// and/or output.
pub fn select(
    list: &[DeviceInfo],
    sel: &DeviceSelector,
    input: bool,
    output: bool,
) -> Result<DeviceInfo> {
    let usable = |d: &&DeviceInfo| {
        (!input || d.max_input_channels > 0) && (!output || d.max_output_channels > 0)
    };
    let found = match sel {
        // A real host without a default has no device to offer in its place
        // (ALSA without a card lists only `null`, which runs unpaced).
        DeviceSelector::Default => list
            .iter()
            .filter(usable)
            .find(|d| (!input || d.is_default_input) && (!output || d.is_default_output))
            .or_else(|| {
                list.iter()
                    .filter(|d| d.host == virtual_host::NAME)
                    .find(usable)
            }),
        DeviceSelector::Index(i) => list.get(*i),
        DeviceSelector::Name(s) => find_by_name(list, s, usable),
    };
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = list.iter().map(|d| d.id.as_str()).collect();
        let what = match sel {
            DeviceSelector::Name(s) => format!("no device named '{s}'"),
            _ => format!("no device matches {sel}"),
        };
        Error::new(
            ErrorKind::DeviceNotFound,
            format!("{what}; devices: {}", names.join(", ")),
        )
    })
}

/// A device by id or name: an exact match first, then (among the devices
/// usable for the stream's direction) one whose name or id holds `s`, case
/// aside, as sounddevice matches names.
fn find_by_name<'a>(
    list: &'a [DeviceInfo],
    s: &str,
    usable: impl Fn(&&DeviceInfo) -> bool,
) -> Option<&'a DeviceInfo> {
    let lower = s.to_lowercase();
    list.iter()
        .find(|d| d.id == s || d.name == s)
        .or_else(|| {
            list.iter()
                .filter(&usable)
                .find(|d| d.name.contains(s) || d.id.contains(s))
        })
        .or_else(|| {
            list.iter().filter(&usable).find(|d| {
                d.name.to_lowercase().contains(&lower) || d.id.to_lowercase().contains(&lower)
            })
        })
}

#[cfg(test)]
mod selector_tests {
    use super::*;
    use crate::device::Native;

    #[test]
    fn a_missing_device_is_named_plainly() {
        let list = [];
        let msg = |sel: DeviceSelector| select(&list, &sel, false, true).unwrap_err().to_string();
        let by_name = msg(DeviceSelector::Name("nope".into()));
        assert!(by_name.contains("no device named 'nope';"), "{by_name}");
        let by_index = msg(DeviceSelector::Index(99));
        assert!(
            by_index.contains("no device matches index 99;"),
            "{by_index}"
        );
        assert!(msg(DeviceSelector::Default).contains("matches the default device;"));
    }

    fn dev(host: &str, name: &str) -> DeviceInfo {
        DeviceInfo {
            id: format!("{host}:{name}"),
            name: name.into(),
            host: host.into(),
            max_input_channels: 2,
            max_output_channels: 2,
            default_samplerate: 48000.0,
            is_default_input: false,
            is_default_output: false,
            loopback: false,
            native: Native::default(),
        }
    }

    #[test]
    fn names_match_case_aside_as_sounddevice_does() {
        let list = [dev("alsa", "null"), dev("alsa", "Loopback PCM")];
        let pick = |s: &str| {
            select(&list, &DeviceSelector::Name(s.into()), true, true)
                .map(|d| d.id)
                .unwrap_or_default()
        };
        assert_eq!(pick("loopback"), "alsa:Loopback PCM");
        assert_eq!(pick("LOOPBACK pcm"), "alsa:Loopback PCM");
        assert_eq!(pick("ALSA:NULL"), "alsa:null");
        // An exact (cased) match still wins.
        assert_eq!(pick("null"), "alsa:null");
    }
}
