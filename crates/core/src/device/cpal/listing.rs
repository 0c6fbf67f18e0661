//! The devices of the plugin's hosts, kept between calls.
//!
//! Listing probes every device (ALSA opens each PCM definition once per
//! direction; a JACK-backed PCM makes a JACK client each time, which the
//! JACK server opens in one of its cycles and closes in another), which
//! takes a fifth of a second on the audio sandbox. So a host's list is made once and kept: `devices()` and
//! stream opens after the first use it. It is made again when a stream asks
//! for a device it does not hold (a card plugged in since), or when
//! [`refresh`] says so. Opening a device needs no list at all when the
//! device is named exactly (`default`, `alsa:loopback`): the plugin checks
//! that the name exists from ALSA's hints, without opening anything, and
//! its open reports what the device cannot do.

use super::abi::{self, RsDevice};
use super::loader::Plugin;
use super::{c_string, c_text, empty_error, error_of};
use crate::device::{select, DeviceInfo, DeviceSelector, Native, Offers};
use crate::error::{ErrorKind, Result};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Most devices one listing returns.
const MAX_DEVICES: usize = 256;

/// The lists made so far, by host.
static LISTS: Mutex<Option<HashMap<&'static str, Vec<DeviceInfo>>>> = Mutex::new(None);

fn cached(host: &str) -> Option<Vec<DeviceInfo>> {
    let lists = LISTS.lock().unwrap_or_else(PoisonError::into_inner);
    lists.as_ref().and_then(|m| m.get(host).cloned())
}

/// Forgets the list of `host` (all hosts for `None`): the next use makes it again.
pub fn refresh(host: Option<&str>) {
    let mut lists = LISTS.lock().unwrap_or_else(PoisonError::into_inner);
    match (lists.as_mut(), host) {
        (Some(m), Some(h)) => {
            m.remove(h);
        }
        (Some(m), None) => m.clear(),
        (None, _) => {}
    }
}

/// The devices of `host`: the list kept, or a new one (then kept).
pub fn devices(host: &'static str, plugin: &Plugin) -> Result<Vec<DeviceInfo>> {
    if let Some(list) = cached(host) {
        return Ok(list);
    }
    let list = enumerate(host, plugin)?;
    LISTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(host, list.clone());
    Ok(list)
}

/// The device `sel` names on `host`, for a stream that needs input and/or
/// output: from the list kept (made again if it lacks the device), else,
/// for an exact name, without any list (see the module documentation).
pub fn device(
    host: &'static str,
    plugin: &Plugin,
    sel: &DeviceSelector,
    input: bool,
    output: bool,
) -> Result<DeviceInfo> {
    if let Some(list) = cached(host) {
        match select(&list, sel, input, output) {
            Err(e) if e.kind() == ErrorKind::DeviceNotFound => refresh(Some(host)),
            found => return found,
        }
    } else if let Some(name) = exact_name(host, sel) {
        if has_device(host, plugin, name)? {
            return Ok(unprobed(host, name, input, output));
        }
    }
    select(&devices(host, plugin)?, sel, input, output)
}

/// The name `sel` may give exactly: the host's default is `default`
/// (ALSA's default PCM; JACK's one device); an id of this host names its
/// device, and a bare name itself. A name the host does not have may be
/// part of one, which only a list resolves.
fn exact_name<'a>(host: &str, sel: &'a DeviceSelector) -> Option<&'a str> {
    match sel {
        DeviceSelector::Default => Some("default"),
        DeviceSelector::Name(s) => Some(
            s.strip_prefix(host)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or(s),
        ),
        DeviceSelector::Index(_) => None,
    }
}

/// A device known to exist but not probed: its channel counts are left at
/// the most a stream may ask for, so that the device's own open decides
/// (and says what it offers when it refuses).
fn unprobed(host: &'static str, name: &str, input: bool, output: bool) -> DeviceInfo {
    DeviceInfo {
        id: format!("{host}:{name}"),
        name: name.to_string(),
        host: host.to_string(),
        max_input_channels: if input { usize::MAX } else { 0 },
        max_output_channels: if output { usize::MAX } else { 0 },
        default_samplerate: 0.0,
        is_default_input: name == "default" && input,
        is_default_output: name == "default" && output,
        // As with the channels, the device's own open says whether it can be recorded.
        loopback: output,
        native: Native::default(),
    }
}

fn has_device(host: &str, plugin: &Plugin, name: &str) -> Result<bool> {
    let h = c_string(host, "host")?;
    let n = c_string(name, "device name")?;
    let mut err = empty_error();
    // SAFETY: the strings and the error live across the call (ABI version
    // checked on load).
    match unsafe { (plugin.has_device)(h.as_ptr(), n.as_ptr(), &mut err) } {
        -1 => Err(error_of(&err)),
        found => Ok(found == 1),
    }
}

/// Probes every device of `host` (the slow part: see the module documentation).
fn enumerate(host: &'static str, plugin: &Plugin) -> Result<Vec<DeviceInfo>> {
    let name = c_string(host, "host")?;
    let mut out: Vec<RsDevice> = (0..MAX_DEVICES)
        .map(|_| RsDevice {
            name: [0; abi::NAME_LEN],
            max_input_channels: 0,
            max_output_channels: 0,
            default_samplerate: 0.0,
            is_default_input: 0,
            is_default_output: 0,
            loopback: 0,
            description: [0; abi::NAME_LEN],
            native_input: abi::RsOffers::default(),
            native_output: abi::RsOffers::default(),
        })
        .collect();
    let mut count = 0usize;
    let mut err = empty_error();
    // SAFETY: `out` has room for MAX_DEVICES entries; the pointers are
    // valid for the call (ABI version checked on load).
    let rc = unsafe {
        (plugin.devices)(
            name.as_ptr(),
            out.as_mut_ptr(),
            out.len(),
            &mut count,
            &mut err,
        )
    };
    if rc != 0 {
        return Err(error_of(&err));
    }
    Ok(out
        .iter()
        .take(count.min(MAX_DEVICES))
        .map(|d| {
            let name = c_text(&d.name);
            let description = c_text(&d.description);
            DeviceInfo {
                id: format!("{}:{name}", host),
                // What the desktop shows, where the host has it (the id keeps the stable name).
                name: if description.is_empty() {
                    name
                } else {
                    description
                },
                host: host.to_string(),
                max_input_channels: d.max_input_channels as usize,
                max_output_channels: d.max_output_channels as usize,
                default_samplerate: d.default_samplerate,
                is_default_input: d.is_default_input != 0,
                is_default_output: d.is_default_output != 0,
                loopback: d.loopback != 0,
                native: Native {
                    input: Offers::from_abi(&d.native_input),
                    output: Offers::from_abi(&d.native_output),
                },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_need_no_list() {
        let name = |s: &str| DeviceSelector::Name(s.to_string());
        assert_eq!(
            exact_name("alsa", &DeviceSelector::Default),
            Some("default")
        );
        assert_eq!(exact_name("alsa", &name("alsa:loopback")), Some("loopback"));
        assert_eq!(exact_name("alsa", &name("loopback")), Some("loopback"));
        assert_eq!(exact_name("jack", &name("jack:default")), Some("default"));
        assert_eq!(exact_name("alsa", &DeviceSelector::Index(2)), None);
    }

    #[test]
    fn an_unprobed_device_leaves_the_channel_check_to_the_device() {
        let d = unprobed("alsa", "default", false, true);
        assert_eq!(d.id, "alsa:default");
        assert_eq!(
            (d.max_input_channels, d.max_output_channels),
            (0, usize::MAX)
        );
        assert!(d.is_default_output && !d.is_default_input);
        // Selecting it again by id finds it in a list that holds it.
        let list = vec![d.clone()];
        let found = select(
            &list,
            &DeviceSelector::Name("alsa:default".into()),
            false,
            true,
        );
        assert_eq!(found.unwrap(), d);
    }
}
