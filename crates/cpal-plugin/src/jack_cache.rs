//! cpal's JACK devices, made once per process. cpal's JACK host makes (and
//! closes) a JACK client per direction to learn the server's rate and
//! period, which costs the server a few cycles (about 180 ms on the audio
//! sandbox's loaded VM); a process that checks a device, then opens it,
//! made it twice before its stream's own client. The devices hold no
//! client: a stream's build makes its own, so a cached device never keeps
//! the server busy. A stream that fails to open on them drops them
//! ([`forget`]): the server may have gone, or come back at another rate.

use crate::host::Failure;
use cpal::Device;
use std::sync::Mutex;

/// The JACK host's `(input, output)` devices.
pub type Pair = (Option<Device>, Option<Device>);

static DEVICES: Mutex<Option<Pair>> = Mutex::new(None);

/// The cached devices, else those `make` gives (kept when a server answered,
/// i.e. at least one is there).
///
/// ```
/// use ringstream_cpal::jack_cache;
/// let pair = jack_cache::devices(|| Ok((None, None))).unwrap();
/// assert!(pair.0.is_none() && pair.1.is_none()); // no server: nothing kept
/// assert!(!jack_cache::forget());
/// ```
pub fn devices(make: impl FnOnce() -> Result<Pair, Failure>) -> Result<Pair, Failure> {
    let mut cached = DEVICES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(pair) = cached.as_ref() {
        return Ok(pair.clone());
    }
    let pair = make()?;
    if pair.0.is_some() || pair.1.is_some() {
        *cached = Some(pair.clone());
    }
    Ok(pair)
}

/// Drops the cached devices; whether there were any.
///
/// ```
/// assert!(!ringstream_cpal::jack_cache::forget());
/// ```
pub fn forget() -> bool {
    DEVICES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .is_some()
}
