//! Channel maps: which input channel feeds each output channel.

use crate::error::{Error, Result};

/// For each output channel, the one-based input channel that feeds it
/// (0 = silence). For playback the inputs are the source's channels and the
/// outputs the device's; for recording, the device's and the sink's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelMap {
    feeds: Vec<u16>,
}

impl ChannelMap {
    /// Output channel `k` fed by input channel `k` where both exist.
    pub fn identity(inputs: usize, outputs: usize) -> ChannelMap {
        ChannelMap {
            feeds: (0..outputs)
                .map(|k| if k < inputs { k as u16 + 1 } else { 0 })
                .collect(),
        }
    }

    /// A map from a user's list (pastream style, one-based, 0 = silence),
    /// checked against the channel counts; duplicates are refused.
    pub fn from_list(list: &[i64], inputs: usize, outputs: usize) -> Result<ChannelMap> {
        if list.len() > outputs {
            return Err(Error::invalid_arg(format!(
                "map has {} entries but there are only {outputs} output channels",
                list.len()
            )));
        }
        let mut feeds = vec![0u16; outputs];
        for (k, &v) in list.iter().enumerate() {
            if v < 0 || v as usize > inputs {
                return Err(Error::invalid_arg(format!(
                    "map entries must be 0 (silence) or a one-based channel from 1 to {inputs}, got {v} at position {k}"
                )));
            }
            if v > 0 && list[..k].contains(&v) {
                return Err(Error::invalid_arg(format!(
                    "map must not name channel {v} twice"
                )));
            }
            feeds[k] = v as u16;
        }
        Ok(ChannelMap { feeds })
    }

    /// An input stream's map from a user's list (pastream style): entry `k`
    /// names the data channel that device channel `k + 1` feeds (0 = none).
    /// Checked like [`ChannelMap::from_list`], then inverted: the result
    /// feeds each of `data` channels from its device channel.
    pub fn from_input_list(list: &[i64], device: usize, data: usize) -> Result<ChannelMap> {
        let checked = ChannelMap::from_list(list, data, device)?;
        let mut feeds = vec![0u16; data];
        for (k, &v) in checked.feeds.iter().enumerate() {
            if v > 0 {
                feeds[v as usize - 1] = k as u16 + 1;
            }
        }
        Ok(ChannelMap { feeds })
    }

    /// python-rtmixer's `channels`: a list of one-based device channels, one
    /// per buffer channel. For playback (`to_device`) the map feeds device
    /// output `list[c]` from buffer channel `c + 1`; for recording, buffer
    /// channel `c + 1` from device input `list[c]`. 0, out-of-range and
    /// duplicate channels are refused.
    pub fn from_device_channels(
        list: &[i64],
        device: usize,
        to_device: bool,
    ) -> Result<ChannelMap> {
        if list.is_empty() {
            return Err(Error::invalid_arg(
                "channels must name at least one device channel",
            ));
        }
        for (c, &d) in list.iter().enumerate() {
            if d < 1 || d as usize > device {
                return Err(Error::invalid_arg(format!(
                    "channels must be one-based device channels from 1 to {device}, got {d} at position {c}"
                )));
            }
            if list[..c].contains(&d) {
                return Err(Error::invalid_arg(format!(
                    "channels must not name device channel {d} twice"
                )));
            }
        }
        let feeds = if to_device {
            let mut f = vec![0u16; device];
            for (c, &d) in list.iter().enumerate() {
                f[d as usize - 1] = c as u16 + 1;
            }
            f
        } else {
            list.iter().map(|&d| d as u16).collect()
        };
        Ok(ChannelMap { feeds })
    }

    /// Number of output channels.
    pub fn outputs(&self) -> usize {
        self.feeds.len()
    }

    /// The one-based input feeding output `k` (0 = silence).
    #[inline]
    pub fn feed(&self, k: usize) -> usize {
        self.feeds[k] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_entries() {
        assert_eq!(ChannelMap::identity(1, 3).feeds, vec![1, 0, 0]);
        assert_eq!(
            ChannelMap::from_list(&[2, 0, 1], 2, 4).unwrap().feeds,
            vec![2, 0, 1, 0]
        );
        assert!(ChannelMap::from_list(&[1, 1], 2, 2).is_err());
        assert!(ChannelMap::from_list(&[3], 2, 2).is_err());
        assert!(ChannelMap::from_list(&[1, 2, 0], 2, 2).is_err());
        assert!(ChannelMap::from_list(&[-1], 2, 2).is_err());
    }

    #[test]
    fn maps_rtmixer_channel_lists() {
        let play = ChannelMap::from_device_channels(&[3, 1], 4, true).unwrap();
        assert_eq!(play.feeds, vec![2, 0, 1, 0]);
        let rec = ChannelMap::from_device_channels(&[3, 1], 4, false).unwrap();
        assert_eq!(rec.feeds, vec![3, 1]);
        for bad in [&[0][..], &[5], &[1, 1], &[]] {
            assert!(
                ChannelMap::from_device_channels(bad, 4, true).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn inverts_input_maps() {
        // Device channel 1 feeds data channel 2, device channel 3 data channel 1.
        let m = ChannelMap::from_input_list(&[2, 0, 1], 3, 2).unwrap();
        assert_eq!(m.feeds, vec![3, 1]);
        assert!(ChannelMap::from_input_list(&[3], 1, 2).is_err());
        assert!(ChannelMap::from_input_list(&[1, 1], 2, 2).is_err());
    }
}
