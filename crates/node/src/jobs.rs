//! The job methods of `NativeStream`: play and record jobs described by
//! one spec object each (`PlaySpec`, `RecordSpec`), converted into the
//! core's requests (the core checks them and builds the actions).

use crate::error::OrThrow;
use crate::ring::NativeRing;
use crate::stream::NativeStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::audio_file::write_names;
use ringstream_core::engine::sample::Dtype;
use ringstream_core::stream::{PlayFrom, PlayRequest, RecordInto, RecordRequest};

/// Sample types a stream exchanges with JavaScript.
#[napi(string_enum)]
#[derive(Clone, Copy)]
#[allow(non_camel_case_types)]
pub enum DtypeName {
    /// 32-bit float.
    float32,
    /// 16-bit signed integer.
    int16,
    /// 32-bit signed integer.
    int32,
}

impl From<DtypeName> for Dtype {
    fn from(d: DtypeName) -> Dtype {
        match d {
            DtypeName::float32 => Dtype::Float32,
            DtypeName::int16 => Dtype::Int16,
            DtypeName::int32 => Dtype::Int32,
        }
    }
}

/// A play job (pastream's frames / pad / loop).
#[napi(object)]
pub struct PlaySpec {
    /// Frames to play from the source; < 0: until it ends.
    pub frames: i64,
    /// Zero frames after the source; < 0: pad automatically up to `frames`.
    pub pad: i64,
    /// Rewind the source at its end (buffers and files).
    pub looping: Option<bool>,
    /// Sample type of a buffer or ring source (default float32).
    #[napi(ts_type = "'float32' | 'int16' | 'int32'")]
    pub dtype: Option<DtypeName>,
    /// Raise a data event per this many frames taken (0: never).
    pub notify_every: Option<u32>,
    /// A ring source ends only once its producer marked it done.
    pub until_done: Option<bool>,
    /// Frames of the ring between a file's reader thread and the engine.
    pub buffer_size: Option<u32>,
    /// The factor the source is played at (default 1).
    pub gain: Option<f64>,
    /// Frames of the source skipped first (default 0).
    pub offset: Option<i64>,
    /// A ring source the caller feeds on its own clock: its fill steers
    /// drift correction (default false).
    pub steers: Option<bool>,
}

/// A record job (pastream's frames / offset).
#[napi(object)]
pub struct RecordSpec {
    /// Frames to process, including the `offset` dropped ones; < 0: until stopped.
    pub frames: i64,
    /// Input frames to drop first.
    pub offset: i64,
    /// End with the stream's playback.
    pub follow: Option<bool>,
    /// Sample type written into a ring (default float32).
    #[napi(ts_type = "'float32' | 'int16' | 'int32'")]
    pub dtype: Option<DtypeName>,
    /// Raise a data event per this many frames written (0: never).
    pub notify_every: Option<u32>,
    /// Drop (and flag) what does not fit instead of failing.
    pub drop_on_overflow: Option<bool>,
    /// Frames of the ring between the engine and a file's writer thread.
    pub buffer_size: Option<u32>,
    /// Sample encoding of the file: any encoding name (`pcm_16`, `ulaw`,
    /// `double`, or `f32`/`i16`/...); default: the format's (see the core).
    pub format: Option<String>,
    /// A ring sink the caller reads on its own clock: its fill steers
    /// drift correction (default false).
    pub steers: Option<bool>,
    /// The file's format (`wav`, `flac`, `aiff`, `au`, `w64`, `raw`);
    /// default: what the path's extension names (WAV when it names none).
    pub file_format: Option<String>,
}

impl PlaySpec {
    /// The core's request for playing `from` with this spec.
    fn request<'a>(&self, from: PlayFrom<'a>) -> PlayRequest<'a> {
        PlayRequest {
            from,
            frames: self.frames,
            pad: self.pad,
            looping: self.looping.unwrap_or(false),
            dtype: self.dtype.map_or(Dtype::Float32, Into::into),
            notify_every: self.notify_every.unwrap_or(0).into(),
            until_done: self.until_done.unwrap_or(false),
            buffer_size: self.buffer_size.map(|n| n as usize),
            gain: self.gain.unwrap_or(1.0),
            start: self.offset.unwrap_or(0).max(0) as u64,
            steers: self.steers.unwrap_or(false),
        }
    }
}

impl RecordSpec {
    /// Refuses the options only a file takes (`format`, `fileFormat`) for
    /// a ring, as the TypeScript layer refuses `fileFormat` (same code):
    /// an argument this binding gets is honoured or refused, never dropped.
    fn ring_only(&self) -> ringstream_core::Result<()> {
        let given = [("format", &self.format), ("fileFormat", &self.file_format)];
        match given.iter().find(|(_, v)| v.is_some()) {
            Some((name, _)) => Err(ringstream_core::Error::invalid_arg(format!(
                "{name} is for a file path out, not a RingBuffer or a typed array"
            ))),
            None => Ok(()),
        }
    }

    /// The core's request for recording into `into` with this spec.
    fn request<'a>(&self, into: RecordInto<'a>) -> RecordRequest<'a> {
        RecordRequest {
            into,
            frames: self.frames,
            offset: self.offset,
            follow: self.follow.unwrap_or(false),
            dtype: self.dtype.map_or(Dtype::Float32, Into::into),
            notify_every: self.notify_every.unwrap_or(0).into(),
            drop_on_overflow: self.drop_on_overflow.unwrap_or(false),
            buffer_size: self.buffer_size.map(|n| n as usize),
            steers: self.steers.unwrap_or(false),
        }
    }
}

#[napi]
impl NativeStream {
    /// Plays interleaved samples of `spec.dtype` (the bytes of a typed array; copied).
    #[napi]
    pub fn play_buffer(&mut self, env: Env, data: &[u8], spec: PlaySpec) -> Result<()> {
        let s = self.s().or_throw(&env)?;
        s.play(spec.request(PlayFrom::Bytes(data))).or_throw(&env)?;
        self.account(&env);
        Ok(())
    }

    /// Plays from `ring` (whole frames of `spec.dtype`).
    #[napi]
    pub fn play_ring(&mut self, env: Env, ring: &NativeRing, spec: PlaySpec) -> Result<()> {
        let s = self.s().or_throw(&env)?;
        s.play(spec.request(PlayFrom::Ring(ring.lent())))
            .map(drop)
            .or_throw(&env)
    }

    /// Plays the WAV file at `path` through a reader thread and a ring of
    /// `spec.bufferSize` frames. The file must match the stream's sample rate
    /// and data channels.
    /// A FIFO (or another file that is not a regular one) is opened on the
    /// reader thread, since its open waits for a writer: a read error then
    /// comes as the job's error.
    #[napi]
    pub fn play_file(&mut self, env: Env, path: String, spec: PlaySpec) -> Result<()> {
        let s = self.s().or_throw(&env)?;
        let pump = s.play(spec.request(PlayFrom::File(&path))).or_throw(&env)?;
        self.sources.extend(pump);
        Ok(())
    }

    /// Records into `ring` (whole frames of `spec.dtype`). A file's
    /// options (`format`, `fileFormat`) are refused.
    #[napi]
    pub fn record_ring(&mut self, env: Env, ring: &NativeRing, spec: RecordSpec) -> Result<()> {
        spec.ring_only().or_throw(&env)?;
        let s = self.s().or_throw(&env)?;
        s.record(spec.request(RecordInto::Ring(ring.lent())))
            .map(drop)
            .or_throw(&env)
    }

    /// Records into a new WAV file at `path` through a ring of
    /// `spec.bufferSize` frames and a writer thread.
    #[napi]
    pub fn record_file(&mut self, env: Env, path: String, spec: RecordSpec) -> Result<()> {
        let s = self.s().or_throw(&env)?;
        let (container, format) =
            write_names(spec.file_format.as_deref(), spec.format.as_deref()).or_throw(&env)?;
        let into = RecordInto::File {
            path: &path,
            container,
            format,
        };
        let pump = s.record(spec.request(into)).or_throw(&env)?;
        self.sinks.extend(pump);
        Ok(())
    }
}
