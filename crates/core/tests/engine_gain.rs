//! A play job's gain (sox's `-v`): applied in the engine's mix, in f64,
//! before the output is metered, so a gain that pushes samples past full
//! scale is counted as clipping.

use ringstream_core::engine::map::ChannelMap;
use ringstream_core::engine::play::{Play, Source};
use ringstream_core::engine::{state, BlockInfo, Control, Engine};
use std::sync::atomic::Ordering;

const B: usize = 64;

/// One block of a buffer source of `data` (mono) played at `gain`.
fn play_block(data: Vec<f32>, gain: f64) -> (Vec<f64>, Control) {
    let (mut engine, mut control) = Engine::new(0, 1, 48_000);
    let frames = data.len() as i64;
    let source = Source::Buffer {
        data,
        channels: 1,
        pos: 0,
        looping: false,
    };
    let play = Play::new(source, ChannelMap::identity(1, 1), frames, 0).with_gain(gain);
    assert!(control.begin());
    assert!(control.play(play));
    control
        .shared
        .state
        .store(state::RUNNING, Ordering::Release);
    let mut out = vec![0f64; B];
    let info = BlockInfo {
        frames: B,
        ..Default::default()
    };
    engine.process(&[], &mut out, &info);
    (out, control)
}

fn ramp() -> Vec<f32> {
    (0..B).map(|i| i as f32 / B as f32 - 0.5).collect()
}

#[test]
fn a_gain_of_one_changes_no_sample() {
    let (out, _) = play_block(ramp(), 1.0);
    let want: Vec<f64> = ramp().iter().map(|&x| f64::from(x)).collect();
    assert_eq!(out, want);
}

#[test]
fn the_source_is_scaled_in_f64() {
    // 0.1 is not a float32: the product must be the f64 one, not a rounded f32.
    let (out, _) = play_block(ramp(), 0.1);
    for (o, x) in out.iter().zip(ramp()) {
        assert_eq!(*o, 0.1 * f64::from(x));
    }
}

#[test]
fn a_negative_gain_inverts_as_sox_does() {
    let (out, _) = play_block(ramp(), -1.0);
    for (o, x) in out.iter().zip(ramp()) {
        assert_eq!(*o, -f64::from(x));
    }
}

#[test]
fn samples_the_gain_pushes_past_full_scale_count_as_clipped() {
    // 0.6 plays clean; at 2x (+6 dB) every sample is 1.2.
    let (_, clean) = play_block(vec![0.6; B], 1.0);
    assert_eq!(clean.shared.output_clips.load(Ordering::Acquire), 0);
    let (out, loud) = play_block(vec![0.6; B], 2.0);
    assert!(out.iter().all(|&v| (v - 1.2).abs() < 1e-6));
    assert_eq!(loud.shared.output_clips.load(Ordering::Acquire), B as u64);
}
