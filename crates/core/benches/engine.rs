//! The engine's callback cost per block (256 frames) with a ring-fed play and
//! a ring-fed record, for 2 and 32 channels; and with 1 to 256 scheduled
//! mixer actions on 2 channels. The block period at 48 kHz is
//! 5.333 ms; the report prints the cost as a fraction of it.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ringstream_core::engine::map::ChannelMap;
use ringstream_core::engine::play::{Play, Source};
use ringstream_core::engine::record::Record;
use ringstream_core::engine::sample::Dtype;
use ringstream_core::engine::schedule::{ActionKind, ActionState, Timing};
use ringstream_core::engine::{state, BlockInfo, Engine};
use ringstream_core::ring::Ring;
use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::Instant;

const BLOCK: usize = 256;
const RATE: f64 = 48_000.0;

/// A plain-timer figure for the report: `n` blocks, cost per block as a
/// share of the block period.
fn report(label: &str, n: u32, step: &mut impl FnMut()) {
    let t = Instant::now();
    for _ in 0..n {
        step();
    }
    let per_block = t.elapsed().as_secs_f64() / f64::from(n);
    println!(
        "{label}: {:.2} us = {:.3}% of the {:.3} ms period",
        per_block * 1e6,
        100.0 * per_block / (BLOCK as f64 / RATE),
        1e3 * BLOCK as f64 / RATE
    );
}

fn engine_block(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine_block_256");
    for ch in [2usize, 32] {
        let (mut engine, mut control) = Engine::new(ch, ch, 48_000);
        let play = Ring::new(4 * ch, 1 << 14).unwrap();
        let rec = Ring::new(4 * ch, 1 << 14).unwrap();
        let mut feed = play.producer().unwrap();
        let mut drain = rec.consumer().unwrap();
        assert!(control.play(Play::new(
            Source::Ring {
                cons: play.consumer().unwrap(),
                channels: ch,
                dtype: Dtype::Float32,
                until_done: false,
            },
            ChannelMap::identity(ch, ch),
            -1,
            -1,
        )));
        assert!(control.record(Record::new(
            rec.producer().unwrap(),
            Dtype::Float32,
            ChannelMap::identity(ch, ch),
            -1,
            0,
            false,
        )));
        control
            .shared
            .state
            .store(state::RUNNING, Ordering::Release);
        let input = vec![0.1f64; BLOCK * ch];
        let mut output = vec![0f64; BLOCK * ch];
        let block_bytes = vec![0u8; BLOCK * ch * 4];
        let mut sink = vec![0u8; BLOCK * ch * 4];
        let info = BlockInfo {
            frames: BLOCK,
            ..Default::default()
        };
        let mut step = || {
            feed.write_partial(&block_bytes);
            black_box(engine.process(black_box(&input), &mut output, &info));
            drain.read_partial(&mut sink);
        };
        report(
            &format!("engine block of {BLOCK} frames, {ch} channels"),
            20_000,
            &mut step,
        );
        g.bench_with_input(BenchmarkId::from_parameter(ch), &ch, |b, _| {
            b.iter(&mut step)
        });
    }
    g.finish();
}

/// python-rtmixer's load: `actions` buffers playing at once on 2 channels,
/// each started at its own stream time, mixed into 256-frame blocks.
fn mixer_actions(c: &mut Criterion) {
    let mut g = c.benchmark_group("mixer_actions_256x2");
    for actions in [1usize, 16, 64, 256] {
        let (mut engine, mut control) = Engine::with_capacity(0, 2, 48_000, 1024);
        for k in 0..actions {
            let st = ActionState::new(k as u64 + 1, ActionKind::PlayBuffer, 0.0, 0);
            let play = Play::new(
                Source::Buffer {
                    data: vec![0.001; 2 * 48_000],
                    channels: 2,
                    pos: 0,
                    looping: true,
                },
                ChannelMap::from_device_channels(&[1, 2], 2, true).unwrap(),
                -1,
                0,
            )
            .with_timing(Timing::at(k as f64 * 1e-5, true, st));
            assert!(control.play(play));
        }
        control
            .shared
            .state
            .store(state::RUNNING, Ordering::Release);
        let mut output = vec![0f64; BLOCK * 2];
        let mut t = 0.0;
        let mut step = || {
            let info = BlockInfo {
                frames: BLOCK,
                output_time: t,
                input_time: t,
                current_time: t,
                ..Default::default()
            };
            t += BLOCK as f64 / RATE;
            black_box(engine.process(&[], &mut output, &info));
        };
        report(
            &format!("mixer: {actions} actions, {BLOCK} frames x 2 channels"),
            5_000,
            &mut step,
        );
        g.bench_with_input(BenchmarkId::from_parameter(actions), &actions, |b, _| {
            b.iter(&mut step)
        });
    }
    g.finish();
}

criterion_group!(benches, engine_block, mixer_actions);
criterion_main!(benches);
