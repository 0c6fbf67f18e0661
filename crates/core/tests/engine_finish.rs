//! How a run ends: `Pa_StopStream`'s stop (no more data taken, the device's
//! buffer played out), abort (at once), and a natural end that waits for the
//! DAC time of the last frame.

use ringstream_core::engine::map::ChannelMap;
use ringstream_core::engine::play::{Play, Source};
use ringstream_core::engine::{state, BlockInfo, Control, Engine, Flow};
use std::sync::atomic::Ordering;

const B: usize = 256;
const SR: f64 = 48_000.0;
/// Output latency of the simulated device, in blocks.
const LAT: usize = 4;

fn engine_with(frames: usize, looping: bool) -> (Engine, Control) {
    let (engine, mut control) = Engine::new(0, 1, SR as u32);
    let play = Play::new(
        Source::Buffer {
            data: vec![0.5; frames],
            channels: 1,
            pos: 0,
            looping,
        },
        ChannelMap::identity(1, 1),
        -1,
        0,
    );
    assert!(control.begin());
    assert!(control.play(play));
    assert!(control.finish_when_idle());
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    (engine, control)
}

/// Runs block `k` as a device with `LAT` blocks of output latency would.
fn block(engine: &mut Engine, k: usize, out: &mut [f64]) -> Flow {
    let t = (k * B) as f64 / SR;
    let info = BlockInfo {
        frames: B,
        output_time: t + (LAT * B) as f64 / SR,
        input_time: t,
        current_time: t,
        ..Default::default()
    };
    engine.process(&[], out, &info)
}

/// Blocks until the engine completes (at most `limit`), and how many carried sound.
fn run(engine: &mut Engine, from: usize, limit: usize) -> (usize, usize) {
    let mut out = vec![0f64; B];
    let mut sounding = 0;
    for k in from..from + limit {
        let flow = block(engine, k, &mut out);
        if out.iter().any(|&v| v != 0.0) {
            sounding += 1;
        }
        if flow == Flow::Complete {
            return (k - from + 1, sounding);
        }
    }
    panic!("the run did not end within {limit} blocks");
}

#[test]
fn a_natural_end_waits_until_the_last_frame_has_reached_the_dac() {
    // 10.5 blocks of sound: the last frame is played in block 10 and
    // reaches the DAC LAT blocks later.
    let (mut engine, control) = engine_with(10 * B + B / 2, false);
    let (blocks, sounding) = run(&mut engine, 0, 100);
    assert_eq!(sounding, 11);
    // Block 10 holds the last frame (DAC time (10.5 + LAT) * B); the first
    // block whose callback runs at or after that time is 10 + LAT + 1.
    assert_eq!(blocks, 11 + LAT + 1);
    assert_eq!(
        control.shared.state.load(Ordering::Acquire),
        state::FINISHED
    );
}

#[test]
fn stop_takes_no_more_data_and_ends_within_the_latency_plus_two_blocks() {
    // An endless (looped) source: only stop() ends it.
    let (mut engine, mut control) = engine_with(1000, true);
    let mut out = vec![0f64; B];
    for k in 0..20 {
        assert_eq!(block(&mut engine, k, &mut out), Flow::Continue);
    }
    assert!(control.stop());
    let (blocks, sounding) = run(&mut engine, 20, 100);
    assert_eq!(sounding, 0, "nothing is taken from the source after stop()");
    assert!(blocks <= LAT + 2, "{blocks} blocks to stop");
    assert!(
        blocks >= LAT,
        "the device's buffer is played out: {blocks} blocks"
    );
    assert_eq!(
        control.shared.state.load(Ordering::Acquire),
        state::FINISHED
    );
    assert!(control.shared.played_until.load(Ordering::Acquire) > 0);
}

#[test]
fn abort_ends_at_once() {
    let (mut engine, mut control) = engine_with(1000, true);
    let mut out = vec![0f64; B];
    for k in 0..5 {
        block(&mut engine, k, &mut out);
    }
    assert!(control.abort());
    assert_eq!(block(&mut engine, 5, &mut out), Flow::Complete);
    assert_eq!(control.shared.state.load(Ordering::Acquire), state::ABORTED);
}

#[test]
fn a_device_clock_that_never_moves_still_ends_the_drain() {
    let (mut engine, control) = engine_with(B, false);
    let mut out = vec![0f64; B];
    let frozen = BlockInfo {
        frames: B,
        output_time: 1.0,
        current_time: 0.0,
        ..Default::default()
    };
    let mut n = 0;
    while engine.process(&[], &mut out, &frozen) == Flow::Continue {
        n += 1;
        assert!(n < 1000, "the drain never ended");
    }
    // Bounded: twice the frames to the DAC time (1 s), a quarter second and two blocks.
    assert!(n <= (2.25 * SR) as usize / B + 4, "{n}");
    assert_eq!(
        control.shared.state.load(Ordering::Acquire),
        state::FINISHED
    );
}
