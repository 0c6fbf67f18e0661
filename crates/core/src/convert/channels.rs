//! Channel conversion between what the device opens and what the stream
//! uses, when the device cannot open the stream's own count.

use crate::engine::Sample;
use crate::error::{Error, Result};

/// How a stream with fewer channels than its device maps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mix {
    /// Stream channel `c` is device channel `c` (mono is channel 1); the
    /// device's other output channels are silent.
    #[default]
    First,
    /// Mono only: the input is the average of every device channel, and the
    /// output goes to every device channel.
    Average,
}

impl Mix {
    /// `'first'` or `'average'`.
    ///
    /// ```
    /// use ringstream_core::convert::channels::Mix;
    /// assert_eq!(Mix::parse("average").unwrap(), Mix::Average);
    /// assert!(Mix::parse("sum").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Mix> {
        match name {
            "first" => Ok(Mix::First),
            "average" => Ok(Mix::Average),
            other => Err(Error::invalid_arg(format!(
                "mix must be 'first' or 'average', got '{other}'"
            ))),
        }
    }
}

/// Refuses `mix` for a stream with `channels` channels in a direction
/// (`'average'` makes one channel).
///
/// ```
/// use ringstream_core::convert::channels::{check_mix, Mix};
/// assert!(check_mix(Mix::Average, 1).is_ok());
/// assert!(check_mix(Mix::Average, 2).is_err());
/// ```
pub fn check_mix(mix: Mix, channels: usize) -> Result<()> {
    if mix == Mix::Average && channels > 1 {
        return Err(Error::invalid_arg(format!(
            "mix 'average' needs a mono stream (it makes one channel of the device's), got {channels} channels in a direction"
        )));
    }
    Ok(())
}

/// Device frames (`dev_ch` interleaved) to stream frames (`ch`), as many
/// frames as `out` holds.
///
/// ```
/// use ringstream_core::convert::channels::{gather, Mix};
/// let mut mono = [0.0; 2];
/// gather(&[1.0, 3.0, 2.0, 4.0], 2, &mut mono, 1, Mix::Average);
/// assert_eq!(mono, [2.0, 3.0]);
/// ```
pub fn gather(dev: &[Sample], dev_ch: usize, out: &mut [Sample], ch: usize, mix: Mix) {
    let scale = 1.0 / dev_ch as Sample;
    for (d, o) in dev.chunks_exact(dev_ch).zip(out.chunks_exact_mut(ch)) {
        match mix {
            Mix::Average if ch == 1 => o[0] = d.iter().sum::<Sample>() * scale,
            _ => o.copy_from_slice(&d[..ch]),
        }
    }
}

/// Stream frames (`ch` interleaved) to device frames (`dev_ch`), as many
/// frames as `dev` holds.
///
/// ```
/// use ringstream_core::convert::channels::{spread, Mix};
/// let mut stereo = [9.0; 4];
/// spread(&[1.0, 2.0], 1, &mut stereo, 2, Mix::First);
/// assert_eq!(stereo, [1.0, 0.0, 2.0, 0.0]);
/// ```
pub fn spread(stream: &[Sample], ch: usize, dev: &mut [Sample], dev_ch: usize, mix: Mix) {
    for (s, d) in stream.chunks_exact(ch).zip(dev.chunks_exact_mut(dev_ch)) {
        match mix {
            Mix::Average if ch == 1 => d.fill(s[0]),
            _ => {
                d[..ch].copy_from_slice(s);
                d[ch..].fill(0.0);
            }
        }
    }
}
