//! Prints what cpal offers for a device: `cargo run --example probe -- alsa loopback`.
use cpal::traits::DeviceTrait;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let h = ringstream_cpal::host::host(&a[1]).expect("host");
    let (i, o) = ringstream_cpal::host::find(&h, &a[1], &a[2]).expect("device");
    for r in i.unwrap().supported_input_configs().unwrap() {
        println!("in  {r:?}");
    }
    let o = o.unwrap();
    for r in o.supported_output_configs().unwrap() {
        if r.channels() == 2 {
            println!("out {r:?}");
        }
    }
    if let Some(b) = a.get(3) {
        use cpal::traits::StreamTrait;
        let cfg = cpal::StreamConfig {
            channels: 2,
            sample_rate: 48000,
            buffer_size: cpal::BufferSize::Fixed(b.parse().unwrap()),
        };
        match o.build_output_stream(
            cfg,
            |_d: &mut [f32], _i: &cpal::OutputCallbackInfo| {},
            |e| eprintln!("cb err {e}"),
            None,
        ) {
            Ok(s) => println!("fixed {b}: ok, buffer_size {:?}", s.buffer_size()),
            Err(e) => println!("fixed {b}: {e} {:?}", e.kind()),
        }
    }
}
