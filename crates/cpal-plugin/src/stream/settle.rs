//! What a period probe answers, on every platform: the ALSA probe
//! ([`super::alsa`]) where ALSA is (`cfg(alsa_stack)`), a refusal elsewhere.

/// The periods an ALSA device takes, best first.
#[derive(Debug, Clone)]
pub struct Settled {
    /// Periods in frames (what cpal's callbacks get), best first.
    pub periods: Vec<u32>,
    /// Frames a JACK-backed PCM (alsa-plugins' `jack`) hands to the JACK
    /// graph at once, at the start of each JACK cycle: its timestamps (from
    /// the queue length, as if the queue drained continuously) are that
    /// much early on both sides. None for other devices.
    pub burst: Option<u32>,
}

/// How `Probe::settle` chooses: candidate periods within the device's
/// range `(min, max)`, and an order for the periods the device would give.
pub struct Choice<C, R> {
    /// The periods to ask for.
    pub candidates: C,
    /// Orders what the device would give for them, best first.
    pub rank: R,
}

/// The errno names the error kinds depend on.
pub mod errno {
    /// Device or resource busy.
    pub const EBUSY: i32 = 16;
    /// No such file or directory (no such PCM).
    pub const ENOENT: i32 = 2;
    /// No such device.
    pub const ENODEV: i32 = 19;
    /// Try again (busy, non-blocking).
    pub const EAGAIN: i32 = 11;
}
