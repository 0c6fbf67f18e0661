//! The realtime contract on a converting stream: the engine behind the
//! converter (rate and channels both converted, duplex; with and without
//! drift correction as a stream opened with `driftCorrection` has it: the
//! engine publishing its watched ring, the loop steering by it and the
//! offset fitted), with a play and a record running, allocates nothing in
//! any block, whatever the device's block size.

use super::armed;
use crate::convert::channels::Mix;
use crate::convert::converter::Plan;
use crate::convert::drift::MOST;
use crate::convert::testkit::converting_duplex;
use crate::engine::BlockInfo;
use std::sync::atomic::Ordering;

#[test]
fn a_converting_callback_never_allocates() {
    // The last two correct drift: the sinc resampler, its ratio moved by
    // the drift loop every chunk.
    for (stream_rate, device_rate, mix, drift) in [
        (16_000, 48_000, Mix::First, false),
        (44_100, 48_000, Mix::Average, false),
        (48_000, 44_100, Mix::First, false),
        (44_100, 48_000, Mix::First, true),
        (48_000, 48_000, Mix::First, true),
    ] {
        let plan = Plan {
            stream_rate,
            device_rate,
            stream_channels: (1, 1),
            device_channels: (2, 2),
            mix,
            chunk: 256,
        };
        let (mut conv, control, rec_ring) = converting_duplex(&plan, drift).unwrap();
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
        // The stream's path was taken: the engine published the watched
        // ring the drift loop steers by.
        assert!(control.shared.drift.recorded().is_some());
        // The ring is emptied every block, as by a reader that keeps ahead
        // of the device: the loop steered all the way (1 + MOST, the most
        // it corrects) and the fit says the device runs slow, by about as
        // much (the speed is stream frames per device frame: 1/(1 + MOST) - 1).
        match (conv.drift_speed(), conv.drift_offset()) {
            (Some(speed), Some(offset)) if drift => {
                assert!((speed - (1.0 + MOST)).abs() < 1e-12, "speed {speed}");
                assert!(
                    (-MOST..-MOST / 2.0).contains(&offset),
                    "{stream_rate} -> {device_rate}: offset {offset}"
                );
            }
            (None, None) if !drift => {}
            other => panic!("drift {drift}: speed and offset {other:?}"),
        }
    }
}
