//! Fades, breakpoint envelopes and ADSR (pya's `fade_in`, `fade_out`,
//! `envelope`, `adsr`).

use super::audio::{check_finite, Audio};
use super::interp::{Interp1d, Kind};
use crate::{Error, Result};

/// Which end of the signal a fade shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FadeEnd {
    /// From silence, at the start.
    In,
    /// To silence, at the end.
    Out,
}

/// `v^curve` keeping the sign of `v` (so a curve never yields NaN).
fn shape(v: f64, curve: f64) -> f64 {
    if curve == 1.0 {
        v
    } else {
        v.signum() * v.abs().powf(curve)
    }
}

fn check_curve(curve: f64) -> Result<f64> {
    check_finite(curve, "curve")?;
    if curve <= 0.0 {
        return Err(Error::invalid_arg(format!(
            "curve must be above 0 (1 is linear), got {curve}"
        )));
    }
    Ok(curve)
}

/// pya's fades: the first (or last) `int(dur * samplerate)` frames (at
/// most the whole signal) times `linspace(0, 1, n)^curve` (or `linspace(1,
/// 0, n)^curve`); the rest unchanged.
pub fn fade(audio: &Audio, end: FadeEnd, dur: f64, curve: f64) -> Result<Vec<f32>> {
    check_curve(curve)?;
    let frames = audio.frames();
    let n = audio.frames_of(dur, "dur")?.min(frames);
    let mut out = audio.data.to_vec();
    let start = if end == FadeEnd::In { 0 } else { frames - n };
    let ch = audio.channels;
    for i in 0..n {
        let ramp = if n == 1 {
            0.0
        } else {
            i as f64 / (n - 1) as f64
        };
        let ramp = if end == FadeEnd::In { ramp } else { 1.0 - ramp };
        let g = shape(ramp, curve) as f32;
        out[(start + i) * ch..(start + i + 1) * ch]
            .iter_mut()
            .for_each(|x| *x *= g);
    }
    Ok(out)
}

/// Breakpoints of an envelope: amplitudes at times (seconds).
#[derive(Debug, Clone, Copy)]
pub struct Breakpoints<'a> {
    /// Amplitude at each breakpoint.
    pub amps: &'a [f64],
    /// Time of each breakpoint in seconds, non-decreasing, within the
    /// signal; `None` spreads them evenly from 0 to the duration.
    pub times: Option<&'a [f64]>,
    /// The envelope is raised to this power (1 linear).
    pub curve: f64,
    /// How the envelope runs between breakpoints (scipy's `interp1d` kinds;
    /// [`Kind::Linear`] for straight lines).
    pub kind: Kind,
}

/// pya's `envelope`: the signal times the piecewise-linear envelope through
/// the breakpoints, raised to `curve`. Frame `k` of `N` sits at time
/// `k * duration / (N - 1)` (numpy's `linspace(0, duration, N)`); outside
/// the breakpoints the nearest amplitude holds; at a repeated time the
/// later amplitude applies (an instant step).
pub fn envelope(audio: &Audio, bp: &Breakpoints) -> Result<Vec<f32>> {
    let curve = check_curve(bp.curve)?;
    let amps = bp.amps;
    if amps.is_empty() {
        return Err(Error::invalid_arg("amps must hold at least one breakpoint"));
    }
    amps.iter()
        .try_for_each(|&a| check_finite(a, "amps").map(|_| ()))?;
    let duration = audio.duration();
    let frames = audio.frames();
    if bp.kind != Kind::Linear {
        return envelope_interp(audio, bp, curve);
    }
    let times: Vec<f64> = match bp.times {
        Some(t) => {
            check_times(t, amps.len(), duration)?;
            t.to_vec()
        }
        None if amps.len() == 1 => vec![0.0],
        None => (0..amps.len())
            .map(|i| i as f64 * duration / (amps.len() - 1) as f64)
            .collect(),
    };
    let mut out = audio.data.to_vec();
    let mut seg = 0;
    for (k, frame) in out.chunks_exact_mut(audio.channels).enumerate() {
        let t = if frames > 1 {
            k as f64 * duration / (frames - 1) as f64
        } else {
            0.0
        };
        while seg + 1 < times.len() && times[seg + 1] <= t {
            seg += 1;
        }
        let a = if seg + 1 >= times.len() || t < times[0] {
            if t < times[0] {
                amps[0]
            } else {
                amps[amps.len() - 1]
            }
        } else {
            let (t0, t1) = (times[seg], times[seg + 1]);
            amps[seg] + (amps[seg + 1] - amps[seg]) * (t - t0) / (t1 - t0)
        };
        let g = shape(a, curve) as f32;
        frame.iter_mut().for_each(|x| *x *= g);
    }
    Ok(out)
}

/// [`envelope`] of a kind other than linear, as pya's: the breakpoints
/// (evenly spread from 0 to the duration when no times are given; else
/// extended to 0 and to the duration, holding the end amplitudes) through
/// scipy's `interp1d` of that kind, read at `linspace(0, duration, frames)`.
fn envelope_interp(audio: &Audio, bp: &Breakpoints, curve: f64) -> Result<Vec<f32>> {
    let duration = audio.duration();
    let frames = audio.frames();
    let (mut times, mut amps) = (Vec::new(), Vec::new());
    match bp.times {
        Some(t) => {
            check_times(t, bp.amps.len(), duration)?;
            if t[0] > 0.0 {
                times.push(0.0);
                amps.push(bp.amps[0]);
            }
            times.extend_from_slice(t);
            amps.extend_from_slice(bp.amps);
            if t[t.len() - 1] < duration {
                times.push(duration);
                amps.push(bp.amps[bp.amps.len() - 1]);
            }
        }
        None => {
            times = linspace(duration, bp.amps.len());
            amps.extend_from_slice(bp.amps);
        }
    }
    let f = Interp1d::new(&times, &amps, bp.kind, f64::NAN)?;
    let mut out = audio.data.to_vec();
    let at = linspace(duration, frames);
    for (frame, &t) in out.chunks_exact_mut(audio.channels).zip(&at) {
        let g = shape(f.at(t), curve) as f32;
        frame.iter_mut().for_each(|x| *x *= g);
    }
    Ok(out)
}

/// numpy's `linspace(0, stop, num)`: `k * (stop / (num - 1))`, the last exactly `stop`.
fn linspace(stop: f64, num: usize) -> Vec<f64> {
    let step = stop / num.saturating_sub(1).max(1) as f64;
    let mut v: Vec<f64> = (0..num).map(|k| k as f64 * step).collect();
    if num > 1 {
        v[num - 1] = stop;
    }
    v
}

fn check_times(t: &[f64], n: usize, duration: f64) -> Result<()> {
    if t.len() != n {
        return Err(Error::invalid_arg(format!(
            "times must hold one time per amplitude ({n}), got {}",
            t.len()
        )));
    }
    for (i, &x) in t.iter().enumerate() {
        check_finite(x, "times")?;
        if x < 0.0 || x > duration + 1e-9 {
            return Err(Error::invalid_arg(format!(
                "times must lie within the signal (0 to {duration} s), got {x}"
            )));
        }
        if i > 0 && x < t[i - 1] {
            return Err(Error::invalid_arg(format!(
                "times must not decrease, got {} then {x}",
                t[i - 1]
            )));
        }
    }
    Ok(())
}

/// An ADSR envelope's stages (pya's defaults: 0, 0.1, 0.7, 0.1, curve 1).
#[derive(Debug, Clone, Copy)]
pub struct Adsr {
    /// Attack: seconds from 0 to 1.
    pub attack: f64,
    /// Decay: seconds from 1 to `sustain`.
    pub decay: f64,
    /// Sustain level (an amplitude).
    pub sustain: f64,
    /// Release: seconds from `sustain` to 0 at the end.
    pub release: f64,
    /// The envelope is raised to this power.
    pub curve: f64,
}

/// pya's `adsr`: [`envelope`] through `[0, 1, s, s, 0]` at
/// `[0, a, a + d, duration - r, duration]`; the stages must fit in the signal.
pub fn adsr(audio: &Audio, env: &Adsr) -> Result<Vec<f32>> {
    for (v, what) in [
        (env.attack, "attack"),
        (env.decay, "decay"),
        (env.release, "release"),
    ] {
        audio.frames_of(v, what)?;
    }
    check_finite(env.sustain, "sustain")?;
    let dur = audio.duration();
    if env.attack + env.decay > dur - env.release + 1e-9 {
        return Err(Error::invalid_arg(format!(
            "attack + decay + release ({} s) must fit in the signal ({dur} s)",
            env.attack + env.decay + env.release
        )));
    }
    let a = env.attack;
    let d = (a + env.decay).min(dur);
    let r = (dur - env.release).max(d);
    envelope(
        audio,
        &Breakpoints {
            amps: &[0.0, 1.0, env.sustain, env.sustain, 0.0],
            times: Some(&[0.0, a, d, r, dur]),
            curve: env.curve,
            kind: Kind::Linear,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fades_are_linspace_to_the_curve() {
        let d = [1.0f32; 10];
        let a = Audio::new(&d, 2, 10.0).unwrap(); // 5 frames, 0.5 s
        let i = fade(&a, FadeEnd::In, 0.3, 2.0).unwrap(); // 3 frames: 0, 0.5^2, 1
        assert_eq!(i, vec![0.0, 0.0, 0.25, 0.25, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let o = fade(&a, FadeEnd::Out, 10.0, 1.0).unwrap(); // whole signal
        assert_eq!(
            o,
            vec![1.0, 1.0, 0.75, 0.75, 0.5, 0.5, 0.25, 0.25, 0.0, 0.0]
        );
        assert!(fade(&a, FadeEnd::In, -1.0, 1.0).is_err());
    }

    #[test]
    fn envelope_and_adsr_by_hand() {
        let d = [1.0f32; 5]; // 5 frames at 4 Hz, 1.25 s: t = 0, 0.3125, 0.625, 0.9375, 1.25 (linspace)
        let a = Audio::new(&d, 1, 4.0).unwrap();
        let e = envelope(
            &a,
            &Breakpoints {
                amps: &[0.0, 1.0, 0.0],
                times: None,
                curve: 1.0,
                kind: Kind::Linear,
            },
        )
        .unwrap();
        assert_eq!(e, vec![0.0, 0.5, 1.0, 0.5, 0.0]);
        let s = adsr(
            &a,
            &Adsr {
                attack: 0.3125,
                decay: 0.3125,
                sustain: 0.5,
                release: 0.3125,
                curve: 1.0,
            },
        )
        .unwrap();
        assert_eq!(s, vec![0.0, 1.0, 0.5, 0.5, 0.0]);
        assert!(adsr(
            &a,
            &Adsr {
                attack: 1.0,
                decay: 0.5,
                sustain: 0.5,
                release: 0.25,
                curve: 1.0
            }
        )
        .is_err());
        let times = [0.0, 2.0];
        assert!(envelope(
            &a,
            &Breakpoints {
                amps: &[0.0, 1.0],
                times: Some(&times),
                curve: 1.0,
                kind: Kind::Linear,
            }
        )
        .is_err());
    }

    #[test]
    fn envelope_kinds_as_interp1d() {
        let d = [1.0f32; 5]; // t = 0, 0.3125, 0.625, 0.9375, 1.25
        let a = Audio::new(&d, 1, 4.0).unwrap();
        let bp = |kind, times| Breakpoints {
            amps: &[0.0, 1.0, 0.0],
            times,
            curve: 1.0,
            kind,
        };
        // 'previous': steps, not ramps.
        let p = envelope(&a, &bp(Kind::Previous, None)).unwrap();
        assert_eq!(p, vec![0.0, 0.0, 1.0, 1.0, 0.0]);
        // A quadratic through (0, 0), (0.625, 1), (1.25, 0): 1 - ((t - 0.625) / 0.625)^2.
        let q = envelope(&a, &bp(Kind::Spline(2), None)).unwrap();
        for (v, w) in q.iter().zip([0.0, 0.75, 1.0, 0.75, 0.0]) {
            assert!((v - w).abs() < 1e-6, "{q:?}");
        }
        // Times that do not reach the ends are extended, holding the end amplitudes.
        let times = [0.3125, 0.625, 0.9375];
        let n = envelope(&a, &bp(Kind::Nearest, Some(&times))).unwrap();
        assert_eq!(n, vec![0.0, 0.0, 1.0, 0.0, 0.0]);
        assert!(envelope(&a, &bp(Kind::Spline(3), None)).is_err());
    }
}
