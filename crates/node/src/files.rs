//! A job's file pumps, handed to JS as their own object: waiting for a
//! prebuffer and finishing the pumps (joining their threads, surfacing their
//! errors) run off the JS thread. They live apart from `NativeStream` because
//! a pending async task keeps a borrow of the object it came from, and the
//! stream must stay usable (stop, abort) while they run.

use crate::error::OrThrow;
use napi::bindgen_prelude::*;
use napi::Task;
use napi_derive::napi;
use ringstream_core::pump::{FileSink, FileSource};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The file readers and writers of one job. Internal.
#[napi]
pub struct NativeFiles {
    sources: Arc<Vec<FileSource>>,
    sinks: Arc<Mutex<Vec<FileSink>>>,
}

impl NativeFiles {
    /// Wraps the pumps of a job.
    pub(crate) fn new(sources: Vec<FileSource>, sinks: Vec<FileSink>) -> Self {
        NativeFiles {
            sources: Arc::new(sources),
            sinks: Arc::new(Mutex::new(sinks)),
        }
    }
}

#[napi]
impl NativeFiles {
    /// Whether the job has any file source or sink.
    #[napi(getter)]
    pub fn any(&self) -> bool {
        !self.sources.is_empty() || !self.sinks.lock().map(|s| s.is_empty()).unwrap_or(true)
    }

    /// Resolves once every source has `frames` frames buffered (or is read
    /// to its end).
    #[napi]
    pub fn prebuffer(&self, frames: u32) -> AsyncTask<PrebufferTask> {
        AsyncTask::new(PrebufferTask {
            sources: self.sources.clone(),
            frames: frames as usize,
        })
    }

    /// Makes every file being recorded complete on disk as of now, the
    /// recordings going on: each writer thread writes what its ring holds
    /// and refreshes the header (waited for up to a second per file). For a
    /// process about to exit.
    #[napi]
    pub fn flush(&self) {
        let sinks = self.sinks.lock().unwrap_or_else(|p| p.into_inner());
        for s in sinks.iter() {
            s.flush(Duration::from_secs(1));
        }
    }

    /// Stops the readers, lets the writers finish their files; rejects with
    /// the first error any of them had. Call once, after the run.
    #[napi]
    pub fn finish(&self) -> AsyncTask<FinishFilesTask> {
        AsyncTask::new(FinishFilesTask {
            sources: self.sources.clone(),
            sinks: self.sinks.clone(),
        })
    }
}

/// Waits until every file source has `frames` frames buffered (or is read
/// to its end): `start({ prebuffer })`.
pub struct PrebufferTask {
    sources: Arc<Vec<FileSource>>,
    frames: usize,
}

impl Task for PrebufferTask {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<()> {
        for s in self.sources.iter() {
            s.prebuffer(self.frames, Duration::from_secs(10));
        }
        Ok(())
    }

    fn resolve(&mut self, _env: Env, _output: ()) -> Result<()> {
        Ok(())
    }
}

/// Stops the readers, lets the writers write what is left and close their
/// files; rejects with the first error any of them had.
pub struct FinishFilesTask {
    sources: Arc<Vec<FileSource>>,
    sinks: Arc<Mutex<Vec<FileSink>>>,
}

impl Task for FinishFilesTask {
    // The core error travels as a value: only `resolve` has the env that
    // turns it into a JS error with its `code`.
    type Output = ringstream_core::Result<()>;
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        let mut first = Ok(());
        for s in self.sources.iter() {
            let r = s.stop();
            if first.is_ok() {
                first = r;
            }
        }
        let sinks = std::mem::take(&mut *self.sinks.lock().unwrap_or_else(|p| p.into_inner()));
        for s in sinks {
            let r = s.finish().map(|_| ());
            if first.is_ok() {
                first = r;
            }
        }
        Ok(first)
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<()> {
        output.or_throw(&env)
    }
}
