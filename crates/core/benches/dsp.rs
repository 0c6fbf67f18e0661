//! Signal toolkit kernels on 10 s of stereo 48 kHz audio. Throughput is in
//! frames: divide by 48,000 for multiples of real time (one core for the
//! resampler; the spectrogram runs its two channels on two threads).
//! - resample 48 kHz to 44.1 kHz (rubato's FFT resampler);
//! - a 4096-point Hann spectrogram, hop 1024;
//! - min/max of 1000 plot columns (the waveform drawing's decimation);
//! - zero-phase (sosfiltfilt) and one-pass 4th-order Butterworth bandpass
//!   (4 sections, a thread per channel);
//! - a scipy-default STFT (hann, 256, overlap 128) and its istft;
//! - zero-phase 6th-order elliptic bandstop (12 sections) and 8th-order
//!   Bessel lowpass (4 sections), designs included;
//! - pya's convolve with a 1 s mono impulse response (FFT, padded as pya's).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ringstream_core::dsp::convolve::{convolve, ConvolveSpec};
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
    for (name, family, band, order, cutoffs) in [
        (
            "filtfilt_ellip6_bandstop_stereo_10s",
            Family::Ellip,
            Band::Bandstop,
            6,
            vec![300.0, 3000.0],
        ),
        (
            "filtfilt_bessel8_lowpass_stereo_10s",
            Family::Bessel,
            Band::Lowpass,
            8,
            vec![3000.0],
        ),
    ] {
        let spec = IirSpec {
            order,
            cutoffs,
            samplerate: RATE as f64,
            band,
            family,
            rp: Some(1.0),
            rs: Some(60.0),
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let sos = iirfilter(&spec).unwrap();
                black_box(filter(&audio, &sos, Pass::ZeroPhase).unwrap())
            })
        });
    }
    let ir: Vec<f32> = (0..RATE)
        .map(|i| (-(i as f32) / 4800.0).exp() * ((i * 7919 % 101) as f32 / 50.0 - 1.0))
        .collect();
    let ir = Audio::new(&ir, 1, RATE as f64).unwrap();
    let spec = ConvolveSpec::from_names("full", "fft", "amp").unwrap();
    g.bench_function("convolve_1s_ir_stereo_10s", |b| {
        b.iter(|| black_box(convolve(&audio, &ir, spec).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, dsp, filters);
criterion_main!(benches);
