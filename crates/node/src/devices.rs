//! `hosts()` and `devices()`.

use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::device;

/// A device as listed by `devices()`.
#[napi(object)]
pub struct DeviceInfo {
    /// `host:name`, stable across calls.
    pub id: String,
    /// The device's name.
    pub name: String,
    /// The host it belongs to.
    pub host: String,
    /// Most input channels.
    pub max_input_channels: u32,
    /// Most output channels.
    pub max_output_channels: u32,
    /// Preferred sample rate.
    pub default_samplerate: f64,
    /// The host's default input.
    pub is_default_input: bool,
    /// The host's default output.
    pub is_default_output: bool,
    /// An output whose playback an `InputStream` with `loopback: true` records.
    pub loopback: bool,
    /// What it opens without the engine converting, per direction.
    pub native: NativeFormats,
}

/// An inclusive range (`min === max`: one value).
#[napi(object)]
pub struct ValueRange {
    /// The least value.
    pub min: u32,
    /// The greatest value.
    pub max: u32,
}

/// What one direction of a device takes natively.
#[napi(object)]
pub struct NativeOffers {
    /// Sample-rate ranges in Hz, sorted and disjoint.
    pub samplerates: Vec<ValueRange>,
    /// Channel-count ranges, sorted and disjoint.
    pub channels: Vec<ValueRange>,
}

/// What a device takes natively, per direction.
#[napi(object)]
pub struct NativeFormats {
    /// Its input (empty lists for an output-only device).
    pub input: NativeOffers,
    /// Its output (empty lists for an input-only device).
    pub output: NativeOffers,
}

fn offers(o: device::Offers) -> NativeOffers {
    let ranges = |v: Vec<device::Range>| {
        v.into_iter()
            .map(|(min, max)| ValueRange { min, max })
            .collect()
    };
    NativeOffers {
        samplerates: ranges(o.samplerates),
        channels: ranges(o.channels),
    }
}

/// The hosts this build offers, e.g. `['virtual']`.
#[napi]
pub fn hosts() -> Vec<&'static str> {
    device::hosts()
}

/// The devices of `host`; `refresh` lists them anew instead of giving the
/// list kept from an earlier call.
#[napi]
pub fn devices(env: Env, host: String, refresh: Option<bool>) -> Result<Vec<DeviceInfo>> {
    if refresh == Some(true) {
        device::refresh_devices(Some(&host));
    }
    let list = device::host(&host)
        .and_then(|h| h.devices())
        .or_throw(&env)?;
    Ok(list
        .into_iter()
        .map(|d| DeviceInfo {
            id: d.id,
            name: d.name,
            host: d.host,
            max_input_channels: d.max_input_channels as u32,
            max_output_channels: d.max_output_channels as u32,
            default_samplerate: d.default_samplerate,
            is_default_input: d.is_default_input,
            is_default_output: d.is_default_output,
            loopback: d.loopback,
            native: NativeFormats {
                input: offers(d.native.input),
                output: offers(d.native.output),
            },
        })
        .collect())
}

/// The host a stream opens on when none is named (the system's default
/// for output, or `'virtual'` where there is no real device).
#[napi]
pub fn default_host() -> String {
    ringstream_core::device::default_host(false, true).0
}

/// Checks a blocksize against the core's limits (for `defaults`, before any stream opens).
#[napi]
pub fn check_blocksize(env: Env, blocksize: u32) -> Result<()> {
    ringstream_core::stream::check_blocksize(blocksize as usize).or_throw(&env)
}

/// Checks that a ring of `bufferSize` frames holds a block of `blocksize` frames (the core's rule).
#[napi]
pub fn check_buffer_holds_block(env: Env, buffer_size: u32, blocksize: u32) -> Result<()> {
    ringstream_core::stream::check_buffer_holds_block(buffer_size as usize, blocksize as usize)
        .or_throw(&env)
}

/// Checks a channel count against the core's limits; `what` names it in the message.
#[napi]
pub fn check_channels(env: Env, channels: u32, what: String) -> Result<()> {
    ringstream_core::stream::check_channels(channels as usize, &what).or_throw(&env)
}
