//! Per-channel measures: RMS (`sqrt(mean(x^2))`) and peak (`max |x|`).

use super::audio::Audio;

/// The RMS of each channel, `sqrt(mean(x^2))` (0 for an empty signal).
pub fn rms(audio: &Audio) -> Vec<f64> {
    let mut sums = vec![0.0f64; audio.channels];
    for frame in audio.data.chunks_exact(audio.channels) {
        for (s, &x) in sums.iter_mut().zip(frame) {
            *s += x as f64 * x as f64;
        }
    }
    let n = audio.frames().max(1) as f64;
    sums.into_iter().map(|s| (s / n).sqrt()).collect()
}

/// The peak of each channel, `max |x|` (0 for an empty signal).
pub fn peak(audio: &Audio) -> Vec<f64> {
    let mut peaks = vec![0.0f32; audio.channels];
    for frame in audio.data.chunks_exact(audio.channels) {
        for (p, &x) in peaks.iter_mut().zip(frame) {
            let a = x.abs();
            if a > *p {
                *p = a;
            }
        }
    }
    peaks.into_iter().map(f64::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rms_and_peak_by_hand() {
        // Channel 0: 3, -4 -> rms sqrt(12.5); channel 1: 0, 1 -> sqrt(0.5).
        let d = [3.0f32, 0.0, -4.0, 1.0];
        let a = Audio::new(&d, 2, 1.0).unwrap();
        let r = rms(&a);
        assert!((r[0] - 12.5f64.sqrt()).abs() < 1e-12);
        assert!((r[1] - 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(peak(&a), vec![4.0, 1.0]);
    }
}
