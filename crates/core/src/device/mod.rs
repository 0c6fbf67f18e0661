//! Devices: one trait for a backend, and the hosts that implement it.
//!
//! A host lists devices and opens a [`DeviceStream`] that calls the engine's
//! block function from its audio thread. The `virtual` host is built in
//! (see [`virtual_host`]); real hardware comes through the cpal plugin
//! (see [`cpal`]), loaded at run time.

pub mod callback_panic;
pub mod cpal;
pub mod loopback;
mod native;
mod pair;
mod selector;
mod system;
pub mod virtual_host;

use crate::engine::{BlockInfo, Flow};
use crate::error::{Error, ErrorKind, Result};

/// A device as `devices()` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInfo {
    /// `host:name`, stable across calls.
    pub id: String,
    /// The device's name.
    pub name: String,
    /// The host it belongs to.
    pub host: String,
    /// Most input channels it can open.
    pub max_input_channels: usize,
    /// Most output channels it can open.
    pub max_output_channels: usize,
    /// Its preferred sample rate.
    pub default_samplerate: f64,
    /// Whether it is the host's default input.
    pub is_default_input: bool,
    /// Whether it is the host's default output.
    pub is_default_output: bool,
    /// Whether an input stream can record what this output plays
    /// ([`StreamConfig::loopback`]).
    pub loopback: bool,
    /// The rates and channel counts it opens without the engine converting.
    pub native: Native,
}

/// Faults the virtual device can inject. Real (cpal) hosts honour only
/// `panic_at_block` (counted in engine calls), to test the panic path across
/// the plugin boundary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Block indices (from start) whose callback is skipped (an xrun).
    pub skip_blocks: Vec<u64>,
    /// `(block, milliseconds)`: stall before calling that block.
    pub delay: Vec<(u64, f64)>,
    /// Refuse to open.
    pub fail_on_open: bool,
    /// Disappear before this block (the stream ends with ERR_DEVICE_NOT_FOUND).
    pub vanish_at_block: Option<u64>,
    /// Stop calling back, silently, before this block (the watchdog ends
    /// the stream with ERR_DEVICE_NOT_FOUND).
    pub stall_at_block: Option<u64>,
    /// Panic inside the callback at this block (tests ERR_PANIC).
    pub panic_at_block: Option<u64>,
    /// The virtual card's clock error, in parts per million: it runs
    /// `samplerate * (1 + ppm / 1e6)` frames per real second while it still
    /// reports `samplerate`, as a card whose crystal is off does (tests of
    /// clock drift). 0 = exact.
    pub clock_offset_ppm: f64,
}

/// The latency a stream asks for (PortAudio's suggested latency).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Latency {
    /// The lowest the device sustains.
    #[default]
    Low,
    /// A safe, high latency.
    High,
    /// This many seconds (each direction).
    Seconds(f64),
}

impl Latency {
    /// `'low'` or `'high'`.
    pub fn parse(name: &str) -> Result<Latency> {
        match name {
            "low" => Ok(Latency::Low),
            "high" => Ok(Latency::High),
            other => Err(Error::invalid_arg(format!(
                "latency must be 'low', 'high' or seconds >= 0, got '{other}'"
            ))),
        }
    }
}

/// What a stream asks of a device.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamConfig {
    /// Frames per second.
    pub samplerate: u32,
    /// Frames per callback.
    pub blocksize: usize,
    /// Input channels (0 for output only).
    pub input_channels: usize,
    /// Output channels (0 for input only).
    pub output_channels: usize,
    /// The latency asked for (the output's, and the input's unless
    /// `input_latency` is given); the device reports what it grants.
    pub latency: Latency,
    /// The input's own latency (pastream's `latency=(input, output)`).
    pub input_latency: Option<Latency>,
    /// Virtual device pace: 1 = real time, `f64::INFINITY` = as fast as possible.
    pub speed: f64,
    /// Virtual device faults.
    pub faults: Faults,
    /// The input records what the device's output plays (the device must
    /// list `loopback`) instead of the device's own input.
    pub loopback: bool,
    /// Whether the engine may convert when the device cannot run at
    /// `samplerate` or open the channel counts (see [`crate::convert`]);
    /// false keeps the device's refusal.
    pub convert: bool,
    /// Whether the stream's data is paced by a clock other than the
    /// device's: the engine then converts between the two clocks, steered
    /// by the fill of the ring the user feeds or reads (see
    /// [`crate::convert::drift`]), even between equal rates. Needs `convert`.
    pub drift_correction: bool,
    /// How a stream with fewer channels than its device maps them.
    pub mix: crate::convert::channels::Mix,
}

impl StreamConfig {
    /// The latency asked for each way: `(input, output)`.
    ///
    /// ```
    /// use ringstream_core::device::{Latency, StreamConfig};
    /// let c = StreamConfig {
    ///     samplerate: 48000, blocksize: 256, input_channels: 1, output_channels: 1,
    ///     latency: Latency::Low, input_latency: Some(Latency::High), speed: 1.0,
    ///     faults: Default::default(), loopback: false, convert: true, drift_correction: false,
    ///     mix: Default::default(),
    /// };
    /// assert_eq!(c.latencies(), (Latency::High, Latency::Low));
    /// ```
    pub fn latencies(&self) -> (Latency, Latency) {
        (self.input_latency.unwrap_or(self.latency), self.latency)
    }
}

/// The audio callback a device calls for every block, on the engine's
/// [`Sample`](crate::engine::Sample)s. It must follow the realtime contract
/// (see `engine`).
pub type Callback = Box<
    dyn FnMut(&[crate::engine::Sample], &mut [crate::engine::Sample], &BlockInfo) -> Flow
        + Send
        + 'static,
>;

/// Called (from any thread) when the device fails while running.
pub type ErrorCallback = Box<dyn Fn(Error) + Send + Sync + 'static>;

/// An open device stream.
pub trait DeviceStream: Send {
    /// Starts (or resumes) calling the callback.
    fn start(&mut self) -> Result<()>;
    /// Stops calling the callback; returns once no callback runs any more.
    fn pause(&mut self) -> Result<()>;
    /// `(input, output)` latency in seconds as the device reports it.
    fn latency(&self) -> (f64, f64);
    /// The device (its name in the host's listing) the host last moved the
    /// `input` or output side to; `None` if it never moved, or the host
    /// does not say where (see [`crate::engine::events`]'s device change).
    fn moved_to(&self, _input: bool) -> Option<String> {
        None
    }
}

/// A backend: lists devices and opens streams on them.
pub trait Host: Send + Sync {
    /// The host's name (`'virtual'`, `'alsa'`, ...).
    fn name(&self) -> &'static str;
    /// The devices this host offers.
    fn devices(&self) -> Result<Vec<DeviceInfo>>;
    /// The device `sel` names, for a stream that needs input and/or output.
    /// By default, found in [`Host::devices`]; a host whose listing is slow
    /// may find it with less.
    fn device(&self, sel: &DeviceSelector, input: bool, output: bool) -> Result<DeviceInfo> {
        select(&self.devices()?, sel, input, output)
    }
    /// The host's own block for a stream of `config` on `device` (which asks
    /// the host to choose: pastream's `blocksize=0`), in frames, found before
    /// the stream opens; [`Host::open`] of that stream then opens the device
    /// once, on what this found.
    fn own_block(&self, device: &DeviceInfo, config: &StreamConfig) -> Result<usize>;
    /// Opens `device` with `config`.
    fn open(
        &self,
        device: &DeviceInfo,
        config: &StreamConfig,
        callback: Callback,
        on_error: ErrorCallback,
    ) -> Result<Box<dyn DeviceStream>>;
}

/// The names of the hosts this build offers.
pub fn hosts() -> Vec<&'static str> {
    let mut v = vec![virtual_host::NAME];
    v.extend(cpal::hosts());
    v
}

/// The host called `name`.
pub fn host(name: &str) -> Result<Box<dyn Host>> {
    match name {
        virtual_host::NAME => Ok(Box::new(virtual_host::VirtualHost)),
        // Named even when the plugin did not load, so the error says why.
        other => match cpal::loader::KNOWN_HOSTS.iter().find(|k| **k == other) {
            Some(known) => Ok(Box::new(cpal::host(known)?)),
            None => Err(Error::new(
                ErrorKind::DeviceNotFound,
                format!("no host '{other}'; available: {}", hosts().join(", ")),
            )),
        },
    }
}

/// Makes the device lists of `host` (every host for `None`) anew at their
/// next use: the real hosts keep them between calls (see [`cpal::listing`]).
pub fn refresh_devices(host: Option<&str>) {
    cpal::listing::refresh(host);
}

pub use native::{Native, Offers, Range};
pub use pair::duplex_device;
pub use selector::{resolve_host, select, DeviceSelector};
pub use system::{default_host, SYSTEM_HOSTS};
