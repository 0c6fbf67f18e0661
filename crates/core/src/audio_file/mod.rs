//! Audio files in every format ringstream reads or writes, on interleaved
//! `f32` samples. One place decides the format ([`probe`]): the content
//! when reading, the extension or an explicit format when writing.
//!
//! - [`probe`]: signatures and the write-format rule;
//! - [`format`]: the formats, by name and extension;
//! - [`encoding`]: sample encodings and their conversion loops ([`g711`]);
//! - [`reader`]: [`AudioReader`], blockwise and seekable, over the WAV
//!   module, [`pcm_file`] (AU, RAW), [`wave`] (Wave64, and ADPCM through
//!   [`adpcm`]: [`ima_adpcm`], [`ms_adpcm`]) or [`decode`] (symphonia);
//! - [`writer`]: whole files, over the WAV module, [`au`], [`aiff`], [`w64`],
//!   [`flac`];
//! - [`stream_writer`]: [`AudioWriter`], for recordings ([`flac_stream`]);
//! - [`wav_coded`]: WAV headers for double, µ-law and A-law;
//! - [`pipe_decoder`] and [`pipe_encoder`]: formats through pipes.

pub mod adpcm;
pub mod aiff;
pub mod au;
pub mod decode;
pub mod encoding;
pub mod flac;
pub mod flac_stream;
pub mod format;
pub mod g711;
pub mod ima_adpcm;
pub mod info;
pub mod ms_adpcm;
pub mod pcm_file;
pub mod pipe_decoder;
pub mod pipe_encoder;
pub mod probe;
pub mod reader;
pub mod stream_writer;
pub mod w64;
pub mod wav_coded;
pub mod wave;
pub mod wave_chunks;
pub mod writer;

pub use encoding::{decode, encode, Encoding, Layout};
pub use format::FileFormat;
pub use info::{AudioInfo, Tags};
pub use pipe_decoder::PipeDecoder;
pub use pipe_encoder::PipeEncoder;
pub use probe::{format_for_record, format_for_write, sniff};
pub use reader::{AudioReader, RawSpec};
pub use stream_writer::{default_record_encoding, AudioWriter};
pub use writer::{
    check_write, encode_audio, resolve_write, save_spec, write_audio, write_names, WriteSpec,
};

use crate::error::Result;
use std::path::Path;

/// A whole file in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioData {
    /// Interleaved samples.
    pub samples: Vec<f32>,
    /// What the file holds (with `frames` set to the frames decoded).
    pub info: AudioInfo,
}

/// Reads the whole file at `path`, in the format its content announces.
///
/// ```no_run
/// let data = ringstream_core::audio_file::read_audio("voice.flac")?;
/// println!("{} Hz, {} frames", data.info.samplerate, data.info.frames.unwrap_or(0));
/// # Ok::<(), ringstream_core::Error>(())
/// ```
pub fn read_audio(path: impl AsRef<Path>) -> Result<AudioData> {
    let mut r = AudioReader::open(path)?;
    finish(&mut r)
}

/// Reads the whole headerless file at `path`, laid out as `spec` says.
pub fn read_raw(path: impl AsRef<Path>, spec: RawSpec) -> Result<AudioData> {
    let mut r = AudioReader::open_raw(path, spec)?;
    finish(&mut r)
}

fn finish(r: &mut AudioReader) -> Result<AudioData> {
    let samples = r.read_to_end()?;
    let mut info = r.info().clone();
    info.frames = Some((samples.len() / info.channels as usize) as u64);
    Ok(AudioData { samples, info })
}
