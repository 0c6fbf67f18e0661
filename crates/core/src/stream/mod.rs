//! A stream: an open device whose callback runs an [`Engine`], driven from
//! the control side (the JS thread, through the node layer).

use crate::device::{self, DeviceInfo, DeviceSelector, DeviceStream, StreamConfig};
use crate::engine::map::ChannelMap;
mod actions;
mod drift;
mod failure;
mod jobs;
mod layout;
mod mix;
mod negotiate;
mod queue;
mod release;
mod watchdog;
use crate::engine::notify::events;
use crate::engine::schedule::ActionState;
use crate::engine::{state, Action, Command, Control, Shared};
use crate::error::{Error, ErrorKind, Result};
pub use drift::check_drift_correction;
pub(crate) use drift::watching;
pub use jobs::{check_record_path, LentRing, PlayFrom, PlayRequest, RecordInto, RecordRequest};
pub use layout::{
    check_blocksize, check_buffer_holds_block, check_buffer_size, check_channels, check_offset,
    check_samplerate, check_whole_frames, resolve_blocksize, DataLayout, HostChoice,
    DEFAULT_BUFFER_SIZE, HOST_BLOCK, MAX_BLOCKSIZE, MAX_BUFFER_SIZE, MAX_CHANNELS, MAX_QUEUED,
    MAX_SAMPLERATE, MIN_SAMPLERATE,
};
pub use mix::{Mix, MixRequest};
pub use negotiate::DeviceRun;
pub use release::{Release, RELEASE_WAIT};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
pub use watchdog::Watchdog;

/// What a stream was opened with, as the device granted it.
#[derive(Debug, Clone)]
pub struct StreamInfo {
    /// The device.
    pub device: DeviceInfo,
    /// The configuration in use.
    pub config: StreamConfig,
    /// `(input, output)` latency in seconds.
    pub latency: (f64, f64),
    /// Why the stream runs on the virtual device although no host was
    /// named (no real device was found); None when it did not fall back.
    pub fallback: Option<String>,
    /// What the device runs at (the stream's rate and channels unless the
    /// engine converts).
    pub device_run: DeviceRun,
}

/// An open stream.
pub struct Stream {
    device: Box<dyn DeviceStream>,
    control: Control,
    info: StreamInfo,
    /// Actions sent and not yet returned: bounded by the engine's slots.
    in_flight: usize,
    /// Bytes owned by the actions sent and not yet returned.
    in_flight_bytes: usize,
    /// Actions queued while stopped; sent when the stream starts.
    /// Actions waiting for a slot: queued while stopped, or more than the
    /// engine holds at once (sent as slots free up).
    pending: VecDeque<Action>,
    /// What the control side sees of the actions sent to the engine, so
    /// that a run the engine cannot finish (a panic, a lost device) still
    /// ends every one of them.
    sent: Vec<Arc<ActionState>>,
    finish_pending: bool,
    message: Arc<Mutex<Option<String>>>,
    /// An error from another thread (a file writer) that came before the
    /// run started: the next start() fails with it.
    early_failure: Arc<Mutex<Option<Error>>>,
    layout: DataLayout,
    play_map: ChannelMap,
    record_map: ChannelMap,
    /// Device seconds per wall-clock second (0: not paced in real time).
    clock_rate: f64,
    /// The last time [`Stream::time`] returned, so it never goes back.
    last_time: AtomicU64,
}

impl Stream {
    /// Opens a stream on device `sel` of host `host_name`; without a host,
    /// on the host a device id names (`alsa:loopback`), else on the
    /// system's default host (see [`device::default_host`]).
    /// The device opens one channel per map entry (see [`DataLayout`]);
    /// `config`'s channel counts are set from `layout`.
    pub fn open(
        host_name: HostChoice<'_>,
        sel: &DeviceSelector,
        mut config: StreamConfig,
        layout: DataLayout,
        slots: usize,
    ) -> Result<Stream> {
        let (dev_in, dev_out, play_map, record_map) = layout.resolve()?;
        config.input_channels = dev_in;
        config.output_channels = dev_out;
        check_blocksize(config.blocksize)?;
        check_samplerate(f64::from(config.samplerate))?;
        // Before any device is looked at: a plugin host may open one to find its block.
        check_drift_correction(&config)?;
        if config.input_channels == 0 && config.output_channels == 0 {
            return Err(Error::invalid_arg(
                "a stream needs input or output channels",
            ));
        }
        let (want_in, want_out) = device::loopback::directions(&config)?;
        let (host_name, fallback) =
            device::resolve_host(host_name.named, host_name.preferred, sel, want_in, want_out)?;
        let host = device::host(&host_name)?;
        let dev = host.device(sel, want_in, want_out)?;
        for (want, max, dir) in [
            (
                config.input_channels,
                device::loopback::input_channels(&dev, &config)?,
                "input",
            ),
            (config.output_channels, dev.max_output_channels, "output"),
        ] {
            if want > max {
                return Err(Error::new(
                    ErrorKind::UnsupportedConfig,
                    format!("{} has {max} {dir} channels, {want} requested", dev.id),
                ));
            }
        }
        // Last before the open: a plugin host keeps what it opened to find
        // its block for the open (dropped with the host otherwise).
        config.blocksize = resolve_blocksize(host.as_ref(), &dev, &config)?;
        let message: negotiate::Message = Arc::default();
        device::callback_panic::install();
        let opened = negotiate::open_device(&negotiate::Request {
            host: host.as_ref(),
            dev: &dev,
            config: &config,
            slots,
            message: &message,
        })?;
        let (device, control, latency) = (opened.device, opened.control, opened.latency);
        let clock_rate = if host_name != device::virtual_host::NAME {
            1.0
        } else if config.speed.is_finite() {
            config.speed
        } else {
            0.0
        };
        Ok(Stream {
            device,
            control,
            info: StreamInfo {
                device: dev,
                config,
                latency,
                fallback,
                device_run: opened.run,
            },
            in_flight: 0,
            in_flight_bytes: 0,
            pending: VecDeque::new(),
            sent: Vec::new(),
            finish_pending: false,
            message,
            early_failure: Arc::default(),
            layout,
            play_map,
            record_map,
            clock_rate,
            last_time: AtomicU64::new(0),
        })
    }

    /// The shared state (counters, flags, notifier).
    pub fn shared(&self) -> &Arc<Shared> {
        &self.control.shared
    }

    /// The watchdog over this stream's callbacks (run it on the bridge thread).
    pub fn watchdog(&self) -> Watchdog {
        let c = &self.info.config;
        let virtual_speed = if self.info.device.host == device::virtual_host::NAME {
            c.speed
        } else {
            1.0
        };
        Watchdog::new(
            self.shared().clone(),
            self.message.clone(),
            c.blocksize as f64 / f64::from(c.samplerate.max(1)),
            self.info.latency.0.max(self.info.latency.1),
            virtual_speed,
        )
    }

    /// What the stream was opened with.
    pub fn info(&self) -> &StreamInfo {
        &self.info
    }

    /// The stream clock now, in seconds (`Pa_GetStreamTime`): the device
    /// time of the latest callback, advanced by the time since while the
    /// stream runs. Monotonic.
    pub fn time(&self) -> f64 {
        let rate = if self.state() == state::RUNNING {
            self.clock_rate
        } else {
            0.0
        };
        let now = self.shared().clock.now(rate);
        let last = f64::from_bits(self.last_time.load(Ordering::Relaxed));
        let t = now.max(last);
        self.last_time.store(t.to_bits(), Ordering::Relaxed);
        t
    }

    /// The id (`host:name`) of the device the host last moved the stream
    /// to (its output side's, else its input's), where the host says so
    /// (PulseAudio); `None` if it never moved, or the host only follows the
    /// default without naming it (PipeWire).
    pub fn moved_to(&self) -> Option<String> {
        let side = |input| self.device.moved_to(input);
        side(false)
            .or_else(|| side(true))
            .map(|name| format!("{}:{name}", self.info.device.host))
    }

    /// The data channels and maps the stream was opened with.
    pub fn layout(&self) -> &DataLayout {
        &self.layout
    }

    /// Source channels to device outputs, for plays of the stream's data.
    pub fn play_map(&self) -> &ChannelMap {
        &self.play_map
    }

    /// Device inputs to sink channels, for records of the stream's data.
    pub fn record_map(&self) -> &ChannelMap {
        &self.record_map
    }

    /// The current state (see [`state`]).
    pub fn state(&self) -> u32 {
        self.shared().state.load(Ordering::Acquire)
    }

    /// Starts the device; counters reset (as in pastream).
    pub fn start(&mut self) -> Result<()> {
        if self.state() == state::RUNNING {
            return Err(Error::invalid_arg("the stream is already active"));
        }
        let early = self
            .early_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(e) = early {
            self.discard();
            return Err(e);
        }
        self.device.pause()?;
        self.collect();
        *self.message.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.shared().reset();
        let _ = self.control.send(Command::Begin);
        // The engine is idle (no callback runs): the queue has room for a
        // slot's worth of actions and the commands around them.
        self.send_pending()?;
        if std::mem::take(&mut self.finish_pending) {
            let _ = self.control.send(Command::FinishWhenIdle);
        }
        self.shared().started_ns.store(
            crate::engine::notify::monotonic_ns().max(1),
            Ordering::Release,
        );
        self.shared().state.store(state::RUNNING, Ordering::Release);
        if let Err(e) = self.device.start() {
            self.shared().state.store(state::IDLE, Ordering::Release);
            return Err(e);
        }
        Ok(())
    }

    /// `Pa_StopStream`: the engine takes no more data from sources, ends
    /// every action, and finishes once the device has played what it holds
    /// (within the output latency plus about two blocks). Returns false
    /// when the stream was not running (nothing to wait for).
    pub fn stop(&mut self) -> Result<bool> {
        if self.state() != state::RUNNING {
            self.settle()?;
            return Ok(false);
        }
        self.send(Command::Stop)?;
        Ok(true)
    }

    /// Ends the stream at once and releases every action.
    pub fn abort(&mut self) -> Result<()> {
        if self.state() == state::RUNNING && self.send(Command::Abort).is_ok() {
            // The engine owns the actions (and their ring claims) until it
            // retires them in its next block; give it a few periods to do so.
            // Polled, not woken: the engine leaves RUNNING only inside the
            // audio callback (`Engine::finish`), which may not lock a mutex
            // or notify a condvar (the realtime contract), and the
            // notifier's unpark is the bridge thread's, not this caller's.
            // The wait ends within one period anyway, or at the deadline
            // when the device stopped calling back.
            let period = self.info.config.blocksize as f64 / self.info.config.samplerate as f64;
            let deadline = Instant::now() + Duration::from_secs_f64((period * 8.0).max(0.2));
            while self.state() == state::RUNNING && Instant::now() < deadline {
                std::thread::sleep(Duration::from_micros(500));
            }
        }
        self.device.pause()?;
        if self.state() == state::RUNNING {
            self.shared().state.store(state::ABORTED, Ordering::Release);
            self.shared().notifier.raise(events::FINISHED);
        }
        self.collect();
        Ok(())
    }

    /// Pauses the device after the engine finished, and collects actions.
    /// After a run that failed (a panic, a lost device: the engine will not
    /// hand its actions back), every action of the run not ended yet ends
    /// `STOPPED`, queued ones included (they are dropped).
    pub fn settle(&mut self) -> Result<()> {
        self.device.pause()?;
        self.collect();
        if self.state() == state::ERROR {
            self.end_stranded();
        }
        Ok(())
    }
}
