//! ringstream-core: the pure-Rust heart of ringstream.
//!
//! - [`ring`]: the SPSC ring buffer with PortAudio semantics, shared with JS;
//! - [`wav`]: WAV reading and writing (headers built by hound), blockwise and
//!   whole-file, on interleaved `f32`.
//!
//! Nothing here depends on Node.js: everything is testable with `cargo test`.

pub mod error;
pub mod ring;
pub mod wav;

pub use error::{Error, ErrorKind, Result};
