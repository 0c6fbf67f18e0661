//! `ringbuf`'s [`Observer`] / [`Raw`] / [`RingBuffer`] contract over a
//! [`Ring`]'s shared block, and the role words' holders (the native side
//! and the JS sides of other threads).

use super::{layout, Ring};
use ringbuf::traits::{Observer, Raw, RingBuffer};
use std::mem::MaybeUninit;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU32, Ordering};

impl Observer for Ring {
    type Item = u8;

    fn capacity(&self) -> NonZeroUsize {
        NonZeroUsize::new(self.bytes).expect("rings are never empty")
    }

    fn read_index(&self) -> usize {
        self.word(layout::READ_INDEX).load(Ordering::Acquire) as usize
    }

    fn write_index(&self) -> usize {
        self.word(layout::WRITE_INDEX).load(Ordering::Acquire) as usize
    }

    fn read_is_held(&self) -> bool {
        self.word(layout::READ_HELD).load(Ordering::Acquire) != 0
    }

    fn write_is_held(&self) -> bool {
        self.word(layout::WRITE_HELD).load(Ordering::Acquire) != 0
    }
}

// SAFETY: capacity is constant and at most 2^31 (so indices below 2 * capacity
// fit the u32 words); the slices cover exactly the requested modular range of
// the data, first slice first; index setters publish with Release stores and
// the hold flags are atomic swaps.
unsafe impl Raw for Ring {
    unsafe fn unsafe_slices(
        &self,
        start: usize,
        end: usize,
    ) -> (&[MaybeUninit<u8>], &[MaybeUninit<u8>]) {
        let len = (end + 2 * self.bytes - start) % (2 * self.bytes);
        let (a, b) = self.spans(start, len);
        // SAFETY: both spans lie inside the data; the caller owns the role.
        unsafe {
            (
                std::slice::from_raw_parts(self.data().add(a.offset).cast(), a.len),
                std::slice::from_raw_parts(self.data().add(b.offset).cast(), b.len),
            )
        }
    }

    unsafe fn unsafe_slices_mut(
        &self,
        start: usize,
        end: usize,
    ) -> (&mut [MaybeUninit<u8>], &mut [MaybeUninit<u8>]) {
        let len = (end + 2 * self.bytes - start) % (2 * self.bytes);
        let (a, b) = self.spans(start, len);
        // SAFETY: as above; the caller guarantees no overlapping borrow.
        unsafe {
            (
                std::slice::from_raw_parts_mut(self.data().add(a.offset).cast(), a.len),
                std::slice::from_raw_parts_mut(self.data().add(b.offset).cast(), b.len),
            )
        }
    }

    unsafe fn set_read_index(&self, value: usize) {
        self.word(layout::READ_INDEX)
            .store(value as u32, Ordering::Release);
    }

    unsafe fn set_write_index(&self, value: usize) {
        self.word(layout::WRITE_INDEX)
            .store(value as u32, Ordering::Release);
    }

    unsafe fn hold_read(&self, flag: bool) -> bool {
        hold(self.word(layout::READ_HELD), flag)
    }

    unsafe fn hold_write(&self, flag: bool) -> bool {
        hold(self.word(layout::WRITE_HELD), flag)
    }
}

impl RingBuffer for Ring {}

/// What a native holder writes into a role word; a JS holder on another
/// thread writes a token above it.
pub const NATIVE_HOLDER: u32 = 1;

/// A token for a JS side of a shared ring, unique in the process (until
/// 2^32 - 2 of them were made): what that side writes into the role words
/// it holds.
pub fn js_holder_token() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(NATIVE_HOLDER + 1);
    loop {
        let t = NEXT.fetch_add(1, Ordering::Relaxed);
        if t > NATIVE_HOLDER {
            return t;
        }
    }
}

/// Claims a role word (true: it was held already, and is left as it was)
/// or releases it.
fn hold(word: &AtomicU32, flag: bool) -> bool {
    if flag {
        word.compare_exchange(0, NATIVE_HOLDER, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
    } else {
        word.store(0, Ordering::Release);
        false
    }
}
