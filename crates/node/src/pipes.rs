//! Formats through pipes, for the CLI's stdin and stdout: the core's
//! signature rule, its pipe decoder and its pipe encoder. Internal.

use crate::audio_file::NativeAudioInfo;
use crate::error::OrThrow;
use crate::ring::count_arg;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::audio_file::{
    pipe_encoder::pipe_spec, sniff, Encoding, FileFormat, PipeDecoder, PipeEncoder, WriteSpec,
};
use ringstream_core::wav::PcmFormat;

const MAX_FRAMES: usize = 1 << 24;

/// The format the first bytes of a stream announce (`wav`, `flac`, `au`,
/// ...), or `null`. Internal.
#[napi]
pub fn native_sniff(head: &[u8]) -> Option<String> {
    sniff(head).map(|f| f.name().to_string())
}

/// A file encoding, checked: its canonical name and bytes per sample.
#[napi(object)]
pub struct NativeEncodingName {
    /// The canonical name (`pcm_16`, `float`, `ulaw`, ...).
    pub name: String,
    /// Bytes per sample.
    pub bytes: u32,
}

/// The encoding `name` names (any of its aliases: `i16`, `u-law`,
/// `float64`...), or `ERR_UNSUPPORTED_FORMAT` naming them. Internal.
#[napi]
pub fn native_encoding_name(env: Env, name: String) -> Result<NativeEncodingName> {
    let e = Encoding::from_name(&name).or_throw(&env)?;
    Ok(NativeEncodingName {
        name: e.name().to_string(),
        bytes: e.bytes() as u32,
    })
}

/// A compressed or container format decoded as its bytes arrive. Internal.
#[napi]
pub struct NativePipeDecoder {
    inner: PipeDecoder,
}

#[napi]
impl NativePipeDecoder {
    /// Starts decoding a stream of `format` (as `nativeSniff` named it).
    #[napi(factory)]
    pub fn start(env: Env, format: String) -> Result<Self> {
        let inner = FileFormat::from_name(&format)
            .and_then(PipeDecoder::new)
            .or_throw(&env)?;
        Ok(NativePipeDecoder { inner })
    }

    /// Adds the next bytes of the stream.
    #[napi]
    pub fn push(&self, bytes: &[u8]) {
        self.inner.push(bytes);
    }

    /// Says the stream has ended.
    #[napi]
    pub fn end_input(&self) {
        self.inner.end_input();
    }

    /// Bytes pushed and not yet decoded.
    #[napi(getter)]
    pub fn queued_bytes(&self) -> f64 {
        self.inner.queued_bytes() as f64
    }

    /// What the stream holds, once its header is decoded (else `null`).
    #[napi]
    pub fn info(&mut self, env: Env) -> Result<Option<NativeAudioInfo>> {
        let info = self.inner.info().or_throw(&env)?;
        Ok(info.as_ref().map(NativeAudioInfo::from))
    }

    /// Up to `frames` decoded frames (maybe none yet); `null` at the end.
    #[napi]
    pub fn read(&mut self, env: Env, frames: f64) -> Result<Option<Float32Array>> {
        let n = count_arg(frames, "frames", MAX_FRAMES).or_throw(&env)?;
        let mut out = Vec::new();
        let more = self.inner.read(n, &mut out).or_throw(&env)?;
        Ok((more || !out.is_empty()).then(|| Float32Array::new(out)))
    }

    /// Stops the decoder thread.
    #[napi]
    pub fn close(&mut self) {
        self.inner.close();
    }
}

/// What a pipe encoder writes. Internal.
#[napi(object)]
pub struct NativePipeSpec {
    /// `wav`, `au`, `flac` or `raw`.
    pub format: String,
    /// Frames per second.
    pub samplerate: u32,
    /// Interleaved channels.
    pub channels: u32,
    /// An encoding name; none: the format's default.
    pub encoding: Option<String>,
    /// RAW only: big-endian.
    pub big_endian: bool,
}

/// A format written as a byte stream. Internal.
#[napi]
pub struct NativePipeEncoder {
    inner: PipeEncoder,
}

#[napi]
impl NativePipeEncoder {
    /// Starts a stream; its first bytes are `header()`.
    #[napi(factory)]
    pub fn start(env: Env, spec: NativePipeSpec) -> Result<Self> {
        let format = FileFormat::from_name(&spec.format).or_throw(&env)?;
        let encoding = spec
            .encoding
            .as_deref()
            .map(Encoding::from_name)
            .transpose()
            .or_throw(&env)?;
        let channels = u16::try_from(spec.channels).unwrap_or(u16::MAX);
        let inner = PipeEncoder::new(WriteSpec {
            samplerate: spec.samplerate,
            channels,
            format: Some(format),
            encoding,
            big_endian: spec.big_endian,
        })
        .or_throw(&env)?;
        Ok(NativePipeEncoder { inner })
    }

    /// The stream's first bytes (its header, length unknown).
    #[napi]
    pub fn header(&self) -> Uint8Array {
        Uint8Array::new(self.inner.header().to_vec())
    }

    /// The canonical name of the encoding written.
    #[napi(getter)]
    pub fn encoding(&self) -> String {
        self.inner.format().1.name().to_string()
    }

    /// Encodes whole frames laid out as `from` (`f32`, `i16`, `i32`).
    #[napi]
    pub fn write(&mut self, env: Env, data: &[u8], from: String) -> Result<Uint8Array> {
        let out = PcmFormat::from_name(&from)
            .and_then(|f| self.inner.write(data, f))
            .or_throw(&env)?;
        Ok(Uint8Array::new(out))
    }

    /// Ends the stream: its last bytes.
    #[napi]
    pub fn finish(&mut self, env: Env) -> Result<Uint8Array> {
        Ok(Uint8Array::new(self.inner.finish().or_throw(&env)?))
    }

    /// After `finish`, the header with the real length, to write over the
    /// first bytes of an output that is a file.
    #[napi]
    pub fn final_header(&self, env: Env) -> Result<Uint8Array> {
        Ok(Uint8Array::new(self.inner.final_header().or_throw(&env)?))
    }

    /// Whether the finished file needs a pad byte after its data (WAV).
    #[napi(getter)]
    pub fn needs_pad(&self) -> bool {
        self.inner.needs_pad()
    }
}

/// The format and encoding a pipe encoder of `format` in `encoding` (none:
/// the format's default) writes, checked as `NativePipeEncoder.start`
/// checks them (the core's `pipe_spec`), without starting one. Internal.
#[napi]
pub fn native_pipe_spec(
    env: Env,
    format: String,
    encoding: Option<String>,
) -> Result<NativeSaveSpec> {
    let check = || {
        let format = FileFormat::from_name(&format)?;
        let encoding = encoding.as_deref().map(Encoding::from_name).transpose()?;
        pipe_spec(format, encoding)
    };
    let (f, e) = check().or_throw(&env)?;
    Ok(NativeSaveSpec {
        format: f.name().to_string(),
        encoding: e.name().to_string(),
    })
}

/// What `signal.save` writes: a container and an encoding, by name.
#[napi(object)]
pub struct NativeSaveSpec {
    /// The container (`wav`, `flac`, ...).
    pub format: String,
    /// The canonical encoding name.
    pub encoding: String,
}

/// The container and encoding `signal.save(path, { format, encoding })`
/// writes (see the core's `save_spec`). Internal.
#[napi]
pub fn native_save_spec(
    env: Env,
    path: String,
    format: Option<String>,
    encoding: Option<String>,
) -> Result<NativeSaveSpec> {
    let (f, e) =
        ringstream_core::audio_file::save_spec(&path, format.as_deref(), encoding.as_deref())
            .or_throw(&env)?;
    Ok(NativeSaveSpec {
        format: f.name().to_string(),
        encoding: e.name().to_string(),
    })
}
