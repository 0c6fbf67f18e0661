//! What a stream is opened with besides the device config: its data
//! channels and channel maps, the host it asks for, and the limits that
//! every layer checks here (JS asks the core through the bindings).

use crate::device::{DeviceInfo, Host, StreamConfig};
use crate::engine::map::ChannelMap;
use crate::error::{show_number, Error, ErrorKind, Result};

/// The data a stream exchanges and how it maps onto the device's channels
/// (pastream's `map`: one-based, 0 = none; the device opens one channel
/// per map entry).
#[derive(Debug, Clone, Default)]
pub struct DataLayout {
    /// Channels of recorded data (0: no input).
    pub input_channels: usize,
    /// Channels of played data (0: no output).
    pub output_channels: usize,
    /// Entry `k`: the data channel that device input `k + 1` feeds.
    pub input_map: Option<Vec<i64>>,
    /// Entry `k`: the data channel that feeds device output `k + 1`.
    pub output_map: Option<Vec<i64>>,
}

impl DataLayout {
    /// The device's `(input, output)` channels and the play and record maps.
    pub(super) fn resolve(&self) -> Result<(usize, usize, ChannelMap, ChannelMap)> {
        for (n, what) in [
            (self.input_channels, "input channels"),
            (self.output_channels, "output channels"),
        ] {
            if n > 0 {
                check_channels(n, what)?;
            }
        }
        let dev_in = self
            .input_map
            .as_ref()
            .map_or(self.input_channels, Vec::len);
        let dev_out = self
            .output_map
            .as_ref()
            .map_or(self.output_channels, Vec::len);
        for (map, data, what) in [
            (&self.input_map, self.input_channels, "input map"),
            (&self.output_map, self.output_channels, "output map"),
        ] {
            if map.as_ref().is_some_and(|m| m.is_empty() || data == 0) {
                return Err(Error::invalid_arg(format!(
                    "{what} must be a non-empty list of one-based channels, for a stream with that direction"
                )));
            }
        }
        let play = match &self.output_map {
            Some(m) => ChannelMap::from_list(m, self.output_channels, dev_out)?,
            None => ChannelMap::identity(self.output_channels, dev_out),
        };
        let record = match &self.input_map {
            Some(m) => ChannelMap::from_input_list(m, dev_in, self.input_channels)?,
            None => ChannelMap::identity(dev_in, self.input_channels),
        };
        Ok((dev_in, dev_out, play, record))
    }
}

/// Which host a stream asks for (see [`crate::device::resolve_host`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct HostChoice<'a> {
    /// Named by the caller: a device id of another host is an error.
    pub named: Option<&'a str>,
    /// The process-wide default, used when neither the caller nor the device id names one.
    pub preferred: Option<&'a str>,
}

/// Most actions queued on a stream (running and waiting for a slot).
pub const MAX_QUEUED: usize = 1 << 16;

/// Most channels a stream's data or device may have.
pub const MAX_CHANNELS: usize = 1024;
/// Most frames per callback.
pub const MAX_BLOCKSIZE: usize = 1 << 16;

/// The one rule for a stream's channel counts (used by the stream, and by
/// JS to check `defaults` when they are set).
pub fn check_channels(n: usize, what: &str) -> Result<()> {
    if n == 0 || n > MAX_CHANNELS {
        return Err(Error::invalid_arg(format!(
            "{what} must be an integer from 1 to {MAX_CHANNELS}, got {n}"
        )));
    }
    Ok(())
}

/// The one rule between a stream's ring size and its blocksize: a ring
/// (`bufferSize` frames, between JS or a file thread and the audio thread)
/// must hold at least one whole block, or every callback finds it short
/// (playback at a fraction of real time, an xrun per block).
pub fn check_buffer_holds_block(buffer_size: usize, blocksize: usize) -> Result<()> {
    if buffer_size < blocksize {
        return Err(Error::invalid_arg(format!(
            "bufferSize must be at least the blocksize ({blocksize} frames), got {buffer_size}"
        )));
    }
    Ok(())
}

/// The one rule for a stream's blocksize: 0 ([`HOST_BLOCK`]) lets the host
/// choose (see [`resolve_blocksize`]), else 1 to [`MAX_BLOCKSIZE`] frames.
///
/// ```
/// use ringstream_core::stream::check_blocksize;
/// assert!(check_blocksize(0).is_ok());
/// assert!(check_blocksize(512).is_ok());
/// assert!(check_blocksize(1 << 20).is_err());
/// ```
pub fn check_blocksize(n: usize) -> Result<()> {
    if n > MAX_BLOCKSIZE {
        return Err(Error::invalid_arg(format!(
            "blocksize must be 0 (the host chooses) or an integer from 1 to {MAX_BLOCKSIZE} frames, got {n}"
        )));
    }
    Ok(())
}

/// The blocksize that asks the host to choose (pastream's `blocksize=0`).
pub const HOST_BLOCK: usize = 0;

/// The blocksize a stream of `config` opens with on `device` of `host`:
/// `config.blocksize` itself, or for [`HOST_BLOCK`] the host's own block
/// ([`Host::own_block`]: the virtual devices' 512 frames, a plugin host's
/// period). Every block then has that size (the engine runs fixed blocks;
/// pastream lets them vary).
///
/// ```
/// use ringstream_core::device::virtual_host::VirtualHost;
/// use ringstream_core::device::{DeviceSelector, Host, Latency, StreamConfig};
/// use ringstream_core::stream::{resolve_blocksize, HOST_BLOCK};
/// let host = VirtualHost;
/// let dev = host.device(&DeviceSelector::Default, false, true).unwrap();
/// let mut c = StreamConfig {
///     samplerate: 48000, blocksize: 256, input_channels: 0, output_channels: 2,
///     latency: Latency::Low, input_latency: None, speed: 1.0,
///     faults: Default::default(), loopback: false, convert: true,
///     drift_correction: false, mix: Default::default(),
/// };
/// assert_eq!(resolve_blocksize(&host, &dev, &c).unwrap(), 256);
/// c.blocksize = HOST_BLOCK;
/// assert_eq!(resolve_blocksize(&host, &dev, &c).unwrap(), 512);
/// ```
pub fn resolve_blocksize(
    host: &dyn Host,
    device: &DeviceInfo,
    config: &StreamConfig,
) -> Result<usize> {
    check_blocksize(config.blocksize)?;
    if config.blocksize != HOST_BLOCK {
        return Ok(config.blocksize);
    }
    let n = host.own_block(device, config)?;
    if n == 0 || n > MAX_BLOCKSIZE {
        return Err(Error::new(
            ErrorKind::UnsupportedConfig,
            format!(
                "{} runs blocks of {n} frames, outside 1 to {MAX_BLOCKSIZE}; give a blocksize",
                device.id
            ),
        ));
    }
    Ok(n)
}

/// Lowest stream sample rate, in Hz.
pub const MIN_SAMPLERATE: u32 = 1000;
/// Highest stream sample rate, in Hz.
pub const MAX_SAMPLERATE: u32 = 768_000;
/// Most frames of the rings a stream creates (`bufferSize`).
pub const MAX_BUFFER_SIZE: usize = 1 << 26;
/// Frames of the rings between a stream and JS or a file thread when the
/// caller names none (`bufferSize`).
pub const DEFAULT_BUFFER_SIZE: usize = 1 << 16;

/// The one rule for a stream's sample rate: a whole number of Hz from
/// [`MIN_SAMPLERATE`] to [`MAX_SAMPLERATE`] (a JS number is passed as is,
/// so nothing saturates on the way).
pub fn check_samplerate(hz: f64) -> Result<u32> {
    if hz.fract() != 0.0 || !(f64::from(MIN_SAMPLERATE)..=f64::from(MAX_SAMPLERATE)).contains(&hz) {
        return Err(Error::invalid_arg(format!(
            "samplerate must be an integer from {MIN_SAMPLERATE} to {MAX_SAMPLERATE} Hz, got {}",
            show_number(hz)
        )));
    }
    Ok(hz as u32)
}

/// The one rule for `bufferSize`: a power of two of frames from 1 to
/// [`MAX_BUFFER_SIZE`].
pub fn check_buffer_size(frames: f64) -> Result<usize> {
    let ok = frames.fract() == 0.0
        && (1.0..=MAX_BUFFER_SIZE as f64).contains(&frames)
        && (frames as usize).is_power_of_two();
    if !ok {
        return Err(Error::invalid_arg(format!(
            "bufferSize must be a power of 2 from 1 to {MAX_BUFFER_SIZE} frames, got {}",
            show_number(frames)
        )));
    }
    Ok(frames as usize)
}

/// The one rule for interleaved data: `samples` must be whole frames of
/// `channels` channels; returns the frames. `what` names the data.
pub fn check_whole_frames(samples: usize, channels: usize, what: &str) -> Result<usize> {
    if channels == 0 || !samples.is_multiple_of(channels) {
        return Err(Error::invalid_arg(format!(
            "{what} has {samples} samples, not a whole number of frames: a multiple of its {channels} channels"
        )));
    }
    Ok(samples / channels)
}

/// The one rule for a record job's span: `frames` (< 0: until stopped)
/// counts the `offset` dropped ones, so it is at least `offset`.
pub fn check_offset(frames: i64, offset: i64) -> Result<()> {
    if offset < 0 {
        return Err(Error::invalid_arg(format!(
            "offset must be a non-negative integer, got {offset}"
        )));
    }
    if frames >= 0 && frames < offset {
        return Err(Error::invalid_arg(format!(
            "frames ({frames}) must be >= offset ({offset})"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_must_hold_a_block() {
        assert!(check_buffer_holds_block(512, 512).is_ok());
        assert!(check_buffer_holds_block(65536, 512).is_ok());
        let e = check_buffer_holds_block(256, 1024).unwrap_err();
        assert!(e
            .to_string()
            .contains("bufferSize must be at least the blocksize (1024 frames), got 256"));
    }

    /// A host whose own block is `.0` frames.
    struct Chooses(usize);

    impl Host for Chooses {
        fn name(&self) -> &'static str {
            "chooses"
        }
        fn devices(&self) -> Result<Vec<DeviceInfo>> {
            Ok(Vec::new())
        }
        fn own_block(&self, _: &DeviceInfo, _: &StreamConfig) -> Result<usize> {
            Ok(self.0)
        }
        fn open(
            &self,
            _: &DeviceInfo,
            _: &StreamConfig,
            _: crate::device::Callback,
            _: crate::device::ErrorCallback,
        ) -> Result<Box<dyn crate::device::DeviceStream>> {
            Err(Error::invalid_arg("never opened"))
        }
    }

    #[test]
    fn a_host_block_outside_the_limits_is_refused_naming_the_device() {
        use crate::device::virtual_host::VirtualHost;
        use crate::device::DeviceSelector;
        let dev = VirtualHost
            .device(&DeviceSelector::Default, false, true)
            .unwrap();
        let config = StreamConfig {
            samplerate: 48000,
            blocksize: HOST_BLOCK,
            input_channels: 0,
            output_channels: 1,
            latency: crate::device::Latency::Low,
            input_latency: None,
            speed: 1.0,
            faults: Default::default(),
            loopback: false,
            convert: true,
            drift_correction: false,
            mix: Default::default(),
        };
        assert_eq!(
            resolve_blocksize(&Chooses(1024), &dev, &config).unwrap(),
            1024
        );
        for bad in [0, MAX_BLOCKSIZE + 1] {
            let e = resolve_blocksize(&Chooses(bad), &dev, &config).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::UnsupportedConfig);
            assert_eq!(
                e.message(),
                format!("virtual:loopback runs blocks of {bad} frames, outside 1 to 65536; give a blocksize")
            );
        }
        // A blocksize given is never the host's to change.
        let given = StreamConfig {
            blocksize: 300,
            ..config
        };
        assert_eq!(
            resolve_blocksize(&Chooses(1024), &dev, &given).unwrap(),
            300
        );
    }

    #[test]
    fn samplerate_is_checked_not_saturated() {
        assert_eq!(check_samplerate(48000.0).unwrap(), 48000);
        for bad in [999.0, 768_001.0, 44100.5, f64::NAN, f64::INFINITY, 5e9] {
            let e = check_samplerate(bad).unwrap_err();
            assert!(e.message().starts_with("samplerate must be"), "{e}");
        }
        assert!(check_samplerate(f64::INFINITY)
            .unwrap_err()
            .message()
            .ends_with("got Infinity"));
    }

    #[test]
    fn buffer_size_is_a_bounded_power_of_two() {
        assert_eq!(check_buffer_size(1.0).unwrap(), 1);
        assert_eq!(
            check_buffer_size(MAX_BUFFER_SIZE as f64).unwrap(),
            MAX_BUFFER_SIZE
        );
        assert!(check_buffer_size(DEFAULT_BUFFER_SIZE as f64).is_ok());
        for bad in [
            0.0,
            3.0,
            1000.0,
            2.0 * MAX_BUFFER_SIZE as f64,
            0.5,
            f64::NAN,
        ] {
            assert!(check_buffer_size(bad).is_err(), "{bad}");
        }
        let e = check_buffer_size(1000.0).unwrap_err();
        assert!(e.message().contains("power of 2") && e.message().ends_with("got 1000"));
    }

    #[test]
    fn whole_frames_and_offset() {
        assert_eq!(check_whole_frames(12, 3, "data").unwrap(), 4);
        assert_eq!(
            check_whole_frames(7, 2, "the source")
                .unwrap_err()
                .message(),
            "the source has 7 samples, not a whole number of frames: a multiple of its 2 channels"
        );
        assert!(check_whole_frames(4, 0, "data").is_err());
        assert!(check_offset(-1, 5).is_ok());
        assert!(check_offset(5, 5).is_ok());
        assert_eq!(
            check_offset(4, 5).unwrap_err().message(),
            "frames (4) must be >= offset (5)"
        );
    }
}
