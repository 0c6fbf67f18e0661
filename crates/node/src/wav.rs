//! WAV I/O for JavaScript over `ringstream_core::wav`.
//!
//! Whole-file writes run on the libuv thread pool (whole-file reads are in
//! [`crate::wav_read`]); the streaming reader and writer are
//! synchronous because each call moves one block. Samples they read reach
//! JS as a `Float32Array` over the Rust `Vec` itself, with no copy.

use crate::error::OrThrow;
use crate::ring::count_arg;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::audio_file::{encoding::transcode_into, Layout};
use ringstream_core::wav::{self, PcmFormat, SampleFormat, WavSpec};
use ringstream_core::Error as CoreError;

/// The largest frame count JS numbers hold exactly.
const MAX_SAFE: usize = (1 << 53) - 1;

/// Sample formats of a WAV file.
#[napi(string_enum)]
#[derive(Clone, Copy)]
#[allow(non_camel_case_types)]
pub enum WavFormatName {
    /// 32-bit float.
    f32,
    /// 16-bit PCM.
    i16,
    /// 24-bit PCM.
    i24,
    /// 32-bit PCM.
    i32,
    /// 8-bit unsigned PCM.
    u8,
}

impl From<WavFormatName> for SampleFormat {
    fn from(f: WavFormatName) -> SampleFormat {
        match f {
            WavFormatName::f32 => SampleFormat::F32,
            WavFormatName::i16 => SampleFormat::I16,
            WavFormatName::i24 => SampleFormat::I24,
            WavFormatName::i32 => SampleFormat::I32,
            WavFormatName::u8 => SampleFormat::U8,
        }
    }
}

impl From<SampleFormat> for WavFormatName {
    fn from(f: SampleFormat) -> WavFormatName {
        match f {
            SampleFormat::F32 => WavFormatName::f32,
            SampleFormat::I16 => WavFormatName::i16,
            SampleFormat::I24 => WavFormatName::i24,
            SampleFormat::I32 => WavFormatName::i32,
            SampleFormat::U8 => WavFormatName::u8,
        }
    }
}

fn spec_arg(
    samplerate: f64,
    channels: f64,
    format: WavFormatName,
) -> ringstream_core::Result<WavSpec> {
    let spec = WavSpec {
        samplerate: count_arg(samplerate, "samplerate", u32::MAX as usize)? as u32,
        channels: count_arg(channels, "channels", u16::MAX as usize)? as u16,
        format: format.into(),
    };
    spec.validate()?;
    Ok(spec)
}

/// A WAV file's format as JS sees it.
#[napi(object)]
pub struct NativeWavSpec {
    /// Frames per second.
    pub samplerate: u32,
    /// Channels per frame.
    pub channels: u32,
    /// The sample format.
    #[napi(ts_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")]
    pub format: WavFormatName,
}

impl From<wav::WavSpec> for NativeWavSpec {
    fn from(s: wav::WavSpec) -> Self {
        NativeWavSpec {
            samplerate: s.samplerate,
            channels: u32::from(s.channels),
            format: s.format.into(),
        }
    }
}

/// Writes a whole file off the JS thread as its pieces are encoded.
pub struct WriteWavTask {
    path: String,
    len: u64,
    writer: Option<wav::whole::PieceWriter>,
}

impl Task for WriteWavTask {
    type Output = ringstream_core::Result<()>;
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match self.writer.take() {
            Some(w) => w.write(&self.path, self.len),
            None => Ok(()),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        output.or_throw(&env)
    }
}

/// Writes `data` (interleaved) to `path`. Internal: use `writeWav`.
///
/// The file is encoded here, on the JS thread, straight from the caller's
/// array (which JS may reuse once this returns), in pieces that a pool
/// thread, started first, writes as they come: see
/// `ringstream_core::wav::whole`.
#[napi(ts_return_type = "Promise<void>")]
pub fn native_write_wav<'env>(
    env: &'env Env,
    path: String,
    data: &[f32],
    samplerate: f64,
    channels: f64,
    #[napi(ts_arg_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")] format: WavFormatName,
) -> Result<PromiseRaw<'env, ()>> {
    let spec = spec_arg(samplerate, channels, format).or_throw(env)?;
    wav::check_write_path(&path).or_throw(env)?;
    let file = wav::WavFile::new(data, spec).or_throw(env)?;
    let (sender, writer) = wav::pipe();
    let task = env.spawn(WriteWavTask {
        path,
        len: file.len(),
        writer: Some(writer),
    })?;
    sender.send(&file);
    Ok(task.promise_object())
}

/// Refuses a path to write WAV data to whose extension names another audio
/// format (`.flac`, `.aiff`, `.au`, `.ogg`, ...), with a message saying so.
#[napi(catch_unwind)]
pub fn native_check_write_path(env: Env, path: String) -> Result<()> {
    wav::check_write_path(&path).or_throw(&env)
}

fn closed(what: &str) -> CoreError {
    CoreError::invalid_arg(format!("the {what} is closed"))
}

/// A WAV file open for blockwise reading. Internal: use `WavReader`.
#[napi]
pub struct NativeWavReader {
    inner: Option<wav::WavReader>,
    spec: WavSpec,
    frames: u64,
}

impl NativeWavReader {
    fn reader(&mut self) -> ringstream_core::Result<&mut wav::WavReader> {
        self.inner.as_mut().ok_or_else(|| closed("WAV reader"))
    }
}

#[napi]
impl NativeWavReader {
    /// Opens `path` and reads its header.
    #[napi(factory)]
    pub fn open(env: Env, path: String) -> Result<Self> {
        let r = wav::WavReader::open(&path).or_throw(&env)?;
        Ok(NativeWavReader {
            spec: r.spec(),
            frames: r.frames(),
            inner: Some(r),
        })
    }

    /// The file's format.
    #[napi(getter)]
    pub fn spec(&self) -> NativeWavSpec {
        NativeWavSpec::from(self.spec)
    }

    /// Frames in the file.
    #[napi(getter)]
    pub fn frames(&self) -> f64 {
        self.frames as f64
    }

    /// The frame the next read starts at.
    #[napi(getter)]
    pub fn position(&self) -> f64 {
        self.inner.as_ref().map_or(self.frames, |r| r.position()) as f64
    }

    /// Up to `frames` frames as interleaved samples; empty at the end.
    #[napi]
    pub fn read(&mut self, env: Env, frames: f64) -> Result<Float32Array> {
        let n = count_arg(frames, "frames", MAX_SAFE).or_throw(&env)?;
        let samples = self
            .reader()
            .and_then(|r| r.read(n as u64))
            .or_throw(&env)?;
        Ok(Float32Array::new(samples))
    }

    /// Moves to `frame` (0 to `frames`).
    #[napi]
    pub fn seek(&mut self, env: Env, frame: f64) -> Result<()> {
        let f = count_arg(frame, "frame", MAX_SAFE).or_throw(&env)?;
        self.reader().and_then(|r| r.seek(f as u64)).or_throw(&env)
    }

    /// Closes the file; later reads fail. Closing again does nothing.
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
    }
}

/// A WAV file being written blockwise. Internal: use `WavWriter`.
#[napi]
pub struct NativeWavWriter {
    inner: Option<wav::WavWriter>,
    spec: WavSpec,
    frames: u64,
}

impl NativeWavWriter {
    fn writer(&mut self) -> ringstream_core::Result<&mut wav::WavWriter> {
        self.inner.as_mut().ok_or_else(|| closed("WAV writer"))
    }
}

#[napi]
impl NativeWavWriter {
    /// Creates (or truncates) `path` for the given format.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        path: String,
        samplerate: f64,
        channels: f64,
        #[napi(ts_arg_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")] format: WavFormatName,
    ) -> Result<Self> {
        let spec = spec_arg(samplerate, channels, format).or_throw(&env)?;
        let w = wav::WavWriter::create(&path, spec).or_throw(&env)?;
        Ok(NativeWavWriter {
            inner: Some(w),
            spec,
            frames: 0,
        })
    }

    /// The format being written.
    #[napi(getter)]
    pub fn spec(&self) -> NativeWavSpec {
        NativeWavSpec::from(self.spec)
    }

    /// Frames written so far.
    #[napi(getter)]
    pub fn frames(&self) -> f64 {
        self.inner.as_ref().map_or(self.frames, |w| w.frames()) as f64
    }

    /// Appends interleaved samples (a whole number of frames).
    #[napi]
    pub fn write(&mut self, env: Env, data: &[f32]) -> Result<()> {
        self.writer().and_then(|w| w.write(data)).or_throw(&env)
    }

    /// Writes buffered data and updates the header sizes.
    #[napi]
    pub fn flush(&mut self, env: Env) -> Result<()> {
        self.writer().and_then(|w| w.flush()).or_throw(&env)
    }

    /// Finishes the file. Closing again does nothing.
    #[napi]
    pub fn close(&mut self, env: Env) -> Result<()> {
        let Some(mut w) = self.inner.take() else {
            return Ok(());
        };
        self.frames = w.frames();
        w.close().or_throw(&env)
    }
}

/// A WAV header read from the first bytes of a stream. Internal: the CLI's stdin.
#[napi(object)]
pub struct NativeWavPrefix {
    /// Frames per second.
    pub samplerate: u32,
    /// Channels per frame.
    pub channels: u32,
    /// The sample format.
    #[napi(ts_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")]
    pub format: WavFormatName,
    /// Bytes before the first sample.
    pub data_start: u32,
    /// Bytes of data announced; absent when the length is unknown (read to the end).
    pub data_bytes: Option<f64>,
}

/// Parses the WAV header at the start of `bytes`; `null` while more bytes
/// are needed. Internal.
#[napi]
pub fn native_parse_wav_prefix(env: Env, bytes: &[u8]) -> Result<Option<NativeWavPrefix>> {
    let parsed = wav::stream::parse_prefix(bytes).or_throw(&env)?;
    Ok(parsed.map(|h| NativeWavPrefix {
        samplerate: h.spec.samplerate,
        channels: u32::from(h.spec.channels),
        format: h.spec.format.into(),
        data_start: h.data_start as u32,
        data_bytes: h.data_bytes.map(|b| b as f64),
    }))
}

/// The header of a WAV stream: of unknown length (sox's pipe convention)
/// when `frames` is left out, else of `frames` frames (same length, so it can
/// overwrite the first). Internal.
#[napi]
pub fn native_wav_stream_header(
    env: Env,
    samplerate: f64,
    channels: f64,
    #[napi(ts_arg_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")] format: WavFormatName,
    frames: Option<f64>,
) -> Result<Uint8Array> {
    let spec = spec_arg(samplerate, channels, format).or_throw(&env)?;
    let bytes = match frames {
        None => wav::stream::streaming_header(&spec),
        Some(f) => count_arg(f, "frames", MAX_SAFE)
            .and_then(|f| wav::stream::header_with_frames(&spec, f as u64)),
    }
    .or_throw(&env)?;
    Ok(Uint8Array::new(bytes))
}

/// Converts raw PCM (whole samples) from one format to another, e.g.
/// `'i16'` to `'f32'` or `'i24be'` to `'i32'`; `from` may also be any
/// file encoding with an optional `be` (`'ulawbe'`, `'double'`). Internal.
#[napi]
pub fn native_transcode(env: Env, data: &[u8], from: String, to: String) -> Result<Uint8Array> {
    let mut out = Vec::new();
    PcmFormat::from_name(&to)
        .and_then(|t| match PcmFormat::from_name(&from) {
            Ok(f) => wav::pcm::transcode(data, f, t, &mut out),
            Err(e) => match Layout::from_name(&from) {
                Ok(f) => transcode_into(f, data, t, &mut out),
                Err(_) => Err(e),
            },
        })
        .or_throw(&env)?;
    Ok(Uint8Array::new(out))
}
