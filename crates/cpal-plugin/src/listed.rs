//! A device as the plugin lists it (what the ABI's `RsDevice` carries).

use crate::abi::RsOffers;
use cpal::SupportedStreamConfigRange;

/// A device as the plugin lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    /// Stable name (ALSA: the PCM name; JACK: the host's one device;
    /// PipeWire: the node name; PulseAudio: the sink's or source's name).
    pub name: String,
    /// What the desktop shows for it (PipeWire and PulseAudio: the
    /// description); empty where the host has nothing better than `name`.
    pub description: String,
    /// Most input channels.
    pub max_in: u32,
    /// Most output channels.
    pub max_out: u32,
    /// Preferred rate.
    pub samplerate: f64,
    /// Default input of its host.
    pub default_in: bool,
    /// Default output of its host.
    pub default_out: bool,
    /// An output whose playback an input stream can record (a PipeWire
    /// sink's monitor, a PulseAudio sink's `.monitor` source).
    pub loopback: bool,
    /// What its input opens without the engine converting.
    pub native_in: RsOffers,
    /// What its output opens without the engine converting.
    pub native_out: RsOffers,
}

/// What cpal's config ranges for one direction offer: their rate ranges and
/// channel counts (a sound server's host lists what the server converts).
pub fn offers_of(ranges: &[SupportedStreamConfigRange]) -> RsOffers {
    let rates: Vec<(u32, u32)> = ranges
        .iter()
        .map(|r| (r.min_sample_rate(), r.max_sample_rate()))
        .collect();
    let channels: Vec<(u32, u32)> = ranges
        .iter()
        .map(|r| (u32::from(r.channels()), u32::from(r.channels())))
        .collect();
    RsOffers::new(&rates, &channels)
}
