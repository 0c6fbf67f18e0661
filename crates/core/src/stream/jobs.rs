//! pastream's jobs on a stream: a play or a record of the stream's own data
//! channels through its channel maps, described by one request each. The
//! rules of a job (a source of whole frames, a ring of one frame per
//! element, a file that fits the stream, `frames >= offset`) are checked
//! here, and the engine action is built here: the bindings only convert.

use super::layout::{check_offset, check_whole_frames, DEFAULT_BUFFER_SIZE};
use super::Stream;
use crate::audio_file::probe::is_pipe_like;
use crate::audio_file::{
    check_write, default_record_encoding, format_for_record, AudioReader, AudioWriter, Encoding,
    FileFormat, WriteSpec,
};
use crate::engine::play::{Play, Source};
use crate::engine::record::Record;
use crate::engine::sample::Dtype;
use crate::engine::Action;
use crate::error::{Error, ErrorKind, Result};
use crate::pump::{FileSink, FileSource};
use crate::ring::{Consumer, Producer, Ring};
use std::sync::Arc;

/// A ring lent to a stream by a holder that may hold one of its roles
/// itself (a JS side): the stream takes that role over.
#[derive(Clone, Copy)]
pub struct LentRing<'a> {
    /// The ring.
    pub ring: &'a Arc<Ring>,
    /// The lender's holder token (0: none).
    pub holder: u32,
}

impl LentRing<'_> {
    /// The producer role, taken over from the lender if it holds it.
    pub(super) fn producer(&self) -> Result<Producer> {
        self.ring.producer_taking_over(self.holder)
    }

    /// The consumer role, taken over from the lender if it holds it.
    pub(super) fn consumer(&self) -> Result<Consumer> {
        self.ring.consumer_taking_over(self.holder)
    }
}

/// Where a play job's audio comes from.
#[derive(Clone, Copy)]
pub enum PlayFrom<'a> {
    /// Interleaved samples of the request's `dtype`, as bytes (copied).
    Bytes(&'a [u8]),
    /// A ring of whole frames of the request's `dtype`.
    Ring(LentRing<'a>),
    /// A WAV file at this path, read by a reader thread.
    File(&'a str),
}

/// A play job (pastream's frames / pad / loop).
#[derive(Clone, Copy)]
pub struct PlayRequest<'a> {
    /// What to play.
    pub from: PlayFrom<'a>,
    /// Frames to play from the source; < 0: until it ends.
    pub frames: i64,
    /// Zero frames after the source; < 0: pad automatically up to `frames`.
    pub pad: i64,
    /// Rewind the source at its end (buffers and files).
    pub looping: bool,
    /// Sample type of a buffer or ring source.
    pub dtype: Dtype,
    /// Raise a data event per this many frames taken (0: never).
    pub notify_every: u64,
    /// A ring source ends only once its producer marked it done.
    pub until_done: bool,
    /// Frames of the ring between a file's reader thread and the engine
    /// (none: [`DEFAULT_BUFFER_SIZE`]).
    pub buffer_size: Option<usize>,
    /// The factor the source is played at (1: unchanged; negative:
    /// inverted, as sox's `-v`); must be finite.
    pub gain: f64,
    /// Frames of the source skipped before it plays: a file's reader seeks
    /// there (exact to the frame in every format), a buffer starts there; a
    /// ring cannot skip. A loop rewinds to the source's start.
    pub start: u64,
    /// A ring source whose producer runs on its own clock (a RingBuffer
    /// the caller feeds, not one the library refills on the stream's
    /// events): its fill steers the stream's drift correction.
    pub steers: bool,
}

/// Where a record job's audio goes.
#[derive(Clone, Copy)]
pub enum RecordInto<'a> {
    /// A ring of whole frames of the request's `dtype`.
    Ring(LentRing<'a>),
    /// A new audio file at `path`, written (and encoded) by a writer
    /// thread: in `container`, or the format its extension names (see
    /// [`format_for_record`]).
    File {
        /// Where to create it.
        path: &'a str,
        /// Its format; `None`: what the path names (WAV when it names none).
        container: Option<FileFormat>,
        /// Its sample encoding; `None`: [`default_record_encoding`].
        format: Option<Encoding>,
    },
}

/// A record job (pastream's frames / offset).
#[derive(Clone, Copy)]
pub struct RecordRequest<'a> {
    /// Where to record.
    pub into: RecordInto<'a>,
    /// Frames to process, including the `offset` dropped ones; < 0: until stopped.
    pub frames: i64,
    /// Input frames to drop first.
    pub offset: i64,
    /// End with the stream's playback.
    pub follow: bool,
    /// Sample type written into a ring (a file is always float32 on the way).
    pub dtype: Dtype,
    /// Raise a data event per this many frames written (0: never).
    pub notify_every: u64,
    /// Drop (and flag) what does not fit instead of failing.
    pub drop_on_overflow: bool,
    /// Frames of the ring between the engine and a file's writer thread
    /// (none: [`DEFAULT_BUFFER_SIZE`]).
    pub buffer_size: Option<usize>,
    /// A ring sink whose consumer runs on its own clock (a RingBuffer the
    /// caller reads, not one the library drains on the stream's events):
    /// its fill steers the stream's drift correction.
    pub steers: bool,
}

/// The data channels of one direction, or an error naming the job.
fn needs(ch: usize, what: &str) -> Result<usize> {
    if ch == 0 {
        return Err(Error::invalid_arg(format!(
            "{what} needs a stream with that direction"
        )));
    }
    Ok(ch)
}

/// A play job's gain: any finite factor (a negative one inverts, as sox's
/// `-v -1`); NaN or an infinity would turn every sample into NaN.
fn check_gain(gain: f64) -> Result<()> {
    if !gain.is_finite() {
        return Err(Error::invalid_arg(format!(
            "gain must be a finite number (a linear factor: 1 = unchanged, 0.5 = -6 dB), got {gain}"
        )));
    }
    Ok(())
}

/// Checks that `ring` holds exactly one frame of `ch` channels of `dtype`
/// per element.
fn frame_ring(ring: &Ring, ch: usize, dtype: Dtype) -> Result<()> {
    if ring.element_size() != ch * dtype.size() {
        return Err(Error::invalid_arg(format!(
            "the ring's elementSize ({}) must be one frame: {ch} channels x {} bytes ({})",
            ring.element_size(),
            dtype.size(),
            dtype.name()
        )));
    }
    Ok(())
}

/// Whether opening `path` may wait for a peer (a FIFO, or another file
/// that is neither regular nor a directory): such files are opened on the
/// pump's thread, never on the caller's. Looking is `stat`, which does not wait.
fn opens_blocking(path: &str) -> bool {
    is_pipe_like(std::path::Path::new(path))
}

/// The one rule for a file a stream plays: the stream's sample rate and
/// data channels (`(rate, channels)` of the file, then of the stream).
fn check_file_fits(
    path: &str,
    (rate, file_ch): (u32, usize),
    (sr, ch): (u32, usize),
) -> Result<()> {
    if rate != sr {
        return Err(Error::new(
            ErrorKind::UnsupportedConfig,
            format!("{path} is {rate} Hz but the stream runs at {sr} Hz (open the stream with samplerate: {rate}, or use fromFile)"),
        ));
    }
    if file_ch != ch {
        return Err(Error::invalid_arg(format!(
            "{path} has {file_ch} channels but the stream's data has {ch}"
        )));
    }
    Ok(())
}

/// Moves a file source to the play's `offset` (nothing for 0, so a stream
/// that cannot seek still plays from its start).
fn seek_offset(r: &mut AudioReader, start: u64) -> Result<()> {
    if start == 0 {
        return Ok(());
    }
    if let Some(frames) = r.info().frames.filter(|&n| start > n) {
        return Err(Error::invalid_arg(format!(
            "offset must be at most the file's {frames} frames, got {start}"
        )));
    }
    r.seek(start)
        .map_err(|e| Error::new(e.kind(), format!("offset {start}: {}", e.message())))
}

impl Stream {
    /// Checks that a file fits the stream's played data: same sample rate,
    /// same channels.
    fn check_file_spec(&self, path: &str, rate: u32, file_ch: usize) -> Result<()> {
        let stream = (self.info().config.samplerate, self.layout().output_channels);
        check_file_fits(path, (rate, file_ch), stream)
    }

    /// Queues a play job; returns the reader thread of a file source (to
    /// keep, and finish, with the stream).
    pub fn play(&mut self, req: PlayRequest<'_>) -> Result<Option<FileSource>> {
        check_gain(req.gain)?;
        let (source, pump) = match req.from {
            PlayFrom::Bytes(bytes) => {
                let ch = needs(self.layout().output_channels, "play")?;
                check_whole_frames(bytes.len() / req.dtype.size(), ch, "the source")?;
                if !bytes.len().is_multiple_of(req.dtype.size()) {
                    return Err(Error::invalid_arg(format!(
                        "the source has {} bytes, not whole samples of {}",
                        bytes.len(),
                        req.dtype.name()
                    )));
                }
                let total = (bytes.len() / req.dtype.size() / ch) as u64;
                if req.start > total {
                    return Err(Error::invalid_arg(format!(
                        "offset must be at most the source's {total} frames, got {}",
                        req.start
                    )));
                }
                // The caller's bytes, decoded as they play: every dtype plays exactly.
                let source = Source::Pcm {
                    data: bytes.to_vec(),
                    dtype: req.dtype,
                    channels: ch,
                    pos: req.start as usize,
                    looping: req.looping,
                };
                (source, None)
            }
            PlayFrom::Ring(ring) => {
                let ch = needs(self.layout().output_channels, "play")?;
                if req.start > 0 {
                    return Err(Error::invalid_arg(
                        "a RingBuffer source cannot skip frames (offset); give a file or an array",
                    ));
                }
                frame_ring(ring.ring, ch, req.dtype)?;
                let cons = ring.consumer()?;
                let source = Source::Ring {
                    cons,
                    channels: ch,
                    dtype: req.dtype,
                    until_done: req.until_done,
                };
                (source, None)
            }
            PlayFrom::File(path) => {
                let ch = needs(self.layout().output_channels, "play")?;
                let frames = req.buffer_size.unwrap_or(DEFAULT_BUFFER_SIZE);
                let start = req.start;
                let (pump, source) = if opens_blocking(path) {
                    // A FIFO's open waits for its writer: on the reader thread,
                    // whose error then comes as the job's.
                    let sr = self.info().config.samplerate;
                    let path = path.to_string();
                    let open = Box::new(move || {
                        let mut r = AudioReader::open(&path)?;
                        let fits = (r.info().samplerate, r.info().channels as usize);
                        check_file_fits(&path, fits, (sr, ch))?;
                        seek_offset(&mut r, start)?;
                        Ok(r)
                    });
                    FileSource::start_opening(open, ch, frames, req.looping)?
                } else {
                    let mut reader = AudioReader::open(path)?;
                    let info = reader.info();
                    self.check_file_spec(path, info.samplerate, info.channels as usize)?;
                    seek_offset(&mut reader, start).map_err(|e| e.context(path))?;
                    FileSource::start(reader, frames, req.looping)?
                };
                (source, Some(pump))
            }
        };
        let play = Play::new(source, self.play_map().clone(), req.frames, req.pad)
            .notify_every(req.notify_every)
            .with_gain(req.gain);
        // A ring its caller feeds runs on the caller's clock; a file's ring
        // is filled as fast as its reader can, a ring the library refills
        // on the stream's events follows the device: neither tells a clock.
        let play = if req.steers && matches!(req.from, PlayFrom::Ring(_)) {
            play.watched()
        } else {
            play
        };
        self.submit(Action::Play(play))?;
        Ok(pump)
    }

    /// Queues a record job; returns the writer thread of a file sink (to
    /// keep, and finish, with the stream).
    pub fn record(&mut self, req: RecordRequest<'_>) -> Result<Option<FileSink>> {
        check_offset(req.frames, req.offset)?;
        let ch = needs(self.layout().input_channels, "record")?;
        let (prod, dtype, pump) = match req.into {
            RecordInto::Ring(ring) => {
                frame_ring(ring.ring, ch, req.dtype)?;
                let prod = ring.producer()?;
                (prod, req.dtype, None)
            }
            RecordInto::File {
                path,
                container,
                format,
            } => {
                let shape = (self.info().config.samplerate, ch as u16);
                let (ws, _) = record_spec(path, container, format, shape)?;
                let frames = req.buffer_size.unwrap_or(DEFAULT_BUFFER_SIZE);
                let (pump, prod) = if opens_blocking(path) {
                    // A FIFO's open waits for its reader: on the writer thread.
                    let path = path.to_string();
                    let open = Box::new(move || AudioWriter::create(&path, ws));
                    FileSink::start_opening(open, ch, frames)?
                } else {
                    FileSink::start(AudioWriter::create(path, ws)?, frames)?
                };
                // A writer that fails (a full disk) ends the run with its own
                // error at once, before the ring it no longer drains overflows.
                pump.on_error(Box::new(self.failer()));
                (prod, Dtype::Float32, Some(pump))
            }
        };
        let record = Record::new(
            prod,
            dtype,
            self.record_map().clone(),
            req.frames,
            req.offset as u64,
            req.follow,
        )
        .notify_every(req.notify_every)
        .drop_on_overflow(req.drop_on_overflow);
        // As for a play: only a ring its caller reads on its own clock.
        let record = if req.steers && pump.is_none() {
            record.watched()
        } else {
            record
        };
        self.submit(Action::Record(record))?;
        Ok(pump)
    }
}

/// Refuses, before any stream opens, a recording to `path` in `container`
/// and `format` that [`Stream::record`](super::Stream) would refuse when
/// queued: a format that is not written (`.mp3`), an extension that names
/// none (`.opus`), or an encoding the format cannot hold (`pcm_s8` in a
/// WAV file). Returns the format and encoding the recording writes (what
/// a `toFile` writer writes too).
///
/// ```
/// use ringstream_core::audio_file::{Encoding, FileFormat};
/// use ringstream_core::stream::check_record_path;
/// assert!(check_record_path("take.wav", None, Some(Encoding::Pcm16)).is_ok());
/// assert!(check_record_path("take", None, None).is_ok()); // WAV, in its default encoding
/// assert_eq!(check_record_path("take", Some(FileFormat::Flac), None).unwrap(), (FileFormat::Flac, Encoding::Pcm24));
/// assert!(check_record_path("take.opus", None, None).is_err());
/// assert!(check_record_path("take.wav", None, Some(Encoding::PcmS8)).is_err());
/// assert!(check_record_path("take.au", None, Some(Encoding::PcmS8)).is_ok());
/// ```
pub fn check_record_path(
    path: &str,
    container: Option<FileFormat>,
    format: Option<Encoding>,
) -> Result<(FileFormat, Encoding)> {
    // The rate and channels are the stream's, unknown yet: any valid pair asks the same of the format.
    record_spec(path, container, format, (48_000, 1)).map(|(_, resolved)| resolved)
}

/// What a recording to `path` writes: `container` or the format the path
/// names ([`format_for_record`]: WAV when it names none, as a FIFO or
/// `take` does), in `format` or the format's [`default_record_encoding`]:
/// the writer's spec, and that format and encoding.
fn record_spec(
    path: &str,
    container: Option<FileFormat>,
    format: Option<Encoding>,
    (samplerate, channels): (u32, u16),
) -> Result<(WriteSpec, (FileFormat, Encoding))> {
    // Its errors name the path.
    let file_format = format_for_record(std::path::Path::new(path), container)?;
    let spec = WriteSpec {
        samplerate,
        channels,
        format: Some(file_format),
        encoding: Some(format.unwrap_or(default_record_encoding(file_format))),
        big_endian: false,
    };
    // Refused here, before the run: a FIFO's writer is created later, on its thread.
    let resolved = check_write(spec).map_err(|e| e.context(path))?;
    Ok((spec, resolved))
}
