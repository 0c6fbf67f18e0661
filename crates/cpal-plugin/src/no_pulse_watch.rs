//! No PulseAudio off the ALSA stack's systems: nothing to watch (see the Linux
//! `pulse_watch`).

use crate::stream::gate::Ctl;
use std::sync::Arc;

/// Never made here.
pub struct Watch;

impl Watch {
    /// Never a recording side.
    pub fn input(&self) -> bool {
        false
    }

    /// Never moved.
    pub fn moved_to(&self) -> Option<String> {
        None
    }
}

/// Runs `build`; no host here is PulseAudio.
pub fn around<T, E>(
    _at: (&str, &str),
    _side: (bool, bool),
    _ctl: &Arc<Ctl>,
    build: impl FnOnce() -> Result<T, E>,
) -> Result<(T, Option<Watch>), E> {
    Ok((build()?, None))
}
