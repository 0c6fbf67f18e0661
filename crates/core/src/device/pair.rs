//! pastream's `device=(input, output)` for a duplex stream: the one rule
//! for two selectors. A duplex stream runs one device on one clock, so both
//! must name the same device; two different devices would need two streams
//! on one clock, which no host here runs (JACK has one device; ALSA and the
//! sound servers give each device its own clock), so that is refused with
//! the reason instead of guessed around.

use super::{host, resolve_host, DeviceSelector};
use crate::error::{Error, ErrorKind, Result};

/// The one device a duplex stream with `input` and `output` selectors
/// opens: the selector itself when both are equal; else, when both name
/// the same device (on the host `named`, the host a device id names, the
/// `preferred` host or the system's default), its id; else
/// `ERR_UNSUPPORTED_CONFIG` saying why.
///
/// ```
/// use ringstream_core::device::{duplex_device, DeviceSelector as D};
/// let same = duplex_device(Some("virtual"), None, &D::Index(0), &D::Name("virtual:loopback".into()));
/// assert_eq!(same.unwrap(), D::Name("virtual:loopback".into()));
/// let two = duplex_device(Some("virtual"), None, &D::Name("loopback".into()), &D::Name("null".into()));
/// assert!(two.unwrap_err().message().contains("one clock"));
/// ```
pub fn duplex_device(
    named: Option<&str>,
    preferred: Option<&str>,
    input: &DeviceSelector,
    output: &DeviceSelector,
) -> Result<DeviceSelector> {
    if input == output {
        return Ok(input.clone());
    }
    let find = |sel: &DeviceSelector, is_input: bool| -> Result<String> {
        let (h, _) = resolve_host(named, preferred, sel, is_input, !is_input)?;
        Ok(host(&h)?.device(sel, is_input, !is_input)?.id)
    };
    let (i, o) = (find(input, true)?, find(output, false)?);
    if i == o {
        return Ok(DeviceSelector::Name(i));
    }
    Err(Error::new(
        ErrorKind::UnsupportedConfig,
        format!(
            "recording on {i} and playing on {o} at once needs two devices on one clock, which no host here runs (one duplex stream plays and records on one device); give one device for both, or open an InputStream and an OutputStream"
        ),
    ))
}
