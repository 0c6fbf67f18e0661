//! The ring's own tests: sizes, PortAudio semantics, roles, threads.
use super::*;
use std::thread;

#[test]
fn rejects_bad_sizes() {
    for (es, size) in [(0, 8), (4, 0), (4, 1000), (4, 3)] {
        let e = Ring::new(es, size).err().expect("must fail");
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArg);
    }
    let e = Ring::new(4, 1000).err().unwrap();
    assert!(e.message().contains("1000"), "{}", e.message());
    assert!(Ring::new(1 << 20, 1 << 20).is_err());
}

#[test]
fn portaudio_counts_and_indices() {
    let r = Ring::new(2, 8).unwrap();
    assert_eq!((r.read_available(), r.write_available()), (0, 8));
    let mut p = r.producer().unwrap();
    assert_eq!(p.write(&[1; 10]).unwrap(), 5);
    assert_eq!(p.write(&[2; 10]).unwrap(), 3);
    assert_eq!((r.read_available(), r.write_available()), (8, 0));
    assert_eq!(p.write(&[3; 2]).unwrap(), 0);
    assert!(p.write(&[3; 3]).is_err());
    let mut c = r.consumer().unwrap();
    let mut out = [0u8; 6];
    assert_eq!(c.read_into(&mut out).unwrap(), 3);
    assert_eq!(out, [1; 6]);
    // the write region now wraps: 3 free elements at the start
    let w = p.write_regions(100);
    assert_eq!(w.count, 3);
    assert_eq!(w.first, Span { offset: 0, len: 6 });
    assert_eq!(w.second.len, 0);
    assert_eq!(p.advance_bytes(6).unwrap(), 11); // element index 8 + 3, modulo 16
    let rr = c.read_regions(100);
    assert_eq!(rr.count, 8);
    assert_eq!(rr.first, Span { offset: 6, len: 10 });
    assert_eq!(rr.second, Span { offset: 0, len: 6 });
    assert!(c.advance_bytes(18).is_err());
    assert_eq!(c.advance_bytes(16).unwrap(), 11);
    assert_eq!(r.read_available(), 0);
}

#[test]
fn roles_are_exclusive_and_released() {
    let r = Ring::new(1, 4).unwrap();
    let p = r.producer().unwrap();
    assert!(r.producer().is_none());
    assert!(r.flush().is_err());
    drop(p);
    assert!(r.producer().is_some());
    let c = r.consumer().unwrap();
    assert!(r.consumer_or_err().is_err());
    drop(c);
    r.producer().unwrap().write(&[1, 2, 3]).unwrap();
    r.flush().unwrap();
    assert_eq!(r.read_available(), 0);
}

/// Producer and consumer on two threads, odd chunk sizes so every boundary
/// case of the wrap-around is hit; every value is checked in order.
#[test]
fn two_threads_move_every_element_in_order() {
    let total: u64 = if cfg!(miri) { 2_000 } else { 20_000_000 };
    let es = 4;
    let r = Ring::new(es, 1024).unwrap();
    let mut p = r.producer().unwrap();
    let mut c = r.consumer().unwrap();
    let writer = thread::spawn(move || {
        let sizes = [1usize, 7, 13, 255, 1023, 3, 600];
        let mut next: u64 = 0;
        let mut buf = Vec::with_capacity(1023 * es);
        let mut i = 0;
        while next < total {
            let n = sizes[i % sizes.len()].min((total - next) as usize);
            i += 1;
            buf.clear();
            for k in 0..n as u64 {
                buf.extend_from_slice(&((next + k) as u32).to_le_bytes());
            }
            let mut off = 0;
            while off < buf.len() {
                off += p.write_partial(&buf[off..]);
                if off < buf.len() {
                    thread::yield_now();
                }
            }
            next += n as u64;
        }
    });
    let mut expect: u64 = 0;
    let mut out = vec![0u8; 777 * es];
    let sizes = [777usize, 5, 64, 1, 333];
    let mut i = 0;
    while expect < total {
        let want = sizes[i % sizes.len()] * es;
        i += 1;
        let got = c.read_partial(&mut out[..want]);
        if got == 0 {
            thread::yield_now();
            continue;
        }
        for chunk in out[..got].chunks_exact(es) {
            let v = u32::from_le_bytes(chunk.try_into().unwrap());
            assert_eq!(v, expect as u32, "element {expect}");
            expect += 1;
        }
    }
    writer.join().unwrap();
    assert_eq!(r.read_available(), 0);
}

#[test]
fn a_native_claim_takes_over_from_its_own_js_side_only() {
    let r = Ring::new(4, 8).unwrap();
    let (mine, theirs) = (js_holder_token(), js_holder_token());
    assert!(mine > NATIVE_HOLDER && theirs > NATIVE_HOLDER && mine != theirs);
    // A JS side (token `mine`) holds the consumer role, another the producer role.
    r.word(layout::READ_HELD).store(mine, Ordering::Release);
    r.word(layout::WRITE_HELD).store(theirs, Ordering::Release);
    assert!(r.consumer_or_err().is_err());
    assert!(
        r.producer_taking_over(mine).is_err(),
        "another side's role stays its own"
    );
    let c = r.consumer_taking_over(mine).unwrap();
    assert_eq!(
        r.word(layout::READ_HELD).load(Ordering::Acquire),
        NATIVE_HOLDER
    );
    assert!(r.consumer_taking_over(mine).is_err(), "held natively now");
    drop(c);
    assert_eq!(r.word(layout::READ_HELD).load(Ordering::Acquire), 0);
    // A dead holder's roles come back; a release with another token changes nothing.
    r.release_holder(mine);
    assert_eq!(r.word(layout::WRITE_HELD).load(Ordering::Acquire), theirs);
    r.release_holder(theirs);
    assert!(r.producer().is_some());
}

#[test]
fn shape_rules() {
    assert_eq!(check_size(4, 8, "size").unwrap(), 32);
    assert!(check_size(0, 8, "size").is_err());
    assert_eq!(
        check_size(4, 1000, "bufferSize").unwrap_err().message(),
        "bufferSize must be a power of 2 (1, 2, 4, 8, ...), got 1000"
    );
    assert!(check_size(4, 0, "size").is_err());
    assert!(check_size(1, MAX_RING_BYTES, "size").is_ok());
    assert!(check_size(2, MAX_RING_BYTES, "size").is_err());
    assert!(check_size(usize::MAX, 2, "size").is_err());
    assert_eq!(max_size(4), MAX_RING_BYTES / 4);
    assert_eq!(max_size(12), 1 << 27);
    assert_eq!(max_size(MAX_RING_BYTES + 1), 0);
    assert_eq!(size_for(4, 0, "frames").unwrap(), 1);
    assert_eq!(size_for(4, 1000, "frames").unwrap(), 1024);
    assert!(size_for(8, MAX_RING_BYTES / 8 + 1, "frames").is_err());
    assert!(size_for(8, usize::MAX, "frames").is_err());
}
