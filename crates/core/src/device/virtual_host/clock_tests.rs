//! The virtual card's clock error (`Faults::clock_offset_ppm`): frames per
//! real second follow it, and out-of-range values are refused.

use super::card::frame_time;
use super::{VirtualHost, MAX_CLOCK_OFFSET_PPM};
use crate::device::{DeviceSelector, Faults, Host, Latency, StreamConfig};
use crate::engine::Flow;
use crate::error::ErrorKind;

fn config(ppm: f64) -> StreamConfig {
    StreamConfig {
        samplerate: 48_000,
        blocksize: 240,
        input_channels: 0,
        output_channels: 1,
        latency: Latency::Low,
        input_latency: None,
        speed: 1.0,
        faults: Faults {
            clock_offset_ppm: ppm,
            ..Faults::default()
        },
        loopback: false,
        convert: false,
        drift_correction: false,
        mix: Default::default(),
    }
}

#[test]
fn a_clock_offset_changes_the_frames_per_real_second() {
    // Frames per second from the card's pace, over 10 minutes of frames (as
    // the card schedules them: `mul_f64` from frame 0); a wall-clock count
    // would measure the machine's load as much as the card (the card
    // re-anchors when it falls behind).
    let frames = 48_000.0 * 600.0;
    let rate = |ppm: f64| {
        let t = frame_time(48_000, 1.0, ppm).expect("paced");
        frames / t.mul_f64(frames).as_secs_f64()
    };
    assert!((rate(0.0) - 48_000.0).abs() < 1e-3);
    assert!((rate(1000.0) - 48_048.0).abs() < 1e-3, "{}", rate(1000.0));
    assert!((rate(-1000.0) - 47_952.0).abs() < 1e-3, "{}", rate(-1000.0));
    assert!(frame_time(48_000, f64::INFINITY, 1000.0).is_none());
}

#[test]
fn a_clock_offset_past_the_limit_is_refused() {
    let host = VirtualHost;
    let dev = host
        .device(&DeviceSelector::Name("null".into()), false, true)
        .expect("virtual:null");
    for ppm in [
        MAX_CLOCK_OFFSET_PPM * 1.5,
        -MAX_CLOCK_OFFSET_PPM * 2.0,
        f64::NAN,
    ] {
        let err = host
            .open(
                &dev,
                &config(ppm),
                Box::new(|_, _, _| Flow::Continue),
                Box::new(|_| {}),
            )
            .err()
            .expect("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidArg, "{ppm}");
    }
}
