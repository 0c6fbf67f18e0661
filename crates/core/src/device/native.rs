//! What a device opens natively: the sample rates and channel counts each
//! direction takes without the engine converting (`devices()` lists them;
//! a stream with `convert: false` must ask for one of them).

use super::cpal::abi::RsOffers;

/// An inclusive range (`min == max`: one value).
pub type Range = (u32, u32);

/// What one direction of a device takes: sorted, disjoint ranges of sample
/// rates (Hz) and of channel counts. Both empty: the direction is absent,
/// or the device was opened by name without being listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offers {
    /// Sample-rate ranges in Hz.
    pub samplerates: Vec<Range>,
    /// Channel-count ranges.
    pub channels: Vec<Range>,
}

impl Offers {
    /// A direction that takes one range of rates and one of channel counts.
    ///
    /// ```
    /// use ringstream_core::device::Offers;
    /// let o = Offers::span((48000, 48000), (2, 2));
    /// assert_eq!(o.samplerates, vec![(48000, 48000)]);
    /// ```
    pub fn span(samplerates: Range, channels: Range) -> Offers {
        Offers {
            samplerates: vec![samplerates],
            channels: vec![channels],
        }
    }

    /// What the plugin's listing says.
    ///
    /// ```
    /// use ringstream_core::device::{cpal::abi::RsOffers, Offers};
    /// let o = Offers::from_abi(&RsOffers::new(&[(44100, 44100)], &[(1, 2)]));
    /// assert_eq!(o, Offers::span((44100, 44100), (1, 2)));
    /// ```
    pub fn from_abi(o: &RsOffers) -> Offers {
        Offers {
            samplerates: o.rate_ranges(),
            channels: o.channel_ranges(),
        }
    }
}

/// What a device opens natively, per direction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Native {
    /// Its input (empty for an output-only device).
    pub input: Offers,
    /// Its output (empty for an input-only device).
    pub output: Offers,
}
