//! The converting callback: the device's callback at the device's rate and
//! channel count, running the stream's engine at the stream's rate and
//! channel count in fixed chunks.
//!
//! Device input is mapped to the stream's channels, converted to the
//! stream's rate and queued; the engine runs a chunk whenever the device
//! needs output the queue does not hold yet (or, input only, whenever a
//! chunk of input is queued); its output is converted to the device's rate,
//! queued, and handed to the device. Both queues are pure delays, so a
//! stream frame always meets the device at the same offset: the latency the
//! converter adds ([`Converter::latency`]) is a constant, and the engine's
//! clock counts stream frames.

use super::channels::{check_mix, gather, spread, Mix};
use super::drift::Side;
use super::fifo::Fifo;
use super::stage::Stage;
use super::steering::Steering;
use crate::device::Callback;
use crate::engine::{status, BlockInfo, Flow, Sample};
use crate::error::{Error, ErrorKind, Result};

/// Device frames handled at once: longer device blocks are taken in slices,
/// so every buffer has a size fixed at open.
pub const SLICE: usize = 4096;
/// Device input frames per conversion of the input stage: small, so that
/// little input waits for its chunk.
const IN_CHUNK: usize = 64;

/// What a converting stream runs: the stream's side and the device's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The stream's frames per second (the engine's clock).
    pub stream_rate: u32,
    /// The device's frames per second.
    pub device_rate: u32,
    /// The stream's `(input, output)` channels (what the engine sees).
    pub stream_channels: (usize, usize),
    /// The device's `(input, output)` channels (what the device opens).
    pub device_channels: (usize, usize),
    /// How fewer stream channels than device channels are mapped.
    pub mix: Mix,
    /// Engine frames per call (the stream's blocksize).
    pub chunk: usize,
}

impl Plan {
    /// Whether the stream's side differs from the device's at all.
    pub fn converts(&self) -> bool {
        self.stream_rate != self.device_rate || self.stream_channels != self.device_channels
    }

    fn check(&self) -> Result<()> {
        for (s, d, dir) in [
            (self.stream_channels.0, self.device_channels.0, "input"),
            (self.stream_channels.1, self.device_channels.1, "output"),
        ] {
            if s > d || (s == 0) != (d == 0) {
                return Err(Error::new(
                    ErrorKind::UnsupportedConfig,
                    format!("the device opens {d} {dir} channels, the stream needs {s}; a map must place each stream channel on a device channel"),
                ));
            }
            check_mix(self.mix, s)?;
        }
        if self.chunk == 0 || self.chunk > SLICE {
            return Err(Error::invalid_arg(format!(
                "a converting stream's blocksize must be from 1 to {SLICE} frames, got {}",
                self.chunk
            )));
        }
        Ok(())
    }
}

/// What drift correction needs to know of the ring between the engine and
/// the clock that paces its data (see [`super::drift`]).
pub struct Drift {
    /// Which side of that ring the engine (the device's clock) is on.
    pub side: Side,
    /// The ring now, `(frames in it, frames it holds)`; None while there is
    /// none (the loop then holds its speed). Called in the callback, so it
    /// must be lock-free and allocate nothing (a ring's `read_available`).
    pub ring: Box<dyn FnMut() -> Option<(usize, usize)> + Send>,
}

/// The device's callback for a stream that converts. Everything it uses is
/// allocated in [`Converter::new`].
pub struct Converter {
    inner: Callback,
    plan: Plan,
    in_stage: Option<Stage>,
    out_stage: Option<Stage>,
    in_fifo: Fifo,
    out_fifo: Fifo,
    /// One slice of device input in the stream's channels.
    dev_in: Vec<Sample>,
    /// One slice of device output in the stream's channels.
    dev_out: Vec<Sample>,
    eng_in: Vec<Sample>,
    eng_out: Vec<Sample>,
    /// Status flags for the next engine call.
    flags: u32,
    lost: u64,
    /// Silence queued ahead of the input, in stream frames (see `new`).
    primed: usize,
    /// Frames the engine has run, and the device frames before the current
    /// slice (taken in and handed out alike: every slice is both): the
    /// block times the engine gets are computed from these (see
    /// [`Converter::latency`]), exact whatever the queues hold.
    engine_frames: u64,
    device_frames: u64,
    drift: Option<Steering>,
}

impl Converter {
    /// The converting callback for `plan`, running `inner` (the engine).
    ///
    /// ```
    /// use ringstream_core::convert::{channels::Mix, converter::{Converter, Plan}};
    /// use ringstream_core::engine::{BlockInfo, Flow};
    /// let plan = Plan {
    ///     stream_rate: 16_000,
    ///     device_rate: 48_000,
    ///     stream_channels: (1, 0),
    ///     device_channels: (2, 0),
    ///     mix: Mix::First,
    ///     chunk: 160,
    /// };
    /// let mut frames = 0;
    /// let mut conv = Converter::new(&plan, Box::new(move |i, _o, info| {
    ///     assert_eq!(i.len(), info.frames);
    ///     Flow::Continue
    /// }))
    /// .unwrap();
    /// let info = BlockInfo { frames: 480, ..Default::default() };
    /// assert_eq!(conv.process(&[0.0; 960], &mut [], &info), Flow::Continue);
    /// ```
    pub fn new(plan: &Plan, inner: Callback) -> Result<Converter> {
        Converter::build(plan, inner, None)
    }

    /// The same, with the engine's rate moved (by up to `drift::MOST`) to
    /// hold `drift`'s ring half full (as far from running dry as from
    /// overflowing, whatever its size): every direction resamples,
    /// even between equal rates, and the block times the engine gets count
    /// nominal stream frames (the stream's clock is the other side's).
    ///
    /// ```
    /// use ringstream_core::convert::{channels::Mix, converter::{Converter, Drift, Plan}};
    /// use ringstream_core::convert::drift::Side;
    /// use ringstream_core::engine::{BlockInfo, Flow};
    /// let plan = Plan {
    ///     stream_rate: 48_000,
    ///     device_rate: 48_000,
    ///     stream_channels: (0, 1),
    ///     device_channels: (0, 1),
    ///     mix: Mix::First,
    ///     chunk: 256,
    /// };
    /// let drift = Drift { side: Side::Drains, ring: Box::new(|| Some((100, 9600))) };
    /// let mut conv = Converter::with_drift(&plan, Box::new(|_i, _o, _info| Flow::Continue), drift).unwrap();
    /// let info = BlockInfo { frames: 480, ..Default::default() };
    /// conv.process(&[], &mut [0.0; 480], &info);
    /// // A ring running low: the engine is slowed down.
    /// assert!(conv.drift_speed().unwrap() < 1.0);
    /// ```
    pub fn with_drift(plan: &Plan, inner: Callback, drift: Drift) -> Result<Converter> {
        Converter::build(plan, inner, Some(drift))
    }

    fn build(plan: &Plan, inner: Callback, drift: Option<Drift>) -> Result<Converter> {
        plan.check()?;
        let (s_in, s_out) = plan.stream_channels;
        let k = plan.chunk;
        let ratio = f64::from(plan.stream_rate) / f64::from(plan.device_rate);
        let resample = plan.stream_rate != plan.device_rate || drift.is_some();
        let stage = match drift {
            Some(_) => Stage::adaptive,
            None => Stage::new,
        };
        let in_stage = (resample && s_in > 0)
            .then(|| stage(plan.device_rate, plan.stream_rate, s_in, IN_CHUNK))
            .transpose()?;
        let out_stage = (resample && s_out > 0)
            .then(|| stage(plan.stream_rate, plan.device_rate, s_out, k))
            .transpose()?;
        let slice_stream = (SLICE as f64 * ratio).ceil() as usize;
        // Duplex: the engine runs when the output needs it, and each run takes
        // a chunk of input. The input converted so far trails the output asked
        // for by up to a chunk of each stage; this much silence ahead of the
        // input covers it, so the engine never waits for input.
        let primed = if s_in > 0 && s_out > 0 {
            2 * k + (IN_CHUNK as f64 * ratio).ceil() as usize + 2
        } else {
            0
        };
        let in_most = in_stage.as_ref().map_or(SLICE, |s| s.most_out(SLICE));
        let out_most = out_stage.as_ref().map_or(k, |s| s.most_out(k));
        let mut in_fifo = Fifo::new(s_in, primed + in_most + slice_stream + 2 * k);
        in_fifo.push_silence(primed);
        Ok(Converter {
            inner,
            plan: *plan,
            in_stage,
            out_stage,
            in_fifo,
            out_fifo: Fifo::new(s_out, SLICE + 2 * out_most),
            dev_in: vec![0.0; SLICE * s_in],
            dev_out: vec![0.0; SLICE * s_out],
            eng_in: vec![0.0; k * s_in],
            eng_out: vec![0.0; k * s_out],
            flags: 0,
            lost: 0,
            primed,
            engine_frames: 0,
            device_frames: 0,
            drift: drift.map(|d| Steering::new(d, f64::from(plan.stream_rate))),
        })
    }

    /// The `(input, output)` latency the conversion adds, in seconds: input
    /// frame `d` of the device reaches the engine as stream frame
    /// `d * stream / device + input latency * stream`, and stream frame `s`
    /// leaves the device as device frame `s * device / stream + output
    /// latency * device`.
    pub fn latency(&self) -> (f64, f64) {
        let input = self.in_stage.as_ref().map_or(0.0, Stage::delay) + self.primed as f64;
        let output = self.out_stage.as_ref().map_or(0.0, Stage::delay);
        (
            input / f64::from(self.plan.stream_rate),
            output / f64::from(self.plan.device_rate),
        )
    }

    /// The drift loop's current speed (stream frames per device frame
    /// against the nominal ratio), if the converter corrects drift.
    pub fn drift_speed(&self) -> Option<f64> {
        self.drift.as_ref().map(Steering::speed)
    }

    /// The estimated offset of the device clock (relative; positive: the
    /// device runs fast), if the converter corrects drift: a line fitted to
    /// the frames the other clock moved through the ring against the
    /// device's ([`super::drift_fit::RateFit`]), the drift loop's own
    /// estimate until the fit spans enough.
    pub fn drift_offset(&self) -> Option<f64> {
        self.drift.as_ref().map(Steering::offset)
    }

    /// One device block: `input` has `info.frames` frames of the device's
    /// input channels, `output` of its output channels.
    pub fn process(&mut self, input: &[Sample], output: &mut [Sample], info: &BlockInfo) -> Flow {
        let (d_in, d_out) = self.plan.device_channels;
        self.flags |= info.flags;
        self.lost += info.lost_frames;
        let mut flow = Flow::Continue;
        let mut done = 0;
        while done < info.frames && flow == Flow::Continue {
            let n = (info.frames - done).min(SLICE);
            let slice = BlockInfo {
                frames: n,
                output_time: info.output_time + done as f64 / f64::from(self.plan.device_rate),
                input_time: info.input_time + done as f64 / f64::from(self.plan.device_rate),
                ..*info
            };
            let i = input.get(done * d_in..(done + n) * d_in).unwrap_or(&[]);
            let o = output
                .get_mut(done * d_out..(done + n) * d_out)
                .unwrap_or(&mut []);
            flow = self.slice(i, o, &slice);
            done += n;
        }
        if let Some(rest) = output.get_mut(done * d_out..) {
            rest.fill(0.0);
        }
        flow
    }

    fn slice(&mut self, input: &[Sample], output: &mut [Sample], info: &BlockInfo) -> Flow {
        let n = info.frames;
        let (s_in, s_out) = self.plan.stream_channels;
        let (d_in, d_out) = self.plan.device_channels;
        if s_in > 0 {
            let dev = &mut self.dev_in[..n * s_in];
            gather(input, d_in, dev, s_in, self.plan.mix);
            let fits = match self.in_stage.as_mut() {
                Some(st) => st.feed(dev, &mut self.in_fifo),
                None => self.in_fifo.push(dev),
            };
            if !fits {
                self.flags |= status::INPUT_OVERFLOW;
            }
        }
        let mut flow = Flow::Continue;
        // Bounded: each run adds at least one frame to the output queue.
        for _ in 0..=n {
            let wanted = if s_out > 0 {
                self.out_fifo.frames() < n
            } else {
                self.in_fifo.frames() >= self.plan.chunk
            };
            if !wanted || flow == Flow::Complete {
                break;
            }
            flow = self.run_engine(info);
        }
        if s_out > 0 {
            let dev = &mut self.dev_out[..n * s_out];
            let got = self.out_fifo.pop(dev);
            dev[got * s_out..].fill(0.0);
            spread(dev, s_out, output, d_out, self.plan.mix);
        }
        self.device_frames += n as u64;
        flow
    }

    /// Runs the engine on one chunk of stream frames.
    fn run_engine(&mut self, slice: &BlockInfo) -> Flow {
        let k = self.plan.chunk;
        let (s_in, s_out) = self.plan.stream_channels;
        let rd = f64::from(self.plan.device_rate);
        let rs = f64::from(self.plan.stream_rate);
        // Where this chunk's first frame meets the device, in device frames
        // from the slice's first (see `latency`).
        let (lat_in, lat_out) = self.latency();
        let device_frame = |stream_frame: f64| stream_frame * rd / rs;
        let e = self.engine_frames as f64;
        let past = self.device_frames as f64;
        let out_ahead = device_frame(e) + lat_out * rd - past;
        let in_ahead = device_frame(e - lat_in * rs) - past;
        let mut flags = std::mem::take(&mut self.flags);
        if s_in > 0 {
            let got = self.in_fifo.pop(&mut self.eng_in);
            if got < k {
                self.eng_in[got * s_in..].fill(0.0);
                flags |= status::INPUT_UNDERFLOW;
            }
        }
        let info = BlockInfo {
            frames: k,
            output_time: slice.output_time + out_ahead / rd,
            input_time: slice.input_time + in_ahead / rd,
            current_time: slice.current_time,
            flags,
            lost_frames: std::mem::take(&mut self.lost),
        };
        let flow = (self.inner)(&self.eng_in, &mut self.eng_out, &info);
        self.engine_frames += k as u64;
        self.steer(k);
        if s_out > 0 {
            let fits = match self.out_stage.as_mut() {
                Some(st) => st.feed(&self.eng_out, &mut self.out_fifo),
                None => self.out_fifo.push(&self.eng_out),
            };
            if !fits {
                self.flags |= status::OUTPUT_OVERFLOW;
            }
        }
        flow
    }

    /// Moves both stages' ratio as the drift loop asks, after the engine ran
    /// `k` frames (and so moved its ring).
    fn steer(&mut self, k: usize) {
        let scale = f64::from(self.plan.stream_rate) / f64::from(self.plan.device_rate);
        let Some(s) = self.drift.as_mut() else {
            return;
        };
        let at = (self.engine_frames as f64, self.device_frames as f64 * scale);
        let Some(speed) = s.step(k, at) else {
            return;
        };
        if let Some(st) = self.in_stage.as_mut() {
            st.set_relative(speed);
        }
        if let Some(st) = self.out_stage.as_mut() {
            st.set_relative(1.0 / speed);
        }
    }
}
