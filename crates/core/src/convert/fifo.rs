//! A preallocated, single-threaded queue of interleaved frames: what lies
//! between a rate converter and the side that runs at the other rate. It
//! never grows; a push that does not fit is refused, so the callback never
//! allocates.

use crate::engine::Sample;

/// Interleaved frames in a fixed buffer, read from the front.
#[derive(Debug)]
pub struct Fifo {
    buf: Vec<Sample>,
    channels: usize,
    /// Samples already read from the front of `buf`.
    start: usize,
    /// Samples written so far into `buf`.
    end: usize,
}

impl Fifo {
    /// A queue for `frames` frames of `channels` channels.
    ///
    /// ```
    /// use ringstream_core::convert::fifo::Fifo;
    /// let mut q = Fifo::new(2, 4);
    /// assert!(q.push(&[1.0, 2.0, 3.0, 4.0]));
    /// let mut out = [0.0; 2];
    /// assert_eq!(q.pop(&mut out), 1);
    /// assert_eq!(out, [1.0, 2.0]);
    /// assert_eq!(q.frames(), 1);
    /// ```
    pub fn new(channels: usize, frames: usize) -> Fifo {
        Fifo {
            buf: vec![0.0; channels.max(1) * frames],
            channels: channels.max(1),
            start: 0,
            end: 0,
        }
    }

    /// Frames waiting to be read.
    pub fn frames(&self) -> usize {
        (self.end - self.start) / self.channels
    }

    /// Frames that can be pushed now.
    pub fn room(&self) -> usize {
        (self.buf.len() - (self.end - self.start)) / self.channels
    }

    /// Appends whole frames; false (and nothing appended) if they do not fit.
    pub fn push(&mut self, samples: &[Sample]) -> bool {
        match self.tail(samples.len()) {
            Some(t) => {
                t.copy_from_slice(samples);
                true
            }
            None => false,
        }
    }

    /// Appends `frames` frames of silence; false if they do not fit.
    pub fn push_silence(&mut self, frames: usize) -> bool {
        match self.tail(frames * self.channels) {
            Some(t) => {
                t.fill(0.0);
                true
            }
            None => false,
        }
    }

    /// The next `len` samples of free space, made contiguous, marked as
    /// written.
    fn tail(&mut self, len: usize) -> Option<&mut [Sample]> {
        if len > self.buf.len() - (self.end - self.start) {
            return None;
        }
        if self.end + len > self.buf.len() {
            // Moving what is left to the front costs one copy of at most the
            // queue's fill, and keeps every read and write contiguous.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let from = self.end;
        self.end += len;
        Some(&mut self.buf[from..self.end])
    }

    /// Moves up to `out.len() / channels` frames to `out`; the rest of `out`
    /// is left as it was. Returns the frames moved.
    pub fn pop(&mut self, out: &mut [Sample]) -> usize {
        let n = (out.len() / self.channels).min(self.frames()) * self.channels;
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        n / self.channels
    }

    /// Forgets every frame.
    pub fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_across_compaction_and_refuses_overflow() {
        let mut q = Fifo::new(1, 4);
        assert!(q.push(&[1.0, 2.0, 3.0]));
        let mut one = [0.0; 2];
        assert_eq!(q.pop(&mut one), 2);
        // 3 is left at the end of the buffer; 3 more must compact first.
        assert!(q.push(&[4.0, 5.0, 6.0]));
        assert!(!q.push(&[7.0]));
        assert!(!q.push_silence(1));
        let mut all = [9.0; 5];
        assert_eq!(q.pop(&mut all), 4);
        assert_eq!(all, [3.0, 4.0, 5.0, 6.0, 9.0]);
        assert_eq!((q.frames(), q.room()), (0, 4));
    }
}
