//! Rings shared between the JS contexts of one process (worker threads):
//! a ring is published under a number that another thread's context
//! redeems for the same ring, the same memory. The registry holds only weak
//! references: a ring lives while some context holds it. Any shared kind
//! (a [`crate::ring::Ring`], a [`crate::ring::BroadcastRing`]) goes
//! through the one registry; opening one as another kind is refused.

use crate::error::{Error, ErrorKind, Result};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// A published ring of any kind.
type Entry = Weak<dyn Any + Send + Sync>;

/// The next number, and the rings published so far.
type Registry = Mutex<(u64, HashMap<u64, Entry>)>;

fn registry() -> &'static Registry {
    static RINGS: OnceLock<Registry> = OnceLock::new();
    RINGS.get_or_init(|| Mutex::new((1, HashMap::new())))
}

/// Publishes `ring`; returns the number that [`open`] redeems.
pub fn publish<T: Send + Sync + 'static>(ring: &Arc<T>) -> u64 {
    let mut reg = registry().lock().unwrap_or_else(|p| p.into_inner());
    let (next, map) = &mut *reg;
    map.retain(|_, w| w.strong_count() > 0);
    let at = Arc::as_ptr(ring).cast::<()>();
    if let Some((id, _)) = map.iter().find(|(_, w)| w.as_ptr().cast::<()>() == at) {
        return *id;
    }
    let id = *next;
    *next += 1;
    let any: Arc<dyn Any + Send + Sync> = ring.clone();
    map.insert(id, Arc::downgrade(&any));
    id
}

/// The ring of kind `T` published as `id`, if some context still holds it.
pub fn open<T: Send + Sync + 'static>(id: u64) -> Result<Arc<T>> {
    let reg = registry().lock().unwrap_or_else(|p| p.into_inner());
    let found = reg.1.get(&id).and_then(Weak::upgrade);
    found.and_then(|a| a.downcast::<T>().ok()).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArg,
            format!("no ring of this kind is published as {id}: it was released (keep the ring until the other thread has opened it), or the handle is of another kind or not from this process"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ring::Ring;

    #[test]
    fn the_same_ring_while_held_and_not_after() {
        let ring = Ring::new(4, 16).unwrap();
        let id = publish(&ring);
        assert_eq!(publish(&ring), id);
        assert!(Arc::ptr_eq(&open::<Ring>(id).unwrap(), &ring));
        // Another kind under that number is refused.
        assert!(open::<crate::ring::BroadcastRing>(id).is_err());
        drop(ring);
        assert_eq!(
            open::<Ring>(id).err().map(|e| e.kind()),
            Some(ErrorKind::InvalidArg)
        );
    }
}
