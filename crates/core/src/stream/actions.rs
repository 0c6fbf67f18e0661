//! What a stream does for the actions of a Mixer beyond queueing them:
//! statistics taken while no callback runs, and the end of the actions a
//! failed run leaves behind.

use super::Stream;
use crate::engine::notify::events;
use crate::engine::schedule::outcome;
use crate::engine::{state, Action, Probe};
use crate::error::{Error, Result};
use std::sync::atomic::Ordering;

impl Stream {
    /// rtmixer's `fetch_and_reset_stats`: while the stream runs, the engine
    /// takes the statistics at the probe's time; while it does not (no
    /// callback writes them), they are taken here at once. A time not yet
    /// reached on a stopped stream is an error (its clock does not move); a
    /// past one without `allow_belated` drops the probe.
    pub(crate) fn fetch_stats(&mut self, probe: Probe) -> Result<()> {
        if self.state() == state::RUNNING {
            return self.submit(Action::FetchStats(probe));
        }
        let now = self.time();
        if probe.time > now {
            return Err(Error::invalid_arg(format!(
                "time {} s is ahead of a stopped stream, whose clock stands at {now} s; start it first, or leave time out",
                probe.time
            )));
        }
        let st = &probe.state;
        if probe.time != 0.0 && probe.time < now && !probe.allow_belated {
            st.end(outcome::DROPPED);
            return Ok(());
        }
        self.shared().stats.move_into(&st.stats);
        st.actual_time.store(now.to_bits(), Ordering::Release);
        st.end(outcome::DONE);
        Ok(())
    }

    /// Ends every action of a run the engine cannot finish (a panic, a
    /// lost device: it will not hand them back) as `STOPPED`, queued ones
    /// included (they are dropped with the run).
    pub(super) fn end_stranded(&mut self) {
        for a in self.pending.drain(..) {
            if let Some(st) = a.state() {
                st.end(outcome::STOPPED);
            }
        }
        for st in self.sent.drain(..) {
            st.end(outcome::STOPPED);
        }
        self.shared().notifier.raise(events::ACTION_DONE);
    }
}
