//! Rings shared between the JS contexts of one process (worker threads):
//! a ring is published under a number that another thread's context
//! redeems for the same ring, the same memory. The registry holds only weak
//! references: a ring lives while some context holds it.

use crate::error::{Error, ErrorKind, Result};
use crate::ring::Ring;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The next number, and the rings published so far.
type Registry = Mutex<(u64, HashMap<u64, Weak<Ring>>)>;

fn registry() -> &'static Registry {
    static RINGS: OnceLock<Registry> = OnceLock::new();
    RINGS.get_or_init(|| Mutex::new((1, HashMap::new())))
}

/// Publishes `ring`; returns the number that [`open`] redeems.
pub fn publish(ring: &Arc<Ring>) -> u64 {
    let mut reg = registry().lock().unwrap_or_else(|p| p.into_inner());
    let (next, map) = &mut *reg;
    map.retain(|_, w| w.strong_count() > 0);
    if let Some((id, _)) = map.iter().find(|(_, w)| w.as_ptr() == Arc::as_ptr(ring)) {
        return *id;
    }
    let id = *next;
    *next += 1;
    map.insert(id, Arc::downgrade(ring));
    id
}

/// The ring published as `id`, if some context still holds it.
pub fn open(id: u64) -> Result<Arc<Ring>> {
    let reg = registry().lock().unwrap_or_else(|p| p.into_inner());
    reg.1.get(&id).and_then(Weak::upgrade).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArg,
            format!("no ring is published as {id}: it was released (keep the RingBuffer until the other thread has opened it) or the handle is not from this process"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_ring_while_held_and_not_after() {
        let ring = Ring::new(4, 16).unwrap();
        let id = publish(&ring);
        assert_eq!(publish(&ring), id);
        assert!(Arc::ptr_eq(&open(id).unwrap(), &ring));
        drop(ring);
        assert_eq!(
            open(id).err().map(|e| e.kind()),
            Some(ErrorKind::InvalidArg)
        );
    }
}
