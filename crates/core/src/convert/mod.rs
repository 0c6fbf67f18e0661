//! Sample-rate and channel conversion between a stream and its device.
//!
//! When a device cannot run at the stream's samplerate or open the stream's
//! channel count, the device runs at what it offers and the engine sees the
//! stream's rate and channels: [`converter::Converter`] is the device's
//! callback, [`stage::Stage`] one direction of rate conversion (a
//! [`polyphase::Polyphase`] FIR for rational ratios, rubato's
//! [`sinc::Sinc`] resampler for any other, built once at open),
//! [`fifo::Fifo`] the fixed queue between the two rates, [`channels`]
//! the channel mapping and [`drift`] the loop that moves the rate when the
//! data on the stream's side is paced by another clock. Nothing in
//! the callback allocates or locks.

pub mod channels;
pub mod converter;
pub mod drift;
pub mod drift_fit;
#[cfg(test)]
mod drift_tests;
pub mod fifo;
pub mod polyphase;
#[cfg(test)]
mod quality_tests;
pub mod sinc;
pub mod stage;
mod steering;
pub mod testkit;
