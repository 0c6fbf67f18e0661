//! A device as the plugin lists it (what the ABI's `RsDevice` carries).

/// A device as the plugin lists it.
pub struct Listed {
    /// Stable name (ALSA: the PCM name; JACK: the host's one device).
    pub name: String,
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
}
