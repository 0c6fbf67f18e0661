//! Loopback capture on the hosts where cpal records an output device
//! itself: WASAPI (an input stream on a render device runs in loopback
//! mode) and CoreAudio (macOS 14.6 and later: a process tap in an aggregate
//! device). Written against cpal's API and type-checked for Windows; never
//! run here. PipeWire and PulseAudio have their own ([`crate::desktop`]).

use crate::abi::kind;
use crate::host::Failure;

/// The first macOS with the audio taps cpal records an output through.
#[cfg(target_os = "macos")]
const MACOS_TAPS: (u32, u32) = (14, 6);

/// `Ok` where `host_name` can record what an output device plays, else why not.
pub fn supported(host_name: &str) -> Result<(), Failure> {
    match host_name {
        "wasapi" if cfg!(windows) => Ok(()),
        #[cfg(target_os = "macos")]
        "coreaudio" => macos_taps(),
        _ => Err((
            kind::UNSUPPORTED_CONFIG,
            format!("the {host_name} host cannot record what a device plays (loopback)"),
        )),
    }
}

/// `(major, minor)` of a version string such as `14.6.1`.
pub fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// macOS 14.6 or later, asked of `sw_vers`; an older one is refused naming both versions.
#[cfg(target_os = "macos")]
fn macos_taps() -> Result<(), Failure> {
    let out = std::process::Command::new("sw_vers")
        .arg("-productVersion")
        .output()
        .map_err(|e| {
            (
                kind::IO,
                format!("cannot tell the macOS version (sw_vers): {e}"),
            )
        })?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    match major_minor(&text) {
        Some(v) if v >= MACOS_TAPS => Ok(()),
        _ => Err((
            kind::UNSUPPORTED_CONFIG,
            format!(
                "recording what a CoreAudio device plays needs macOS {}.{} or later (audio taps); this is macOS {}",
                MACOS_TAPS.0,
                MACOS_TAPS.1,
                text.trim()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_major_then_minor() {
        assert_eq!(major_minor("14.6.1\n"), Some((14, 6)));
        assert_eq!(major_minor("15"), Some((15, 0)));
        assert_eq!(major_minor("x"), None);
        assert!(major_minor("14.5").unwrap() < (14, 6));
        assert!(major_minor("15.0").unwrap() >= (14, 6));
    }

    #[test]
    fn alsa_and_jack_refuse_loopback_naming_the_host() {
        let (k, why) = supported("alsa").unwrap_err();
        assert_eq!(k, kind::UNSUPPORTED_CONFIG);
        assert!(why.contains("alsa"), "{why}");
        assert!(supported("jack").is_err());
    }
}
