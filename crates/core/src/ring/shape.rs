//! The one rule for a ring's shape (a power-of-two count of elements, at
//! most [`MAX_RING_BYTES`] in all), and the sizes it allows.

use crate::error::{Error, Result};

/// The largest ring, in bytes: indices run modulo twice this, in a u32.
pub const MAX_RING_BYTES: usize = 1 << 31;

/// The one rule for a ring's shape: `size` elements (`what` names the
/// count in the message), a power of two, of `element_size` bytes each
/// (> 0), at most [`MAX_RING_BYTES`] in all. Returns the ring's bytes.
pub fn check_size(element_size: usize, size: usize, what: &str) -> Result<usize> {
    if element_size == 0 {
        return Err(Error::invalid_arg(
            "elementSize must be a positive number of bytes, got 0",
        ));
    }
    if !size.is_power_of_two() {
        return Err(Error::invalid_arg(format!(
            "{what} must be a power of 2 (1, 2, 4, 8, ...), got {size}"
        )));
    }
    element_size
        .checked_mul(size)
        .filter(|b| *b <= MAX_RING_BYTES)
        .ok_or_else(|| {
            Error::invalid_arg(format!(
                "a ring holds at most {MAX_RING_BYTES} bytes, got {size} elements of {element_size} bytes: ask for fewer"
            ))
        })
}

/// The most elements of `element_size` bytes a ring holds (a power of
/// two; 0 for an element larger than a ring).
pub fn max_size(element_size: usize) -> usize {
    match MAX_RING_BYTES.checked_div(element_size) {
        Some(n) if n > 0 => 1 << n.ilog2(),
        _ => 0,
    }
}

/// The smallest ring size (a power of two) that holds `count` elements of
/// `element_size` bytes; an error when no ring is that large. `what` names
/// the count in the message.
pub fn size_for(element_size: usize, count: usize, what: &str) -> Result<usize> {
    let size = count
        .max(1)
        .checked_next_power_of_two()
        .unwrap_or(usize::MAX);
    if size > max_size(element_size) {
        return Err(Error::invalid_arg(format!(
            "{count} {what} of {element_size} bytes ({size} rounded up to a power of 2) exceed the {MAX_RING_BYTES} bytes a ring can hold"
        )));
    }
    Ok(size)
}
