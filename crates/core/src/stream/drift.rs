//! Drift correction on a stream (`driftCorrection: true`): the stream's
//! frames are paced by a clock other than the device's (a producer writing
//! in real time, a network source, a reader on the system clock), so the
//! engine converts between the device's clock and the stream's, steered by
//! the fill of the ring the user writes into (output) or reads from
//! (input), as the engine publishes it ([`crate::engine::drift_watch`]).

use super::Stream;
use crate::convert::converter::{Converter, Drift};
use crate::convert::drift::Side;
use crate::device::{Callback, StreamConfig};
use crate::engine::Shared;
use crate::error::{Error, Result};
use std::sync::Arc;

/// Refuses what cannot be corrected: correction converts, so a stream that
/// forbids conversion cannot have it.
///
/// ```
/// use ringstream_core::device::StreamConfig;
/// use ringstream_core::stream::check_drift_correction;
/// let mut c = StreamConfig {
///     samplerate: 48000, blocksize: 256, input_channels: 0, output_channels: 2,
///     latency: Default::default(), input_latency: None, speed: 1.0,
///     faults: Default::default(), loopback: false, convert: false,
///     drift_correction: true, mix: Default::default(),
/// };
/// assert!(check_drift_correction(&c).is_err());
/// c.convert = true;
/// assert!(check_drift_correction(&c).is_ok());
/// ```
pub fn check_drift_correction(config: &StreamConfig) -> Result<()> {
    if config.drift_correction && !config.convert {
        return Err(Error::invalid_arg(
            "driftCorrection: true cannot work with convert: false: correction converts between the device's clock and the stream's; leave one of them out",
        ));
    }
    Ok(())
}

/// What the converter watches for a stream opened with drift correction:
/// the ring a play drains when the stream has output (a duplex stream
/// follows its output: one loop steers both directions, as one device
/// clock runs both), else the ring a record fills. None without correction.
pub(super) fn drift_for(config: &StreamConfig, shared: &Arc<Shared>) -> Option<Drift> {
    config
        .drift_correction
        .then(|| watching(shared.clone(), config.output_channels > 0))
}

/// The drift correction of a stream whose engine shares `shared`: steered
/// by the watched ring a play drains (`output`) or a record fills, as the
/// engine publishes them ([`crate::engine::drift_watch`]): atomics only,
/// so the converter reads them in the callback.
pub(crate) fn watching(shared: Arc<Shared>, output: bool) -> Drift {
    if output {
        Drift {
            side: Side::Drains,
            ring: Box::new(move || shared.drift.played()),
        }
    } else {
        Drift {
            side: Side::Fills,
            ring: Box::new(move || shared.drift.recorded()),
        }
    }
}

/// The device's callback over `conv`, publishing the drift loop's estimate
/// after each block (an atomic store) for [`Stream::drift_ppm`].
pub(super) fn converting_callback(mut conv: Converter, shared: Arc<Shared>) -> Callback {
    Box::new(move |i, o, info| {
        let flow = conv.process(i, o, info);
        if let Some(offset) = conv.drift_offset() {
            shared.drift.set_offset(offset);
        }
        flow
    })
}

impl Stream {
    /// The drift correction's estimate of how far the device's clock runs
    /// from the clock that paces the stream's data, in parts per million
    /// (positive: the device runs fast); 0 until a ring has run long enough
    /// to tell, None when the stream does not correct drift.
    pub fn drift_ppm(&self) -> Option<f64> {
        self.info
            .config
            .drift_correction
            .then(|| self.shared().drift.offset() * 1e6)
    }
}
