//! Measures cpal's raw timestamps against a loopback (how the plugin's
//! timing model was checked): `cargo run --release --example tsprobe --
//! alsa loopback 1024` (the last argument: a period, 0 for the default).
//!
//! Prints each side's `playback - callback` / `callback - capture` in
//! frames, the two clocks' offset, and where an impulse played at a known
//! DAC instant comes back on the capture side's clock. On the sandbox's
//! JACK-backed ALSA PCM both sides read one JACK period early (the JACK PCM
//! hands the graph a whole period at the start of each cycle while cpal's
//! timestamps assume the queue drains continuously), so the impulse lines
//! up while the tail of a stream closed at its "DAC time" was still lost;
//! the plugin adds that period on both sides (`alsa::Settled::burst`).
use cpal::traits::{DeviceTrait, StreamTrait};
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn secs(t: cpal::StreamInstant) -> f64 {
    t.duration_since(cpal::StreamInstant::ZERO).as_secs_f64()
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let h = ringstream_cpal::host::host(&a[1]).expect("host");
    let (i, o) = ringstream_cpal::host::find(&h, &a[1], &a[2], false).expect("device");
    let (i, o) = (i.unwrap(), o.unwrap());
    let size = match a.get(3).map(|s| s.parse::<u32>().unwrap()) {
        Some(0) | None => cpal::BufferSize::Default,
        Some(n) => cpal::BufferSize::Fixed(n),
    };
    let rate = 48000.0;
    let cfg = cpal::StreamConfig {
        channels: 2,
        sample_rate: 48000,
        buffer_size: size,
    };
    let log_o = Arc::new(Mutex::new(Vec::<(f64, f64, usize)>::new()));
    let log_i = Arc::new(Mutex::new(Vec::<(f64, f64, usize)>::new()));
    let frame_o = Arc::new(AtomicU64::new(0));
    let fired = Arc::new(AtomicU64::new(0)); // dac time bits of the impulse
    let detected = Arc::new(AtomicU64::new(0));
    let (lo, fo, fi) = (log_o.clone(), frame_o.clone(), fired.clone());
    let os = o
        .build_output_stream(
            cfg,
            move |d: &mut [f32], info: &cpal::OutputCallbackInfo| {
                let n = d.len() / 2;
                let (cb, pb) = (
                    secs(info.timestamp().callback),
                    secs(info.timestamp().playback),
                );
                lo.lock().unwrap().push((cb, pb, n));
                let f = fo.fetch_add(1, SeqCst);
                d.fill(0.0);
                if f == 40 {
                    d[2 * 100] = 0.5;
                    fi.store((pb + 100.0 / rate).to_bits(), SeqCst);
                }
            },
            |e| eprintln!("out err {e}"),
            None,
        )
        .unwrap();
    let (li, de) = (log_i.clone(), detected.clone());
    let is = i
        .build_input_stream(
            cfg,
            move |d: &[f32], info: &cpal::InputCallbackInfo| {
                let n = d.len() / 2;
                let (cb, cap) = (
                    secs(info.timestamp().callback),
                    secs(info.timestamp().capture),
                );
                li.lock().unwrap().push((cb, cap, n));
                if let Some(k) = d.iter().position(|x| *x != 0.0) {
                    de.store((cap + (k / 2) as f64 / rate).to_bits(), SeqCst);
                }
            },
            |e| eprintln!("in err {e}"),
            None,
        )
        .unwrap();
    println!(
        "periods: out {:?} in {:?}",
        os.buffer_size(),
        is.buffer_size()
    );
    let mut best = (f64::MAX, 0.0);
    for _ in 0..20 {
        let t1 = secs(os.now());
        let ti = secs(is.now());
        let t2 = secs(os.now());
        if t2 - t1 < best.0 {
            best = (t2 - t1, (t1 + t2) / 2.0 - ti);
        }
    }
    println!("offset out-in before play {:.6} (+-{:.6})", best.1, best.0);
    is.play().unwrap();
    os.play().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let mut best = (f64::MAX, 0.0);
    for _ in 0..20 {
        let t1 = secs(os.now());
        let ti = secs(is.now());
        let t2 = secs(os.now());
        if t2 - t1 < best.0 {
            best = (t2 - t1, (t1 + t2) / 2.0 - ti);
        }
    }
    println!("offset out-in after play {:.6} (+-{:.6})", best.1, best.0);
    let off = best.1;
    drop(os);
    drop(is);
    let lo = log_o.lock().unwrap();
    let li = log_i.lock().unwrap();
    for (k, (cb, pb, n)) in lo.iter().enumerate().take(12) {
        println!("out {k}: cb {cb:.6} pb-cb {:.2} fr n {n}", (pb - cb) * rate);
    }
    for (k, (cb, cap, n)) in li.iter().enumerate().take(12) {
        println!(
            "in  {k}: cb {:.6} (out clock) cb-cap {:.2} fr n {n}",
            cb + off,
            (cb - cap) * rate
        );
    }
    let tail: Vec<f64> = lo.iter().skip(20).map(|(c, p, _)| (p - c) * rate).collect();
    let tin: Vec<f64> = li.iter().skip(20).map(|(c, p, _)| (c - p) * rate).collect();
    let mm = |v: &[f64]| {
        (
            v.iter().cloned().fold(f64::MAX, f64::min),
            v.iter().cloned().fold(f64::MIN, f64::max),
        )
    };
    println!(
        "steady out pb-cb frames {:?}, in cb-cap frames {:?}",
        mm(&tail),
        mm(&tin)
    );
    let f = f64::from_bits(fired.load(SeqCst));
    let d = f64::from_bits(detected.load(SeqCst)) + off;
    println!(
        "impulse dac {f:.6}, adc (out clock) {d:.6}, adc - dac = {:.2} frames",
        (d - f) * rate
    );
}
