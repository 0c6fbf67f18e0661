//! [`FileFormat`]: the containers ringstream knows, by name and extension.

use crate::error::{Error, ErrorKind, Result};

/// An audio file format (a container, and for FLAC, MP3 and Vorbis its codec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// RIFF/WAVE (and RF64).
    Wav,
    /// Sony Wave64.
    W64,
    /// Free Lossless Audio Codec.
    Flac,
    /// Ogg (Vorbis).
    Ogg,
    /// MPEG audio layer III.
    Mp3,
    /// AIFF and AIFF-C.
    Aiff,
    /// Sun/NeXT AU (`.snd`).
    Au,
    /// Apple Core Audio Format.
    Caf,
    /// Headerless samples; needs an explicit spec.
    Raw,
}

/// Every format with its name (as `-t` and `format` take it), the extensions
/// that mean it, and whether ringstream writes it.
const TABLE: [(FileFormat, &str, &[&str], bool); 9] = [
    (FileFormat::Wav, "wav", &["wav", "wave", "rf64"], true),
    (FileFormat::W64, "w64", &["w64"], true),
    (FileFormat::Flac, "flac", &["flac"], true),
    (FileFormat::Ogg, "ogg", &["ogg", "oga", "vorbis"], false),
    (FileFormat::Mp3, "mp3", &["mp3", "mp2", "mpga"], false),
    (FileFormat::Aiff, "aiff", &["aiff", "aif", "aifc"], true),
    (FileFormat::Au, "au", &["au", "snd"], true),
    (FileFormat::Caf, "caf", &["caf"], false),
    (FileFormat::Raw, "raw", &["raw", "pcm"], true),
];

impl FileFormat {
    /// The short name (`wav`, `flac`, `au`, ...).
    ///
    /// ```
    /// use ringstream_core::audio_file::FileFormat;
    /// assert_eq!(FileFormat::Aiff.name(), "aiff");
    /// ```
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|r| r.0 == self)
            .map(|r| r.1)
            .unwrap_or("")
    }

    /// Whether ringstream can write this format (lossy ones it cannot).
    pub fn writable(self) -> bool {
        TABLE.iter().any(|r| r.0 == self && r.3)
    }

    /// The format called `name` (a name or an extension, case-insensitive,
    /// as `-t` takes it).
    ///
    /// ```
    /// use ringstream_core::audio_file::FileFormat;
    /// assert_eq!(FileFormat::from_name("AIF").unwrap(), FileFormat::Aiff);
    /// assert!(FileFormat::from_name("xyz").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        FileFormat::from_extension(name).ok_or_else(|| {
            let names: Vec<&str> = TABLE.iter().map(|r| r.1).collect();
            Error::new(
                ErrorKind::UnsupportedFormat,
                format!("format must be one of {}, got '{name}'", names.join(", ")),
            )
        })
    }

    /// The format an extension (without its dot) names, if any.
    pub fn from_extension(ext: &str) -> Option<Self> {
        let ext = ext.to_ascii_lowercase();
        TABLE
            .iter()
            .find(|r| r.1 == ext || r.2.contains(&ext.as_str()))
            .map(|r| r.0)
    }

    /// `Ok` if this format can be written, else `ERR_UNSUPPORTED_FORMAT`.
    pub fn check_writable(self) -> Result<()> {
        if self.writable() {
            return Ok(());
        }
        let can: Vec<&str> = TABLE.iter().filter(|r| r.3).map(|r| r.1).collect();
        Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "{} files can be read but not written; write one of {}",
                self.name(),
                can.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_agree() {
        for r in TABLE {
            assert_eq!(FileFormat::from_name(r.1).unwrap(), r.0);
            for ext in r.2 {
                assert_eq!(FileFormat::from_extension(ext), Some(r.0));
            }
        }
        let e = FileFormat::Mp3.check_writable().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        assert!(
            e.message()
                .starts_with("mp3 files can be read but not written"),
            "{e}"
        );
    }
}
