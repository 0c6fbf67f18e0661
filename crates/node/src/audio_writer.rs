//! `NativeAudioWriter`: the core's streaming [`AudioWriter`] for JS, in
//! any writable format. Internal: use `AudioWriter`.

use crate::audio_file::{write_spec, NativeAudioWriteSpec};
use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::audio_file::AudioWriter;

/// What a writer writes, resolved (format and encoding named). Internal.
#[napi(object)]
pub struct NativeAudioWriterSpec {
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u32,
    /// The format's name (`wav`, `flac`, ...).
    pub format: String,
    /// The encoding's name (`pcm_16`, `float`, ...).
    pub encoding: String,
    /// Most significant byte first (RAW only).
    pub big_endian: bool,
}

/// A file of any writable format being written blockwise. Internal: use `AudioWriter`.
#[napi]
pub struct NativeAudioWriter {
    inner: AudioWriter,
    spec: NativeAudioWriterSpec,
}

#[napi]
impl NativeAudioWriter {
    /// Creates (or truncates) `path` in the format `spec.format` or its
    /// extension names, refused before the file is touched when it cannot
    /// be written so.
    #[napi(constructor)]
    pub fn new(env: Env, path: String, spec: NativeAudioWriteSpec) -> Result<Self> {
        let open = || {
            // The core resolves (and refuses) the format and the encoding.
            let asked = write_spec(&spec)?;
            let inner = AudioWriter::create(&path, asked)?;
            let (format, encoding) = inner.written();
            let spec = NativeAudioWriterSpec {
                samplerate: asked.samplerate,
                channels: u32::from(asked.channels),
                format: format.name().to_string(),
                encoding: encoding.name().to_string(),
                big_endian: inner.big_endian(),
            };
            Ok::<_, ringstream_core::Error>(NativeAudioWriter { inner, spec })
        };
        open().or_throw(&env)
    }

    /// What is being written.
    #[napi(getter)]
    pub fn spec(&self) -> NativeAudioWriterSpec {
        NativeAudioWriterSpec {
            format: self.spec.format.clone(),
            encoding: self.spec.encoding.clone(),
            ..self.spec
        }
    }

    /// Frames written so far.
    #[napi(getter)]
    pub fn frames(&self) -> f64 {
        self.inner.frames() as f64
    }

    /// Appends interleaved samples (a whole number of frames).
    #[napi]
    pub fn write(&mut self, env: Env, data: &[f32]) -> Result<()> {
        self.inner.write(data).or_throw(&env)
    }

    /// Makes the file complete on disk as of now (FLAC: up to its last whole block).
    #[napi]
    pub fn flush(&mut self, env: Env) -> Result<()> {
        self.inner.flush().or_throw(&env)
    }

    /// Finishes the file. Closing again does nothing.
    #[napi]
    pub fn close(&mut self, env: Env) -> Result<()> {
        self.inner.close().or_throw(&env)
    }
}
