//! Drift correction through the whole converter: a device whose clock runs
//! 1000 ppm off its nominal rate, and a ring on the other side paced by the
//! nominal clock in bursts; the converter's resampler, steered by the drift
//! loop, keeps the ring from running dry or over. (The loop alone, over ten
//! minutes, is tested in `drift`.)

use super::channels::Mix;
use super::converter::{Converter, Drift, Plan};
use super::drift::Side;
use crate::engine::{status, BlockInfo, Flow};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;

const RATE: u32 = 8_000;
const TARGET: i64 = 2048;
const BURST: i64 = 512;

/// Runs `seconds` of device time with the device's clock `ppm` off; returns
/// the ring's fill range after the first second, the engine's status flags
/// and the converter.
fn run(side: Side, ppm: f64, seconds: f64) -> ((i64, i64), u32, Converter) {
    let fill = Arc::new(AtomicI64::new(TARGET));
    let flags = Arc::new(AtomicU32::new(0));
    let (engine_fill, probe, seen) = (fill.clone(), fill.clone(), flags.clone());
    let channels = match side {
        Side::Drains => (0, 1),
        Side::Fills => (1, 0),
    };
    let plan = Plan {
        stream_rate: RATE,
        device_rate: RATE,
        stream_channels: channels,
        device_channels: channels,
        mix: Mix::First,
        chunk: 128,
    };
    let engine = Box::new(move |_i: &[f64], o: &mut [f64], info: &BlockInfo| {
        seen.fetch_or(info.flags, Ordering::Relaxed);
        o.fill(0.0);
        let k = info.frames as i64;
        let sign = if side == Side::Drains { -1 } else { 1 };
        engine_fill.fetch_add(sign * k, Ordering::Relaxed);
        Flow::Continue
    });
    let drift = Drift {
        side,
        ring: Box::new(move || {
            Some((
                probe.load(Ordering::Relaxed).max(0) as usize,
                2 * TARGET as usize,
            ))
        }),
    };
    let mut conv = Converter::with_drift(&plan, engine, drift).unwrap();
    let block = 160;
    let true_rate = f64::from(RATE) * (1.0 + ppm * 1e-6);
    let (mut t, mut due) = (0.0, 0.0);
    let (mut low, mut high) = (i64::MAX, i64::MIN);
    let (input, mut output) = (vec![0.0; block], vec![0.0; block]);
    let (i, o) = match side {
        Side::Drains => (&input[..0], &mut output[..]),
        Side::Fills => (&input[..], &mut output[..0]),
    };
    while t < seconds {
        let dt = block as f64 / true_rate;
        t += dt;
        let info = BlockInfo {
            frames: block,
            ..Default::default()
        };
        conv.process(i, o, &info);
        // The other side, on the nominal clock.
        due += dt * f64::from(RATE);
        while due >= BURST as f64 {
            due -= BURST as f64;
            let sign = if side == Side::Drains { 1 } else { -1 };
            fill.fetch_add(sign * BURST, Ordering::Relaxed);
        }
        if t > 1.0 {
            let f = fill.load(Ordering::Relaxed);
            (low, high) = (low.min(f), high.max(f));
        }
    }
    ((low, high), flags.load(Ordering::Relaxed), conv)
}

#[test]
fn a_device_clock_1000_ppm_off_neither_drains_nor_floods_the_ring() {
    for (side, ppm) in [
        (Side::Drains, 1000.0),
        (Side::Drains, -1000.0),
        (Side::Fills, 1000.0),
    ] {
        let ((low, high), flags, conv) = run(side, ppm, 90.0);
        assert!(
            low > 0 && high < 2 * TARGET + BURST,
            "{side:?} at {ppm} ppm: the ring ran from {low} to {high} frames"
        );
        let lost = status::INPUT_OVERFLOW | status::INPUT_UNDERFLOW | status::OUTPUT_OVERFLOW;
        assert_eq!(
            flags & lost,
            0,
            "{side:?} at {ppm} ppm: converter queue flags {flags:#x}"
        );
        let found = conv.drift_offset().unwrap() * 1e6;
        assert!(
            (found - ppm).abs() < 30.0,
            "{side:?} at {ppm} ppm: estimated {found} ppm after a minute"
        );
    }
}
