//! An ALSA PCM opened to be asked what it takes, not to play: the handle and
//! a hardware parameter space on it, both freed on drop. The stream's
//! planning ([`crate::stream::alsa`]) and the ALSA listing
//! ([`crate::alsa_list`]) ask through it.
//!
//! Each open of a JACK-backed PCM (alsa-plugins' `jack`) makes a JACK
//! client, which costs a JACK server cycle to open and another to close, so
//! callers open a PCM as few times as they can.

use crate::abi::RsOffers;
use alsa_sys as sys;
use std::ffi::{c_int, c_uint, CString};

/// The PCM rates cpal tests an ALSA device at (its `COMMON_SAMPLE_RATES`
/// without the DSD rates).
const COMMON_RATES: [u32; 19] = [
    5512, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000,
    176400, 192000, 352800, 384000, 705600, 768000,
];

/// The most channels an ALSA PCM is listed with and opened with: cpal's cap
/// (AES10's 64); a `plug` PCM allows thousands, and a stream may not ask for
/// more than the listing says, whether or not the process listed devices.
pub const MAX_CHANNELS: u32 = 64;

/// EINVAL: a name with a NUL byte cannot name a PCM.
const EINVAL: c_int = 22;

#[cfg(test)]
thread_local! {
    /// PCMs this thread opened: tests count how often a stream opens its device.
    pub static OPENS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// An open PCM and a hardware parameter space on it.
pub struct Pcm {
    pcm: *mut sys::snd_pcm_t,
    params: *mut sys::snd_pcm_hw_params_t,
}

// SAFETY: a `Pcm` owns its handle and space and is used by one thread at a
// time (it is only moved to another thread, e.g. to be closed there);
// alsa-lib handles are not tied to the thread that opened them.
unsafe impl Send for Pcm {}

impl Pcm {
    /// Opens `name` (non-blocking) for `input` or output, its space the
    /// whole space; the error is alsa-lib's (a negative errno).
    pub fn open(name: &str, input: bool) -> Result<Pcm, c_int> {
        let cname = CString::new(name).map_err(|_| -EINVAL)?;
        let stream = if input {
            sys::SND_PCM_STREAM_CAPTURE
        } else {
            sys::SND_PCM_STREAM_PLAYBACK
        };
        let mut pcm = std::ptr::null_mut();
        // SAFETY: `pcm` is a valid out-pointer and `cname` a NUL-terminated
        // string that outlives the call.
        let rc =
            unsafe { sys::snd_pcm_open(&mut pcm, cname.as_ptr(), stream, sys::SND_PCM_NONBLOCK) };
        if rc < 0 {
            return Err(rc);
        }
        #[cfg(test)]
        OPENS.with(|n| n.set(n.get() + 1));
        let mut params = std::ptr::null_mut();
        // SAFETY: a valid out-pointer; freed in drop.
        let rc = unsafe { sys::snd_pcm_hw_params_malloc(&mut params) };
        let opened = Pcm { pcm, params };
        if rc < 0 {
            return Err(rc);
        }
        opened.reset()?;
        Ok(opened)
    }

    /// Makes the parameter space the PCM's whole space again.
    pub fn reset(&self) -> Result<(), c_int> {
        // SAFETY: both pointers are valid for the PCM's life.
        let rc = unsafe { sys::snd_pcm_hw_params_any(self.pcm, self.params) };
        if rc < 0 {
            return Err(rc);
        }
        Ok(())
    }

    /// The handle, valid while `self` lives.
    pub fn handle(&self) -> *mut sys::snd_pcm_t {
        self.pcm
    }

    /// The parameter space, valid while `self` lives.
    pub fn params(&self) -> *mut sys::snd_pcm_hw_params_t {
        self.params
    }

    /// The most channels the space allows, at most `cap` (a `plug` PCM
    /// allows thousands), or 0.
    pub fn max_channels(&self, cap: u32) -> u32 {
        let (mut min, mut max): (c_uint, c_uint) = (0, 0);
        // SAFETY: valid params and out-pointers.
        let ok = unsafe {
            sys::snd_pcm_hw_params_get_channels_min(self.params, &mut min) >= 0
                && sys::snd_pcm_hw_params_get_channels_max(self.params, &mut max) >= 0
        };
        if !ok || min > max.min(cap) {
            return 0;
        }
        // SAFETY: valid pcm and params; testing does not change the space.
        let takes = |c: c_uint| unsafe { sys::snd_pcm_hw_params_test_channels(self.pcm, self.params, c) } >= 0;
        (min..=max.min(cap)).rev().find(|c| takes(*c)).unwrap_or(0)
    }

    /// 48 kHz, else 44.1 kHz, else the highest rate the space allows.
    pub fn preferred_rate(&self) -> f64 {
        // SAFETY: valid pcm and params; testing does not change the space.
        let takes = |r: c_uint| unsafe { sys::snd_pcm_hw_params_test_rate(self.pcm, self.params, r, 0) } >= 0;
        if let Some(r) = [48000, 44100].into_iter().find(|r| takes(*r)) {
            return f64::from(r);
        }
        let (mut max, mut dir): (c_uint, c_int) = (0, 0);
        // SAFETY: valid params and out-pointers.
        if unsafe { sys::snd_pcm_hw_params_get_rate_max(self.params, &mut max, &mut dir) } < 0 {
            return 0.0;
        }
        f64::from(max)
    }

    /// What the space offers: its channel counts (each tested, up to
    /// `cap`) and its rates. A space whose rate interval takes every common
    /// rate in it and an uncommon one is offered whole (a `plug` PCM, a card
    /// with a continuous clock); otherwise the common rates it takes, one by
    /// one, as cpal lists an ALSA device's rates.
    pub fn offers(&self, cap: u32) -> RsOffers {
        let (mut min, mut max): (c_uint, c_uint) = (0, 0);
        // SAFETY: valid params and out-pointers.
        let ok = unsafe {
            sys::snd_pcm_hw_params_get_channels_min(self.params, &mut min) >= 0
                && sys::snd_pcm_hw_params_get_channels_max(self.params, &mut max) >= 0
        };
        // SAFETY: valid pcm and params; testing does not change the space.
        let takes_channels = |c: c_uint| unsafe { sys::snd_pcm_hw_params_test_channels(self.pcm, self.params, c) } >= 0;
        let channels: Vec<(u32, u32)> = if ok {
            (min.max(1)..=max.min(cap))
                .filter(|c| takes_channels(*c))
                .map(|c| (c, c))
                .collect()
        } else {
            Vec::new()
        };
        RsOffers::new(&self.rates(), &channels)
    }

    /// The rate ranges of the space (see [`Pcm::offers`]).
    fn rates(&self) -> Vec<(u32, u32)> {
        let (mut min, mut max, mut dir): (c_uint, c_uint, c_int) = (0, 0, 0);
        // SAFETY: valid params and out-pointers.
        let ok = unsafe {
            sys::snd_pcm_hw_params_get_rate_min(self.params, &mut min, &mut dir) >= 0
                && sys::snd_pcm_hw_params_get_rate_max(self.params, &mut max, &mut dir) >= 0
        };
        if !ok || min > max {
            return Vec::new();
        }
        // SAFETY: valid pcm and params; testing does not change the space.
        let takes = |r: c_uint| unsafe { sys::snd_pcm_hw_params_test_rate(self.pcm, self.params, r, 0) } >= 0;
        let common: Vec<u32> = COMMON_RATES
            .iter()
            .copied()
            .filter(|r| (min..=max).contains(r))
            .collect();
        let taken: Vec<u32> = common.iter().copied().filter(|r| takes(*r)).collect();
        // An uncommon rate that a clock of fixed rates would not have.
        let odd = min + (max - min) / 3 + 1;
        if min < max && taken.len() == common.len() && takes(odd) {
            return vec![(min, max)];
        }
        let ends = [min, max].into_iter().filter(|r| takes(*r));
        taken.into_iter().chain(ends).map(|r| (r, r)).collect()
    }

    /// alsa-lib's description of the PCM chain (`snd_pcm_dump`).
    pub fn dump(&self) -> String {
        // SAFETY: `pcm` is valid and `out` is the open output `text_of` passes.
        text_of(|out| unsafe {
            sys::snd_pcm_dump(self.pcm, out);
        })
    }
}

/// What `write` writes to an alsa-lib buffer output, as text (empty when
/// no output can be made).
pub fn text_of(write: impl FnOnce(*mut sys::snd_output_t)) -> String {
    let mut out = std::ptr::null_mut();
    // SAFETY: a valid out-pointer; the buffer output is closed below.
    if unsafe { sys::snd_output_buffer_open(&mut out) } < 0 {
        return String::new();
    }
    write(out);
    let mut text = String::new();
    // SAFETY: `out` is valid; the string snd_output_buffer_string returns
    // belongs to `out` and is copied before `out` is closed.
    unsafe {
        let mut buf: *mut std::ffi::c_char = std::ptr::null_mut();
        let n = sys::snd_output_buffer_string(out, &mut buf);
        if !buf.is_null() {
            let bytes = std::slice::from_raw_parts(buf as *const u8, n);
            text = String::from_utf8_lossy(bytes).into_owned();
        }
        sys::snd_output_close(out);
    }
    text
}

impl Drop for Pcm {
    fn drop(&mut self) {
        // SAFETY: both were created by `open` and are freed once, here.
        unsafe {
            if !self.params.is_null() {
                sys::snd_pcm_hw_params_free(self.params);
            }
            if !self.pcm.is_null() {
                sys::snd_pcm_close(self.pcm);
            }
        }
    }
}
