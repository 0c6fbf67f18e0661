//! [`AudioInfo`]: what a reader knows about a file before decoding it.

use super::format::FileFormat;

/// Tags users see, where the file has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// The track's title.
    pub title: Option<String>,
    /// The track's artist.
    pub artist: Option<String>,
}

/// A readable file's format, encoding, shape and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioInfo {
    /// The container.
    pub format: FileFormat,
    /// The sample encoding or codec: an [`super::Encoding`] name for
    /// uncompressed files in every container (`pcm_16`, `float`, `ulaw`),
    /// symphonia's codec name otherwise (`flac`, `mp3`, `vorbis`, ...).
    pub encoding: String,
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// Frames in the file, when the file says (a stream may not).
    pub frames: Option<u64>,
    /// Title and artist.
    pub tags: Tags,
}

impl AudioInfo {
    /// Seconds of audio, when the frame count is known.
    ///
    /// ```
    /// use ringstream_core::audio_file::{AudioInfo, FileFormat, Tags};
    /// let info = AudioInfo { format: FileFormat::Au, encoding: "ulaw".into(), samplerate: 8000,
    ///     channels: 1, frames: Some(4000), tags: Tags::default() };
    /// assert_eq!(info.duration(), Some(0.5));
    /// ```
    pub fn duration(&self) -> Option<f64> {
        self.frames.map(|f| f as f64 / f64::from(self.samplerate))
    }
}
