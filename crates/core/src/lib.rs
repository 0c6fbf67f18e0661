//! ringstream-core: the pure-Rust heart of ringstream.
//!
//! - [`ring`]: the SPSC ring buffer with PortAudio semantics, shared with JS;
//! - [`engine`]: the block processor that runs in the audio callback;
//! - [`device`]: hosts and devices, including the built-in virtual device;
//! - [`dsp`]: the signal toolkit's kernels (generators, gain, mixing,
//!   envelopes, resampling, spectra, event finding, plot decimation);
//! - [`stream`]: a device plus an engine, driven from the control side;
//! - [`pump`]: reader/writer threads between WAV files and rings;
//! - [`doorbell`]: how a thread sleeps until a ring's other side has moved;
//! - [`wav`]: WAV reading and writing (headers built by hound), blockwise and
//!   whole-file, on interleaved `f32`.
//!
//! Nothing here depends on Node.js: everything is testable with `cargo test`.

#[macro_use]
mod u32_enum;

pub mod audio_file;
pub mod convert;
pub mod device;
pub mod doorbell;
pub mod dsp;
pub mod engine;
pub mod error;
pub mod pump;
pub mod ring;
pub mod shared_rings;
pub mod stream;
pub mod wav;

pub use error::{Error, ErrorKind, Result};
