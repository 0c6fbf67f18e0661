//! Loopback capture: an input stream that records what an output device
//! plays (a PipeWire sink's monitor, a PulseAudio `.monitor` source, WASAPI
//! loopback, a CoreAudio tap). The device is the output, so the stream
//! selects and checks it as one.

use super::{DeviceInfo, StreamConfig};
use crate::error::{Error, ErrorKind, Result};

/// The directions the device of a stream with `config` must offer:
/// `(input, output)`. A loopback stream records an output and plays nothing.
///
/// ```
/// use ringstream_core::device::{loopback, StreamConfig, Latency};
/// let mut c = StreamConfig {
///     samplerate: 48000, blocksize: 512, input_channels: 2, output_channels: 0,
///     latency: Latency::Low, input_latency: None, speed: 1.0, faults: Default::default(), loopback: true,
///     convert: true, drift_correction: false, mix: Default::default(),
/// };
/// assert_eq!(loopback::directions(&c).unwrap(), (false, true));
/// c.output_channels = 2;
/// assert!(loopback::directions(&c).is_err());
/// ```
pub fn directions(config: &StreamConfig) -> Result<(bool, bool)> {
    let (input, output) = (config.input_channels > 0, config.output_channels > 0);
    if !config.loopback {
        return Ok((input, output));
    }
    if output || !input {
        return Err(Error::invalid_arg(
            "loopback records what a device plays: it needs an input-only stream (InputStream, record)",
        ));
    }
    Ok((false, true))
}

/// The most input channels `dev` gives a stream with `config`: a loopback
/// stream records as many channels as the output has. Fails when `dev`
/// cannot be recorded.
pub fn input_channels(dev: &DeviceInfo, config: &StreamConfig) -> Result<usize> {
    if !config.loopback {
        return Ok(dev.max_input_channels);
    }
    if !dev.loopback {
        return Err(Error::new(
            ErrorKind::UnsupportedConfig,
            format!(
                "{} cannot be recorded (loopback): devices({{ host: '{}' }}) marks those that can with loopback: true",
                dev.id, dev.host
            ),
        ));
    }
    Ok(dev.max_output_channels)
}
