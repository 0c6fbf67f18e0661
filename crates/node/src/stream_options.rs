//! The options a `NativeStream` opens with, as JS passes them, and their
//! conversion into the core's device config, data layout and host choice.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::convert::channels::Mix;
use ringstream_core::device::{DeviceSelector, Faults, Latency, StreamConfig};
use ringstream_core::engine::MAX_ACTIONS;
use ringstream_core::stream::{DataLayout, DeviceRun, HostChoice, Stream};

/// Faults the virtual device injects (tests only).
#[napi(object)]
pub struct FaultOptions {
    /// Block indices whose callback is skipped.
    pub skip_blocks: Option<Vec<u32>>,
    /// Stall before this block...
    pub delay_block: Option<u32>,
    /// ...for this many milliseconds.
    pub delay_ms: Option<f64>,
    /// Refuse to open.
    pub fail_on_open: Option<bool>,
    /// Vanish before this block.
    pub vanish_at_block: Option<u32>,
    /// Stop calling back (silently) before this block.
    pub stall_at_block: Option<u32>,
    /// Panic in the callback at this block.
    pub panic_at_block: Option<u32>,
    /// The virtual card's clock error in parts per million.
    pub clock_offset_ppm: Option<f64>,
}

/// What a stream's device runs at (`stream.deviceFormat`).
#[napi(object)]
pub struct DeviceFormat {
    /// The device's frames per second.
    pub samplerate: u32,
    /// The device's `[input, output]` channels.
    pub channels: Vec<u32>,
}

impl From<DeviceRun> for DeviceFormat {
    fn from(r: DeviceRun) -> Self {
        DeviceFormat {
            samplerate: r.samplerate,
            channels: vec![r.channels.0 as u32, r.channels.1 as u32],
        }
    }
}

/// Resolved stream options (the TS layer fills in the defaults).
#[napi(object)]
pub struct NativeStreamOptions {
    /// Host name given by the caller; none: the host a device id names, else `defaultHost`.
    pub host: Option<String>,
    /// The process-wide default host (`defaults.host`); none: the system's default.
    pub default_host: Option<String>,
    /// Device id or name substring.
    pub device_name: Option<String>,
    /// Device index into devices({ host }).
    pub device_index: Option<u32>,
    /// A duplex stream's input device, id or name substring (pastream's
    /// `device=(input, output)`; `device_name`/`device_index` is the output).
    pub input_device_name: Option<String>,
    /// A duplex stream's input device as an index.
    pub input_device_index: Option<u32>,
    /// Frames per second (checked by the core, never saturated).
    pub samplerate: f64,
    /// Frames per callback.
    pub blocksize: u32,
    /// Channels of recorded data (0 = no input).
    pub input_channels: u32,
    /// Channels of played data (0 = no output).
    pub output_channels: u32,
    /// pastream's input map: entry k names the data channel device input k+1 feeds.
    pub input_map: Option<Vec<i64>>,
    /// pastream's output map: entry k names the data channel that feeds device output k+1.
    pub output_map: Option<Vec<i64>>,
    /// Suggested latency: `'low'`, `'high'`, or seconds as a number.
    #[napi(ts_type = "number | 'low' | 'high'")]
    pub latency: Option<Either<f64, String>>,
    /// The input's own latency (pastream's `latency=(input, output)`;
    /// `latency` is then the output's).
    #[napi(ts_type = "number | 'low' | 'high'")]
    pub input_latency: Option<Either<f64, String>>,
    /// Virtual device pace (1 = real time; Infinity = as fast as possible).
    pub speed: Option<f64>,
    /// Virtual device faults.
    pub faults: Option<FaultOptions>,
    /// Whether the engine converts rate and channels the device cannot run
    /// (default true); false: ERR_UNSUPPORTED_CONFIG instead.
    pub convert: Option<bool>,
    /// Whether the engine corrects the drift between the device's clock and
    /// the clock that paces the stream's data (default false).
    pub drift_correction: Option<bool>,
    /// `'first'` (default) or `'average'`: how fewer stream channels than
    /// the device opens are mapped.
    pub mix: Option<String>,
    /// Actions the engine runs at once (default 32; a Mixer asks for more).
    pub action_slots: Option<u32>,
    /// Record what the device (an output listed with `loopback`) plays.
    pub loopback: Option<bool>,
}

impl NativeStreamOptions {
    /// Opens the stream these options describe.
    pub(crate) fn open(self) -> ringstream_core::Result<Stream> {
        let selector = |name: &Option<String>, index: Option<u32>| match (name, index) {
            (Some(n), _) => DeviceSelector::Name(n.clone()),
            (None, Some(i)) => DeviceSelector::Index(i as usize),
            (None, None) => DeviceSelector::Default,
        };
        let mut sel = selector(&self.device_name, self.device_index);
        if self.input_device_name.is_some() || self.input_device_index.is_some() {
            let input = selector(&self.input_device_name, self.input_device_index);
            sel = ringstream_core::device::duplex_device(
                self.host.as_deref(),
                self.default_host.as_deref(),
                &input,
                &sel,
            )?;
        }
        let latency = |l: &Option<Either<f64, String>>| match l {
            None => Ok(Latency::Low),
            Some(Either::A(s)) => Ok(Latency::Seconds(*s)),
            Some(Either::B(name)) => Latency::parse(name),
        };
        let config = StreamConfig {
            samplerate: ringstream_core::stream::check_samplerate(self.samplerate)?,
            blocksize: self.blocksize as usize,
            // Set by the core from the layout.
            input_channels: 0,
            output_channels: 0,
            speed: self.speed.unwrap_or(1.0),
            latency: latency(&self.latency)?,
            input_latency: match &self.input_latency {
                None => None,
                l => Some(latency(l)?),
            },
            faults: self
                .faults
                .as_ref()
                .map(FaultOptions::faults)
                .unwrap_or_default(),
            loopback: self.loopback.unwrap_or(false),
            convert: self.convert.unwrap_or(true),
            drift_correction: self.drift_correction.unwrap_or(false),
            mix: self.mix.as_deref().map_or(Ok(Mix::First), Mix::parse)?,
        };
        let layout = DataLayout {
            input_channels: self.input_channels as usize,
            output_channels: self.output_channels as usize,
            input_map: self.input_map,
            output_map: self.output_map,
        };
        let choice = HostChoice {
            named: self.host.as_deref(),
            preferred: self.default_host.as_deref(),
        };
        let slots = self.action_slots.map_or(MAX_ACTIONS, |n| n as usize);
        Stream::open(choice, &sel, config, layout, slots)
    }
}

impl FaultOptions {
    fn faults(&self) -> Faults {
        Faults {
            skip_blocks: self
                .skip_blocks
                .iter()
                .flatten()
                .map(|&b| u64::from(b))
                .collect(),
            delay: match (self.delay_block, self.delay_ms) {
                (Some(b), Some(ms)) => vec![(u64::from(b), ms)],
                _ => vec![],
            },
            fail_on_open: self.fail_on_open.unwrap_or(false),
            vanish_at_block: self.vanish_at_block.map(u64::from),
            stall_at_block: self.stall_at_block.map(u64::from),
            panic_at_block: self.panic_at_block.map(u64::from),
            clock_offset_ppm: self.clock_offset_ppm.unwrap_or(0.0),
        }
    }
}
