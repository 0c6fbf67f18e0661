//! The system's default host: what a stream opens when nothing names one.
//!
//! On Linux the best of the hosts that answer, in cpal's own order:
//! PipeWire, then PulseAudio, then ALSA, so that a stream lands where the
//! desktop's sound goes (`defaults.host` still overrides it).

use super::{cpal, virtual_host};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The system's hosts, best first.
#[cfg(target_os = "macos")]
pub const SYSTEM_HOSTS: &[&str] = &["coreaudio"];
/// The system's hosts, best first.
#[cfg(windows)]
pub const SYSTEM_HOSTS: &[&str] = &["wasapi"];
/// The system's hosts, best first (cpal's order on Linux).
#[cfg(not(any(target_os = "macos", windows)))]
pub const SYSTEM_HOSTS: &[&str] = &["pipewire", "pulseaudio", "alsa"];

/// `(has a default input, has a default output)`, or why a host has none.
type Defaults = Result<(bool, bool), String>;

/// The [`Defaults`] of `host`, asked once per host and process (a listing
/// probes every device).
fn defaults_of(host: &'static str) -> Defaults {
    static SEEN: Mutex<Option<HashMap<&'static str, Defaults>>> = Mutex::new(None);
    if let Some(r) = SEEN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .and_then(|m| m.get(host))
    {
        return r.clone();
    }
    let r = match cpal::host(host).and_then(|h| super::Host::devices(&h)) {
        Ok(list) => Ok((
            list.iter()
                .any(|d| d.is_default_input && d.max_input_channels > 0),
            list.iter()
                .any(|d| d.is_default_output && d.max_output_channels > 0),
        )),
        Err(e) => Err(e.message().to_string()),
    };
    SEEN.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(host, r.clone());
    r
}

/// The system's default host for a stream that needs input and/or output:
/// the first of [`SYSTEM_HOSTS`] that can be used now (a sound server's host
/// while its server answers) and has a default device for both directions
/// asked for (as sounddevice opens ALSA's `default`); otherwise the virtual
/// host, with the reason, so that the caller can say it fell back.
///
/// ```
/// let (host, why) = ringstream_core::device::default_host(false, true);
/// assert!(why.is_none() || host == "virtual");
/// ```
pub fn default_host(input: bool, output: bool) -> (String, Option<String>) {
    let usable = cpal::hosts();
    let mut why = None;
    for &h in SYSTEM_HOSTS {
        // The last resort (ALSA) is asked even when unlisted, so that its error says why.
        let last = h == SYSTEM_HOSTS[SYSTEM_HOSTS.len() - 1];
        if !last && !usable.contains(&h) {
            continue;
        }
        match defaults_of(h) {
            Ok((i, o)) if (!input || i) && (!output || o) => return (h.to_string(), None),
            Ok(_) => {
                why = why.or(Some(format!(
                    "no {h} default {} device was found",
                    if output { "output" } else { "input" }
                )))
            }
            Err(e) => why = why.or(Some(e)),
        }
    }
    (virtual_host::NAME.to_string(), why)
}
