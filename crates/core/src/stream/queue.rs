//! A stream's action queue: what the control side sends to the engine,
//! what waits for a slot (queued while stopped, or beyond the engine's
//! slots), and what the engine hands back to be freed here.

use super::{Stream, MAX_QUEUED};
use crate::engine::schedule::outcome;
use crate::engine::{state, Action, Command};
use crate::error::{Error, ErrorKind, Result};

impl Stream {
    /// Sends a command now, or says the queue is full.
    pub(super) fn send(&mut self, c: Command) -> Result<()> {
        self.control.send(c).map_err(|_| {
            Error::new(
                ErrorKind::ActionQueueFull,
                "the stream's command queue is full; wait for actions to finish",
            )
        })
    }

    /// Queues an action: sent to the engine now if the stream runs and a
    /// slot is free; else kept, in order, until the next start or a free
    /// slot (so a failed call can [`Stream::discard`] it, and a burst of
    /// actions beyond the engine's slots waits instead of failing).
    pub(crate) fn submit(&mut self, action: Action) -> Result<()> {
        self.collect();
        if self.in_flight + self.pending.len() >= MAX_QUEUED {
            return Err(Error::new(
                ErrorKind::ActionQueueFull,
                format!(
                    "at most {MAX_QUEUED} actions can be queued on a stream ({} run at once); wait for some to finish",
                    self.control.capacity
                ),
            ));
        }
        self.pending.push_back(action);
        if self.state() == state::RUNNING {
            self.send_pending()?;
        }
        Ok(())
    }

    /// Sends queued actions while the engine has free slots.
    pub(super) fn send_pending(&mut self) -> Result<()> {
        while self.in_flight < self.control.capacity {
            let Some(a) = self.pending.pop_front() else {
                break;
            };
            let bytes = a.bytes();
            let st = a.state().cloned();
            if let Err(Command::Add(a)) = self.control.send(Command::Add(Box::new(a))) {
                self.pending.push_front(*a);
                break;
            }
            self.sent.extend(st);
            self.in_flight += 1;
            self.in_flight_bytes += bytes;
        }
        Ok(())
    }

    /// Actions queued while stopped, waiting for the next start.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Drops the actions queued since the stream stopped.
    pub fn discard(&mut self) {
        self.pending.clear();
        self.finish_pending = false;
        *self.early_failure.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Makes the stream finish once no action is left.
    pub fn finish_when_idle(&mut self) -> Result<()> {
        if self.state() == state::RUNNING {
            self.send(Command::FinishWhenIdle)
        } else {
            self.finish_pending = true;
            Ok(())
        }
    }

    /// Drops the actions the engine gave back (their buffers are freed here,
    /// never on the audio thread).
    /// Queued actions then take the freed slots.
    pub fn collect(&mut self) {
        let spent = self.control.collect();
        let bytes: usize = spent.iter().map(|a| a.bytes()).sum();
        self.in_flight = self.in_flight.saturating_sub(spent.len());
        if !spent.is_empty() {
            self.sent.retain(|st| st.outcome() == outcome::PENDING);
        }
        self.in_flight_bytes = self.in_flight_bytes.saturating_sub(bytes);
        if self.state() == state::RUNNING {
            let _ = self.send_pending();
        }
    }

    /// Native bytes the stream holds for its jobs now (buffers copied for
    /// playback, queued or running), for the JS engine's accounting.
    pub fn job_bytes(&self) -> usize {
        self.in_flight_bytes + self.pending.iter().map(Action::bytes).sum::<usize>()
    }
}
