//! The converter measured: passband flatness, stopband depth, error against
//! the ideal signal from the first block to the last, and the latency it
//! reports against where a signal really lands.

use super::channels::Mix;
use super::converter::{Converter, Plan};
use crate::engine::{BlockInfo, Flow, Sample};
use std::f64::consts::TAU;
use std::sync::{Arc, Mutex};

fn plan(stream_rate: u32, device_rate: u32, ins: usize, outs: usize) -> Plan {
    Plan {
        stream_rate,
        device_rate,
        stream_channels: (ins, outs),
        device_channels: (ins, outs),
        mix: Mix::First,
        chunk: 256,
    }
}

/// A tone of `freq` Hz at `t` seconds, faded in over 10 ms from `t = 0`
/// and out over 10 ms to `t = len` (raised cosine: its spectrum is down
/// more than 100 dB a few kHz from the tone, so the ideal converted signal
/// is this same function sampled at the other rate).
fn tone(freq: f64, len: f64, t: f64) -> f64 {
    let fade = 0.01;
    if t <= 0.0 || t >= len {
        return 0.0;
    }
    let edge = |x: f64| 0.5 - 0.5 * (std::f64::consts::PI * (x / fade).min(1.0)).cos();
    0.5 * edge(t) * edge(len - t) * (TAU * freq * t).sin()
}

/// The device output (mono) of an output-only stream whose engine plays
/// `f(t)` at stream time `t`, over `frames` device frames in blocks of
/// `block`; and the converter's reported output latency in seconds.
fn play(
    p: &Plan,
    f: impl Fn(f64) -> f64 + Send + 'static,
    frames: usize,
    block: usize,
) -> (Vec<f64>, f64) {
    let sr = f64::from(p.stream_rate);
    let mut k = 0u64;
    let mut conv = Converter::new(
        p,
        Box::new(move |_i, o, info| {
            for (j, v) in o.iter_mut().enumerate().take(info.frames) {
                *v = f((k + j as u64) as f64 / sr);
            }
            k += info.frames as u64;
            Flow::Continue
        }),
    )
    .unwrap();
    let lat = conv.latency().1;
    let mut out = vec![0.0; frames];
    for b in out.chunks_mut(block) {
        let info = BlockInfo {
            frames: b.len(),
            ..Default::default()
        };
        conv.process(&[], b, &info);
    }
    (out, lat)
}

/// The engine's input (mono) of an input-only stream whose device captures
/// `f(t)` at device time `t`; and the reported input latency in seconds.
fn capture(p: &Plan, f: impl Fn(f64) -> f64, frames: usize, block: usize) -> (Vec<f64>, f64) {
    let got: Arc<Mutex<Vec<f64>>> = Arc::default();
    let sink = got.clone();
    let mut conv = Converter::new(
        p,
        Box::new(move |i, _o, _info| {
            sink.lock().unwrap().extend_from_slice(i);
            Flow::Continue
        }),
    )
    .unwrap();
    let lat = conv.latency().0;
    let rd = f64::from(p.device_rate);
    let input: Vec<f64> = (0..frames).map(|d| f(d as f64 / rd)).collect();
    for b in input.chunks(block) {
        let info = BlockInfo {
            frames: b.len(),
            ..Default::default()
        };
        conv.process(b, &mut [], &info);
    }
    let v = got.lock().unwrap().clone();
    (v, lat)
}

/// Gain (dB) of the tone at `freq` in `x` (sampled at `sr`, from frame
/// `from`), by a least-squares fit of a sine and a cosine.
fn gain_db(x: &[f64], sr: f64, freq: f64, from: usize, amp: f64) -> f64 {
    let (mut s, mut c) = (0.0, 0.0);
    let seg = &x[from..];
    // Whole periods of the fit frequency, so the fit is unbiased.
    let n = ((seg.len() as f64 * freq / sr).floor() * sr / freq) as usize;
    for (j, v) in seg[..n].iter().enumerate() {
        let w = TAU * freq * (from + j) as f64 / sr;
        s += v * w.sin();
        c += v * w.cos();
    }
    let a = 2.0 * (s * s + c * c).sqrt() / n as f64;
    20.0 * (a / amp).log10()
}

fn rms(x: &[f64]) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// The usual pairs (the polyphase FIR) and one whose ratio has no small
/// terms (47999 is prime: rubato's sinc resampler).
const PAIRS: [(u32, u32); 5] = [
    (16_000, 48_000),
    (44_100, 48_000),
    (48_000, 44_100),
    (48_000, 16_000),
    (47_999, 44_100),
];

#[test]
fn passband_is_flat_to_nine_tenths_of_the_lower_nyquist() {
    for (s, d) in PAIRS {
        let lower = f64::from(s.min(d)) / 2.0;
        for frac in [0.05, 0.3, 0.6, 0.8, 0.9] {
            let freq = frac * lower;
            let f = move |t: f64| 0.5 * (TAU * freq * t).sin();
            // Output: stream rate s to device rate d.
            let (out, _) = play(&plan(s, d, 0, 1), f, d as usize / 4, 480);
            let db = gain_db(&out, f64::from(d), freq, d as usize / 20, 0.5);
            assert!(db.abs() < 0.1, "{s} -> {d} Hz, {freq} Hz: {db} dB");
            // Input: device rate s to stream rate d.
            let (rec, _) = capture(&plan(d, s, 1, 0), f, s as usize / 4, 480);
            let db = gain_db(&rec, f64::from(d), freq, d as usize / 20, 0.5);
            assert!(db.abs() < 0.1, "capture {s} -> {d} Hz, {freq} Hz: {db} dB");
        }
    }
}

#[test]
fn stopband_is_at_least_100_db_down() {
    // Downsampling: tones above the output's Nyquist frequency must not alias.
    for (s, d) in [(48_000u32, 16_000u32), (48_000, 44_100)] {
        let nyq = f64::from(d) / 2.0;
        for frac in [0.0, 0.05, 0.5, 0.95] {
            let freq = nyq + frac * (f64::from(s) / 2.0 - nyq);
            let f = move |t: f64| 0.5 * (TAU * freq * t).sin();
            let (rec, _) = capture(&plan(d, s, 1, 0), f, s as usize / 4, 512);
            let level = 20.0 * (rms(&rec[d as usize / 20..]) / (0.5 / 2f64.sqrt())).log10();
            assert!(
                level < -100.0,
                "{s} -> {d} Hz, {freq} Hz leaks at {level} dB"
            );
        }
    }
    // Upsampling: nothing but the tone (no images), everything else 100 dB down.
    for (s, d) in [(16_000u32, 48_000u32), (44_100, 48_000)] {
        let freq = 0.9 * f64::from(s) / 2.0;
        let f = move |t: f64| 0.5 * (TAU * freq * t).sin();
        let (out, lat) = play(&plan(s, d, 0, 1), f, d as usize / 4, 512);
        let from = d as usize / 20;
        let rd = f64::from(d);
        let err: Vec<f64> = out[from..]
            .iter()
            .enumerate()
            .map(|(j, v)| v - f((from + j) as f64 / rd - lat))
            .collect();
        let level = 20.0 * (rms(&err) / (0.5 / 2f64.sqrt())).log10();
        assert!(
            level < -100.0,
            "{s} -> {d} Hz: images and error at {level} dB"
        );
    }
}

#[test]
fn the_whole_signal_lands_where_the_latency_says_without_clicks() {
    // The first and the last blocks count: the error against the ideal
    // signal, shifted by the reported latency, is measured over everything
    // from the first device frame to past the end of the tone.
    for (s, d) in PAIRS {
        let len = 0.2;
        let f = move |t: f64| tone(1000.0, len, t);
        let (rs, rd) = (f64::from(s), f64::from(d));
        let (out, lat) = play(&plan(s, d, 0, 1), f, (0.3 * rd) as usize, 300);
        let err = out
            .iter()
            .enumerate()
            .map(|(j, v)| (v - f(j as f64 / rd - lat)).abs())
            .fold(0.0, f64::max);
        let db = 20.0 * (err / 0.5).log10();
        assert!(db < -90.0, "play {s} -> {d} Hz: largest error {db} dB");
        let (rec, lat) = capture(&plan(s, d, 1, 0), f, (0.3 * rd) as usize, 300);
        let err = rec
            .iter()
            .enumerate()
            .map(|(j, v)| (v - f(j as f64 / rs - lat)).abs())
            .fold(0.0, f64::max);
        let db = 20.0 * (err / 0.5).log10();
        assert!(db < -90.0, "capture {d} -> {s} Hz: largest error {db} dB");
    }
}

#[test]
fn duplex_round_trip_equals_the_reported_latency() {
    // The device plays what it is given and captures it one block later.
    for (s, d) in PAIRS {
        let p = plan(s, d, 1, 1);
        let rs = f64::from(s);
        let len = 0.1;
        let recorded: Arc<Mutex<Vec<Sample>>> = Arc::default();
        let sink = recorded.clone();
        let flagged = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let seen = flagged.clone();
        let mut k = 0u64;
        let mut conv = Converter::new(
            &p,
            Box::new(move |i, o, info| {
                seen.fetch_or(info.flags, std::sync::atomic::Ordering::Relaxed);
                sink.lock().unwrap().extend_from_slice(i);
                for (j, v) in o.iter_mut().enumerate().take(info.frames) {
                    *v = tone(1000.0, len, (k + j as u64) as f64 / rs);
                }
                k += info.frames as u64;
                Flow::Continue
            }),
        )
        .unwrap();
        let (li, lo) = conv.latency();
        let block = 441;
        let mut back = vec![0.0; block];
        let mut out = vec![0.0; block];
        for _ in 0..(0.4 * f64::from(d)) as usize / block {
            let info = BlockInfo {
                frames: block,
                ..Default::default()
            };
            conv.process(&back, &mut out, &info);
            std::mem::swap(&mut back, &mut out);
        }
        assert_eq!(
            flagged.load(std::sync::atomic::Ordering::Relaxed),
            0,
            "{s} <-> {d} Hz: the converter's queues ran dry or over"
        );
        let trip = li + lo + block as f64 / f64::from(d);
        let rec = recorded.lock().unwrap();
        let err = rec
            .iter()
            .enumerate()
            .map(|(j, v)| (v - tone(1000.0, len, j as f64 / rs - trip)).abs())
            .fold(0.0, f64::max);
        let db = 20.0 * (err / 0.5).log10();
        assert!(
            db < -90.0,
            "{s} <-> {d} Hz: round trip off the reported latency ({db} dB)"
        );
    }
}

#[test]
fn the_engine_gets_block_times_on_the_stream_clock() {
    // A device whose block times are exact (frame / rate): the engine's chunk
    // `e` must be told that its first frame leaves at `e / stream rate` plus
    // the output latency and was captured at `e / stream rate` less the input
    // latency, whatever the device's block sizes, so Mixer times land on the
    // stream's frames.
    for (s, d) in PAIRS {
        let seen: Arc<Mutex<Vec<(f64, f64)>>> = Arc::default();
        let sink = seen.clone();
        let p = plan(s, d, 1, 1);
        let mut conv = Converter::new(
            &p,
            Box::new(move |_i, _o, info| {
                sink.lock()
                    .unwrap()
                    .push((info.output_time, info.input_time));
                Flow::Continue
            }),
        )
        .unwrap();
        let (li, lo) = conv.latency();
        let rd = f64::from(d);
        let mut at = 0usize;
        for frames in [441usize, 100, 1024, 7, 5000, 480].iter().cycle().take(40) {
            let info = BlockInfo {
                frames: *frames,
                output_time: at as f64 / rd,
                input_time: at as f64 / rd,
                ..Default::default()
            };
            conv.process(&vec![0.0; *frames * 2], &mut vec![0.0; *frames * 2], &info);
            at += frames;
        }
        let rs = f64::from(s);
        for (k, (o, i)) in seen.lock().unwrap().iter().enumerate() {
            let e = (k * p.chunk) as f64 / rs;
            assert!(
                (o - e - lo).abs() < 1e-9,
                "{s} -> {d}: chunk {k} output time off by {} s",
                o - e - lo
            );
            assert!(
                (i - e + li).abs() < 1e-9,
                "{s} -> {d}: chunk {k} input time off by {} s",
                i - e + li
            );
        }
    }
}
