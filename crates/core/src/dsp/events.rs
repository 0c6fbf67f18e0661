//! pya's `find_events`: sound / silence segmentation by the RMS of short steps.

use super::audio::{check_finite, Audio};
use super::util::dbamp;
use crate::{Error, Result};

/// The parameters of [`find_events`] (pya's names and defaults in brackets).
#[derive(Debug, Clone, Copy)]
pub struct EventSpec {
    /// Seconds per analysis step [`step_dur` 0.001].
    pub step_dur: f64,
    /// Silence threshold in dB (RMS of a step) [`sil_thr` -20].
    pub sil_thr: f64,
    /// Events shorter than this are dropped, in seconds [`evt_min_dur` 0].
    pub evt_min_dur: f64,
    /// Silence must last longer than this to end an event, seconds [`sil_min_dur` 0.1].
    pub sil_min_dur: f64,
    /// Seconds added before and after each event [`sil_pad` [0.001, 0.1]].
    pub sil_pad: [f64; 2],
}

/// Finds events: a step whose RMS (over all its samples, every channel)
/// exceeds `dbamp(sil_thr)` starts one; it ends once more than
/// `sil_min_dur / step_dur` steps in a row fall below the threshold, at
/// the start of that silence. Each event is `[start, end)` in frames,
/// widened by `sil_pad` and clamped to the signal. Unlike pya, an event
/// still sounding at the end of the signal is kept (ending there), and
/// `evt_min_dur` is compared in seconds (pya compares samples with steps).
pub fn find_events(audio: &Audio, spec: &EventSpec) -> Result<Vec<[usize; 2]>> {
    let step = audio.frames_of(spec.step_dur, "stepDur")?;
    if step == 0 {
        return Err(Error::invalid_arg(format!(
            "stepDur must be at least one frame (1 / samplerate = {} s), got {}",
            1.0 / audio.samplerate,
            spec.step_dur
        )));
    }
    let thr = dbamp(check_finite(spec.sil_thr, "silThr")?);
    let min_evt = audio.frames_of(spec.evt_min_dur, "evtMinDur")?;
    let sil_min_steps = audio.frames_of(spec.sil_min_dur, "silMinDur")? / step;
    let pad = [
        audio.frames_of(spec.sil_pad[0], "silPad")?,
        audio.frames_of(spec.sil_pad[1], "silPad")?,
    ];
    let frames = audio.frames();
    let ch = audio.channels;
    let mut events = Vec::new();
    let mut begin: Option<usize> = None;
    let mut silent_steps = 0;
    let mut push = |b: usize, e: usize| {
        if e - b >= min_evt {
            events.push([b.saturating_sub(pad[0]), (e + pad[1]).min(frames)]);
        }
    };
    for (k, chunk) in audio.data.chunks(step * ch).enumerate() {
        let i = k * step;
        let power = chunk.iter().map(|&x| x as f64 * x as f64).sum::<f64>() / chunk.len() as f64;
        let loud = power.sqrt() > thr;
        match begin {
            None if loud => {
                begin = Some(i);
                silent_steps = 0;
            }
            None => {}
            Some(b) => {
                silent_steps = if loud { 0 } else { silent_steps + 1 };
                if silent_steps > sil_min_steps {
                    // The event ended where this run of silent steps began.
                    push(b, i + step - silent_steps * step);
                    begin = None;
                }
            }
        }
    }
    if let Some(b) = begin {
        let end = frames - (silent_steps * step).min(frames - b);
        push(b, end.max(b));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_bursts_are_two_events() {
        // 1000 Hz: 100 ms silence, 200 ms sound, 300 ms silence, 100 ms sound.
        let mut d = vec![0.0f32; 700];
        d[100..300].iter_mut().for_each(|x| *x = 0.5);
        d[600..700].iter_mut().for_each(|x| *x = 0.5);
        let a = Audio::new(&d, 1, 1000.0).unwrap();
        let spec = EventSpec {
            step_dur: 0.01,
            sil_thr: -20.0,
            evt_min_dur: 0.0,
            sil_min_dur: 0.1,
            sil_pad: [0.0, 0.0],
        };
        assert_eq!(
            find_events(&a, &spec).unwrap(),
            vec![[100, 300], [600, 700]]
        );
        let padded = EventSpec {
            sil_pad: [0.05, 0.02],
            ..spec
        };
        assert_eq!(
            find_events(&a, &padded).unwrap(),
            vec![[50, 320], [550, 700]]
        );
        let long_only = EventSpec {
            evt_min_dur: 0.15,
            ..spec
        };
        assert_eq!(find_events(&a, &long_only).unwrap(), vec![[100, 300]]);
    }
}
