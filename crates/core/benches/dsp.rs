//! Signal toolkit kernels on 10 s of stereo 48 kHz audio. Throughput is in
//! frames: divide by 48,000 for multiples of real time (one core for the
//! resampler; the spectrogram runs its two channels on two threads).
//! - resample 48 kHz to 44.1 kHz (rubato's FFT resampler);
//! - a 4096-point Hann spectrogram, hop 1024;
//! - min/max of 1000 plot columns (the waveform drawing's decimation);
//! - zero-phase (sosfiltfilt) and one-pass 4th-order Butterworth bandpass
//!   (4 sections, a thread per channel);
//! - a scipy-default STFT (hann, 256, overlap 128) and its istft.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ringstream_core::dsp::iir_design::{iirfilter, Band, Family, IirSpec};
use ringstream_core::dsp::sosfilt::{filter, Pass};
use ringstream_core::dsp::spectrum::{spectrogram, StftSpec, Window};
use ringstream_core::dsp::stft::{istft, stft, Framing};
use ringstream_core::dsp::{decimate::min_max, resample::resample, Audio};
use std::hint::black_box;

const RATE: usize = 48_000;
const SECONDS: usize = 10;

fn signal() -> Vec<f32> {
    (0..RATE * SECONDS * 2)
        .map(|i| ((i as f32) * 0.001).sin() * 0.8)
        .collect()
}

fn dsp(c: &mut Criterion) {
    let data = signal();
    let audio = Audio::new(&data, 2, RATE as f64).unwrap();
    let mut g = c.benchmark_group("dsp");
    g.throughput(Throughput::Elements((RATE * SECONDS) as u64));
    g.sample_size(10);
    g.bench_function("resample_48k_to_44k1_stereo_10s", |b| {
        b.iter(|| black_box(resample(&audio, 44_100.0).unwrap()))
    });
    let spec = StftSpec {
        nfft: 4096,
        hop: 1024,
        window: Window::Hann,
    };
    g.bench_function("spectrogram_4096_stereo_10s", |b| {
        b.iter(|| black_box(spectrogram(&audio, &spec).unwrap()))
    });
    g.bench_function("min_max_1000_columns_stereo_10s", |b| {
        b.iter(|| black_box(min_max(&audio, 1000).unwrap()))
    });
    g.finish();
}

fn filters(c: &mut Criterion) {
    let data = signal();
    let audio = Audio::new(&data, 2, RATE as f64).unwrap();
    let sos = iirfilter(&IirSpec {
        order: 4,
        cutoffs: vec![300.0, 3000.0],
        samplerate: RATE as f64,
        band: Band::Bandpass,
        family: Family::Butter,
        rp: None,
        rs: None,
    })
    .unwrap();
    let mut g = c.benchmark_group("filters");
    g.throughput(Throughput::Elements((RATE * SECONDS) as u64));
    g.sample_size(10);
    g.bench_function("filtfilt_butter4_bandpass_stereo_10s", |b| {
        b.iter(|| black_box(filter(&audio, &sos, Pass::ZeroPhase).unwrap()))
    });
    g.bench_function("lfilter_butter4_bandpass_stereo_10s", |b| {
        b.iter(|| black_box(filter(&audio, &sos, Pass::Forward).unwrap()))
    });
    let f = Framing {
        nperseg: 256,
        noverlap: 128,
        window: Window::Hann,
    };
    g.bench_function("stft_istft_round_trip_256_stereo_10s", |b| {
        b.iter(|| {
            let s = stft(&audio, &f).unwrap();
            black_box(istft(&s, 2, &f, RATE * SECONDS).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, dsp, filters);
criterion_main!(benches);
