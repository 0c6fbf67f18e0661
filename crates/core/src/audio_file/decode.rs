//! [`Decoder`]: blockwise decoding of compressed and container formats
//! (FLAC, MP3, Ogg Vorbis, AIFF, CAF, and WAV encodings the WAV module
//! does not read) through symphonia, into interleaved `f32`.

use super::encoding::Encoding;
use super::format::FileFormat;
use super::info::{AudioInfo, Tags};
use crate::error::{Error, ErrorKind, Result};
use std::fs::File;
use std::panic::{catch_unwind, AssertUnwindSafe};
use symphonia::core::codecs::audio::well_known::{
    CODEC_ID_ADPCM_IMA_QT, CODEC_ID_ADPCM_IMA_WAV, CODEC_ID_ADPCM_MS,
};
use symphonia::core::codecs::audio::{AudioCodecId, AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::{MetadataOptions, StandardTag};
use symphonia::core::units::Timestamp;

/// Packets in a row that may fail to decode before the file is taken for
/// broken: a damaged frame is skipped (as every player does), garbage is not.
const MAX_BAD_PACKETS: u32 = 64;

/// Frames decoded and dropped before a seek's target.
const SEEK_PREROLL: u64 = 4096;

/// A file decoded by symphonia, positioned at a frame.
pub struct Decoder {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track: u32,
    info: AudioInfo,
    /// Decoded samples not yet returned, from `pending_at`.
    pending: Vec<f32>,
    pending_at: usize,
    /// The frame a seek asked for, until a decoded packet reaches it.
    seek_target: Option<u64>,
    /// The decoder panicked: its state is unknown, so it is not called again.
    poisoned: bool,
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

fn sym_error(e: SymError) -> Error {
    match e {
        SymError::IoError(e) => Error::from(e),
        SymError::Unsupported(what) => {
            Error::new(ErrorKind::UnsupportedFormat, format!("unsupported: {what}"))
        }
        other => Error::new(
            ErrorKind::UnsupportedFormat,
            format!("cannot decode: {other}"),
        ),
    }
}

/// Refuses the codecs whose symphonia decode was measured away from the
/// decode sox and libsndfile agree on (files made by sox, symphonia 0.6.1):
/// IMA ADPCM up to 24 LSB, MS ADPCM up to 772 LSB. A wrong decode is worse
/// than none: the user can convert with sox first.
fn refuse_inexact(codec: AudioCodecId) -> Result<()> {
    let name = match codec {
        CODEC_ID_ADPCM_IMA_WAV | CODEC_ID_ADPCM_IMA_QT => "IMA ADPCM",
        CODEC_ID_ADPCM_MS => "MS ADPCM",
        _ => return Ok(()),
    };
    Err(Error::new(
        ErrorKind::UnsupportedFormat,
        format!("{name} {REFUSAL}; convert it first, e.g. `sox in.wav -e signed -b 16 out.wav`"),
    ))
}

/// The words of [`refuse_inexact`]'s errors.
const REFUSAL: &str = "cannot be read yet (the decoder at hand is not exact)";

/// Whether `e` is [`refuse_inexact`]'s: a known codec refused on purpose,
/// a better reason than the WAV module's "unsupported encoding".
pub fn is_refusal(e: &Error) -> bool {
    e.kind() == ErrorKind::UnsupportedFormat && e.message().contains(REFUSAL)
}

/// The message of a decoder panic turned into an error.
const PANICKED: &str = "the decoder failed on malformed data";

/// Runs a call into symphonia, turning a panic (malformed input it does not
/// check) into an `ERR_UNSUPPORTED_FORMAT` error: a bad file must not take
/// down a reader thread or the process.
fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::new(ErrorKind::UnsupportedFormat, PANICKED)))
}

fn is_panic(e: &Error) -> bool {
    e.message() == PANICKED
}

fn poisoned() -> Error {
    Error::new(
        ErrorKind::UnsupportedFormat,
        format!("{PANICKED} earlier in the file"),
    )
}

impl Decoder {
    /// Opens `file`, whose content [`super::sniff`] named `format`.
    pub fn open(file: File, format: FileFormat) -> Result<Self> {
        Decoder::open_source(Box::new(file), format)
    }

    /// Opens any byte source, a pipe too (`ReadOnlySource`): formats whose
    /// reader needs to seek fail here or at the first packet.
    pub fn open_source(source: Box<dyn MediaSource>, format: FileFormat) -> Result<Self> {
        guard(|| Decoder::open_unguarded(source, format))
    }

    fn open_unguarded(source: Box<dyn MediaSource>, format: FileFormat) -> Result<Self> {
        let mss = MediaSourceStream::new(source, Default::default());
        let mut hint = Hint::new();
        hint.with_extension(format.name());
        let reader = symphonia::default::get_probe()
            .probe(
                &hint,
                mss,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(sym_error)?;
        let track = reader.default_track(TrackType::Audio).ok_or_else(|| {
            Error::new(ErrorKind::UnsupportedFormat, "the file has no audio track")
        })?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::UnsupportedFormat,
                    "the audio track has no codec parameters",
                )
            })?
            .clone();
        refuse_inexact(params.codec)?;
        let registry = symphonia::default::get_codecs();
        let encoding = registry
            .get_audio_decoder(params.codec)
            .map_or("unknown".to_string(), |d| {
                canonical_encoding(d.codec.info.short_name)
            });
        let (Some(samplerate), Some(channels)) = (
            params.sample_rate,
            params.channels.as_ref().map(|c| c.count()),
        ) else {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                "the file does not say its rate and channel count",
            ));
        };
        if samplerate == 0 || channels == 0 || channels > usize::from(u16::MAX) {
            return Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!("{channels} channels at {samplerate} Hz"),
            ));
        }
        let info = AudioInfo {
            format,
            encoding,
            samplerate,
            channels: channels as u16,
            frames: track.num_frames,
            tags: Tags::default(),
        };
        let track_id = track.id;
        let decoder = registry
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
            .map_err(sym_error)?;
        let mut me = Decoder {
            format: reader,
            decoder,
            track: track_id,
            info,
            pending: Vec::new(),
            pending_at: 0,
            seek_target: None,
            poisoned: false,
        };
        me.info.tags = me.read_tags();
        Ok(me)
    }

    /// The title and artist, from every metadata revision read so far
    /// (tags before the stream, such as ID3v2, and after it, such as ID3v1,
    /// come as separate revisions; later ones win).
    fn read_tags(&mut self) -> Tags {
        let mut tags = Tags::default();
        let mut meta = self.format.metadata();
        loop {
            for tag in meta.current().iter().flat_map(|rev| &rev.media.tags) {
                match &tag.std {
                    Some(StandardTag::TrackTitle(s)) => tags.title = Some(s.to_string()),
                    Some(StandardTag::Artist(s)) => tags.artist = Some(s.to_string()),
                    _ => {}
                }
            }
            if meta.is_latest() {
                return tags;
            }
            meta.pop();
        }
    }

    /// What the file holds.
    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// Decodes the next packet of the track into `pending`; false at the end.
    fn decode_next(&mut self) -> Result<bool> {
        if self.poisoned {
            return Err(poisoned());
        }
        let r = guard(|| self.decode_next_unguarded());
        self.poisoned = r.as_ref().is_err_and(is_panic);
        r
    }

    fn decode_next_unguarded(&mut self) -> Result<bool> {
        let mut bad = 0;
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(false),
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Ok(false)
                }
                Err(e) => return Err(sym_error(e)),
            };
            if packet.track_id != self.track {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buf) => {
                    let ch = self.info.channels as usize;
                    if buf.spec().channels().count() != ch {
                        return Err(Error::new(
                            ErrorKind::UnsupportedFormat,
                            "the channel count changes inside the file",
                        ));
                    }
                    // After a seek, the packets before the target are decoded
                    // (a lapped codec needs them) and dropped by their
                    // timestamps: a decoder primes on its first packet after
                    // a reset and returns nothing for it, so counting frames
                    // from where the container landed would be a packet late.
                    let start = (packet
                        .pts
                        .get()
                        .saturating_add(packet.trim_start.get() as i64))
                    .max(0) as u64;
                    let frames = buf.frames() as u64;
                    let drop = match self.seek_target {
                        Some(t) if start + frames <= t => continue,
                        Some(t) => t.saturating_sub(start),
                        None => 0,
                    };
                    self.seek_target = None;
                    self.pending.resize(buf.samples_interleaved(), 0.0);
                    buf.copy_to_slice_interleaved(&mut self.pending[..]);
                    self.pending_at = drop as usize * ch;
                    return Ok(true);
                }
                Err(SymError::DecodeError(_)) if bad < MAX_BAD_PACKETS => bad += 1,
                Err(e) => return Err(sym_error(e)),
            }
        }
    }

    /// Reads up to `out.len() / channels` frames into `out`; returns the
    /// frames read (0 at the end).
    pub fn read_into(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.info.channels as usize;
        let want = out.len() / ch * ch;
        let mut done = 0;
        while done < want {
            if self.pending_at == self.pending.len() && !self.decode_next()? {
                break;
            }
            let n = (want - done).min(self.pending.len() - self.pending_at);
            out[done..done + n]
                .copy_from_slice(&self.pending[self.pending_at..self.pending_at + n]);
            self.pending_at += n;
            done += n;
        }
        Ok(done / ch)
    }

    /// Moves to `frame`, exactly: the container seeks to a packet at or
    /// before it and the frames between are decoded and dropped.
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        // Lands early enough for the decoder to prime (MP3's bit reservoir
        // and overlap span two frames); the packets before `frame` are dropped.
        let from = frame.saturating_sub(SEEK_PREROLL).min(i64::MAX as u64);
        let to = SeekTo::Timestamp {
            ts: Timestamp::new(from as i64),
            track_id: self.track,
        };
        if self.poisoned {
            return Err(poisoned());
        }
        let landed = guard(|| self.format.seek(SeekMode::Accurate, to).map_err(sym_error));
        self.poisoned = landed.as_ref().is_err_and(is_panic);
        landed.map_err(|e| e.context(format!("cannot seek to frame {frame}")))?;
        self.decoder.reset();
        self.pending.clear();
        self.pending_at = 0;
        self.seek_target = Some(frame);
        Ok(())
    }
}

/// The name an uncompressed encoding has everywhere else in ringstream
/// (`pcm_16`, `float`, `ulaw`: what `writeAudio` takes), for symphonia's
/// PCM codec names (`pcm_s16be`, `pcm_f32le`, `pcm_mulaw`); a codec keeps
/// symphonia's name (`flac`, `vorbis`, `mp3`).
///
/// ```
/// use ringstream_core::audio_file::decode::canonical_encoding;
/// assert_eq!(canonical_encoding("pcm_s16be"), "pcm_16");
/// assert_eq!(canonical_encoding("pcm_f32le"), "float");
/// assert_eq!(canonical_encoding("pcm_mulaw"), "ulaw");
/// assert_eq!(canonical_encoding("flac"), "flac");
/// ```
pub fn canonical_encoding(short_name: &str) -> String {
    let Some(pcm) = short_name.strip_prefix("pcm_") else {
        return short_name.to_string();
    };
    let bare = pcm
        .strip_suffix("le")
        .or_else(|| pcm.strip_suffix("be"))
        .unwrap_or(pcm);
    Encoding::from_name(bare).map_or(short_name.to_string(), |e| e.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_decoder_becomes_an_error() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let e = guard::<()>(|| panic!("index out of bounds")).unwrap_err();
        std::panic::set_hook(hook);
        assert_eq!(e.kind(), ErrorKind::UnsupportedFormat);
        assert!(is_panic(&e), "{e}");
        assert_eq!(guard(|| Ok(7)).unwrap(), 7);
    }
}
