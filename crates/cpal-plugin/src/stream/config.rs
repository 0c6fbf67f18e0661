//! Choosing a stream's configuration: pure functions over what the device
//! offers (cpal's ranges, an ALSA period range), so that they are tested
//! without a device.

use crate::abi::latency;
use cpal::{SampleFormat, SupportedStreamConfigRange};
use std::collections::BTreeSet;

/// The sample formats the plugin converts from and to f32, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    /// 32-bit float (no conversion).
    F32,
    /// 32-bit signed integer.
    I32,
    /// 16-bit signed integer.
    I16,
}

impl Fmt {
    /// Every format, in order of preference.
    pub const ALL: [Fmt; 3] = [Fmt::F32, Fmt::I32, Fmt::I16];

    /// cpal's name for it.
    pub fn cpal(self) -> SampleFormat {
        match self {
            Fmt::F32 => SampleFormat::F32,
            Fmt::I32 => SampleFormat::I32,
            Fmt::I16 => SampleFormat::I16,
        }
    }
}

/// The best format in `ranges` with exactly `channels` channels at `rate`,
/// or an error message that lists what the device offers.
pub fn choose_format(
    ranges: &[SupportedStreamConfigRange],
    dir: &str,
    channels: u16,
    rate: u32,
) -> Result<Fmt, String> {
    for fmt in Fmt::ALL {
        let hit = ranges.iter().any(|r| {
            r.channels() == channels
                && r.sample_format() == fmt.cpal()
                && r.min_sample_rate() <= rate
                && rate <= r.max_sample_rate()
        });
        if hit {
            return Ok(fmt);
        }
    }
    Err(format!(
        "the device has no {dir} configuration with {channels} channels at {rate} Hz in f32, i32 or i16; it offers {}",
        describe(ranges)
    ))
}

/// What `ranges` offer, compactly: rates, channel counts and formats
/// ("48000 Hz; 1-64 channels; f32"), or "nothing".
pub fn describe(ranges: &[SupportedStreamConfigRange]) -> String {
    if ranges.is_empty() {
        return "nothing".to_string();
    }
    let rates: BTreeSet<(u32, u32)> = ranges
        .iter()
        .map(|r| (r.min_sample_rate(), r.max_sample_rate()))
        .collect();
    let rates: Vec<String> = rates
        .iter()
        .map(|&(a, b)| {
            if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let channels: BTreeSet<u32> = ranges.iter().map(|r| u32::from(r.channels())).collect();
    let mut formats: Vec<String> = Vec::new();
    for r in ranges {
        let f = r.sample_format().to_string();
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    format!(
        "{} Hz; {} channels; {}",
        rates.join(", "),
        spans(&channels),
        formats.join(", ")
    )
}

/// `{1, 2, 3, 6}` as "1-3, 6".
pub fn spans(values: &BTreeSet<u32>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut it = values.iter().copied().peekable();
    while let Some(start) = it.next() {
        let mut end = start;
        while it.peek() == Some(&(end + 1)) {
            end += 1;
            it.next();
        }
        out.push(if start == end {
            format!("{start}")
        } else {
            format!("{start}-{end}")
        });
    }
    out.join(", ")
}

/// The 'low' latency target: about 5 ms (256 frames at 48 kHz), the
/// smallest a desktop system sustains reliably without special tuning.
pub const LOW_SECONDS: f64 = 0.005;
/// The 'high' latency target: about 100 ms, safe under load.
pub const HIGH_SECONDS: f64 = 0.1;

/// The device period, in frames, that a latency request aims at.
pub fn target_frames(kind: u32, seconds: f64, rate: u32) -> Result<f64, String> {
    let s = match kind {
        latency::LOW => LOW_SECONDS,
        latency::HIGH => HIGH_SECONDS,
        latency::SECONDS if seconds.is_finite() && seconds >= 0.0 => seconds,
        latency::SECONDS => {
            return Err(format!(
                "latency must be 'low', 'high' or a number of seconds >= 0, got {seconds}"
            ))
        }
        k => return Err(format!("unknown latency kind {k}")),
    };
    // 0 s: as low as the device goes.
    Ok((s * f64::from(rate)).max(1.0))
}

/// Device periods worth trying for engine blocks of `block` frames and an
/// output latency of about `target` frames, within the device's `[min, max]`
/// (sorted; see [`rank_periods`] for the order to try them in): multiples
/// and divisors of the block (the block adapter then adds nothing or
/// little), powers of two, and the target and half of it. A device's range
/// can have holes (a JACK-backed PCM takes only multiples of the JACK
/// period), hence several.
pub fn candidate_periods(min: u32, max: u32, block: u32, target: f64) -> Vec<u32> {
    let (min, max, block) = (min.max(1), max.max(min.max(1)), block.max(1));
    let target = target.max(1.0);
    let top = (4.0 * target).max(f64::from(min));
    let mut out: Vec<u32> = Vec::new();
    let mut k = 1u32;
    while let Some(p) = block.checked_mul(k) {
        if p > max || f64::from(p) > top {
            break;
        }
        if p >= min {
            out.push(p);
        }
        k += 1;
    }
    for d in 2..=block {
        if block % d == 0 {
            let p = block / d;
            if p < min || f64::from(p) < target / 8.0 {
                break;
            }
            if p <= max {
                out.push(p);
            }
        }
    }
    out.extend(
        (0..32)
            .map(|i| 1u32 << i)
            .filter(|p| (min..=max).contains(p)),
    );
    for t in [target, target / 2.0] {
        out.push((t.round().min(f64::from(u32::MAX)) as u32).clamp(min, max));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The output latency a period gives, in frames, before what the device
/// adds beyond its buffer: one period queued ahead (cpal keeps two in the
/// buffer) plus the block adapter's most ([`adapter_frames`]).
pub fn predicted_frames(block: u32, period: u32) -> u32 {
    period + adapter_frames(block, period)
}

/// `periods` (those the device takes), best first: the predicted latency
/// ([`predicted_frames`]) closest to `target` in ratio, with a penalty for
/// the adapter's share of the period (an adapted stream calls the engine in
/// bursts, and its latency varies by up to that much): a period that is a
/// multiple or divisor of the block wins over a slightly closer one that is
/// not. Ties: the longer period.
pub fn rank_periods(mut periods: Vec<u32>, block: u32, target: f64) -> Vec<u32> {
    let target = target.max(1.0);
    let block = block.max(1);
    let score = |p: u32| {
        let p = p.max(1);
        let distance = (f64::from(predicted_frames(block, p)) / target).ln().abs();
        distance + 0.5 * f64::from(adapter_frames(block, p)) / f64::from(p)
    };
    periods.sort_unstable();
    periods.dedup();
    periods.sort_by(|a, b| score(*a).total_cmp(&score(*b)).then(b.cmp(a)));
    periods
}

/// The best period for a device that takes every size in `[min, max]`.
pub fn choose_period(min: u32, max: u32, block: u32, target: f64) -> u32 {
    rank_periods(candidate_periods(min, max, block, target), block, target)[0]
}

/// A server host's own period for a latency of `target` frames, within the
/// buffer sizes it offers (`bounds`; None: it does not say): one size only
/// (JACK) is that size; PipeWire's graph runs power-of-two quanta, so the
/// nearest one; otherwise (PulseAudio, which takes the fragment asked for,
/// and what says nothing) the target itself.
pub fn server_period(power_of_two: bool, bounds: Option<(u32, u32)>, target: f64) -> u32 {
    let (min, max) = bounds.unwrap_or((1, u32::MAX));
    let (min, max) = (min.max(1), max.max(min.max(1)));
    let want = if power_of_two {
        2f64.powf(target.max(1.0).log2().round())
    } else {
        target.round()
    };
    (want.min(f64::from(u32::MAX)) as u32).clamp(min, max)
}

/// Greatest common divisor.
pub fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The most frames the block adapter adds to the latency of a stream whose
/// device calls back with `period` frames and whose engine takes `block`:
/// engine blocks start at every multiple of `gcd(block, period)` within a
/// period, so the latest starts `period - gcd` frames into one.
pub fn adapter_frames(block: u32, period: u32) -> u32 {
    period - gcd(block, period)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpal::SupportedBufferSize;

    fn range(ch: u16, fmt: SampleFormat, lo: u32, hi: u32) -> SupportedStreamConfigRange {
        SupportedStreamConfigRange::new(ch, lo, hi, SupportedBufferSize::Unknown, fmt)
    }

    #[test]
    fn prefers_f32_then_i32_then_i16() {
        let r = [
            range(2, SampleFormat::I16, 8000, 96000),
            range(2, SampleFormat::I32, 8000, 96000),
        ];
        assert_eq!(choose_format(&r, "output", 2, 48000), Ok(Fmt::I32));
        let r = [
            range(2, SampleFormat::I16, 8000, 96000),
            range(2, SampleFormat::F32, 48000, 48000),
        ];
        assert_eq!(choose_format(&r, "output", 2, 48000), Ok(Fmt::F32));
        assert_eq!(choose_format(&r, "output", 2, 44100), Ok(Fmt::I16));
    }

    #[test]
    fn refusal_lists_rates_channels_and_formats() {
        let r = [
            range(1, SampleFormat::F32, 48000, 48000),
            range(2, SampleFormat::F32, 48000, 48000),
            range(2, SampleFormat::I16, 48000, 48000),
            range(4, SampleFormat::F32, 48000, 48000),
        ];
        let e = choose_format(&r, "output", 2, 44100).unwrap_err();
        assert!(e.contains("2 channels at 44100 Hz"), "{e}");
        assert!(
            e.contains("it offers 48000 Hz; 1-2, 4 channels; f32, i16"),
            "{e}"
        );
        let e = choose_format(&[], "input", 2, 48000).unwrap_err();
        assert!(e.ends_with("it offers nothing"), "{e}");
    }

    #[test]
    fn spans_are_compact() {
        let s: BTreeSet<u32> = [1, 2, 3, 5, 7, 8].into_iter().collect();
        assert_eq!(spans(&s), "1-3, 5, 7-8");
    }

    #[test]
    fn latency_targets() {
        assert_eq!(target_frames(latency::LOW, 0.0, 48000), Ok(240.0));
        assert_eq!(target_frames(latency::HIGH, 0.0, 48000), Ok(4800.0));
        assert_eq!(target_frames(latency::SECONDS, 0.02, 48000), Ok(960.0));
        assert_eq!(target_frames(latency::SECONDS, 0.0, 48000), Ok(1.0));
        assert!(target_frames(latency::SECONDS, -1.0, 48000).is_err());
        assert!(target_frames(latency::SECONDS, f64::NAN, 48000).is_err());
        assert!(target_frames(7, 0.0, 48000).is_err());
    }

    #[test]
    fn a_fixed_period_device_gets_its_period_whatever_the_block() {
        for block in [1, 64, 100, 1024, 3000, 65536] {
            for target in [1.0, 240.0, 4800.0, 1e6] {
                assert_eq!(choose_period(1024, 1024, block, target), 1024);
            }
        }
    }

    #[test]
    fn periods_aim_at_the_latency_counting_the_adapter() {
        // 'low' (240 frames at 48 kHz): the block itself when it is small...
        assert_eq!(choose_period(16, 1 << 20, 256, 240.0), 256);
        // ...a divisor of a large block (the engine then runs every fourth period)...
        assert_eq!(choose_period(16, 1 << 20, 1024, 240.0), 256);
        // ...and with a tiny block, two blocks (128 + 64 = 192 is nearest 240).
        assert_eq!(choose_period(16, 1 << 20, 64, 240.0), 128);
        // 'high' (4800): 2560 + 2304 = 4864.
        assert_eq!(choose_period(16, 1 << 20, 256, 4800.0), 2560);
        // Seconds: 0.02 s = 960 frames with blocks of 64 -> 512 + 448.
        assert_eq!(choose_period(16, 1 << 20, 64, 960.0), 512);
        // A block that fits nothing: within the range, by predicted latency
        // (300 + 200 adapter frames is nearer 350 than 350 + 300).
        assert_eq!(choose_period(300, 400, 1000, 350.0), 300);
        assert_eq!(choose_period(300, 400, 1000, 10.0), 300);
        // Within the range, always.
        for (min, max, block, target) in [
            (85, 2048, 100, 7.0),
            (940, 60212, 64, 240.0),
            (32, 64, 3, 1e9),
        ] {
            let p = choose_period(min, max, block, target);
            assert!((min..=max).contains(&p), "{p} not in {min}..={max}");
        }
    }

    #[test]
    fn ranking_follows_what_the_device_takes() {
        // A JACK-backed PCM at JACK period 1024 takes multiples of it.
        let takes = vec![4096, 1024, 3072, 2048, 1024];
        assert_eq!(
            rank_periods(takes.clone(), 256, 240.0),
            vec![1024, 2048, 3072, 4096]
        );
        assert_eq!(rank_periods(takes.clone(), 256, 4800.0)[0], 2048);
        assert_eq!(rank_periods(takes.clone(), 3000, 4800.0)[0], 2048);
        assert_eq!(rank_periods(takes, 3000, 240.0)[0], 1024);
        let c = candidate_periods(85, 1 << 20, 3000, 4800.0);
        for p in [3000, 6000, 1500, 4096, 4800, 2400] {
            assert!(c.contains(&p), "{p} missing from {c:?}");
        }
        assert!(c.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    }

    #[test]
    fn a_server_period_follows_what_the_server_runs() {
        // JACK: its one buffer size, whatever the latency asked.
        assert_eq!(server_period(false, Some((1024, 1024)), 240.0), 1024);
        // PipeWire: the nearest power of two, within its quantum limits.
        assert_eq!(server_period(true, Some((32, 8192)), 240.0), 256);
        assert_eq!(server_period(true, Some((32, 8192)), 4800.0), 4096);
        assert_eq!(server_period(true, Some((512, 8192)), 240.0), 512);
        // PulseAudio, or a host that says nothing: the target.
        assert_eq!(server_period(false, Some((1, 1 << 20)), 240.0), 240);
        assert_eq!(server_period(false, None, 0.4), 1);
    }

    #[test]
    fn adapter_latency() {
        assert_eq!(adapter_frames(1024, 1024), 0);
        assert_eq!(adapter_frames(64, 1024), 960);
        assert_eq!(adapter_frames(2048, 1024), 0);
        assert_eq!(adapter_frames(100, 1024), 1020);
        assert_eq!(adapter_frames(3000, 1024), 1016);
    }
}
