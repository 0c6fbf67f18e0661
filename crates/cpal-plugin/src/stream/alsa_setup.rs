//! Sets up the planning probe's PCM for playback, so that an ALSA output
//! plays on the handle it was planned with: one open on the way to the
//! first sound, where cpal's build would open the PCM a second time (each
//! open of a JACK-backed PCM costs JACK server cycles).
//!
//! The geometry is cpal's: two periods per buffer, the period the first of
//! the plan's sizes the device takes, playback starting once the buffer is
//! full (so its first period already holds the first block).

use super::alsa::Probe;
use super::config::Fmt;
use alsa_sys as sys;
use cpal::BufferSize;
use std::ffi::c_int;

/// What the device was set up with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// Frames per period (per callback).
    pub period: u32,
    /// Frames the buffer holds.
    pub buffer: u32,
    /// The status carries CLOCK_MONOTONIC timestamps of the device position.
    pub tstamps: bool,
}

/// Installs the hardware parameters of the first of `sizes` the PCM takes
/// for `asked` (format, channels, rate), then the software parameters; the
/// error says why the last size was refused.
///
/// # Examples
/// ```no_run
/// # // (needs an ALSA device; run by this module's test on alsa-lib's `null`)
/// use ringstream_cpal::stream::{alsa::Probe, alsa_setup, config::Fmt};
/// let probe = Probe::open("null", false).unwrap();
/// let sizes = [cpal::BufferSize::Fixed(256)];
/// let geo = alsa_setup::install(&probe, (Fmt::F32, 2, 48000), &sizes).unwrap();
/// assert_eq!(geo.buffer, 2 * geo.period);
/// ```
pub fn install(
    probe: &Probe,
    asked: (Fmt, u32, u32),
    sizes: &[BufferSize],
) -> Result<Geometry, String> {
    let mut why = String::from("no period to try");
    for size in sizes {
        let period = match size {
            BufferSize::Fixed(p) => Some(*p),
            BufferSize::Default => None,
        };
        match hw_install(probe, asked, period) {
            Ok(()) => return sw_install(probe),
            Err(w) => why = w,
        }
    }
    Err(why)
}

/// One attempt: `period` frames (None: the device's own choice, then
/// reinstalled with two periods per buffer, as cpal does).
fn hw_install(probe: &Probe, asked: (Fmt, u32, u32), period: Option<u32>) -> Result<(), String> {
    let (fmt, channels, rate) = asked;
    let pcm = probe.pcm();
    let install = |period: Option<u32>| -> Result<(), String> {
        pcm.reset()
            .map_err(|rc| format!("its configuration space cannot be read (ALSA error {rc})"))?;
        probe.restrict(fmt, channels, rate)?;
        if let Some(p) = period {
            let mut buffer = 2 * sys::snd_pcm_uframes_t::from(p);
            let mut p = sys::snd_pcm_uframes_t::from(p);
            let mut dir: c_int = 0;
            // SAFETY: valid pcm and params and out-pointers; setters narrow the space.
            let ok = unsafe {
                sys::snd_pcm_hw_params_set_buffer_size_near(pcm.handle(), pcm.params(), &mut buffer)
                    >= 0
                    && sys::snd_pcm_hw_params_set_period_size_near(
                        pcm.handle(),
                        pcm.params(),
                        &mut p,
                        &mut dir,
                    ) >= 0
            };
            if !ok {
                return Err("it refuses a buffer of two such periods".into());
            }
        }
        // SAFETY: valid pcm and a space narrowed to one configuration.
        let rc = unsafe { sys::snd_pcm_hw_params(pcm.handle(), pcm.params()) };
        if rc < 0 {
            return Err(format!("ALSA error {rc} installing its parameters"));
        }
        Ok(())
    };
    install(period)?;
    if period.is_none() {
        let (_, chosen) = current(probe)?;
        install(Some(chosen))?;
    }
    Ok(())
}

/// The installed `(buffer, period)` in frames.
fn current(probe: &Probe) -> Result<(u32, u32), String> {
    let (mut buffer, mut period): (sys::snd_pcm_uframes_t, sys::snd_pcm_uframes_t) = (0, 0);
    // SAFETY: a valid pcm with installed parameters and valid out-pointers.
    let rc = unsafe { sys::snd_pcm_get_params(probe.pcm().handle(), &mut buffer, &mut period) };
    let clamp = |v: sys::snd_pcm_uframes_t| v.min(u32::MAX as sys::snd_pcm_uframes_t) as u32;
    if rc < 0 || buffer == 0 || period == 0 {
        return Err(format!("it reports no period (ALSA error {rc})"));
    }
    Ok((clamp(buffer), clamp(period)))
}

/// Playback starts when the buffer is full, a write waits for a period of
/// room, and the status carries monotonic timestamps (when the PCM can).
fn sw_install(probe: &Probe) -> Result<Geometry, String> {
    let (buffer, period) = current(probe)?;
    let h = probe.pcm().handle();
    let mut sw = std::ptr::null_mut();
    // SAFETY: a valid out-pointer; freed below.
    if unsafe { sys::snd_pcm_sw_params_malloc(&mut sw) } < 0 {
        return Err("no memory for its software parameters".into());
    }
    let attempt = |tstamps: bool| -> bool {
        // SAFETY: valid pcm and `sw`; the setters only write `sw`.
        unsafe {
            sys::snd_pcm_sw_params_current(h, sw) >= 0
                && sys::snd_pcm_sw_params_set_start_threshold(h, sw, buffer.into()) >= 0
                && sys::snd_pcm_sw_params_set_avail_min(h, sw, period.into()) >= 0
                && (!tstamps
                    || sys::snd_pcm_sw_params_set_tstamp_mode(h, sw, sys::SND_PCM_TSTAMP_ENABLE)
                        >= 0
                        && sys::snd_pcm_sw_params_set_tstamp_type(
                            h,
                            sw,
                            sys::SND_PCM_TSTAMP_TYPE_MONOTONIC,
                        ) >= 0)
                && sys::snd_pcm_sw_params(h, sw) >= 0
        }
    };
    // A PCM whose timestamp type is fixed at open: the stream times its
    // periods by the monotonic clock instead.
    let tstamps = attempt(true);
    let ok = tstamps || attempt(false);
    // SAFETY: allocated above, freed once.
    unsafe { sys::snd_pcm_sw_params_free(sw) };
    if !ok {
        return Err("it refuses the software parameters".into());
    }
    Ok(Geometry {
        period,
        buffer,
        tstamps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_set_up_with_two_periods_of_the_first_size_it_takes() {
        // alsa-lib's `null` PCM (alsa.conf, on every system) takes anything.
        let probe = Probe::open("null", false).expect("null opens for playback");
        let sizes = [BufferSize::Fixed(256), BufferSize::Default];
        let geo = install(&probe, (Fmt::F32, 2, 48000), &sizes).expect("null takes 256");
        assert_eq!((geo.period, geo.buffer), (256, 512));
        let Err(why) = install(&probe, (Fmt::F32, 0, 48000), &sizes) else {
            panic!("0 channels installed");
        };
        assert!(why.contains("0 channels"), "{why}");
        let geo =
            install(&probe, (Fmt::I16, 1, 44100), &[BufferSize::Default]).expect("its own period");
        assert_eq!(geo.buffer, 2 * geo.period);
    }
}
