//! The plugin's C ABI: plain `repr(C)` data and `extern "C"` function types,
//! so that the core and the plugin never exchange Rust types (each side may
//! be built by a different compiler or with different crate versions).
//!
//! Both sides depend on this one crate, so the definitions cannot drift
//! apart; [`ABI_VERSION`] is still checked on load, because a plugin file on
//! disk may come from another build. Bump it whenever anything here changes.

use std::ffi::{c_char, c_void};

/// Bumped on every change to this file or to the set of `rs_cpal_*`
/// functions (9: `rs_cpal_moved_to`).
pub const ABI_VERSION: u32 = 9;

/// Error kinds across the boundary (mapped to the core's `ErrorKind`).
pub mod kind {
    /// A bad argument.
    pub const INVALID_ARG: u32 = 1;
    /// No such device, the device vanished, or the host is unavailable.
    pub const DEVICE_NOT_FOUND: u32 = 2;
    /// The device is in use.
    pub const DEVICE_BUSY: u32 = 3;
    /// The device cannot do what was asked.
    pub const UNSUPPORTED_CONFIG: u32 = 4;
    /// Any other backend failure.
    pub const IO: u32 = 5;
    /// A panic was caught.
    pub const PANIC: u32 = 6;
}

/// Status flags of a block, as PortAudio's callback flags. The one
/// definition: the core's `engine::status` re-exports these, and the node
/// layer exports them to TypeScript.
pub mod status {
    /// Input data was lost before it reached the engine (or was invented).
    pub const INPUT_UNDERFLOW: u32 = 1;
    /// Input data was lost because a sink was full or the callback was late.
    pub const INPUT_OVERFLOW: u32 = 2;
    /// Output had to be filled with silence: data was not there in time.
    pub const OUTPUT_UNDERFLOW: u32 = 4;
    /// Output data was dropped.
    pub const OUTPUT_OVERFLOW: u32 = 8;
    /// Not an xrun: the host moved the stream to the device the desktop
    /// made the default (PipeWire). The engine raises an event for it and
    /// counts no xrun.
    pub const DEVICE_CHANGED: u32 = 16;
}

/// How a stream asks for latency ([`RsStreamConfig::latency_kind`]).
pub mod latency {
    /// The lowest the device sustains (PortAudio's default low latency).
    pub const LOW: u32 = 0;
    /// A safe, high latency (PortAudio's default high latency).
    pub const HIGH: u32 = 1;
    /// [`super::RsStreamConfig::latency_seconds`] seconds.
    pub const SECONDS: u32 = 2;
}

/// What the engine callback returns.
pub mod flow {
    /// Keep calling.
    pub const CONTINUE: u32 = 0;
    /// Stop calling until the next start.
    pub const COMPLETE: u32 = 1;
}

/// Bytes of an [`RsError`] message, NUL included.
pub const MESSAGE_LEN: usize = 512;
/// Bytes of an [`RsDevice`] name, NUL included.
pub const NAME_LEN: usize = 256;

/// An error: a kind and a NUL-terminated UTF-8 message, written by the plugin
/// into memory the caller owns (so nothing is freed across the boundary).
#[repr(C)]
pub struct RsError {
    /// One of [`kind`].
    pub kind: u32,
    /// NUL-terminated UTF-8.
    pub message: [c_char; MESSAGE_LEN],
}

/// One device.
#[repr(C)]
pub struct RsDevice {
    /// NUL-terminated UTF-8 name, unique within the host and stable.
    pub name: [c_char; NAME_LEN],
    /// Most input channels (0: no input).
    pub max_input_channels: u32,
    /// Most output channels (0: no output).
    pub max_output_channels: u32,
    /// Preferred sample rate.
    pub default_samplerate: f64,
    /// 1 if it is the host's default input.
    pub is_default_input: u8,
    /// 1 if it is the host's default output.
    pub is_default_output: u8,
    /// 1 if an input stream can record what this output plays
    /// ([`RsStreamConfig::loopback`]).
    pub loopback: u8,
    /// NUL-terminated UTF-8: what the desktop shows for the device (empty:
    /// nothing better than `name`).
    pub description: [c_char; NAME_LEN],
    /// What the device's input opens without the engine converting.
    pub native_input: RsOffers,
    /// What the device's output opens without the engine converting.
    pub native_output: RsOffers,
}

/// Most ranges an [`RsOffers`] list holds.
pub const MAX_RANGES: usize = 32;

/// An inclusive range of integers (`min == max`: one value).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RsRange {
    /// The least value.
    pub min: u32,
    /// The greatest value.
    pub max: u32,
}

/// What one direction of a device opens natively: its sample rates and its
/// channel counts, each as a sorted list of disjoint ranges (both empty: the
/// direction is absent, or the host could not say).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsOffers {
    /// Sample-rate ranges in Hz; the first `rate_count` are used.
    pub rates: [RsRange; MAX_RANGES],
    /// How many of `rates` are used.
    pub rate_count: u32,
    /// Channel-count ranges; the first `channel_count` are used.
    pub channels: [RsRange; MAX_RANGES],
    /// How many of `channels` are used.
    pub channel_count: u32,
}

impl Default for RsOffers {
    fn default() -> Self {
        RsOffers {
            rates: [RsRange::default(); MAX_RANGES],
            rate_count: 0,
            channels: [RsRange::default(); MAX_RANGES],
            channel_count: 0,
        }
    }
}

impl RsOffers {
    /// The offers of `rates` and `channels` (inclusive `(min, max)` pairs in
    /// any order, overlapping or not), each merged into sorted disjoint
    /// ranges; past [`MAX_RANGES`] the last range reaches to the greatest
    /// value (a list cut short would hide what the device offers).
    ///
    /// ```
    /// use ringstream_cpal_abi::RsOffers;
    /// let o = RsOffers::new(&[(48000, 48000), (44100, 44100), (44100, 48000)], &[(2, 2), (1, 1), (4, 4)]);
    /// assert_eq!(o.rate_ranges(), vec![(44100, 48000)]);
    /// assert_eq!(o.channel_ranges(), vec![(1, 2), (4, 4)]);
    /// ```
    pub fn new(rates: &[(u32, u32)], channels: &[(u32, u32)]) -> RsOffers {
        let mut o = RsOffers::default();
        o.rate_count = fill(&mut o.rates, rates);
        o.channel_count = fill(&mut o.channels, channels);
        o
    }

    /// The sample-rate ranges as `(min, max)` pairs.
    ///
    /// ```
    /// assert!(ringstream_cpal_abi::RsOffers::default().rate_ranges().is_empty());
    /// ```
    pub fn rate_ranges(&self) -> Vec<(u32, u32)> {
        used(&self.rates, self.rate_count)
    }

    /// The channel-count ranges as `(min, max)` pairs.
    ///
    /// ```
    /// let o = ringstream_cpal_abi::RsOffers::new(&[], &[(2, 2)]);
    /// assert_eq!(o.channel_ranges(), vec![(2, 2)]);
    /// ```
    pub fn channel_ranges(&self) -> Vec<(u32, u32)> {
        used(&self.channels, self.channel_count)
    }
}

/// Sorts and merges `ranges` (touching ones too: 1..=2 and 3..=4 are 1..=4)
/// into `out`; returns how many slots are used.
fn fill(out: &mut [RsRange; MAX_RANGES], ranges: &[(u32, u32)]) -> u32 {
    let mut sorted: Vec<(u32, u32)> = ranges.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    sorted.sort_unstable();
    let mut n = 0usize;
    for (min, max) in sorted {
        match n.checked_sub(1).map(|i| &mut out[i]) {
            Some(last) if min <= last.max.saturating_add(1) || n == MAX_RANGES => {
                last.max = last.max.max(max);
            }
            _ => {
                out[n] = RsRange { min, max };
                n += 1;
            }
        }
    }
    n as u32
}

fn used(ranges: &[RsRange; MAX_RANGES], count: u32) -> Vec<(u32, u32)> {
    ranges
        .iter()
        .take((count as usize).min(MAX_RANGES))
        .map(|r| (r.min, r.max))
        .collect()
}

/// What a stream asks for.
#[repr(C)]
pub struct RsStreamConfig {
    /// Frames per second.
    pub samplerate: u32,
    /// Frames per engine call: every call has exactly this many, whatever
    /// the device's period (the plugin adapts one to the other).
    pub blocksize: u32,
    /// Input channels (0: output only).
    pub input_channels: u32,
    /// Output channels (0: input only).
    pub output_channels: u32,
    /// One of [`latency`]: the output's latency.
    pub latency_kind: u32,
    /// The output's latency when `latency_kind` is [`latency::SECONDS`].
    pub latency_seconds: f64,
    /// One of [`latency`]: the input's latency.
    pub input_latency_kind: u32,
    /// The input's latency when `input_latency_kind` is [`latency::SECONDS`].
    pub input_latency_seconds: f64,
    /// 1: the input records what the device's output plays (the device
    /// lists `loopback`); 0: the device's own input.
    pub loopback: u32,
}

/// What the stream got.
#[repr(C)]
pub struct RsStreamInfo {
    /// Input latency in seconds: from the ADC to the engine call that gets
    /// the frame (device buffer, block adapter; in a duplex stream the
    /// handoff, so that input + output is exactly the round trip).
    pub input_latency: f64,
    /// Output latency in seconds: from an engine call to the DAC time of
    /// the block's first frame, at most (device buffer and what the device
    /// adds beyond it, plus the block adapter).
    pub output_latency: f64,
}

/// One engine call's timing. The three times are seconds on one clock:
/// the output device's (the input device's in an input-only stream).
#[repr(C)]
pub struct RsBlockInfo {
    /// Frames in this call (always the stream's `blocksize`).
    pub frames: u64,
    /// When the block's first output frame reaches the DAC. Consecutive
    /// blocks are exactly `frames / samplerate` apart (the device clock is
    /// smoothed over recent callbacks), until an xrun.
    pub output_time: f64,
    /// When the block's first input frame was captured at the ADC (in a
    /// duplex stream `output_time` minus the reported round trip).
    pub input_time: f64,
    /// The device clock when the device callback that runs this block was
    /// called (PortAudio's `currentTime`; the same for every block of one
    /// device callback, as in PortAudio's buffer processor).
    pub current_time: f64,
    /// Status flags ([`status`] bits).
    pub flags: u32,
}

/// The engine callback: `input` holds `frames * input_channels` samples,
/// `output` `frames * output_channels` (either may be null when its channel
/// count is 0). Returns one of [`flow`]. Must not unwind.
pub type RsCallback = unsafe extern "C" fn(
    user: *mut c_void,
    input: *const f32,
    output: *mut f32,
    info: *const RsBlockInfo,
) -> u32;

/// Reports a fatal stream error (kind from [`kind`], NUL-terminated message).
/// May be called from any thread. Must not unwind.
pub type RsErrorFn = unsafe extern "C" fn(user: *mut c_void, kind: u32, message: *const c_char);

/// What `rs_cpal_open` opens, and whom its stream calls.
#[repr(C)]
pub struct RsOpenArgs {
    /// The host's name, NUL-terminated.
    pub host: *const c_char,
    /// The device's name within the host, NUL-terminated.
    pub device: *const c_char,
    /// What the stream asks for.
    pub config: RsStreamConfig,
    /// Passed back to `callback` and `on_error`.
    pub user: *mut c_void,
    /// The engine callback.
    pub callback: RsCallback,
    /// The fatal-error callback.
    pub on_error: RsErrorFn,
    /// What `rs_cpal_period` planned for this host, device and config
    /// ([`RsPeriod::planned`]), or null. The open takes it over, whether it
    /// succeeds or not, and plans on it instead of opening the device again.
    pub planned: *mut c_void,
}

/// What `rs_cpal_period` asks about: the stream `rs_cpal_open` is about to
/// open.
#[repr(C)]
pub struct RsPeriodArgs {
    /// The host's name, NUL-terminated.
    pub host: *const c_char,
    /// The device's name within the host, NUL-terminated.
    pub device: *const c_char,
    /// The stream; its `blocksize` is ignored (it is what is asked for).
    pub config: RsStreamConfig,
}

/// What `rs_cpal_period` answers: the host's own period for the stream, the
/// block a stream with `blocksize: 0` opens with. A duplex stream's is its
/// output's (the input adapts, as for any block).
#[repr(C)]
pub struct RsPeriod {
    /// The period in frames (at least 1).
    pub frames: u32,
    /// What the plugin opened to find it (an ALSA PCM), to be passed as
    /// [`RsOpenArgs::planned`] so that the device is opened once; or null.
    /// Freed with `rs_cpal_forget` when no open follows.
    pub planned: *mut c_void,
}

/// Writes `msg` into `out` as a NUL-terminated string, cut at a character boundary.
pub fn write_cstr(out: &mut [c_char], msg: &str) {
    let max = out.len().saturating_sub(1);
    let mut end = msg.len().min(max);
    while !msg.is_char_boundary(end) {
        end -= 1;
    }
    for (o, b) in out.iter_mut().zip(msg.as_bytes()[..end].iter()) {
        *o = *b as c_char;
    }
    if let Some(o) = out.get_mut(end) {
        *o = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_past_the_cap_widen_the_last_one() {
        let points: Vec<(u32, u32)> = (0..40).map(|i| (i * 10, i * 10)).collect();
        let o = RsOffers::new(&points, &[]);
        let r = o.rate_ranges();
        assert_eq!(r.len(), MAX_RANGES);
        assert_eq!(r[MAX_RANGES - 2], (300, 300));
        assert_eq!(r[MAX_RANGES - 1], (310, 390));
    }

    #[test]
    fn touching_and_reversed_ranges_merge() {
        let o = RsOffers::new(&[(4, 3), (1, 2), (8, 9)], &[]);
        assert_eq!(o.rate_ranges(), vec![(1, 4), (8, 9)]);
    }
}
