//! Memory for whole-file reads and writes.

/// A whole-file read or write fills tens of megabytes of fresh memory, and faulting it
/// in 4 KiB pages costs as much as decoding. Where the kernel offers
/// transparent huge pages on request, ask for them (a hint: nothing changes
/// where it is not honoured).
pub fn advise_huge_pages<T>(v: &mut Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 2 * HUGE {
            return;
        }
        let start = v.as_mut_ptr() as usize;
        let aligned = (start + HUGE - 1) & !(HUGE - 1);
        let len = (start + bytes - aligned) & !(HUGE - 1);
        // SAFETY: [aligned, aligned + len) lies inside the Vec's own
        // allocation; madvise only changes how the kernel backs it.
        unsafe { libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}
