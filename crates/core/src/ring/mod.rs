//! The SPSC ring buffer with PortAudio semantics, built on the `ringbuf` crate.
//!
//! A [`Ring`] holds `size` elements of `element_size` bytes (`size` a power of
//! two). It implements `ringbuf`'s [`Observer`] / [`Raw`] / [`RingBuffer`]
//! contract over one block of memory laid out so that JavaScript can map it:
//! a control header (the two indices, each on its own cache line, and the two
//! role flags) followed by the data. JS then runs the PortAudio operations on
//! the same atomics the audio thread uses, with no native call per operation.
//!
//! The two roles, one producer and one consumer, are claimed with
//! [`Ring::producer`] / [`Ring::consumer`]. A claim is exclusive (the hold
//! flags), so a ring that a stream reads on the audio thread cannot be read
//! from JavaScript at the same time: the second claim fails instead of racing.
//! Claims are one atomic swap, so the JS side claims per call while the audio
//! side keeps its claim for a whole stream.
//!
//! Indices are byte offsets modulo twice the capacity, as in `ringbuf`; the
//! element-level figures PortAudio reports are those divided by `element_size`.

use crate::doorbell::Doorbell;
use crate::error::{Error, Result};
use ringbuf::traits::{Observer, Raw};
use std::alloc::{self, Layout};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

mod broadcast;
mod raw;
mod roles;
mod shape;
pub use broadcast::{BroadcastReader, BroadcastRing, BroadcastWriter};
pub use raw::{js_holder_token, NATIVE_HOLDER};
pub use roles::{Consumer, Producer};
pub use shape::{check_size, max_size, size_for, MAX_RING_BYTES};

/// Byte offsets of the control words in the shared block (the JS side uses
/// the same numbers, divided by 4, as `Uint32Array` indices).
pub mod layout {
    /// The write index (u32).
    pub const WRITE_INDEX: usize = 0;
    /// The read index (u32), on its own cache line.
    pub const READ_INDEX: usize = 64;
    /// The producer-held flag (u32, 0 or 1).
    pub const WRITE_HELD: usize = 128;
    /// The consumer-held flag (u32, 0 or 1).
    pub const READ_HELD: usize = 132;
    /// Set (1) by a producer that will write no more: the end of a live source.
    pub const PRODUCER_DONE: usize = 136;
    /// Where the data starts.
    pub const DATA: usize = 192;
    /// Alignment of the block (a cache line; also enough for any sample type).
    pub const ALIGN: usize = 64;
}

/// A ring of fixed-size elements shared between one producer and one consumer.
pub struct Ring {
    block: *mut u8,
    block_layout: Layout,
    element_size: usize,
    size: usize,
    bytes: usize,
    room: Doorbell,
    data: Doorbell,
}

// SAFETY: the block is owned by the ring, never moves, and is freed only on
// drop; the control words are atomics and the data is accessed only through
// regions that the role claims (exclusive by the atomic hold flags) hand out.
unsafe impl Send for Ring {}
// SAFETY: see `Send` above.
unsafe impl Sync for Ring {}

/// A contiguous span of the ring's data: a byte offset from the start of the
/// data and a byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset from the start of the data.
    pub offset: usize,
    /// Length in bytes (0 for an empty span).
    pub len: usize,
}

/// Up to `count` elements of the ring as one or two spans (the second is empty
/// unless the region wraps around the end of the storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Regions {
    /// Elements covered by `first` and `second` together.
    pub count: usize,
    /// The part from the current index towards the end of the storage.
    pub first: Span,
    /// The part that wrapped around to the start of the storage.
    pub second: Span,
}

impl Ring {
    /// A ring of `size` elements of `element_size` bytes each, zero-filled.
    ///
    /// The shape must pass [`check_size`].
    pub fn new(element_size: usize, size: usize) -> Result<Arc<Ring>> {
        let bytes = check_size(element_size, size, "size")?;
        let block_layout =
            Layout::from_size_align(layout::DATA + bytes, layout::ALIGN).map_err(|e| {
                Error::invalid_arg(format!("cannot lay out a ring of {bytes} bytes: {e}"))
            })?;
        // SAFETY: the layout has a non-zero size (the header alone is 192 bytes).
        let block = unsafe { alloc::alloc_zeroed(block_layout) };
        if block.is_null() {
            return Err(Error::invalid_arg(format!(
                "cannot allocate a ring of {bytes} bytes"
            )));
        }
        Ok(Arc::new(Ring {
            block,
            block_layout,
            element_size,
            size,
            bytes,
            room: Doorbell::default(),
            data: Doorbell::default(),
        }))
    }

    /// Bytes per element.
    pub fn element_size(&self) -> usize {
        self.element_size
    }

    /// Capacity in elements (a power of two).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Capacity in bytes.
    pub fn byte_len(&self) -> usize {
        self.bytes
    }

    /// The whole shared block (header then data): what JS maps. Valid for
    /// [`Ring::block_len`] bytes for as long as the ring lives.
    pub fn block_ptr(&self) -> *mut u8 {
        self.block
    }

    /// Length of the shared block in bytes.
    pub fn block_len(&self) -> usize {
        self.block_layout.size()
    }

    fn word(&self, offset: usize) -> &AtomicU32 {
        // SAFETY: every offset in `layout` is 4-byte aligned and inside the
        // zero-initialised header, which lives as long as `self`.
        unsafe { &*self.block.add(offset).cast::<AtomicU32>() }
    }

    fn data(&self) -> *mut u8 {
        // SAFETY: the data starts `DATA` bytes into the block.
        unsafe { self.block.add(layout::DATA) }
    }

    /// Rung (in bytes of free space) each time a native consumer releases
    /// data: a producer thread sleeps on it until it has room.
    pub fn room(&self) -> &Doorbell {
        &self.room
    }

    /// Rung (in bytes of data) each time a native producer publishes: a
    /// consumer thread sleeps on it until it has data.
    pub fn data_bell(&self) -> &Doorbell {
        &self.data
    }

    /// Elements that can be read now.
    pub fn read_available(&self) -> usize {
        self.occupied_len() / self.element_size
    }

    /// Elements that can be written now.
    pub fn write_available(&self) -> usize {
        self.vacant_len() / self.element_size
    }

    /// Claims the producer role; `None` while someone else holds it.
    pub fn producer(self: &Arc<Self>) -> Option<Producer> {
        // SAFETY: the swap acquires the role only when the flag was clear
        // (checked through the previous value); when it was set, writing 1
        // again leaves the holder's claim as it was.
        if unsafe { self.hold_write(true) } {
            return None;
        }
        Some(Producer { ring: self.clone() })
    }

    /// Claims the consumer role; `None` while someone else holds it.
    pub fn consumer(self: &Arc<Self>) -> Option<Consumer> {
        // SAFETY: as in `producer`.
        if unsafe { self.hold_read(true) } {
            return None;
        }
        Some(Consumer { ring: self.clone() })
    }

    /// Marks that the producer will write no more (`done`), or clears it.
    pub fn set_producer_done(&self, done: bool) {
        self.word(layout::PRODUCER_DONE)
            .store(done as u32, Ordering::Release);
    }

    /// Whether the producer said it will write no more.
    pub fn producer_done(&self) -> bool {
        self.word(layout::PRODUCER_DONE).load(Ordering::Acquire) != 0
    }

    /// Claims the producer role or says that someone else has it.
    pub fn producer_or_err(self: &Arc<Self>) -> Result<Producer> {
        self.producer().ok_or_else(|| busy("written", "written"))
    }

    /// Claims the consumer role or says that someone else has it.
    pub fn consumer_or_err(self: &Arc<Self>) -> Result<Consumer> {
        self.consumer().ok_or_else(|| busy("read", "read"))
    }

    /// Claims the producer role for a native holder on behalf of the JS
    /// side that holds it as `own` (see [`Ring::take_over`]), or says that
    /// someone else has it.
    pub fn producer_taking_over(self: &Arc<Self>, own: u32) -> Result<Producer> {
        self.take_over(layout::WRITE_HELD, own);
        self.producer_or_err()
    }

    /// Claims the consumer role as [`Ring::producer_taking_over`] does.
    pub fn consumer_taking_over(self: &Arc<Self>, own: u32) -> Result<Consumer> {
        self.take_over(layout::READ_HELD, own);
        self.consumer_or_err()
    }

    /// Frees a role word that holds `own` (nonzero), the token of the JS side
    /// a native claim is made for: that side runs on the claiming thread and
    /// is not inside a read or write while the claim runs, and it claims the
    /// role again (once the native holder let it go) at its next use.
    fn take_over(&self, word: usize, own: u32) {
        if own > NATIVE_HOLDER {
            let _ = self
                .word(word)
                .compare_exchange(own, 0, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    /// Gives back the roles that the JS side holding `token` still holds:
    /// call it when that side is gone (its object collected, its thread
    /// ended or terminated), so that a dead holder never blocks the ring.
    pub fn release_holder(&self, token: u32) {
        if token > NATIVE_HOLDER {
            self.take_over(layout::WRITE_HELD, token);
            self.take_over(layout::READ_HELD, token);
        }
    }

    /// Empties the ring. Needs both roles, so it cannot race a reader or writer.
    pub fn flush(self: &Arc<Self>) -> Result<()> {
        let _p = self.producer().ok_or_else(|| busy("flushed", "written"))?;
        let c = self.consumer().ok_or_else(|| busy("flushed", "read"))?;
        c.advance_bytes(c.available_bytes()).map(|_| ())
    }

    fn spans(&self, index: usize, bytes: usize) -> (Span, Span) {
        let start = index % self.bytes;
        let first = bytes.min(self.bytes - start);
        (
            Span {
                offset: start,
                len: first,
            },
            Span {
                offset: 0,
                len: bytes - first,
            },
        )
    }

    /// Checks that `bytes` is a whole number of elements.
    pub fn check_elements(&self, bytes: usize, what: &str) -> Result<()> {
        if !bytes.is_multiple_of(self.element_size) {
            return Err(Error::invalid_arg(format!(
                "{what} must be a multiple of elementSize ({}) bytes, got {bytes}",
                self.element_size
            )));
        }
        Ok(())
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with exactly this layout; nobody can hold
        // a claim or a view any more (they keep an `Arc<Ring>`).
        unsafe { alloc::dealloc(self.block, self.block_layout) };
    }
}

fn busy(op: &str, role: &str) -> Error {
    Error::invalid_arg(format!(
        "the ring cannot be {op} now: it is being {role} elsewhere (attached to a stream?)"
    ))
}

#[cfg(test)]
mod tests;
