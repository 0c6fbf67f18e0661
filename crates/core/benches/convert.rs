//! The converting callback's cost per 256-frame device block at 48 kHz,
//! 2 channels: the engine (a looping buffer play and a ring record) behind
//! the rate converter, for the conversions users ask for most. The engine
//! alone is in `benches/engine.rs`; the difference is the conversion. The
//! report prints the cost as a share of the 5.333 ms period. The
//! drift-corrected stream runs the sinc resampler with a moving ratio.
//!
//! `convert_stage` sets the two filters side by side in the same run: the
//! polyphase FIR the converter uses for rational ratios and rubato's sinc
//! resampler it used before (and still uses for other ratios), one
//! direction, 44.1 to 48 kHz stereo, one device block's worth of input.
use criterion::{criterion_group, criterion_main, Criterion};
use ringstream_core::convert::channels::Mix;
use ringstream_core::convert::converter::Plan;
use ringstream_core::convert::fifo::Fifo;
use ringstream_core::convert::stage::Stage;
use ringstream_core::convert::testkit::converting_duplex;
use ringstream_core::engine::BlockInfo;
use std::hint::black_box;
use std::time::Instant;

const BLOCK: usize = 256;
const DEVICE_RATE: u32 = 48_000;

/// Nanoseconds this thread has spent on a CPU (Linux), or None.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// A plain-timer figure for the report: cost per call of `step` as a share
/// of one block period, in wall time and (on Linux) in this thread's time on
/// a CPU, which a loaded machine inflates far less.
fn report(name: &str, step: &mut impl FnMut()) {
    let n = 20_000u32;
    let (t, cpu) = (Instant::now(), on_cpu_ns());
    for _ in 0..n {
        step();
    }
    let wall = t.elapsed().as_secs_f64() / f64::from(n);
    let period = BLOCK as f64 / f64::from(DEVICE_RATE);
    let on_cpu = match (cpu, on_cpu_ns()) {
        (Some(a), Some(b)) => {
            let per = (b - a) as f64 * 1e-9 / f64::from(n);
            format!(
                ", on CPU {:.2} us = {:.3}%",
                per * 1e6,
                100.0 * per / period
            )
        }
        _ => String::new(),
    };
    println!(
        "{name}: wall {:.2} us = {:.3}%{on_cpu} of the {:.3} ms period",
        wall * 1e6,
        100.0 * wall / period,
        1e3 * period
    );
}

fn convert_block(c: &mut Criterion) {
    let mut g = c.benchmark_group("convert_block_256");
    for (stream, ch, drift, name) in [
        (44_100, 2, false, "duplex_44100_stereo"),
        (16_000, 1, false, "duplex_16000_mono"),
        (48_000, 1, false, "duplex_48000_mono_channels_only"),
        (44_100, 2, true, "duplex_44100_stereo_drift_corrected"),
    ] {
        let plan = Plan {
            stream_rate: stream,
            device_rate: DEVICE_RATE,
            stream_channels: (ch, ch),
            device_channels: (2, 2),
            mix: Mix::First,
            chunk: BLOCK,
        };
        let (mut conv, _control, rec) = converting_duplex(&plan, drift).unwrap();
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
        report(name, &mut step);
    }
    g.finish();
}

fn convert_stage(c: &mut Criterion) {
    let mut g = c.benchmark_group("convert_stage_44100_to_48000_stereo");
    let input: Vec<f64> = (0..2 * 235).map(|k| (k as f64 * 0.01).sin()).collect();
    for (name, mut stage) in [
        ("polyphase", Stage::new(44_100, 48_000, 2, 64).unwrap()),
        ("sinc", Stage::adaptive(44_100, 48_000, 2, 64).unwrap()),
    ] {
        let mut out = Fifo::new(2, 1024);
        let mut sink = vec![0f64; 2 * 1024];
        let mut step = || {
            black_box(stage.feed(black_box(&input), &mut out));
            out.pop(&mut sink);
        };
        g.bench_function(name, |b| b.iter(&mut step));
        report(&format!("stage_44100_to_48000_stereo_{name}"), &mut step);
    }
    g.finish();
}

criterion_group!(benches, convert_block, convert_stage);
criterion_main!(benches);
