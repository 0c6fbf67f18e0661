//! The one place that decides a file's format: its first bytes when reading,
//! its extension or an explicit format when writing.

use super::format::FileFormat;
use crate::error::{Error, ErrorKind, Result};
use std::io::Read;
use std::path::Path;

/// Bytes [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 16;

/// The format the first bytes of a file announce, if any: RIFF/RF64 and
/// Wave64, FORM (AIFF/AIFC), `.snd`, `fLaC`, `OggS`, `caff`, and ID3 or an
/// MPEG frame sync for MP3. RAW has no signature and is never sniffed.
///
/// ```
/// use ringstream_core::audio_file::{sniff, FileFormat};
/// assert_eq!(sniff(b"fLaC\0\0\0\x22"), Some(FileFormat::Flac));
/// assert_eq!(sniff(b".snd\0\0\0\x18"), Some(FileFormat::Au));
/// assert_eq!(sniff(b"hello"), None);
/// ```
pub fn sniff(head: &[u8]) -> Option<FileFormat> {
    let at = |i: usize, tag: &[u8]| head.get(i..i + tag.len()) == Some(tag);
    if (at(0, b"RIFF") || at(0, b"RF64")) && at(8, b"WAVE") {
        Some(FileFormat::Wav)
    } else if at(0, b"riff") && at(4, &[0x2e, 0x91, 0xcf, 0x11]) {
        Some(FileFormat::W64)
    } else if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        Some(FileFormat::Aiff)
    } else if at(0, b".snd") {
        Some(FileFormat::Au)
    } else if at(0, b"fLaC") {
        Some(FileFormat::Flac)
    } else if at(0, b"OggS") {
        Some(FileFormat::Ogg)
    } else if at(0, b"caff") {
        Some(FileFormat::Caf)
    } else if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe0 == 0xe0) {
        Some(FileFormat::Mp3)
    } else {
        None
    }
}

/// Reads the first bytes of `reader` (up to [`SNIFF_BYTES`]) and names its
/// format, or says what was found instead (`ERR_UNSUPPORTED_FORMAT`).
pub fn sniff_reader(reader: &mut impl Read, what: &str) -> Result<(FileFormat, Vec<u8>)> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    reader.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    match sniff(&head) {
        Some(f) => Ok((f, head)),
        None if head.is_empty() => Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!("{what} is empty, expected an audio file"),
        )),
        None => Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "{what} is not an audio file ringstream reads (it starts with {:?}); \
                 expected WAV, FLAC, Ogg Vorbis, MP3, AIFF, AU or CAF, or give a raw spec",
                String::from_utf8_lossy(&head[..head.len().min(4)])
            ),
        )),
    }
}

/// The format to write `path` in: `explicit` if given, else what its
/// extension names. A format its extension contradicts, an unknown
/// extension without a format, or a format that cannot be written is
/// `ERR_UNSUPPORTED_FORMAT`.
///
/// ```
/// use ringstream_core::audio_file::{format_for_write, FileFormat};
/// assert_eq!(format_for_write("a.flac".as_ref(), None).unwrap(), FileFormat::Flac);
/// assert_eq!(format_for_write("take".as_ref(), Some(FileFormat::Au)).unwrap(), FileFormat::Au);
/// assert!(format_for_write("a.wav".as_ref(), Some(FileFormat::Flac)).is_err());
/// assert!(format_for_write("a.mp3".as_ref(), None).is_err());
/// ```
pub fn format_for_write(path: &Path, explicit: Option<FileFormat>) -> Result<FileFormat> {
    let ext = path.extension().and_then(|e| e.to_str());
    let by_name = ext.and_then(FileFormat::from_extension);
    let format = match (explicit, by_name) {
        (Some(f), Some(n)) if f != n => {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "{} names a {} file but the format asked for is {}: they must agree",
                    path.display(),
                    n.name(),
                    f.name()
                ),
            ))
        }
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "cannot tell which format to write {} in: give it an extension (.wav, .w64, .flac, .aiff, .au, .raw) or a format",
                    path.display()
                ),
            ))
        }
    };
    format
        .check_writable()
        .map_err(|e| e.context(path.display()))?;
    Ok(format)
}

/// Whether `path` is a FIFO, a device or another file that is neither
/// regular nor a directory (`/dev/stdout`, a named pipe). Looking is
/// `stat`, which does not wait for a peer.
pub fn is_pipe_like(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The format a recording (or a streaming [`AudioWriter`](super::AudioWriter))
/// writes `path` in: [`format_for_write`]'s rule, except that a path which
/// names no format and cannot carry one (no extension, as `take`, or a FIFO
/// or device such as `/dev/stdout`) is WAV. An unknown extension on a
/// regular file (`take.opus`) or a lossy one (`take.mp3`) is
/// `ERR_UNSUPPORTED_FORMAT`, never WAV bytes under that name.
///
/// ```
/// use ringstream_core::audio_file::{format_for_record, FileFormat};
/// assert_eq!(format_for_record("take".as_ref(), None).unwrap(), FileFormat::Wav);
/// assert_eq!(format_for_record("take".as_ref(), Some(FileFormat::Flac)).unwrap(), FileFormat::Flac);
/// assert_eq!(format_for_record("take.aif".as_ref(), None).unwrap(), FileFormat::Aiff);
/// assert!(format_for_record("take.opus".as_ref(), None).is_err());
/// assert!(format_for_record("take.mp3".as_ref(), None).is_err());
/// ```
pub fn format_for_record(path: &Path, explicit: Option<FileFormat>) -> Result<FileFormat> {
    let ext = path.extension().and_then(|e| e.to_str());
    let named = ext.and_then(FileFormat::from_extension);
    if explicit.is_none() && named.is_none() && (ext.is_none() || is_pipe_like(path)) {
        return Ok(FileFormat::Wav);
    }
    format_for_write(path, explicit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_is_recognised() {
        let cases: [(&[u8], FileFormat); 9] = [
            (b"RIFF\0\0\0\0WAVEfmt ", FileFormat::Wav),
            (b"RF64\xff\xff\xff\xffWAVEds64", FileFormat::Wav),
            (b"riff\x2e\x91\xcf\x11\xa5\xd6\x28\xdb", FileFormat::W64),
            (b"FORM\0\0\0\0AIFFCOMM", FileFormat::Aiff),
            (b"FORM\0\0\0\0AIFCFVER", FileFormat::Aiff),
            (b"OggS\0\x02", FileFormat::Ogg),
            (b"caff\0\x01", FileFormat::Caf),
            (b"ID3\x04\0", FileFormat::Mp3),
            (b"\xff\xfb\x90\x64", FileFormat::Mp3),
        ];
        for (head, f) in cases {
            assert_eq!(sniff(head), Some(f), "{head:?}");
        }
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI "), None);
        let e = sniff_reader(&mut &b"#!/bin/sh\n"[..], "x").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        assert!(e.message().contains("starts with \"#!/b\""), "{e}");
        let e = sniff_reader(&mut &b""[..], "x").unwrap_err();
        assert!(e.message().contains("is empty"), "{e}");
    }

    #[test]
    fn a_recording_never_writes_another_format_under_a_name() {
        for name in ["take.opus", "take.m4a", "take.mp3", "take.ogg", "take.caf"] {
            let e = format_for_record(name.as_ref(), None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::UnsupportedFormat, "{name}");
        }
        // An explicit format names what an unknown extension does not (as for whole files).
        assert_eq!(
            format_for_record("take.pcm16".as_ref(), Some(FileFormat::Raw)).unwrap(),
            FileFormat::Raw
        );
        assert_eq!(
            format_for_record("take".as_ref(), None).unwrap(),
            FileFormat::Wav
        );
        assert_eq!(
            format_for_record("take".as_ref(), Some(FileFormat::W64)).unwrap(),
            FileFormat::W64
        );
        assert!(format_for_record("take.wav".as_ref(), Some(FileFormat::Flac)).is_err());
        #[cfg(unix)]
        assert_eq!(
            format_for_record("/dev/null".as_ref(), None).unwrap(),
            FileFormat::Wav
        );
    }
}
