//! What an ALSA PCM really takes, asked of alsa-lib directly: cpal's
//! ranges come from an unrefined configuration space (a `plug` PCM claims
//! every rate and period from 85 frames up), so the period range for one
//! rate, channel count and format is refined here before the stream is
//! built, and a refusal lists what the device offers.
//!
//! A stream's planning opens the PCM once ([`Probe`]) and asks it
//! everything: each open of a JACK-backed PCM makes a JACK client, which
//! costs a JACK server cycle to open and another to close.

use super::config::{spans, Fmt};
pub use super::settle::{errno, Choice, Settled};
use crate::pcm::Pcm;
use alsa_sys as sys;
use std::collections::BTreeSet;
use std::ffi::{c_int, c_uint};

/// A PCM opened once for a stream's planning; closed on drop.
pub struct Probe {
    pcm: Pcm,
}

impl Probe {
    /// Opens `name` (non-blocking) for `input` or output; the error is
    /// alsa-lib's (a negative errno).
    pub fn open(name: &str, input: bool) -> Result<Probe, c_int> {
        Pcm::open(name, input).map(|pcm| Probe { pcm })
    }

    /// The open PCM, to be set up and played by the stream itself
    /// ([`super::alsa_setup`]): no second open on the way to the first sound.
    pub fn pcm(&self) -> &Pcm {
        &self.pcm
    }

    /// The open PCM, handed to the stream that plays it.
    pub fn into_pcm(self) -> Pcm {
        self.pcm
    }

    /// Restricts the space to `fmt`, `channels` and `rate`; the error says
    /// which of them the device refused.
    pub(super) fn restrict(&self, fmt: Fmt, channels: u32, rate: u32) -> Result<(), String> {
        // SAFETY: (all calls below) `pcm` and `params` are valid for the
        // probe's life; the setters only narrow the space.
        let rc = unsafe {
            sys::snd_pcm_hw_params_set_access(
                self.pcm.handle(),
                self.pcm.params(),
                sys::SND_PCM_ACCESS_RW_INTERLEAVED,
            )
        };
        if rc < 0 {
            return Err("it refuses interleaved read/write access".into());
        }
        // SAFETY: as above.
        if unsafe {
            sys::snd_pcm_hw_params_set_format(
                self.pcm.handle(),
                self.pcm.params(),
                alsa_format(fmt),
            )
        } < 0
        {
            return Err(format!("it refuses {fmt:?} samples"));
        }
        // SAFETY: as above.
        if unsafe {
            sys::snd_pcm_hw_params_set_channels(self.pcm.handle(), self.pcm.params(), channels)
        } < 0
        {
            return Err(format!("it refuses {channels} channels"));
        }
        // SAFETY: as above.
        if unsafe { sys::snd_pcm_hw_params_set_rate(self.pcm.handle(), self.pcm.params(), rate, 0) }
            < 0
        {
            return Err(format!("it refuses {rate} Hz"));
        }
        Ok(())
    }

    /// The period range `[min, max]` in frames allowed by the space, with
    /// room for two periods in the buffer (cpal's geometry).
    fn periods(&self) -> Option<(u32, u32)> {
        let (mut min, mut max, mut buf): (
            sys::snd_pcm_uframes_t,
            sys::snd_pcm_uframes_t,
            sys::snd_pcm_uframes_t,
        ) = (0, 0, 0);
        let mut dir: c_int = 0;
        // SAFETY: valid params and out-pointers.
        let ok = unsafe {
            sys::snd_pcm_hw_params_get_period_size_min(self.pcm.params(), &mut min, &mut dir) >= 0
                && sys::snd_pcm_hw_params_get_period_size_max(self.pcm.params(), &mut max, &mut dir)
                    >= 0
                && sys::snd_pcm_hw_params_get_buffer_size_max(self.pcm.params(), &mut buf) >= 0
        };
        if !ok {
            return None;
        }
        let max = max.min(buf / 2);
        let clamp = |v: sys::snd_pcm_uframes_t| v.min(u32::MAX as sys::snd_pcm_uframes_t) as u32;
        (max >= min.max(1)).then(|| (clamp(min.max(1)), clamp(max)))
    }

    /// The period the device would settle on for `period` frames with a
    /// buffer of two periods, set as cpal sets them (nearest values), or
    /// None; a quick test (the device may still refuse the install).
    fn nearest(&self, period: u32) -> Option<u32> {
        let mut tmp = std::ptr::null_mut();
        // SAFETY: a valid out-pointer; freed below.
        if unsafe { sys::snd_pcm_hw_params_malloc(&mut tmp) } < 0 {
            return None;
        }
        let mut buffer = 2 * sys::snd_pcm_uframes_t::from(period);
        let mut p = sys::snd_pcm_uframes_t::from(period);
        let mut dir: c_int = 0;
        // SAFETY: `tmp` and the probe's pointers are valid; only the copy is
        // narrowed, then freed.
        let ok = unsafe {
            sys::snd_pcm_hw_params_copy(tmp, self.pcm.params());
            let ok =
                sys::snd_pcm_hw_params_set_buffer_size_near(self.pcm.handle(), tmp, &mut buffer)
                    >= 0
                    && sys::snd_pcm_hw_params_set_period_size_near(
                        self.pcm.handle(),
                        tmp,
                        &mut p,
                        &mut dir,
                    ) >= 0;
            sys::snd_pcm_hw_params_free(tmp);
            ok
        };
        (ok && p > 0).then(|| p.min(u32::MAX as sys::snd_pcm_uframes_t) as u32)
    }

    /// The period the PCM settles on nearest `target` frames with a buffer
    /// of two periods, for `channels` at `rate` in the first format it takes
    /// (what it takes of them: a refusal is for the open to report), or None
    /// when its space says nothing.
    pub fn own_period(&self, channels: u32, rate: u32, target: f64) -> Option<u32> {
        let restricted = Fmt::ALL
            .iter()
            .any(|f| self.pcm.reset().is_ok() && self.restrict(*f, channels, rate).is_ok());
        if !restricted {
            self.pcm.reset().ok()?;
        }
        let (min, max) = self.periods()?;
        let want = (target.round().min(f64::from(u32::MAX)) as u32).clamp(min, max);
        self.nearest(want)
    }

    /// The most channels the device is listed with (see
    /// [`crate::pcm::MAX_CHANNELS`]), or 0 when its space cannot be read.
    pub fn max_channels(&self) -> u32 {
        match self.pcm.reset() {
            Ok(()) => self.pcm.max_channels(crate::pcm::MAX_CHANNELS),
            Err(_) => 0,
        }
    }

    /// Whether an output's latency is what its buffer holds, known from the
    /// period before the device runs: not behind a sound server's I/O
    /// plugin (PulseAudio's, PipeWire's), which adds a latency of its own
    /// that only a running stream's delay shows; JACK's adds a period, the
    /// burst the plan knows.
    pub fn latency_follows_period(&self) -> bool {
        let chain = self.pcm.dump();
        !chain.contains(IO_PLUGIN) || chain.contains(JACK_PLUGIN)
    }

    /// What the device offers: rates, channel counts, formats (of the
    /// whole space, whatever [`Probe::settle`] narrowed it to).
    pub fn offer(&self) -> String {
        if let Err(rc) = self.pcm.reset() {
            return format!("nothing it can say (ALSA error {rc})");
        }
        let (mut rmin, mut rmax, mut cmin, mut cmax): (c_uint, c_uint, c_uint, c_uint) =
            (0, 0, 0, 0);
        let mut dir: c_int = 0;
        // SAFETY: valid params and out-pointers.
        unsafe {
            sys::snd_pcm_hw_params_get_rate_min(self.pcm.params(), &mut rmin, &mut dir);
            sys::snd_pcm_hw_params_get_rate_max(self.pcm.params(), &mut rmax, &mut dir);
            sys::snd_pcm_hw_params_get_channels_min(self.pcm.params(), &mut cmin);
            sys::snd_pcm_hw_params_get_channels_max(self.pcm.params(), &mut cmax);
        }
        // SAFETY: valid pcm and params; testing does not change the space.
        let test_rate = |r: c_uint| unsafe { sys::snd_pcm_hw_params_test_rate(self.pcm.handle(), self.pcm.params(), r, 0) } >= 0;
        let rates = if rmin == rmax {
            format!("{rmin} Hz")
        } else if test_rate(rmin + 1) {
            format!("{rmin}-{rmax} Hz")
        } else {
            let list: BTreeSet<u32> = COMMON_RATES
                .iter()
                .copied()
                .chain([rmin, rmax])
                .filter(|r| (rmin..=rmax).contains(r) && test_rate(*r))
                .collect();
            let v: Vec<String> = list.iter().map(|r| r.to_string()).collect();
            format!("{} Hz", v.join(", "))
        };
        let channels: BTreeSet<u32> = if cmax - cmin > 64 {
            [cmin, cmax].into_iter().collect()
        } else {
            (cmin..=cmax)
                // SAFETY: valid pcm and params; testing does not change the space.
                .filter(|c| unsafe { sys::snd_pcm_hw_params_test_channels(self.pcm.handle(), self.pcm.params(), *c) } >= 0)
                .collect()
        };
        let channels = if cmax - cmin > 64 {
            format!("{cmin}-{cmax}")
        } else {
            spans(&channels)
        };
        let formats: Vec<&str> = FORMATS
            .iter()
            // SAFETY: valid pcm and params; testing does not change the space.
            .filter(|(f, _)| unsafe { sys::snd_pcm_hw_params_test_format(self.pcm.handle(), self.pcm.params(), *f) } >= 0)
            .map(|(_, name)| *name)
            .collect();
        let formats = if formats.is_empty() {
            "none of the formats ringstream converts".to_string()
        } else {
            formats.join(", ")
        };
        format!("{rates}; {channels} channels; {formats}")
    }
}

const COMMON_RATES: [u32; 11] = [
    8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000,
];

/// Formats named in offers; the first three are those ringstream converts.
const FORMATS: [(sys::snd_pcm_format_t, &str); 6] = [
    (sys::SND_PCM_FORMAT_FLOAT_LE, "f32"),
    (sys::SND_PCM_FORMAT_S32_LE, "i32"),
    (sys::SND_PCM_FORMAT_S16_LE, "i16"),
    (
        sys::SND_PCM_FORMAT_S24_LE,
        "i24 (not supported by ringstream)",
    ),
    (
        sys::SND_PCM_FORMAT_S24_3LE,
        "i24 packed (not supported by ringstream)",
    ),
    (sys::SND_PCM_FORMAT_U8, "u8 (not supported by ringstream)"),
];

fn alsa_format(fmt: Fmt) -> sys::snd_pcm_format_t {
    match fmt {
        Fmt::F32 => sys::SND_PCM_FORMAT_FLOAT_LE,
        Fmt::I32 => sys::SND_PCM_FORMAT_S32_LE,
        Fmt::I16 => sys::SND_PCM_FORMAT_S16_LE,
    }
}

/// The name alsa-plugins' JACK PCM gives itself in `snd_pcm_dump`.
const JACK_PLUGIN: &str = "JACK PCM I/O Plugin";
/// What every external (ioplug) PCM's name in `snd_pcm_dump` ends with.
const IO_PLUGIN: &str = "I/O Plugin";

impl Probe {
    /// The periods the PCM takes for `fmt`, `channels` and `rate`, best
    /// first: the candidates (within the device's period range) mapped to
    /// the periods the device would really give (as cpal sets them: nearest
    /// values), then ranked; or why it takes none. cpal's build has the last
    /// word (it may still refuse one). Each call starts from the whole space.
    pub fn settle<C, R>(
        &self,
        asked: (Fmt, u32, u32),
        choice: Choice<C, R>,
    ) -> Result<Settled, String>
    where
        C: FnOnce(u32, u32) -> Vec<u32>,
        R: FnOnce(Vec<u32>) -> Vec<u32>,
    {
        let (fmt, channels, rate) = asked;
        self.pcm
            .reset()
            .map_err(|rc| format!("its configuration space cannot be read (ALSA error {rc})"))?;
        self.restrict(fmt, channels, rate)?;
        let (min, max) = self
            .periods()
            .ok_or("it allows no period size with two periods per buffer")?;
        let asked = (choice.candidates)(min, max);
        let takes: Vec<u32> = asked.iter().filter_map(|p| self.nearest(*p)).collect();
        if takes.is_empty() {
            return Err(format!(
                "it takes none of the periods asked for ({asked:?} frames, within its range {min}-{max})"
            ));
        }
        // The JACK PCM takes periods that are multiples of the JACK period (its
        // default `align_psize`), so the smallest it takes is that period.
        let burst = self.pcm.dump().contains(JACK_PLUGIN).then_some(min);
        Ok(Settled {
            periods: (choice.rank)(takes),
            burst,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::config;

    type Periods = fn(u32, u32) -> Vec<u32>;
    type Ranking = fn(Vec<u32>) -> Vec<u32>;

    /// Blocks of 256 frames, the 'low' latency target at 48 kHz.
    fn low_latency() -> Choice<Periods, Ranking> {
        Choice {
            candidates: |min, max| config::candidate_periods(min, max, 256, 240.0),
            rank: |takes| config::rank_periods(takes, 256, 240.0),
        }
    }

    #[test]
    fn one_probe_answers_several_settles_each_from_the_whole_space() {
        // alsa-lib's `null` PCM (alsa.conf, on every system) takes anything.
        let probe = Probe::open("null", false).expect("null opens for playback");
        let offer = probe.offer();
        let why = probe
            .settle((Fmt::F32, 0, 48000), low_latency())
            .expect_err("no PCM takes 0 channels");
        assert!(why.contains("0 channels"), "{why}");
        // The refused attempt narrowed nothing for the next one.
        let settled = probe
            .settle((Fmt::F32, 2, 48000), low_latency())
            .expect("null takes 2 channels of f32 at 48 kHz");
        assert_eq!(settled.periods[0], 256);
        assert_eq!(settled.burst, None, "null is no JACK PCM");
        assert!(probe.latency_follows_period(), "null is no sound server");
        assert_eq!(probe.offer(), offer);
    }
}
