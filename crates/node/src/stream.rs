//! `NativeStream`: a core stream plus the bridge thread that wakes JS.
//!
//! The audio thread only raises event bits on the stream's notifier; the
//! bridge thread, started here, waits on it and forwards the bits to a JS
//! function through a ThreadsafeFunction (whose calls allocate, which is why
//! the audio thread never makes them). The TypeScript streams build
//! everything else on those events.

use crate::error::{js_error, OrThrow};
use crate::files::NativeFiles;
use crate::memory::ExternalMemory;
use crate::stream_options::NativeStreamOptions;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use ringstream_core::engine::notify::events;
use ringstream_core::engine::Shared;
use ringstream_core::pump::{FileSink, FileSource};
use ringstream_core::stream::{Release, Stream};
use ringstream_core::{Error as CoreError, ErrorKind};
use std::sync::Arc;
use std::thread::JoinHandle;

type EventFn = ThreadsafeFunction<u32, (), u32, Status, false, true>;

/// The raw handle of the event function, to (un)ref it from the JS thread.
struct EventRef(napi::sys::napi_threadsafe_function);

/// An open stream. Internal: use InputStream / OutputStream / DuplexStream.
#[napi(custom_finalize)]
pub struct NativeStream {
    /// The native bytes its jobs hold, as reported to V8.
    memory: ExternalMemory,
    pub(crate) stream: Option<Stream>,
    shared: Arc<Shared>,
    /// Runs the watchdog and calls JS; ends on close, handing back its function.
    bridge: Option<JoinHandle<EventFn>>,
    /// File readers of the job being queued (see `take_files`).
    pub(crate) sources: Vec<FileSource>,
    /// File writers of the job being queued.
    pub(crate) sinks: Vec<FileSink>,
    events: EventRef,
    referred: bool,
    /// The device's release, once close() handed it to its own thread.
    release: Option<Release>,
}

fn closed() -> CoreError {
    CoreError::new(ErrorKind::StreamClosed, "the stream is closed")
}

impl NativeStream {
    /// Reports the bytes the stream's jobs hold now to V8.
    pub(crate) fn account(&mut self, env: &Env) {
        let bytes = self.stream.as_ref().map_or(0, Stream::job_bytes);
        self.memory.resize(env, bytes);
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    pub(crate) fn s(&mut self) -> ringstream_core::Result<&mut Stream> {
        self.stream.as_mut().ok_or_else(closed)
    }

    fn shutdown(&mut self) {
        self.shared.notifier.raise(events::QUIT);
        // The bridge hands back the event function: the release thread
        // tells JS with it once the device let go.
        let events = self.bridge.take().and_then(|b| b.join().ok());
        // Dropping the stream stops and joins the device thread, which may
        // block (a frozen server): done on a thread of its own.
        if let Some(stream) = self.stream.take() {
            self.release = Some(stream.release_then(move || {
                if let Some(f) = events {
                    f.call(events::RELEASED, ThreadsafeFunctionCallMode::NonBlocking);
                }
            }));
        }
    }
}

impl Drop for NativeStream {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[napi]
impl NativeStream {
    /// Opens the device; `onEvent` receives event bits from the bridge thread.
    #[napi(constructor)]
    pub fn new(env: Env, opts: NativeStreamOptions, on_event: Function<u32, ()>) -> Result<Self> {
        let stream = opts.open().or_throw(&env)?;
        let shared = stream.shared().clone();
        let tsfn: EventFn = on_event
            .build_threadsafe_function()
            .weak::<true>()
            .callee_handled::<false>()
            .build()?;
        let events = EventRef(tsfn.raw());
        // The bridge also runs the stream's watchdog (see the core's `Watchdog`).
        let watchdog = stream.watchdog();
        let bridge = std::thread::Builder::new()
            .name("ringstream-bridge".into())
            .spawn(move || {
                watchdog.serve(|bits| {
                    tsfn.call(bits, ThreadsafeFunctionCallMode::NonBlocking);
                });
                tsfn
            })
            .map_err(|e| js_error(&env, &CoreError::from(e)))?;
        Ok(NativeStream {
            memory: ExternalMemory::default(),
            stream: Some(stream),
            shared,
            bridge: Some(bridge),
            sources: Vec::new(),
            sinks: Vec::new(),
            events,
            referred: false,
            release: None,
        })
    }

    /// Whether the stream's events keep the process alive (true while a run
    /// is pending, so that `await play()` holds the event loop open; false
    /// otherwise, so that an idle stream never does).
    #[napi]
    pub fn keep_alive(&mut self, env: Env, on: bool) -> Result<()> {
        if on == self.referred || self.stream.is_none() {
            return Ok(());
        }
        // SAFETY: the handle stays valid while the bridge thread owns the
        // function, i.e. until `shutdown` (checked above via `stream`); this
        // runs on the JS thread of `env`, as napi requires.
        let status = unsafe {
            if on {
                napi::sys::napi_ref_threadsafe_function(env.raw(), self.events.0)
            } else {
                napi::sys::napi_unref_threadsafe_function(env.raw(), self.events.0)
            }
        };
        if status != napi::sys::Status::napi_ok {
            return Err(Error::new(
                Status::GenericFailure,
                "cannot (un)ref the event function",
            ));
        }
        self.referred = on;
        Ok(())
    }

    /// The error that ended the stream, as a JS error with `code`, or null.
    #[napi(ts_return_type = "Error | null")]
    pub fn error(&self, env: Env) -> Result<Option<Unknown<'_>>> {
        let Some(e) = self.stream.as_ref().and_then(|s| s.error()) else {
            return Ok(None);
        };
        let err = js_error(&env, &e);
        // SAFETY: `err` holds a reference to an error value of this env.
        Ok(Some(unsafe {
            Unknown::from_raw_unchecked(env.raw(), napi::JsError::from(err).into_value(env.raw()))
        }))
    }

    /// Starts the device (counters reset).
    #[napi]
    pub fn start(&mut self, env: Env) -> Result<()> {
        self.s().and_then(|s| s.start()).or_throw(&env)
    }

    /// Asks for a drained finish; false when not running.
    #[napi]
    pub fn stop(&mut self, env: Env) -> Result<bool> {
        self.s().and_then(|s| s.stop()).or_throw(&env)
    }

    /// Ends at once.
    #[napi]
    pub fn abort(&mut self, env: Env) -> Result<()> {
        self.s().and_then(|s| s.abort()).or_throw(&env)
    }

    /// Pauses the device after a finish and frees spent actions.
    #[napi]
    pub fn settle(&mut self, env: Env) -> Result<()> {
        let r = self.s().and_then(|s| s.settle()).or_throw(&env);
        self.account(&env);
        r
    }

    /// Releases the device and the bridge thread without waiting for the
    /// device (its close may block); see `released`. Idempotent.
    #[napi]
    pub fn close(&mut self, env: Env) {
        self.shutdown();
        self.memory.release(&env);
    }

    /// After close(): true once the device is released, or once waiting for
    /// it is no use (it did not let go within the output latency plus 2 s;
    /// its release goes on in the background). False before close().
    #[napi(getter)]
    pub fn released(&self) -> bool {
        self.release.as_ref().is_some_and(Release::settled)
    }

    /// After close(): milliseconds until `released` holds whatever the
    /// device does (0 once it does); the `RELEASED` event comes first when
    /// the device lets go in time. 0 before close().
    #[napi(getter)]
    pub fn release_wait_ms(&self) -> f64 {
        self.release
            .as_ref()
            .map_or(0.0, |r| r.remaining().as_secs_f64() * 1000.0)
    }

    /// Actions queued for the next start.
    #[napi(getter)]
    pub fn pending_actions(&self) -> u32 {
        self.stream.as_ref().map_or(0, |s| s.pending() as u32)
    }

    /// Whether close() was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.stream.is_none()
    }

    /// Frees the actions the engine handed back and lets queued ones take
    /// their slots (call on action-done events).
    #[napi]
    pub fn collect(&mut self, env: Env) {
        if let Some(s) = self.stream.as_mut() {
            s.collect();
        }
        self.account(&env);
    }

    /// Drops what was queued since the stream stopped (a call that failed
    /// halfway must not leave work behind for the next start).
    #[napi]
    pub fn discard(&mut self, env: Env) -> Result<()> {
        self.sources.clear();
        self.sinks.clear();
        let r = self.s().map(|s| s.discard()).or_throw(&env);
        self.account(&env);
        r
    }

    /// Hands the file pumps queued for this job to their own object.
    #[napi]
    pub fn take_files(&mut self) -> NativeFiles {
        NativeFiles::new(
            std::mem::take(&mut self.sources),
            std::mem::take(&mut self.sinks),
        )
    }

    /// Finish the stream when no action is left.
    #[napi]
    pub fn finish_when_idle(&mut self, env: Env) -> Result<()> {
        self.s().and_then(|s| s.finish_when_idle()).or_throw(&env)
    }
}

impl ObjectFinalize for NativeStream {
    fn finalize(mut self, env: Env) -> Result<()> {
        self.memory.release(&env);
        Ok(())
    }
}
