//! The two roles of a [`Ring`]: the producer, the only one allowed to
//! write, and the consumer, the only one allowed to read. Each advance
//! rings the other side's doorbell (see [`crate::doorbell`]).

use super::{Regions, Ring};
use crate::error::{Error, Result};
use ringbuf::traits::{Observer, Raw};
use std::sync::Arc;

/// The producer role of a [`Ring`]: the only one allowed to write.
pub struct Producer {
    pub(super) ring: Arc<Ring>,
}

/// The consumer role of a [`Ring`]: the only one allowed to read.
pub struct Consumer {
    pub(super) ring: Arc<Ring>,
}

impl Producer {
    /// The ring this role writes.
    pub fn ring(&self) -> &Arc<Ring> {
        &self.ring
    }

    /// Free bytes (a multiple of the element size).
    pub fn vacant_bytes(&self) -> usize {
        self.ring.vacant_len()
    }

    /// The free space for up to `max_elements` elements, as spans.
    pub fn write_regions(&self, max_elements: usize) -> Regions {
        let r = &self.ring;
        let count = max_elements.min(self.vacant_bytes() / r.element_size);
        let (first, second) = r.spans(r.write_index(), count * r.element_size);
        Regions {
            count,
            first,
            second,
        }
    }

    /// Up to `max_bytes` of free space as one or two writable slices.
    pub fn vacant_slices(&mut self, max_bytes: usize) -> (&mut [u8], &mut [u8]) {
        let n = max_bytes.min(self.vacant_bytes());
        let (a, b) = self.ring.spans(self.ring.write_index(), n);
        // SAFETY: the spans lie in the vacant part of the storage, which only
        // the producer (us, exclusively, by the claim) touches until
        // `advance_bytes` publishes it; `&mut self` keeps them unaliased.
        unsafe {
            (
                std::slice::from_raw_parts_mut(self.ring.data().add(a.offset), a.len),
                std::slice::from_raw_parts_mut(self.ring.data().add(b.offset), b.len),
            )
        }
    }

    /// Publishes `bytes` written bytes to the consumer. `bytes` must be at most
    /// [`Producer::vacant_bytes`] (else an error, nothing changes).
    pub fn advance_bytes(&self, bytes: usize) -> Result<usize> {
        let r = &self.ring;
        if bytes > self.vacant_bytes() {
            return Err(Error::invalid_arg(format!(
                "cannot advance the write index by {} elements: only {} can be written",
                bytes / r.element_size,
                self.vacant_bytes() / r.element_size
            )));
        }
        let next = (r.write_index() + bytes) % (2 * r.bytes);
        // SAFETY: we hold the producer role and `bytes` is within the vacant
        // part, whose contents the producer defined (the storage is
        // initialised at creation, so every byte is a valid u8).
        unsafe { r.set_write_index(next) };
        r.data.ring(|| r.occupied_len());
        Ok(next / r.element_size)
    }

    /// Copies as many whole elements of `data` as fit; returns elements written.
    /// `data.len()` must be a multiple of the element size.
    pub fn write(&mut self, data: &[u8]) -> Result<usize> {
        self.ring.check_elements(data.len(), "data length")?;
        Ok(self.write_partial(data) / self.ring.element_size)
    }

    /// Copies the longest prefix of `data` that fits in whole elements; returns
    /// bytes written. Realtime-safe.
    pub fn write_partial(&mut self, data: &[u8]) -> usize {
        let es = self.ring.element_size;
        let n = (data.len().min(self.vacant_bytes()) / es) * es;
        let (a, b) = self.vacant_slices(n);
        let (da, db) = data[..n].split_at(a.len());
        a.copy_from_slice(da);
        b.copy_from_slice(db);
        self.advance_bytes(n).expect("within vacant space");
        n
    }
}

impl Consumer {
    /// The ring this role reads.
    pub fn ring(&self) -> &Arc<Ring> {
        &self.ring
    }

    /// Readable bytes (a multiple of the element size).
    pub fn available_bytes(&self) -> usize {
        self.ring.occupied_len()
    }

    /// The readable data for up to `max_elements` elements, as spans.
    pub fn read_regions(&self, max_elements: usize) -> Regions {
        let r = &self.ring;
        let count = max_elements.min(self.available_bytes() / r.element_size);
        let (first, second) = r.spans(r.read_index(), count * r.element_size);
        Regions {
            count,
            first,
            second,
        }
    }

    /// Up to `max_bytes` of readable data as one or two slices.
    pub fn occupied_slices(&self, max_bytes: usize) -> (&[u8], &[u8]) {
        let n = max_bytes.min(self.available_bytes());
        let (a, b) = self.ring.spans(self.ring.read_index(), n);
        // SAFETY: the spans lie in the occupied part, which the producer has
        // published and will not touch until we release it with
        // `advance_bytes`; the returned borrows end before `&self` does.
        unsafe {
            (
                std::slice::from_raw_parts(self.ring.data().add(a.offset), a.len),
                std::slice::from_raw_parts(self.ring.data().add(b.offset), b.len),
            )
        }
    }

    /// Releases `bytes` read bytes back to the producer. `bytes` must be at
    /// most [`Consumer::available_bytes`] (else an error, nothing changes).
    pub fn advance_bytes(&self, bytes: usize) -> Result<usize> {
        let r = &self.ring;
        if bytes > self.available_bytes() {
            return Err(Error::invalid_arg(format!(
                "cannot advance the read index by {} elements: only {} can be read",
                bytes / r.element_size,
                self.available_bytes() / r.element_size
            )));
        }
        let next = (r.read_index() + bytes) % (2 * r.bytes);
        // SAFETY: we hold the consumer role and release only occupied bytes.
        unsafe { r.set_read_index(next) };
        r.room.ring(|| r.vacant_len());
        Ok(next / r.element_size)
    }

    /// Copies as many whole elements as are available into `out`; returns
    /// elements read. `out.len()` must be a multiple of the element size.
    pub fn read_into(&mut self, out: &mut [u8]) -> Result<usize> {
        self.ring.check_elements(out.len(), "buffer length")?;
        Ok(self.read_partial(out) / self.ring.element_size)
    }

    /// Copies the longest run of whole elements that fits `out`; returns bytes
    /// read. Realtime-safe.
    pub fn read_partial(&mut self, out: &mut [u8]) -> usize {
        let es = self.ring.element_size;
        let n = (out.len().min(self.available_bytes()) / es) * es;
        let (a, b) = self.occupied_slices(n);
        out[..a.len()].copy_from_slice(a);
        out[a.len()..n].copy_from_slice(b);
        self.advance_bytes(n).expect("within occupied space");
        n
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        // SAFETY: we hold the role (the claim set the flag) and all our borrows
        // of the storage ended with `&mut self`.
        unsafe { self.ring.hold_write(false) };
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        // SAFETY: as for `Producer`.
        unsafe { self.ring.hold_read(false) };
    }
}
