//! WAV write and read throughput (bytes of file per second) for f32 and i16:
//! 10 s of stereo 48 kHz through a temp file, which stays in the page cache.
//! `encode` is the sample conversion alone, into a buffer reused across
//! iterations, so that it is seen apart from allocation and the file.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ringstream_core::wav::format::encode;
use ringstream_core::wav::{read_wav, write_wav, SampleFormat, WavSpec};
use std::hint::black_box;

const RATE: u32 = 48_000;
const SECONDS: usize = 10;

fn signal() -> Vec<f32> {
    (0..RATE as usize * SECONDS * 2)
        .map(|i| ((i as f32) * 0.001).sin() * 0.8)
        .collect()
}

fn wav(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("ringstream-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = signal();
    for format in [SampleFormat::F32, SampleFormat::I16] {
        let spec = WavSpec {
            samplerate: RATE,
            channels: 2,
            format,
        };
        let path = dir.join(format!("bench-{}.wav", format.name()));
        let bytes = (data.len() * format.bytes()) as u64;
        let mut g = c.benchmark_group("wav");
        g.throughput(Throughput::Bytes(bytes));
        g.sample_size(20);
        let mut out = Vec::with_capacity(bytes as usize);
        g.bench_function(BenchmarkId::new("encode", format.name()), |b| {
            b.iter(|| {
                out.clear();
                encode(format, black_box(&data), &mut out);
                black_box(&out);
            })
        });
        g.bench_function(BenchmarkId::new("write", format.name()), |b| {
            b.iter(|| write_wav(&path, black_box(&data), spec).unwrap())
        });
        g.bench_function(BenchmarkId::new("read", format.name()), |b| {
            b.iter(|| black_box(read_wav(&path).unwrap()))
        });
        g.finish();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

criterion_group!(benches, wav);
criterion_main!(benches);
