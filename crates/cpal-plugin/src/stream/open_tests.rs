//! How a stream's device is started, on alsa-lib's `null` PCM (on every
//! Linux system; it takes any format and consumes frames at once).

use super::*;
use crate::abi::{latency, RsBlockInfo, RsStreamConfig};
use gate::Calls;
use std::ffi::{c_char, c_void};
use std::sync::atomic::AtomicU32;
use std::sync::OnceLock;

/// The stream under test's shared state, for the engine to look at.
static CTL: OnceLock<Arc<Ctl>> = OnceLock::new();
/// Device callbacks seen by the first engine call (0: no call yet).
static FIRST_AT: AtomicU32 = AtomicU32::new(0);

/// An engine that makes silence (and notes when it was first called, for
/// the stream in [`CTL`]); the ALSA output's tests use it too.
pub(super) unsafe extern "C" fn engine(
    _user: *mut c_void,
    _input: *const f32,
    _output: *mut f32,
    _info: *const RsBlockInfo,
) -> u32 {
    if let Some(ctl) = CTL.get() {
        let calls = ctl.out_clock.calls.load(SeqCst);
        let _ = FIRST_AT.compare_exchange(0, calls, SeqCst, SeqCst);
    }
    crate::abi::flow::CONTINUE
}

unsafe extern "C" fn on_error(_user: *mut c_void, _kind: u32, _message: *const c_char) {}

/// A stream on alsa-lib's `null` PCM, blocks of 256 frames at 48 kHz.
fn open_null(input_channels: u32, output_channels: u32) -> PluginStream {
    let cfg = RsStreamConfig {
        samplerate: 48000,
        blocksize: 256,
        input_channels,
        output_channels,
        latency_kind: latency::LOW,
        latency_seconds: 0.0,
        input_latency_kind: latency::LOW,
        input_latency_seconds: 0.0,
        loopback: 0,
    };
    let calls = Calls {
        user: std::ptr::null_mut(),
        callback: engine,
        on_error,
    };
    // SAFETY: `engine` and `on_error` ignore `user` and never unwind.
    unsafe { PluginStream::open("alsa", "null", &cfg, calls, None) }.expect("null opens")
}

#[test]
fn an_alsa_output_starts_its_device_with_the_first_block() {
    let s = open_null(0, 2);
    CTL.set(s.ctl.clone())
        .ok()
        .expect("one stream per test run");
    // Its latency is known before the device has run: the period queued
    // ahead of the one being written (null takes the 256 asked for).
    assert_eq!(s.latency, (0.0, 256.0 / 48000.0));
    std::thread::sleep(Duration::from_millis(30));
    assert_eq!(
        s.ctl.out_clock.calls.load(SeqCst),
        0,
        "the device ran before start: it would queue silence ahead of the first sound"
    );
    s.start().expect("starts");
    let deadline = Instant::now() + Duration::from_secs(2);
    while FIRST_AT.load(SeqCst) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        FIRST_AT.load(SeqCst),
        1,
        "the first block went out with the device's first period"
    );
    s.pause().expect("pauses");
}

#[test]
fn alsa_input_and_duplex_streams_run_on_their_planning_pcms_from_open() {
    for (ins, outs) in [(2, 0), (1, 2)] {
        let s = open_null(ins, outs);
        // Started at open: their latency comes from the running device.
        assert!(
            s.ctl.in_clock.calls.load(SeqCst) >= 2,
            "{ins} in: input not running"
        );
        // What `measure_latency` makes of `null` (no capture delay: the
        // side's device latency is the period `capture_instant` bounds it
        // to), exactly: "at least a period" it guarantees of any device.
        // Input only: that period (the block is the period: no adapter
        // wait). Duplex: that period, the handoff's period, a block less a
        // frame and the 2 ms (96-frame) jitter allowance.
        let expected = if outs == 0 {
            256.0
        } else {
            256.0 + 256.0 + 255.0 + 96.0
        };
        assert!(
            (s.latency.0 * 48000.0 - expected).abs() < 1e-3,
            "{ins} in, {outs} out: input latency {} frames, not {expected}",
            s.latency.0 * 48000.0
        );
        // null's playback consumes frames at once: no output latency to check.
        assert_eq!(s.ctl.out_clock.calls.load(SeqCst) >= 5, outs > 0);
        s.start().expect("starts");
        s.pause().expect("pauses");
        let t = Instant::now();
        drop(s);
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "close took {:?}",
            t.elapsed()
        );
    }
}
