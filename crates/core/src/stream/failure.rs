//! How a stream reports what ended it: the error with its message, and
//! errors that other threads (file writers) hand to it.

use super::Stream;
use crate::engine::state;
use crate::error::{Error, ErrorKind};
use std::sync::atomic::Ordering;

impl Stream {
    /// The error that ended the stream, with its message.
    pub fn error(&self) -> Option<Error> {
        let kind = self.shared().error_kind()?;
        let msg = self
            .message
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| default_message(kind).to_string());
        Some(Error::new(kind, msg))
    }

    /// A function that ends the running stream with an error from another
    /// thread (a file writer that failed), its message kept for
    /// [`Stream::error`]: the run reports the cause, not what followed from
    /// it (a sink ring that nobody drains any more). Before the run starts,
    /// the error is kept and the next [`Stream::start`] fails with it; a run
    /// that already ended keeps its own ending.
    pub fn failer(&self) -> impl Fn(&Error) + Send + Sync + 'static {
        let shared = self.shared().clone();
        let message = self.message.clone();
        let early = self.early_failure.clone();
        move |e: &Error| {
            let mut m = message.lock().unwrap_or_else(|p| p.into_inner());
            if shared.state.load(Ordering::Acquire) == state::RUNNING {
                if shared.fail_running(e.kind()) {
                    *m = Some(e.message().to_string());
                }
            } else {
                *early.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.clone());
            }
        }
    }
}

fn default_message(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::BufferEmpty => {
            "the source ran dry while frames were still owed (frames >= 0, pad >= 0)"
        }
        ErrorKind::BufferFull => {
            "a recording sink was full: the reader did not keep up, the stream was stopped"
        }
        ErrorKind::Panic => "a panic in the audio callback stopped the stream",
        ErrorKind::ActionQueueFull => "too many actions on the stream",
        _ => "the stream failed",
    }
}
