//! The kernels of the signal toolkit: every loop over samples of `Signal`
//! and the `util` helpers lives here, on interleaved `f32` audio.
//!
//! - [`audio`]: [`Audio`], the checked view of interleaved samples that the
//!   kernels take;
//! - [`gen`]: sine, cosine, square, sawtooth, white and pink noise (pya's Ugen);
//! - [`gain`]: gain, normalisation, DC removal;
//! - [`mix`]: channel matrices (mono, stereo, pan2, rewire, selection);
//! - [`envelope`]: fades, breakpoint envelopes, ADSR;
//! - [`edit`]: slices, concatenation, mixing one signal into another;
//! - [`select`]: pya's reading forms (frame lists, masks, steps, channel lists);
//! - [`write`]: pya's writing into a signal and its modes;
//! - [`arith`]: pya's arithmetic operators and their length rules, and `==`;
//! - [`resample`]: band-limited resampling with `rubato`, or pya's by interpolation;
//! - [`interp`]: scipy's `interp1d` kinds (linear, nearest, splines, ...);
//! - [`spectrum`]: spectra and spectrograms with `realfft`;
//! - [`events`]: pya's event finding (silence / sound segmentation);
//! - [`decimate`]: min/max per plot column, for waveform drawings;
//! - [`heatmap`] and [`png`]: a spectrogram as a PNG picture;
//! - [`measure`]: per-channel RMS and peak;
//! - [`framespec`]: pya's `magspec`, `powspec` and `spectrum` (raw real FFTs);
//! - [`helpers`]: pya's array helpers (padding, normalize, framing, ...);
//! - [`util`]: pya's and OsSom's scalar helpers and Gaussian noise;
//! - [`bands`]: fractional-octave bands (OsSom);
//! - [`rng`]: the small seeded generator behind the noises;
//! - [`iir_design`]: scipy's `iirfilter` designs as second-order sections;
//!   its analog prototypes live in `iir_proto`, `iir_ellip` and `iir_bessel`;
//! - [`sosfilt`]: sections over a signal, one pass or zero phase;
//! - [`freqz`]: the frequency response of sections;
//! - [`stft`]: scipy's complex STFT and its inverse;
//! - [`rfft`]: pya's Aspec: numpy's `rfft`, `irfft` and spectral weighting;
//! - [`window`]: scipy's windows over a signal, pya's `window_op`;
//! - [`convolve`]: pya's `convolve` (scipy's, direct or by FFT);
//! - [`ola`]: pya's `overlap_add`.

pub mod arith;
pub mod audio;
pub mod bands;
pub mod convolve;
pub mod decimate;
pub mod edit;
pub mod envelope;
pub mod events;
pub mod framespec;
pub mod freqz;
pub mod gain;
pub mod gen;
pub mod heatmap;
pub mod helpers;
mod iir_bessel;
pub mod iir_design;
mod iir_ellip;
mod iir_proto;
pub mod interp;
pub mod measure;
pub mod mix;
pub mod ola;
pub mod png;
pub mod resample;
pub mod rfft;
pub mod rng;
pub mod select;
pub mod sosfilt;
pub mod spectrum;
pub mod stft;
pub mod util;
pub mod window;
pub mod write;

pub use audio::Audio;
