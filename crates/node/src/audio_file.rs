//! Audio files of every format for JavaScript: whole-file reads and writes
//! off the JS thread, and a blockwise reader. Conversion only: the core's
//! `audio_file` decides formats and does the coding.

use crate::error::OrThrow;
use crate::ring::count_arg;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::audio_file::{
    self as af, AudioInfo, AudioReader, Encoding, Layout, RawSpec, WriteSpec,
};
use ringstream_core::Error as CoreError;

const MAX_SAFE: usize = (1 << 53) - 1;

/// What a file holds. Internal: see `AudioFileInfo`.
#[napi(object)]
pub struct NativeAudioInfo {
    /// The container: `wav`, `flac`, `ogg`, `mp3`, `aiff`, `au`, `caf`, `raw`.
    pub format: String,
    /// The encoding or codec (`pcm_16`, `ulaw`, `flac`, `vorbis`, ...).
    pub encoding: String,
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u32,
    /// Frames, when known.
    pub frames: Option<f64>,
    /// Seconds, when known.
    pub duration: Option<f64>,
    /// The title tag.
    pub title: Option<String>,
    /// The artist tag.
    pub artist: Option<String>,
}

impl From<&AudioInfo> for NativeAudioInfo {
    fn from(i: &AudioInfo) -> Self {
        NativeAudioInfo {
            format: i.format.name().to_string(),
            encoding: i.encoding.clone(),
            samplerate: i.samplerate,
            channels: u32::from(i.channels),
            frames: i.frames.map(|f| f as f64),
            duration: i.duration(),
            title: i.tags.title.clone(),
            artist: i.tags.artist.clone(),
        }
    }
}

/// The layout of a headerless file. Internal: see `RawSpec`.
#[napi(object)]
pub struct NativeRawSpec {
    /// Frames per second.
    pub samplerate: f64,
    /// Interleaved channels.
    pub channels: f64,
    /// An encoding name (`pcm_16`, `float`, `ulaw`, ...).
    pub encoding: String,
    /// Most significant byte first.
    pub big_endian: Option<bool>,
}

fn raw_spec(s: &NativeRawSpec) -> ringstream_core::Result<RawSpec> {
    Ok(RawSpec {
        samplerate: count_arg(s.samplerate, "samplerate", u32::MAX as usize)? as u32,
        channels: count_arg(s.channels, "channels", u16::MAX as usize)? as u16,
        layout: Layout {
            encoding: Encoding::from_name(&s.encoding)?,
            big_endian: s.big_endian.unwrap_or(false),
        },
    })
}

/// What to write. Internal: see `AudioWriteSpec`.
#[napi(object)]
pub struct NativeAudioWriteSpec {
    /// Frames per second.
    pub samplerate: f64,
    /// Interleaved channels.
    pub channels: f64,
    /// A format name; absent: the path's extension.
    pub format: Option<String>,
    /// An encoding name; absent: `pcm_16`.
    pub encoding: Option<String>,
    /// RAW only: most significant byte first.
    pub big_endian: Option<bool>,
}

pub(crate) fn write_spec(s: &NativeAudioWriteSpec) -> ringstream_core::Result<WriteSpec> {
    let samplerate = count_arg(s.samplerate, "samplerate", u32::MAX as usize)? as u32;
    let channels = count_arg(s.channels, "channels", u16::MAX as usize)? as u16;
    let (format, encoding) = af::write_names(s.format.as_deref(), s.encoding.as_deref())?;
    Ok(WriteSpec {
        samplerate,
        channels,
        format,
        encoding,
        big_endian: s.big_endian.unwrap_or(false),
    })
}

/// A whole file, decoded. Internal: see `AudioData`.
#[napi(object)]
pub struct NativeAudioData {
    /// Interleaved samples.
    pub data: Float32Array,
    /// What the file holds (`frames` as decoded).
    pub info: NativeAudioInfo,
}

/// Reads a whole file off the JS thread.
pub struct ReadAudioTask {
    path: String,
    raw: Option<RawSpec>,
}

impl Task for ReadAudioTask {
    // The core error travels as a value: only `resolve` has the env that
    // turns it into a JS error with its `code`.
    type Output = ringstream_core::Result<af::AudioData>;
    type JsValue = NativeAudioData;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match self.raw {
            Some(spec) => af::read_raw(&self.path, spec),
            None => af::read_audio(&self.path),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let d = output.or_throw(&env)?;
        Ok(NativeAudioData {
            info: NativeAudioInfo::from(&d.info),
            data: Float32Array::new(d.samples),
        })
    }
}

/// Reads and decodes the whole file at `path` (headerless with `raw`).
/// Internal: use `readAudio`.
#[napi(ts_return_type = "Promise<NativeAudioData>")]
pub fn native_read_audio(
    env: Env,
    path: String,
    raw: Option<NativeRawSpec>,
) -> Result<AsyncTask<ReadAudioTask>> {
    let raw = raw.as_ref().map(raw_spec).transpose().or_throw(&env)?;
    Ok(AsyncTask::new(ReadAudioTask { path, raw }))
}

/// Encodes and writes a whole file off the JS thread.
pub struct WriteAudioTask {
    path: String,
    samples: Vec<f32>,
    spec: WriteSpec,
}

impl Task for WriteAudioTask {
    type Output = ringstream_core::Result<()>;
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(af::write_audio(&self.path, &self.samples, self.spec))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.or_throw(&env)
    }
}

/// Writes `data` (interleaved) to `path` as `spec` says. The format is
/// decided (and refused, `ERR_UNSUPPORTED_FORMAT`) before anything is
/// written. Internal: use `writeAudio`.
#[napi(ts_return_type = "Promise<void>")]
pub fn native_write_audio(
    env: Env,
    path: String,
    data: &[f32],
    spec: NativeAudioWriteSpec,
) -> Result<AsyncTask<WriteAudioTask>> {
    let spec = write_spec(&spec).or_throw(&env)?;
    // A spec the encoder refuses fails here, at once.
    af::resolve_write(path.as_ref(), spec).or_throw(&env)?;
    // JS may reuse its array once this returns: the pool thread gets a copy.
    Ok(AsyncTask::new(WriteAudioTask {
        path,
        samples: data.to_vec(),
        spec,
    }))
}

fn closed() -> CoreError {
    CoreError::invalid_arg("the audio reader is closed")
}

/// Any readable file, open for blockwise reading. Internal: use `AudioReader`.
#[napi]
pub struct NativeAudioReader {
    inner: Option<AudioReader>,
    info: AudioInfo,
    position: u64,
}

impl NativeAudioReader {
    fn wrap(r: AudioReader) -> Self {
        NativeAudioReader {
            info: r.info().clone(),
            inner: Some(r),
            position: 0,
        }
    }

    fn reader(&mut self) -> ringstream_core::Result<&mut AudioReader> {
        self.inner.as_mut().ok_or_else(closed)
    }
}

#[napi]
impl NativeAudioReader {
    /// Opens `path` in the format its content announces.
    #[napi(factory)]
    pub fn open(env: Env, path: String) -> Result<Self> {
        AudioReader::open(&path)
            .map(NativeAudioReader::wrap)
            .or_throw(&env)
    }

    /// Opens the headerless file at `path`, laid out as `spec` says.
    #[napi(factory)]
    pub fn open_raw(env: Env, path: String, spec: NativeRawSpec) -> Result<Self> {
        raw_spec(&spec)
            .and_then(|s| AudioReader::open_raw(&path, s))
            .map(NativeAudioReader::wrap)
            .or_throw(&env)
    }

    /// What the file holds.
    #[napi(getter)]
    pub fn info(&self) -> NativeAudioInfo {
        NativeAudioInfo::from(&self.info)
    }

    /// The frame the next read starts at.
    #[napi(getter)]
    pub fn position(&self) -> f64 {
        self.position as f64
    }

    /// Up to `frames` frames as interleaved samples; empty at the end.
    #[napi]
    pub fn read(&mut self, env: Env, frames: f64) -> Result<Float32Array> {
        let n = count_arg(frames, "frames", MAX_SAFE).or_throw(&env)?;
        let ch = self.info.channels as usize;
        // Bounded by what the file holds when it says, so a huge request on
        // a short file allocates no more than the file.
        let cap = self
            .info
            .frames
            .map_or(n, |f| (f.saturating_sub(self.position) as usize).min(n));
        let mut out = vec![0f32; cap.min(1 << 20) * ch];
        let mut done = 0;
        while done < cap {
            let want = (cap - done).min(1 << 20);
            if out.len() < (done + want) * ch {
                out.resize((done + want) * ch, 0.0);
            }
            let got = self
                .reader()
                .and_then(|r| r.read_into(&mut out[done * ch..(done + want) * ch]))
                .or_throw(&env)?;
            if got == 0 {
                break;
            }
            done += got;
        }
        out.truncate(done * ch);
        self.position += done as u64;
        Ok(Float32Array::new(out))
    }

    /// Moves to `frame`.
    #[napi]
    pub fn seek(&mut self, env: Env, frame: f64) -> Result<()> {
        let f = count_arg(frame, "frame", MAX_SAFE).or_throw(&env)? as u64;
        if let Some(total) = self.info.frames.filter(|&t| f > t) {
            return Err(CoreError::invalid_arg(format!(
                "frame must be at most {total} (the file's length), got {f}"
            )))
            .or_throw(&env);
        }
        self.reader().and_then(|r| r.seek(f)).or_throw(&env)?;
        self.position = f;
        Ok(())
    }

    /// Closes the file; later reads fail. Closing again does nothing.
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
    }
}

/// The header of AU data arriving on a pipe. Internal: the CLI's stdin.
#[napi(object)]
pub struct NativeAuPrefix {
    /// Bytes before the first sample.
    pub data_start: u32,
    /// Bytes of samples, when the writer knew.
    pub data_bytes: Option<f64>,
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u32,
    /// The samples' encoding as `nativeTranscode` names it (with `be`: AU
    /// data is big-endian): `i16`, `f32`, or a file encoding (`ulaw`, ...).
    pub format: String,
    /// Bytes per sample.
    pub sample_bytes: u32,
}

/// Parses the AU header at the start of `bytes`: `null` until the whole
/// header (and its annotation) has arrived.
#[napi]
pub fn native_parse_au_prefix(env: Env, bytes: &[u8]) -> Result<Option<NativeAuPrefix>> {
    if bytes.len() < af::au::HEADER_BYTES {
        return Ok(None);
    }
    let h = af::au::parse(bytes).or_throw(&env)?;
    if (bytes.len() as u64) < h.data_offset {
        return Ok(None);
    }
    let format = match h.layout.encoding {
        Encoding::Pcm16 => "i16",
        Encoding::Pcm24 => "i24",
        Encoding::Pcm32 => "i32",
        Encoding::Float => "f32",
        other => other.name(),
    };
    Ok(Some(NativeAuPrefix {
        data_start: h.data_offset as u32,
        data_bytes: h.data_bytes.map(|b| b as f64),
        samplerate: h.samplerate,
        channels: u32::from(h.channels),
        format: format.to_string(),
        sample_bytes: h.layout.encoding.bytes() as u32,
    }))
}

/// What a recording writes: its format and encoding. Internal.
#[napi(object)]
pub struct NativeRecordFileSpec {
    /// The format's name.
    pub format: String,
    /// The encoding's name.
    pub encoding: String,
}

/// Refuses, before a recording starts, what the recording would refuse:
/// a path naming a format that cannot be written (`.mp3`) or none
/// (`.opus`), a `container` its extension contradicts, or an `encoding`
/// the format cannot hold (`pcm_s8` in a WAV file). Returns what it
/// writes. The core's rule: [`ringstream_core::audio_file::format_for_record`].
#[napi]
pub fn native_check_record_path(
    env: Env,
    path: String,
    encoding: Option<String>,
    container: Option<String>,
) -> Result<NativeRecordFileSpec> {
    let check = || {
        let (container, encoding) = af::write_names(container.as_deref(), encoding.as_deref())?;
        ringstream_core::stream::check_record_path(&path, container, encoding)
    };
    let (format, encoding) = check().or_throw(&env)?;
    Ok(NativeRecordFileSpec {
        format: format.name().to_string(),
        encoding: encoding.name().to_string(),
    })
}
