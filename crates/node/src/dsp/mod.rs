//! The signal toolkit's kernels for JavaScript (`Signal`, `util`): each
//! function converts its arguments, calls one `ringstream_core::dsp` kernel
//! and hands the result back; samples come in as `&[f32]` over the JS array
//! (no copy) and go out as a `Float32Array` over the Rust `Vec`.
//! Every function catches panics (`catch_unwind`): a bug becomes a JS error,
//! never an abort. Internal: use `Signal` and `util` from the package.

mod analysis;
mod edit;
mod filter;
mod helpers;
mod select;
mod shape;
mod stft;
mod util;
mod window;

pub use analysis::*;
pub use edit::*;
pub use filter::*;
pub use helpers::*;
pub use select::*;
pub use shape::*;
pub use stft::*;
pub use util::*;
pub use window::*;

use napi_derive::napi;
use ringstream_core::dsp::Audio;

/// The layout of interleaved samples.
#[napi(object)]
pub struct DspLayout {
    /// Channels per frame.
    pub channels: u32,
    /// Frames per second.
    pub samplerate: f64,
}

pub(crate) fn audio<'a>(data: &'a [f32], l: &DspLayout) -> ringstream_core::Result<Audio<'a>> {
    Audio::new(data, l.channels as usize, l.samplerate)
}

pub(crate) fn seed(s: Option<f64>) -> Option<u64> {
    s.map(|v| v.abs() as u64)
}
