//! The fallback a converting stream's device runs at.

use super::{candidates, DeviceRun};
use crate::device::{DeviceInfo, Native, Offers};

fn device(rates: &[(u32, u32)], default: f64) -> DeviceInfo {
    let offers = Offers {
        samplerates: rates.to_vec(),
        channels: vec![(2, 2)],
    };
    DeviceInfo {
        id: "test:dev".into(),
        name: "dev".into(),
        host: "test".into(),
        max_input_channels: 2,
        max_output_channels: 2,
        default_samplerate: default,
        is_default_input: false,
        is_default_output: false,
        loopback: false,
        native: Native {
            input: offers.clone(),
            output: offers,
        },
    }
}

fn first_rate(dev: &DeviceInfo, samplerate: u32, channels: (usize, usize)) -> u32 {
    let asked = DeviceRun {
        samplerate,
        channels,
    };
    candidates(dev, asked)[0].samplerate
}

#[test]
fn the_device_runs_the_nearest_rate_it_offers_not_its_default() {
    let dev = device(
        &[(44_100, 44_100), (48_000, 48_000), (96_000, 96_000)],
        96_000.0,
    );
    assert_eq!(first_rate(&dev, 44_000, (0, 2)), 44_100);
    assert_eq!(first_rate(&dev, 16_000, (1, 0)), 44_100);
    assert_eq!(first_rate(&dev, 88_200, (0, 2)), 96_000);
    assert_eq!(first_rate(&dev, 192_000, (2, 2)), 96_000);
    // As near either way: the higher, which loses no band.
    assert_eq!(first_rate(&dev, 46_050, (0, 2)), 48_000);
}

#[test]
fn a_range_gives_the_rate_itself_and_a_duplex_stream_a_rate_both_sides_take() {
    let mut dev = device(&[(8_000, 48_000)], 48_000.0);
    // Within a range the device takes the rate: only channels differ.
    assert_eq!(first_rate(&dev, 22_050, (0, 1)), 22_050);
    dev.native.input.samplerates = vec![(16_000, 16_000), (48_000, 48_000)];
    dev.native.output.samplerates = vec![(44_100, 48_000)];
    assert_eq!(first_rate(&dev, 16_000, (2, 2)), 48_000);
    assert_eq!(first_rate(&dev, 20_000, (2, 0)), 16_000);
}

#[test]
fn an_unlisted_device_falls_back_to_its_default_rate() {
    let dev = device(&[], 44_100.0);
    assert_eq!(first_rate(&dev, 16_000, (0, 2)), 44_100);
    let asked = DeviceRun {
        samplerate: 16_000,
        channels: (0, 2),
    };
    // Its default, once: the asked channels are already all it has.
    let default = DeviceRun {
        samplerate: 44_100,
        ..asked
    };
    assert_eq!(candidates(&dev, asked), vec![default]);
    // A device that names no rate at all (default 0) has nothing to try:
    // never a run at 0 Hz.
    assert_eq!(candidates(&device(&[], 0.0), asked), vec![]);
}
