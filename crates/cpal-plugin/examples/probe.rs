//! Prints what cpal offers for a device, and which periods build:
//! `cargo run --example probe -- alsa loopback [rate] [period...]`.
use cpal::traits::DeviceTrait;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let h = ringstream_cpal::host::host(&a[1]).expect("host");
    let (i, o) = ringstream_cpal::host::find(&h, &a[1], &a[2], false).expect("device");
    for r in i
        .expect("input")
        .supported_input_configs()
        .expect("configs")
        .take(3)
    {
        println!("in  {r:?}");
    }
    let o = o.expect("output");
    for r in o.supported_output_configs().expect("configs").take(3) {
        println!("out {r:?}");
    }
    let rate: u32 = a.get(3).map_or(48000, |r| r.parse().expect("rate"));
    for b in a.iter().skip(4) {
        let size = match b.parse::<u32>() {
            Ok(n) => cpal::BufferSize::Fixed(n),
            Err(_) => cpal::BufferSize::Default,
        };
        let cfg = cpal::StreamConfig {
            channels: 2,
            sample_rate: rate,
            buffer_size: size,
        };
        match o.build_output_stream(
            cfg,
            |_d: &mut [f32], _i: &cpal::OutputCallbackInfo| {},
            |e| eprintln!("callback error {e}"),
            None,
        ) {
            Ok(s) => {
                use cpal::traits::StreamTrait;
                println!("{rate} Hz {size:?}: ok, period {:?}", s.buffer_size());
            }
            Err(e) => println!("{rate} Hz {size:?}: {e} ({:?})", e.kind()),
        }
    }
}
