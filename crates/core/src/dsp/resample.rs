//! Band-limited resampling with `rubato`'s synchronous FFT resampler (a
//! windowed-sinc anti-aliasing filter applied in the frequency domain),
//! with the filter's delay trimmed: output frame `k` is at time `k / target`,
//! as input frame `j` is at `j / source` (no fractional delay is left).

use super::audio::{check_finite, check_len, Audio};
use super::interp::{Interp1d, Kind};
use crate::{Error, Result};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// The largest term of the reduced rate ratio the FFT resampler is given.
const MAX_REDUCED: usize = 1 << 20;

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The signal at `target` frames per second: `ceil(frames * target /
/// source)` frames. Both rates must be whole numbers of frames per second.
pub fn resample(audio: &Audio, target: f64) -> Result<Vec<f32>> {
    let whole = |r: f64, what: &str| {
        if r.is_finite() && r >= 1.0 && r.fract() == 0.0 && r <= u32::MAX as f64 {
            Ok(r as usize)
        } else {
            Err(Error::invalid_arg(format!(
                "{what} must be a whole number of frames per second, got {r}"
            )))
        }
    };
    let from = whole(audio.samplerate, "the signal's samplerate")?;
    let to = whole(target, "the target samplerate")?;
    let frames = audio.frames();
    if from == to || frames == 0 {
        return Ok(audio.data.to_vec());
    }
    let ch = audio.channels;
    // The FFT sizes are multiples of the reduced rates (147:160 for 48000 to
    // 44100): refuse pairs whose transforms alone would take gigabytes.
    let g = gcd(from, to);
    if from / g > MAX_REDUCED || to / g > MAX_REDUCED {
        return Err(Error::invalid_arg(format!(
            "{from} Hz to {to} Hz reduces to {}:{}; resampling needs both terms at most {MAX_REDUCED}",
            from / g,
            to / g
        )));
    }
    check_len(
        (frames as u128 * to as u128).div_ceil(from as u128) * ch as u128,
        "the resampled signal",
    )?;
    let fail = |e: &dyn std::fmt::Display| Error::invalid_arg(format!("resampling failed: {e}"));
    // An even number of the smallest blocks (1024 frames or more in all) makes
    // both FFT sizes even; with an odd one rubato's output lands half a frame off.
    let blocks = 1024usize.div_ceil(from / g).next_multiple_of(2);
    let mut rs = Fft::<f32>::new(from, to, blocks * (from / g), ch, FixedSync::Both)
        .map_err(|e| fail(&e))?;
    let needed = rs.process_all_needed_output_len(frames);
    let mut out = vec![0.0f32; needed * ch];
    let input = InterleavedSlice::new(audio.data, ch, frames).map_err(|e| fail(&e))?;
    let mut output = InterleavedSlice::new_mut(&mut out, ch, needed).map_err(|e| fail(&e))?;
    let (_, produced) = rs
        .process_all_into_buffer(&input, &mut output, frames, None)
        .map_err(|e| fail(&e))?;
    // rubato rounds `frames * ratio` in floating point (11025 * 48000 / 22050
    // comes out as 24000.000000000004, so one frame too many): count in integers.
    let exact = (frames as u128 * to as u128).div_ceil(from as u128) as usize;
    out.truncate(produced.min(exact) * ch);
    Ok(out)
}

/// The band-limited [`resample`] at playback rate `rate`: frame `k` of the
/// result is the source at time `k * rate / target` (pya's `rate`), so the
/// signal is resampled to `target / rate`, which must be a whole number of
/// frames per second.
pub fn resample_at_rate(audio: &Audio, target: f64, rate: f64) -> Result<Vec<f32>> {
    let rate = check_rate_factor(rate)?;
    if rate == 1.0 {
        return resample(audio, target);
    }
    let effective = target / rate;
    if !(effective.fract() == 0.0 && effective >= 1.0) {
        return Err(Error::invalid_arg(format!(
            "band-limited resampling at rate {rate} needs samplerate / rate ({effective}) to be a whole number of frames per second; give an interpolation kind such as 'linear' instead"
        )));
    }
    resample(audio, effective)
}

fn check_rate_factor(rate: f64) -> Result<f64> {
    check_finite(rate, "rate")?;
    if rate <= 0.0 {
        return Err(Error::invalid_arg(format!(
            "rate must be above 0 (1 keeps the speed, 2 plays twice as fast), got {rate}"
        )));
    }
    Ok(rate)
}

/// pya's `resample(target_sr, rate, kind)`: scipy's `interp1d` of `kind`
/// through source frame `j` at time `j / source`, read at times `k * rate /
/// target` for `k < floor(frames / source * target / rate)`; past the last
/// source frame the last value holds.
pub fn resample_interp(audio: &Audio, target: f64, rate: f64, kind: Kind) -> Result<Vec<f32>> {
    check_finite(target, "the target samplerate")?;
    if target <= 0.0 {
        return Err(Error::invalid_arg(format!(
            "the target samplerate must be above 0, got {target}"
        )));
    }
    let rate = check_rate_factor(rate)?;
    let frames = audio.frames();
    let out_frames = (frames as f64 / audio.samplerate * target / rate).floor();
    let ch = audio.channels;
    check_len(out_frames as u128 * ch as u128, "the resampled signal")?;
    let out_frames = out_frames as usize;
    if frames == 0 {
        return Ok(Vec::new());
    }
    let x: Vec<f64> = (0..frames).map(|j| j as f64 / audio.samplerate).collect();
    let mut y = vec![0.0f64; frames];
    let mut out = vec![0.0f32; out_frames * ch];
    for c in 0..ch {
        for (v, frame) in y.iter_mut().zip(audio.data.chunks_exact(ch)) {
            *v = frame[c] as f64;
        }
        let f = Interp1d::new(&x, &y, kind, y[frames - 1])?;
        for (k, frame) in out.chunks_exact_mut(ch).enumerate() {
            frame[c] = f.at(k as f64 * rate / target) as f32;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    fn sine(freq: f64, sr: f64, n: usize) -> Vec<f32> {
        (0..n)
            .map(|k| (TAU * freq * k as f64 / sr).sin() as f32 * 0.5)
            .collect()
    }

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|&v| v as f64 * v as f64).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn passband_kept_and_above_nyquist_removed() {
        let n = 48_000;
        let pass = sine(1000.0, 48_000.0, n);
        let out = resample(&Audio::new(&pass, 1, 48_000.0).unwrap(), 44_100.0).unwrap();
        assert_eq!(out.len(), 44_100);
        let mid = &out[4410..39690];
        assert!((rms(mid) / rms(&pass) - 1.0).abs() < 0.01, "{}", rms(mid));
        // In phase with the ideal sine at the new rate (the delay is trimmed).
        let ideal = sine(1000.0, 44_100.0, 44_100);
        let err: f64 = mid
            .iter()
            .zip(&ideal[4410..39690])
            .map(|(a, b)| (a - b).abs() as f64)
            .fold(0.0, f64::max);
        let (mut re, mut im) = (0.0, 0.0);
        for (k, &v) in mid.iter().enumerate() {
            let t = TAU * 1000.0 * (k + 4410) as f64 / 44_100.0;
            re += v as f64 * t.cos();
            im += v as f64 * t.sin();
        }
        let lag = -re.atan2(im) / TAU * 44.1;
        // Aligned: no fractional delay left (an odd FFT size leaves half a frame).
        assert!(lag.abs() < 0.01, "lag {lag} frames");
        assert!(err < 0.001, "max error {err}, lag {lag} frames");
        // 23 kHz is above 22.05 kHz: it must not alias back.
        let stop = sine(23_000.0, 48_000.0, n);
        let gone = resample(&Audio::new(&stop, 1, 48_000.0).unwrap(), 44_100.0).unwrap();
        let db = 20.0 * (rms(&gone[4410..39690]) / rms(&stop)).log10();
        assert!(db < -60.0, "{db} dB");
        let short = Audio::new(&pass[..10], 1, 10.0).unwrap();
        assert!(resample(&short, 1e9).is_err());
    }

    #[test]
    fn interpolating_kinds_and_rate_as_pya() {
        let d = [0.0f32, 1.0, 4.0, 9.0];
        let a = Audio::new(&d, 1, 4.0).unwrap();
        // floor(4 / 4 * 8 / 1) = 8 frames at t = k / 8; the last past 0.75 s holds 9.
        let up = resample_interp(&a, 8.0, 1.0, Kind::Linear).unwrap();
        assert_eq!(up, vec![0.0, 0.5, 1.0, 2.5, 4.0, 6.5, 9.0, 9.0]);
        // rate 2: floor(4 / 4 * 4 / 2) = 2 frames at t = k * 2 / 4.
        assert_eq!(
            resample_interp(&a, 4.0, 2.0, Kind::Linear).unwrap(),
            vec![0.0, 4.0]
        );
        assert_eq!(resample_at_rate(&a, 4.0, 2.0).unwrap().len(), 2);
        assert!(resample_at_rate(&a, 4.0, 3.0).is_err());
        assert!(resample_interp(&a, 4.0, 0.0, Kind::Linear).is_err());
    }
}
