//! The realtime contract on a converting stream: the engine behind the
//! converter (rate and channels both converted, duplex), with a play and a
//! record running, allocates nothing in any block, whatever the device's
//! block size.

use super::armed;
use crate::convert::channels::Mix;
use crate::convert::converter::{Converter, Plan};
use crate::engine::map::ChannelMap;
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::{state, BlockInfo, Engine};
use crate::ring::Ring;
use std::sync::atomic::Ordering;

#[test]
fn a_converting_callback_never_allocates() {
    for (stream_rate, device_rate, mix) in [
        (16_000, 48_000, Mix::First),
        (44_100, 48_000, Mix::Average),
        (48_000, 44_100, Mix::First),
    ] {
        let (mut engine, mut control) = Engine::new(1, 1, stream_rate);
        let rec_ring = Ring::new(4, 1 << 16).unwrap();
        assert!(control.play(Play::new(
            Source::Buffer {
                data: vec![0.25; 5000],
                channels: 1,
                pos: 0,
                looping: true,
            },
            ChannelMap::identity(1, 1),
            -1,
            0,
        )));
        assert!(control.record(Record::new(
            rec_ring.producer().unwrap(),
            Dtype::Float32,
            ChannelMap::identity(1, 1),
            -1,
            0,
            false,
        )));
        control
            .shared
            .state
            .store(state::RUNNING, Ordering::Release);
        let plan = Plan {
            stream_rate,
            device_rate,
            stream_channels: (1, 1),
            device_channels: (2, 2),
            mix,
            chunk: 256,
        };
        let mut conv = Converter::new(
            &plan,
            Box::new(move |i, o, info| engine.process(i, o, info)),
        )
        .unwrap();
        let mut rec = rec_ring.consumer().unwrap();
        let mut drain = vec![0u8; 1 << 16];
        // Device blocks of changing size, one longer than the converter's slice.
        for (k, frames) in [441usize, 256, 1, 1024, 5000, 480, 333]
            .iter()
            .cycle()
            .take(60)
            .enumerate()
        {
            let input = vec![0.5; frames * 2];
            let mut output = vec![0.0; frames * 2];
            let info = BlockInfo {
                frames: *frames,
                output_time: k as f64 * 0.01,
                input_time: k as f64 * 0.01,
                ..Default::default()
            };
            let (_, n) = armed(|| conv.process(&input, &mut output, &info));
            assert_eq!(
                n, 0,
                "{stream_rate} -> {device_rate}: allocations in block {k}"
            );
            rec.read_partial(&mut drain);
        }
        assert!(control.shared.frame_count.load(Ordering::Relaxed) > 0);
    }
}
