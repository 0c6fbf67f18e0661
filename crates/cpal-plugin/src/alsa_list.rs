//! The ALSA devices: cpal's list (ALSA's hints and the cards' `hw` and
//! `plughw` PCMs; nothing opened), each PCM then opened in the directions
//! its hint allows to learn what a listed device says.
//!
//! Opening is the whole cost (a JACK-backed PCM makes a JACK client, and the
//! JACK server opens and closes clients one per cycle), so:
//! - each PCM is opened once per direction and asked only what a listed
//!   device says (cpal's ranges test every format and channel count);
//! - PCMs with the same definition (`default` is often another hint's PCM
//!   under another description) are opened once;
//! - one after the other: threads would not make a JACK server open clients
//!   any faster, and two PCMs of one `hw` device refuse each other's opens
//!   (EBUSY) while either is open.

use crate::abi::RsOffers;
use crate::listed::Listed;
use crate::pcm::{text_of, Pcm, MAX_CHANNELS};
use alsa_sys as sys;
use cpal::traits::{DeviceTrait, HostTrait};
use std::collections::HashMap;
use std::ffi::CString;

/// What one direction of a PCM offers.
#[derive(Clone, Copy)]
struct Side {
    channels: u32,
    rate: f64,
    offers: RsOffers,
}

/// Opens `name` for `input` or output and asks it; None when it does not open.
fn probe(name: &str, input: bool) -> Option<Side> {
    let pcm = Pcm::open(name, input).ok()?;
    let channels = pcm.max_channels(MAX_CHANNELS);
    (channels > 0).then(|| Side {
        channels,
        rate: pcm.preferred_rate(),
        offers: pcm.offers(MAX_CHANNELS),
    })
}

/// The definition alsa-lib opens for `name` (arguments and hooks expanded),
/// as text without its `hint` (which only describes it), or None.
fn definition(name: &str) -> Option<String> {
    let key = CString::new(name).ok()?;
    let mut top = std::ptr::null_mut();
    // SAFETY: a valid out-pointer; the reference is dropped below.
    if unsafe { sys::snd_config_update_ref(&mut top) } < 0 {
        return None;
    }
    let mut def = std::ptr::null_mut();
    // SAFETY: `top` is referenced and the strings outlive the call; the
    // result is a copy of the definition (freed below).
    let found =
        unsafe { sys::snd_config_search_definition(top, c"pcm".as_ptr(), key.as_ptr(), &mut def) }
            >= 0;
    let text = found.then(|| {
        let mut hint = std::ptr::null_mut();
        // SAFETY: `def` is our copy: deleting a node of it touches nothing else.
        unsafe {
            if sys::snd_config_search(def, c"hint".as_ptr(), &mut hint) >= 0 {
                sys::snd_config_delete(hint);
            }
        }
        // SAFETY: `def` is valid and `out` is the open output `text_of` passes.
        let text = text_of(|out| unsafe {
            sys::snd_config_save(def, out);
        });
        // SAFETY: `def` was made by snd_config_search_definition and is freed once.
        unsafe { sys::snd_config_delete(def) };
        text
    });
    // SAFETY: the reference taken above.
    unsafe { sys::snd_config_unref(top) };
    text.filter(|t| !t.is_empty())
}

/// Lists the devices of the ALSA host `h` (see the module documentation).
pub fn devices(h: &cpal::Host) -> Result<Vec<Listed>, cpal::Error> {
    let mut asked: HashMap<(String, bool), Option<Side>> = HashMap::new();
    let mut out = Vec::new();
    for d in h.devices()? {
        let Some(name) = d.id().ok().map(|id| id.id().to_string()) else {
            continue;
        };
        let def = definition(&name);
        let mut side = |input: bool| {
            let allowed = if input {
                d.supports_input()
            } else {
                d.supports_output()
            };
            if !allowed {
                return None;
            }
            match &def {
                Some(def) => *asked
                    .entry((def.clone(), input))
                    .or_insert_with(|| probe(&name, input)),
                None => probe(&name, input),
            }
        };
        let (ins, outs) = (side(true), side(false));
        let Some(rate) = outs.or(ins).map(|s| s.rate) else {
            continue;
        };
        let (max_in, max_out) = (
            ins.map_or(0, |s| s.channels),
            outs.map_or(0, |s| s.channels),
        );
        let default = name == "default";
        out.push(Listed {
            name,
            max_in,
            max_out,
            samplerate: rate,
            default_in: default && max_in > 0,
            default_out: default && max_out > 0,
            native_in: ins.map(|s| s.offers).unwrap_or_default(),
            native_out: outs.map(|s| s.offers).unwrap_or_default(),
            ..Listed::default()
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // alsa-lib's own configuration defines `null` (alsa.conf) on every system.

    #[test]
    fn a_definition_is_its_expanded_text_without_the_hint() {
        let def = definition("null").expect("alsa.conf defines pcm.null");
        assert!(def.contains("null"), "{def}");
        assert!(!def.contains("hint"), "{def}");
        assert_eq!(definition("null"), Some(def));
        assert_eq!(definition("ringstream-no-such-pcm"), None);
    }

    #[test]
    fn a_probe_says_what_a_listed_device_says() {
        // The null PCM takes any channel count and rate: the cap, and 48 kHz.
        let side = probe("null", false).expect("null opens for playback");
        assert_eq!(side.channels, MAX_CHANNELS);
        assert_eq!(side.rate, 48000.0);
        assert!(probe("ringstream-no-such-pcm", false).is_none());
    }

    #[test]
    fn a_probe_says_what_the_pcm_offers_natively() {
        // null takes every channel count up to the cap, and any rate in its interval.
        let side = probe("null", true).expect("null opens for capture");
        assert_eq!(side.offers.channel_ranges(), vec![(1, MAX_CHANNELS)]);
        let rates = side.offers.rate_ranges();
        assert_eq!(rates.len(), 1, "{rates:?}");
        assert!(rates[0].0 <= 8000 && rates[0].1 >= 192_000, "{rates:?}");
    }
}
