//! The built-in virtual device: a clock thread that calls the engine like a
//! sound card would, so everything runs and is tested without hardware.
//!
//! - `virtual:loopback`: what the output plays is captured by the input. The
//!   output latency and the input latency are one block each, so a sample
//!   played at output DAC time T is captured with input ADC time T, and comes
//!   back exactly two blocks after it was written.
//! - `virtual:null`: output discarded, input silence.
//!
//! Paced in real time by default; `speed` scales the pace (`INFINITY` = as
//! fast as possible). Block boundaries and timestamps are deterministic: block
//! `k` has output time `(k + 1) * B / sr` and input time `(k - 1) * B / sr`.
//! Faults ([`Faults`]) skip, delay or panic in callbacks, fail on open, or
//! make the device vanish mid-stream.

use super::{Callback, DeviceInfo, DeviceStream, ErrorCallback, Faults, Host, StreamConfig};
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
        let mut clock = Clock {
            cfg: config.clone(),
            loopback: device.name == "loopback",
            callback,
            on_error,
            ctl: ctl.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("ringstream-virtual".into())
            .spawn(move || clock.run())
            .map_err(Error::from)?;
        let period = config.blocksize as f64 / config.samplerate as f64;
        Ok(Box::new(VirtualStream {
            ctl,
            thread: Some(thread),
            latency: (period, period),
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
        let wall = if self.cfg.speed.is_finite() && self.cfg.speed > 0.0 {
            Some(Duration::from_secs_f64(period / self.cfg.speed))
        } else {
            None
        };
        let mut input = vec![0f32; b * ich];
        let mut output = vec![0f32; b * och];
        // Two blocks of played output: block k hears block k - 2.
        let mut echo = [vec![0f32; b * och], vec![0f32; b * och]];
        let mut device_block: u64 = 0;
        'runs: while let Some(generation) = self.wait_running() {
            let faults: Faults = self.cfg.faults.clone();
            let mut k: u64 = 0;
            let mut anchor = Instant::now();
            let mut pending_flags = 0;
            echo.iter_mut().for_each(|e| e.fill(0.0));
            while self.still(generation) {
                if let Some(w) = wall {
                    let due = anchor + w * (k as u32);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    } else if now - due > w {
                        // Late by more than a block: a real card would have
                        // underrun. Flag it and pace on from now.
                        pending_flags |= status::OUTPUT_UNDERFLOW | status::INPUT_OVERFLOW;
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
                if faults.skip_blocks.contains(&k) {
                    pending_flags |= status::OUTPUT_UNDERFLOW | status::INPUT_OVERFLOW;
                    k += 1;
                    device_block += 1;
                    continue;
                }
                let slot = (device_block % 2) as usize;
                if self.loopback {
                    let heard = &echo[slot];
                    for f in 0..b {
                        for c in 0..ich {
                            input[f * ich + c] = if c < och { heard[f * och + c] } else { 0.0 };
                        }
                    }
                }
                let t = device_block as f64 * period;
                let info = BlockInfo {
                    frames: b,
                    output_time: t + period,
                    input_time: t - period,
                    current_time: t,
                    flags: std::mem::take(&mut pending_flags),
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
                    echo[slot].copy_from_slice(&output);
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
