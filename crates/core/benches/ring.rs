//! Ring push+pop throughput for a few chunk sizes.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ringstream_core::ring::Ring;
use std::hint::black_box;

fn push_pop(c: &mut Criterion) {
    let mut g = c.benchmark_group("ring_push_pop");
    for chunk in [64usize, 2048, 65536] {
        let ring = Ring::new(1, 1 << 18).unwrap();
        let mut p = ring.producer().unwrap();
        let mut cons = ring.consumer().unwrap();
        let src = vec![7u8; chunk];
        let mut dst = vec![0u8; chunk];
        g.throughput(Throughput::Bytes(chunk as u64));
        g.bench_with_input(BenchmarkId::from_parameter(chunk), &chunk, |b, _| {
            b.iter(|| {
                p.write_partial(black_box(&src));
                cons.read_partial(black_box(&mut dst));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, push_pop);
criterion_main!(benches);
