//! What a stream is opened with besides the device config: its data
//! channels and channel maps, the host it asks for, and the limits that
//! every layer checks here (JS asks the core through the bindings).

use crate::engine::map::ChannelMap;
use crate::error::{Error, Result};

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

/// Which host a stream asks for (see [`device::resolve_host`]).
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

/// The one rule for a stream's blocksize.
pub fn check_blocksize(n: usize) -> Result<()> {
    if n == 0 || n > MAX_BLOCKSIZE {
        return Err(Error::invalid_arg(format!(
            "blocksize must be an integer from 1 to {MAX_BLOCKSIZE} frames, got {n}"
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
}
