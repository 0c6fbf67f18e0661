//! What JS reads of a stream: its device, format and latency, its state,
//! and its counters and meters (the getters of `NativeStream`).

use crate::stream::NativeStream;
use crate::stream_options::DeviceFormat;
use napi_derive::napi;
use std::sync::atomic::Ordering;

/// Peak levels per device channel.
#[napi(object)]
pub struct NativeLevels {
    /// One per device input channel.
    pub input: Vec<f64>,
    /// One per device output channel.
    pub output: Vec<f64>,
}
#[napi]
impl NativeStream {
    /// The device's id.
    #[napi(getter)]
    pub fn device_id(&self) -> String {
        self.stream
            .as_ref()
            .map(|s| s.info().device.id.clone())
            .unwrap_or_default()
    }

    /// The id of the device the host last moved the stream to, where the
    /// host names it (PulseAudio); null if it never moved or the host only
    /// follows the default (PipeWire).
    #[napi]
    pub fn moved_to(&self) -> Option<String> {
        self.stream.as_ref().and_then(|s| s.moved_to())
    }

    /// What the device runs at: its rate and `[input, output]` channels (the
    /// stream's own unless the engine converts).
    #[napi(getter)]
    pub fn device_format(&self) -> DeviceFormat {
        let run = self.stream.as_ref().map(|s| s.info().device_run);
        DeviceFormat {
            samplerate: run.map_or(0, |r| r.samplerate),
            channels: run.map_or(vec![0, 0], |r| {
                vec![r.channels.0 as u32, r.channels.1 as u32]
            }),
        }
    }

    /// Frames per block the stream opened with (the host's own block when
    /// it was asked for with 0).
    #[napi(getter)]
    pub fn blocksize(&self) -> u32 {
        self.stream
            .as_ref()
            .map_or(0, |s| s.info().config.blocksize as u32)
    }

    /// `[input, output]` latency in seconds.
    #[napi(getter)]
    pub fn latency(&self) -> Vec<f64> {
        self.stream
            .as_ref()
            .map(|s| vec![s.info().latency.0, s.info().latency.1])
            .unwrap_or_default()
    }

    /// 0 idle, 1 running, 2 finished, 3 aborted, 4 error.
    #[napi(getter)]
    pub fn state(&self) -> u32 {
        self.shared().state.load(Ordering::Acquire)
    }

    /// Frames processed since start.
    #[napi(getter)]
    pub fn frame_count(&self) -> f64 {
        self.shared().frame_count.load(Ordering::Acquire) as f64
    }

    /// Callbacks that carried an under/overflow flag since start.
    #[napi(getter)]
    pub fn xruns(&self) -> f64 {
        self.shared().xruns.load(Ordering::Acquire) as f64
    }

    /// Callbacks that carried each flag since start: `[input underflow,
    /// input overflow, output underflow, output overflow]`.
    #[napi(getter)]
    pub fn xrun_counts(&self) -> Vec<f64> {
        self.shared()
            .xrun_kinds
            .iter()
            .map(|k| k.load(Ordering::Acquire) as f64)
            .collect()
    }

    /// OR of the status flags since start (1 input underflow, 2 input
    /// overflow, 4 output underflow, 8 output overflow).
    #[napi(getter)]
    pub fn status(&self) -> u32 {
        self.shared().status.load(Ordering::Acquire)
    }

    /// The stream clock now, in seconds (monotonic; moves between callbacks).
    #[napi(getter)]
    pub fn time(&self) -> f64 {
        self.stream.as_ref().map_or(0.0, |s| s.time())
    }

    /// Device time (on the `time` clock) when the last frame played so far reaches the DAC.
    #[napi(getter)]
    pub fn played_until(&self) -> f64 {
        f64::from_bits(self.shared().played_until.load(Ordering::Acquire))
    }

    /// Time the audio callback takes over the block's duration, smoothed (1 = all of it).
    #[napi(getter)]
    pub fn cpu_load(&self) -> f64 {
        self.shared().cpu_load()
    }

    /// Peak |sample| of each device input and output channel since the last call (then reset).
    #[napi]
    pub fn take_levels(&self) -> NativeLevels {
        let (input, output) = self.shared().take_levels();
        NativeLevels {
            input: input.into_iter().map(f64::from).collect(),
            output: output.into_iter().map(f64::from).collect(),
        }
    }

    /// Samples past full scale (|x| > 1) since start: `[input, output]`.
    #[napi(getter)]
    pub fn clipped_samples(&self) -> Vec<f64> {
        vec![
            self.shared().input_clips.load(Ordering::Acquire) as f64,
            self.shared().output_clips.load(Ordering::Acquire) as f64,
        ]
    }

    /// Frames lost to under/overflows since start.
    #[napi(getter)]
    pub fn frames_lost(&self) -> f64 {
        self.shared().frames_lost.load(Ordering::Acquire) as f64
    }

    /// The host the stream runs on.
    #[napi(getter)]
    pub fn host(&self) -> String {
        self.stream
            .as_ref()
            .map(|s| s.info().device.host.clone())
            .unwrap_or_default()
    }

    /// Why the stream fell back to the virtual device (no host was named
    /// and no real device was found), or null.
    #[napi(getter)]
    pub fn fallback(&self) -> Option<String> {
        self.stream.as_ref().and_then(|s| s.info().fallback.clone())
    }

    /// When the audio thread last raised a data event, in `monotonicNs()` time.
    #[napi(getter)]
    pub fn last_data_ns(&self) -> f64 {
        self.shared().notifier.last_data_ns() as f64
    }
}
