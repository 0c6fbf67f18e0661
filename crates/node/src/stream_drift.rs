//! A stream's drift correction, as JS reads it (`stream.driftPpm`).

use crate::stream::NativeStream;
use napi_derive::napi;

#[napi]
impl NativeStream {
    /// The drift correction's estimate of the device clock's offset from
    /// the clock that paces the stream's data, in ppm (positive: the device
    /// runs fast); null when the stream does not correct drift.
    #[napi(getter)]
    pub fn drift_ppm(&self) -> Option<f64> {
        self.stream.as_ref().and_then(|s| s.drift_ppm())
    }
}
