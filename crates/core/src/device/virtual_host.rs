//! The built-in virtual device: a clock thread that calls the engine like a
//! sound card would, so everything runs and is tested without hardware.
//!
//! - `virtual:loopback`: what the output plays is captured by the input. A
//!   sample played at output DAC time T is captured with input ADC time T,
//!   so it comes back exactly `input + output latency` frames after it was
//!   written.
//! - `virtual:null`: output discarded, input silence.
//!
//! The latency is the stream's `latency` option ([`latency_frames`]), in
//! whole frames, each way. Like a card's buffer it absorbs late wake-ups:
//! at real-time pace only a wake-up later than the output latency (the
//! input latency for an input-only stream) is an xrun; above real time,
//! wall-clock jitter never is.
//!
//! Paced in real time by default; `speed` scales the pace (`INFINITY` = as
//! fast as possible). Block boundaries and timestamps are deterministic: block
//! `k` runs at device time `t = k * B / sr`, its output reaches the DAC at
//! `t + out_latency` and its input left the ADC at `t - in_latency`.
//! Faults ([`Faults`]) skip, delay or panic in callbacks, fail on open, or
//! make the device vanish mid-stream.

use super::{
    Callback, DeviceInfo, DeviceStream, ErrorCallback, Faults, Host, Latency, StreamConfig,
};
use crate::engine::{status, BlockInfo, Flow};
use crate::error::{Error, ErrorKind, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The host's name.
pub const NAME: &str = "virtual";
/// Channels each virtual device offers in each direction.
pub const CHANNELS: usize = 32;

/// The virtual host.
pub struct VirtualHost;

/// Frames of latency each way for `config`: `'low'` is the least the
/// device sustains: at real-time pace two blocks and at least 20 ms (a card
/// double-buffers; 20 ms rides out a loaded machine's scheduling jitter),
/// above real time one block (jitter is never an xrun there); `'high'` at
/// least 100 ms, seconds as asked; never less than one block.
pub fn latency_frames(config: &StreamConfig) -> usize {
    let b = config.blocksize;
    let frames = |secs: f64| (secs * f64::from(config.samplerate)).round() as usize;
    match config.latency {
        Latency::Low if config.speed > 1.0 => b,
        Latency::Low => (2 * b).max(frames(0.02)),
        Latency::High => b.max(frames(0.1)),
        Latency::Seconds(s) => b.max(frames(s)),
    }
}

fn info(name: &str, default: bool) -> DeviceInfo {
    DeviceInfo {
        id: format!("{NAME}:{name}"),
        name: name.to_string(),
        host: NAME.to_string(),
        max_input_channels: CHANNELS,
        max_output_channels: CHANNELS,
        default_samplerate: 48000.0,
        is_default_input: default,
        is_default_output: default,
    }
}

impl Host for VirtualHost {
    fn name(&self) -> &'static str {
        NAME
    }

    fn devices(&self) -> Result<Vec<DeviceInfo>> {
        Ok(vec![info("loopback", true), info("null", false)])
    }

    fn open(
        &self,
        device: &DeviceInfo,
        config: &StreamConfig,
        callback: Callback,
        on_error: ErrorCallback,
    ) -> Result<Box<dyn DeviceStream>> {
        if config.faults.fail_on_open {
            return Err(Error::new(
                ErrorKind::DeviceBusy,
                format!(
                    "{} refused to open (fault injection: failOnOpen)",
                    device.id
                ),
            ));
        }
        if !(8000..=384_000).contains(&config.samplerate) {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "{} supports sample rates from 8000 to 384000 Hz, got {}",
                    device.id, config.samplerate
                ),
            ));
        }
        if config.input_channels > CHANNELS || config.output_channels > CHANNELS {
            return Err(Error::new(
                ErrorKind::UnsupportedConfig,
                format!(
                    "{} supports up to {CHANNELS} input and {CHANNELS} output channels, got {} in, {} out",
                    device.id, config.input_channels, config.output_channels
                ),
            ));
        }
        let ctl = Arc::new(Ctl::default());
        let lat = latency_frames(config);
        let mut clock = Clock {
            cfg: config.clone(),
            latency: lat,
            loopback: device.name == "loopback",
            callback,
            on_error,
            ctl: ctl.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("ringstream-virtual".into())
            .spawn(move || clock.run())
            .map_err(Error::from)?;
        let secs = lat as f64 / config.samplerate as f64;
        Ok(Box::new(VirtualStream {
            ctl,
            thread: Some(thread),
            latency: (
                if config.input_channels > 0 { secs } else { 0.0 },
                if config.output_channels > 0 {
                    secs
                } else {
                    0.0
                },
            ),
        }))
    }
}

#[derive(Default)]
struct CtlState {
    running: bool,
    quit: bool,
    /// The clock thread is between blocks and will not call back until
    /// `running` is set again.
    idle: bool,
    /// Bumped by every start(), so the clock re-anchors its pace.
    generation: u64,
}

#[derive(Default)]
struct Ctl {
    state: Mutex<CtlState>,
    cv: Condvar,
}

impl Ctl {
    fn lock(&self) -> std::sync::MutexGuard<'_, CtlState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct VirtualStream {
    ctl: Arc<Ctl>,
    thread: Option<JoinHandle<()>>,
    latency: (f64, f64),
}

impl DeviceStream for VirtualStream {
    fn start(&mut self) -> Result<()> {
        let mut s = self.ctl.lock();
        if s.quit {
            return Err(Error::new(
                ErrorKind::DeviceNotFound,
                "the virtual device is gone",
            ));
        }
        s.running = true;
        s.idle = false;
        s.generation += 1;
        self.ctl.cv.notify_all();
        Ok(())
    }

    fn pause(&mut self) -> Result<()> {
        let mut s = self.ctl.lock();
        s.running = false;
        self.ctl.cv.notify_all();
        while !s.idle && !s.quit {
            s = self.ctl.cv.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        Ok(())
    }

    fn latency(&self) -> (f64, f64) {
        self.latency
    }
}

impl Drop for VirtualStream {
    fn drop(&mut self) {
        {
            let mut s = self.ctl.lock();
            s.quit = true;
            s.running = false;
            self.ctl.cv.notify_all();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Clock {
    cfg: StreamConfig,
    /// Frames of latency each way.
    latency: usize,
    loopback: bool,
    callback: Callback,
    on_error: ErrorCallback,
    ctl: Arc<Ctl>,
}

impl Clock {
    /// Waits until running; returns the run's generation, or None to quit.
    fn wait_running(&self) -> Option<u64> {
        let mut s = self.ctl.lock();
        loop {
            if s.quit {
                return None;
            }
            if s.running {
                return Some(s.generation);
            }
            s.idle = true;
            self.ctl.cv.notify_all();
            s = self.ctl.cv.wait(s).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn still(&self, generation: u64) -> bool {
        let s = self.ctl.lock();
        s.running && !s.quit && s.generation == generation
    }

    fn stop_self(&self, generation: u64) {
        let mut s = self.ctl.lock();
        if s.generation == generation {
            s.running = false;
        }
    }

    fn run(&mut self) {
        let b = self.cfg.blocksize;
        let (ich, och) = (self.cfg.input_channels, self.cfg.output_channels);
        let sr = self.cfg.samplerate as f64;
        let period = b as f64 / sr;
        let lat = self.latency;
        let speed = self.cfg.speed;
        let wall = if speed.is_finite() && speed > 0.0 {
            Some(Duration::from_secs_f64(period / speed))
        } else {
            None
        };
        // What a card's buffer absorbs: a wake-up up to this late is no xrun.
        let slack = Duration::from_secs_f64(lat as f64 / sr / speed.max(1e-9));
        let mut input = vec![0f32; b * ich];
        let mut output = vec![0f32; b * och];
        let mut bus = Bus::new(if self.loopback { och } else { 0 }, 2 * lat + 2 * b);
        let mut device_block: u64 = 0;
        'runs: while let Some(generation) = self.wait_running() {
            let faults: Faults = self.cfg.faults.clone();
            let mut k: u64 = 0;
            let mut anchor = Instant::now();
            let mut pending_flags = 0;
            let mut pending_lost = 0u64;
            bus.clear();
            while self.still(generation) {
                if let Some(w) = wall {
                    let due = anchor + w * (k as u32);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    } else if now - due > slack {
                        // Later than the buffer: a real card would have run
                        // dry (only at real-time pace; faster than that,
                        // wall-clock jitter is not the device's fault).
                        if speed <= 1.0 {
                            pending_flags |= xrun_flags(ich, och);
                            pending_lost += ((now - due - slack).as_secs_f64() * speed * sr) as u64;
                        }
                        anchor = now - w * (k as u32);
                    }
                }
                if faults.vanish_at_block == Some(k) {
                    (self.on_error)(Error::new(
                        ErrorKind::DeviceNotFound,
                        "the virtual device vanished (fault injection: vanishAtBlock)",
                    ));
                    let mut s = self.ctl.lock();
                    s.quit = true;
                    s.running = false;
                    s.idle = true;
                    self.ctl.cv.notify_all();
                    break 'runs;
                }
                if let Some(&(_, ms)) = faults.delay.iter().find(|(blk, _)| *blk == k) {
                    std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
                }
                let start = k * b as u64;
                if faults.skip_blocks.contains(&k) {
                    pending_flags |= xrun_flags(ich, och);
                    pending_lost += b as u64;
                    // Nothing was played in this block's place.
                    bus.take(start, lat, &mut input, ich);
                    k += 1;
                    device_block += 1;
                    continue;
                }
                if self.loopback {
                    bus.take(start, lat, &mut input, ich);
                }
                let t = device_block as f64 * period;
                let info = BlockInfo {
                    frames: b,
                    output_time: t + lat as f64 / sr,
                    input_time: t - lat as f64 / sr,
                    current_time: t,
                    flags: std::mem::take(&mut pending_flags),
                    lost_frames: std::mem::take(&mut pending_lost),
                };
                let panic_now = faults.panic_at_block == Some(k);
                let cb = &mut self.callback;
                let flow = catch_unwind(AssertUnwindSafe(|| {
                    if panic_now {
                        panic!("fault injection: panicAtBlock");
                    }
                    cb(&input, &mut output, &info)
                }));
                if self.loopback {
                    bus.put(start + lat as u64, &output);
                }
                k += 1;
                device_block += 1;
                match flow {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Complete) => {
                        self.stop_self(generation);
                        break;
                    }
                    Err(_) => {
                        (self.on_error)(Error::new(
                            ErrorKind::Panic,
                            "a panic in the audio callback stopped the stream",
                        ));
                        self.stop_self(generation);
                        break;
                    }
                }
            }
        }
        let mut s = self.ctl.lock();
        s.idle = true;
        self.ctl.cv.notify_all();
    }
}

/// The flags of an xrun on a stream with these channel counts.
fn xrun_flags(ich: usize, och: usize) -> u32 {
    let mut f = 0;
    if ich > 0 {
        f |= status::INPUT_OVERFLOW;
    }
    if och > 0 {
        f |= status::OUTPUT_UNDERFLOW;
    }
    f
}

/// The loopback's air: output frames land at their DAC frame and are taken
/// (and cleared) at the same ADC frame, `latency` frames each way.
struct Bus {
    ch: usize,
    frames: usize,
    data: Vec<f32>,
}

impl Bus {
    fn new(ch: usize, frames: usize) -> Bus {
        Bus {
            ch,
            frames,
            data: vec![0.0; ch * frames],
        }
    }

    fn clear(&mut self) {
        self.data.fill(0.0);
    }

    /// Writes `block` (interleaved, `ch` channels) from DAC frame `at`.
    fn put(&mut self, at: u64, block: &[f32]) {
        if self.ch == 0 {
            return;
        }
        for (f, frame) in block.chunks_exact(self.ch).enumerate() {
            let i = ((at as usize + f) % self.frames) * self.ch;
            self.data[i..i + self.ch].copy_from_slice(frame);
        }
    }

    /// Fills `input` (`ich` channels) with what was played `latency` frames
    /// before device frame `start` and clears it from the bus.
    fn take(&mut self, start: u64, latency: usize, input: &mut [f32], ich: usize) {
        if ich == 0 {
            return;
        }
        let frames = input.len() / ich;
        for f in 0..frames {
            let dst = &mut input[f * ich..(f + 1) * ich];
            let pos = start as i64 + f as i64 - latency as i64;
            if self.ch == 0 || pos < 0 {
                dst.fill(0.0);
                continue;
            }
            let i = (pos as usize % self.frames) * self.ch;
            let src = &mut self.data[i..i + self.ch];
            for (c, d) in dst.iter_mut().enumerate() {
                *d = src.get(c).copied().unwrap_or(0.0);
            }
            src.fill(0.0);
        }
    }
}
