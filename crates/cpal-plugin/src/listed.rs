//! A device as the plugin lists it (what the ABI's `RsDevice` carries).

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
}
