//! The converting callback's cost per 256-frame device block at 48 kHz,
//! 2 channels: the engine (a looping buffer play and a ring record) behind
//! the rate converter, for the conversions users ask for most. The engine
//! alone is in `benches/engine.rs`; the difference is the conversion. The
//! report prints the cost as a share of the 5.333 ms period.
use criterion::{criterion_group, criterion_main, Criterion};
use ringstream_core::convert::channels::Mix;
use ringstream_core::convert::converter::{Converter, Plan};
use ringstream_core::engine::map::ChannelMap;
use ringstream_core::engine::play::{Play, Source};
use ringstream_core::engine::record::Record;
use ringstream_core::engine::sample::Dtype;
use ringstream_core::engine::{state, BlockInfo, Engine};
use ringstream_core::ring::Ring;
use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

const BLOCK: usize = 256;
const DEVICE_RATE: u32 = 48_000;

/// A converting callback for a duplex stream of `stream` Hz with `ch`
/// channels each way on a 48 kHz stereo device; the record's ring is
/// returned so that the bench drains it.
fn converting(stream: u32, ch: usize) -> (Converter, Arc<Ring>) {
    let (mut engine, mut control) = Engine::new(ch, ch, stream);
    let rec = Ring::new(4 * ch, 1 << 16).unwrap();
    assert!(control.play(Play::new(
        Source::Buffer {
            data: (0..ch * 4800)
                .map(|k| (k as f32 * 0.01).sin() * 0.5)
                .collect(),
            channels: ch,
            pos: 0,
            looping: true,
        },
        ChannelMap::identity(ch, ch),
        -1,
        0,
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
    // The engine's control side must outlive the bench: leak it.
    std::mem::forget(control);
    let plan = Plan {
        stream_rate: stream,
        device_rate: DEVICE_RATE,
        stream_channels: (ch, ch),
        device_channels: (2, 2),
        mix: Mix::First,
        chunk: BLOCK,
    };
    let conv = Converter::new(
        &plan,
        Box::new(move |i, o, info| engine.process(i, o, info)),
    )
    .unwrap();
    (conv, rec)
}

fn convert_block(c: &mut Criterion) {
    let mut g = c.benchmark_group("convert_block_256");
    for (stream, ch, name) in [
        (44_100, 2, "duplex_44100_stereo"),
        (16_000, 1, "duplex_16000_mono"),
        (48_000, 1, "duplex_48000_mono_channels_only"),
    ] {
        let (mut conv, rec) = converting(stream, ch);
        let mut drain = rec.consumer().unwrap();
        let mut sink = vec![0u8; 1 << 16];
        let input = vec![0.25f64; BLOCK * 2];
        let mut output = vec![0f64; BLOCK * 2];
        let info = BlockInfo {
            frames: BLOCK,
            ..Default::default()
        };
        let mut step = || {
            black_box(conv.process(&input, &mut output, &info));
            drain.read_partial(&mut sink);
        };
        g.bench_function(name, |b| b.iter(&mut step));
        let n = 20_000u32;
        let t = Instant::now();
        for _ in 0..n {
            step();
        }
        let per_block = t.elapsed().as_secs_f64() / f64::from(n);
        let period = BLOCK as f64 / f64::from(DEVICE_RATE);
        println!(
            "{name}: {:.2} us = {:.3}% of the {:.3} ms period",
            per_block * 1e6,
            100.0 * per_block / period,
            1e3 * period
        );
    }
    g.finish();
}

criterion_group!(benches, convert_block);
criterion_main!(benches);
