//! The job methods of `NativeStream`: play and record actions described by
//! one spec object each (`PlaySpec`, `RecordSpec`), with the stream's own
//! data channels and channel maps.

use crate::error::OrThrow;
use crate::ring::NativeRing;
use crate::stream::NativeStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use ringstream_core::engine::play::{Play, Source};
use ringstream_core::engine::record::Record;
use ringstream_core::engine::sample::Dtype;
use ringstream_core::engine::Action;
use ringstream_core::pump::{FileSink, FileSource};
use ringstream_core::stream::Stream;
use ringstream_core::wav::{SampleFormat, WavReader, WavSpec, WavWriter};
use ringstream_core::{Error as CoreError, ErrorKind};

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

/// Sample formats of a WAV file a stream records.
#[napi(string_enum)]
#[derive(Clone, Copy)]
#[allow(non_camel_case_types)]
pub enum RecordFormat {
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

impl From<RecordFormat> for SampleFormat {
    fn from(f: RecordFormat) -> SampleFormat {
        match f {
            RecordFormat::f32 => SampleFormat::F32,
            RecordFormat::i16 => SampleFormat::I16,
            RecordFormat::i24 => SampleFormat::I24,
            RecordFormat::i32 => SampleFormat::I32,
            RecordFormat::u8 => SampleFormat::U8,
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
    /// Sample format of a WAV file (default f32).
    #[napi(ts_type = "'f32' | 'i16' | 'i24' | 'i32' | 'u8'")]
    pub format: Option<RecordFormat>,
}

/// Checks that a file fits the stream: same sample rate, `ch` channels.
fn check_file_spec(
    path: &str,
    rate: u32,
    file_ch: usize,
    s: &Stream,
) -> ringstream_core::Result<()> {
    check_spec(
        path,
        (rate, file_ch),
        (s.info().config.samplerate, s.layout().output_channels),
    )
}

/// [`check_file_spec`] on values (for a reader thread, which has no stream).
fn check_spec(
    path: &str,
    (rate, file_ch): (u32, usize),
    (sr, ch): (u32, usize),
) -> ringstream_core::Result<()> {
    if rate != sr {
        return Err(CoreError::new(
            ErrorKind::UnsupportedConfig,
            format!("{path} is {rate} Hz but the stream runs at {sr} Hz (open the stream with samplerate: {rate}, or use fromFile)"),
        ));
    }
    if file_ch != ch {
        return Err(CoreError::invalid_arg(format!(
            "{path} has {file_ch} channels but the stream's data has {ch}"
        )));
    }
    Ok(())
}

/// Whether opening `path` may wait for a peer (a FIFO, or another file
/// that is neither regular nor a directory): such files are opened on the
/// pump's thread, never on the JS thread. Looking is `stat`, which does not wait.
fn opens_blocking(path: &str) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Checks that `ring` holds exactly one frame of `ch` channels of `dtype`
/// per element.
fn frame_ring(ring: &NativeRing, ch: usize, dtype: Dtype) -> ringstream_core::Result<()> {
    let r = ring.ring();
    if r.element_size() != ch * dtype.size() {
        return Err(CoreError::invalid_arg(format!(
            "the ring's elementSize ({}) must be one frame: {ch} channels x {} bytes ({})",
            r.element_size(),
            dtype.size(),
            dtype.name()
        )));
    }
    Ok(())
}

fn needs(ch: usize, what: &str) -> ringstream_core::Result<usize> {
    if ch == 0 {
        return Err(CoreError::invalid_arg(format!(
            "{what} needs a stream with that direction"
        )));
    }
    Ok(ch)
}

fn play(s: &Stream, source: Source, spec: &PlaySpec) -> Action {
    Action::Play(
        Play::new(source, s.play_map().clone(), spec.frames, spec.pad)
            .notify_every(spec.notify_every.unwrap_or(0).into()),
    )
}

fn record(
    s: &Stream,
    prod: ringstream_core::ring::Producer,
    dtype: Dtype,
    spec: &RecordSpec,
) -> Action {
    Action::Record(
        Record::new(
            prod,
            dtype,
            s.record_map().clone(),
            spec.frames,
            spec.offset.max(0) as u64,
            spec.follow.unwrap_or(false),
        )
        .notify_every(spec.notify_every.unwrap_or(0).into())
        .drop_on_overflow(spec.drop_on_overflow.unwrap_or(false)),
    )
}

#[napi]
impl NativeStream {
    /// Plays interleaved samples of `spec.dtype` (the bytes of a typed array; copied).
    #[napi]
    pub fn play_buffer(&mut self, env: Env, data: &[u8], spec: PlaySpec) -> Result<()> {
        let d: Dtype = spec.dtype.map_or(Dtype::Float32, Into::into);
        let s = self.s().or_throw(&env)?;
        let ch = needs(s.layout().output_channels, "play").or_throw(&env)?;
        if !data.len().is_multiple_of(d.size() * ch) {
            return Err(CoreError::invalid_arg(format!(
                "the source has {} bytes, not whole frames of {ch} channels of {}",
                data.len(),
                d.name()
            )))
            .or_throw(&env);
        }
        // The caller's bytes, decoded as they play: every dtype plays exactly.
        let source = Source::Pcm {
            data: data.to_vec(),
            dtype: d,
            channels: ch,
            pos: 0,
            looping: spec.looping.unwrap_or(false),
        };
        let action = play(s, source, &spec);
        s.submit(action).or_throw(&env)?;
        self.account(&env);
        Ok(())
    }

    /// Plays from `ring` (whole frames of `spec.dtype`).
    #[napi]
    pub fn play_ring(&mut self, env: Env, ring: &NativeRing, spec: PlaySpec) -> Result<()> {
        let d: Dtype = spec.dtype.map_or(Dtype::Float32, Into::into);
        let s = self.s().or_throw(&env)?;
        let ch = needs(s.layout().output_channels, "play").or_throw(&env)?;
        frame_ring(ring, ch, d).or_throw(&env)?;
        let cons = ring.consumer().or_throw(&env)?;
        let source = Source::Ring {
            cons,
            channels: ch,
            dtype: d,
            until_done: spec.until_done.unwrap_or(false),
        };
        let action = play(s, source, &spec);
        s.submit(action).or_throw(&env)
    }

    /// Plays the WAV file at `path` through a reader thread and a ring of
    /// `spec.bufferSize` frames. The file must match the stream's sample rate
    /// and data channels.
    /// A FIFO (or another file that is not a regular one) is opened on the
    /// reader thread, since its open waits for a writer: a read error then
    /// comes as the job's error.
    #[napi]
    pub fn play_file(&mut self, env: Env, path: String, spec: PlaySpec) -> Result<()> {
        let frames = spec.buffer_size.unwrap_or(65536) as usize;
        let looping = spec.looping.unwrap_or(false);
        let (pump, source) = if opens_blocking(&path) {
            let s = self.s().or_throw(&env)?;
            let ch = needs(s.layout().output_channels, "play").or_throw(&env)?;
            let sr = s.info().config.samplerate;
            let open = Box::new(move || {
                let r = WavReader::open(&path)?;
                let ws = r.spec();
                check_spec(&path, (ws.samplerate, ws.channels as usize), (sr, ch))?;
                Ok(r)
            });
            FileSource::start_opening(open, ch, frames, looping).or_throw(&env)?
        } else {
            let reader = WavReader::open(&path).or_throw(&env)?;
            let s = self.s().or_throw(&env)?;
            needs(s.layout().output_channels, "play").or_throw(&env)?;
            let ws = reader.spec();
            check_file_spec(&path, ws.samplerate, ws.channels as usize, s).or_throw(&env)?;
            FileSource::start(reader, frames, looping).or_throw(&env)?
        };
        let s = self.s().or_throw(&env)?;
        let action = play(s, source, &spec);
        s.submit(action).or_throw(&env)?;
        self.sources.push(pump);
        Ok(())
    }

    /// Records into `ring` (whole frames of `spec.dtype`).
    #[napi]
    pub fn record_ring(&mut self, env: Env, ring: &NativeRing, spec: RecordSpec) -> Result<()> {
        let d: Dtype = spec.dtype.map_or(Dtype::Float32, Into::into);
        let s = self.s().or_throw(&env)?;
        let ch = needs(s.layout().input_channels, "record").or_throw(&env)?;
        frame_ring(ring, ch, d).or_throw(&env)?;
        let prod = ring.producer().or_throw(&env)?;
        let action = record(s, prod, d, &spec);
        s.submit(action).or_throw(&env)
    }

    /// Records into a new WAV file at `path` through a ring of
    /// `spec.bufferSize` frames and a writer thread.
    #[napi]
    pub fn record_file(&mut self, env: Env, path: String, spec: RecordSpec) -> Result<()> {
        let s = self.s().or_throw(&env)?;
        let ch = needs(s.layout().input_channels, "record").or_throw(&env)?;
        let ws = WavSpec {
            samplerate: s.info().config.samplerate,
            channels: ch as u16,
            format: spec.format.map_or(SampleFormat::F32, Into::into),
        };
        let frames = spec.buffer_size.unwrap_or(65536) as usize;
        let (pump, prod) = if opens_blocking(&path) {
            // A FIFO's open waits for its reader: on the writer thread.
            let open = Box::new(move || WavWriter::create(&path, ws));
            FileSink::start_opening(open, ch, frames).or_throw(&env)?
        } else {
            let writer = WavWriter::create(&path, ws).or_throw(&env)?;
            FileSink::start(writer, frames).or_throw(&env)?
        };
        // A writer that fails (a full disk) ends the run with its own error
        // at once, before the ring it no longer drains can overflow.
        pump.on_error(Box::new(s.failer()));
        let action = record(s, prod, Dtype::Float32, &spec);
        s.submit(action).or_throw(&env)?;
        self.sinks.push(pump);
        Ok(())
    }
}
