use super::*;
use std::sync::atomic::AtomicBool;

#[test]
fn each_reader_reads_everything_once_at_its_own_pace() {
    let ring = BroadcastRing::new(2, 4).unwrap();
    let mut a = ring.reader();
    let w = ring.writer().unwrap();
    assert_eq!(w.write(&[1.0, -1.0, 2.0, -2.0]).unwrap(), 2);
    assert!(w.write(&[1.0]).is_err()); // half a frame
    let mut b = ring.reader(); // joins late: starts at the oldest frame held
    let mut out = [0.0; 8];
    assert_eq!(a.read(&mut out[..2]), 1);
    assert_eq!(out[..2], [1.0, -1.0]);
    assert_eq!(b.ready(), 2);
    assert_eq!(b.read(&mut out), 2);
    assert_eq!(out[..4], [1.0, -1.0, 2.0, -2.0]);
    assert_eq!(a.read(&mut out), 1);
    assert_eq!(out[..2], [2.0, -2.0]);
    assert_eq!((a.lost(), b.lost(), a.ready()), (0, 0, 0));
}

#[test]
fn a_reader_that_falls_behind_is_told_how_much_it_lost() {
    let ring = BroadcastRing::new(1, 4).unwrap();
    let mut slow = ring.reader();
    let data: Vec<f32> = (0..10).map(|i| i as f32).collect();
    ring.writer().unwrap().write(&data).unwrap(); // the writer never waits: 6 frames overwritten
    assert_eq!(ring.written(), 10);
    assert_eq!(slow.ready(), 4);
    let mut out = [0.0; 8];
    assert_eq!(slow.read(&mut out), 4);
    assert_eq!(out[..4], [6.0, 7.0, 8.0, 9.0]);
    assert_eq!(slow.lost(), 6);
}

#[test]
fn bad_shapes_are_invalid_arg() {
    for (c, f) in [(0, 4), (1, 0), (1 << 20, 1 << 20)] {
        assert_eq!(
            BroadcastRing::new(c, f).err().map(|e| e.kind()),
            Some(crate::error::ErrorKind::InvalidArg)
        );
    }
}

/// The seqlock: readers racing a writer on a tiny ring get only whole,
/// untorn frames, in order, and every frame is either read or counted lost.
#[test]
fn racing_readers_never_get_torn_or_reordered_frames() {
    const CH: usize = 4;
    const TOTAL: u64 = 200_000;
    let ring = BroadcastRing::new(CH, 8).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let mut rd = ring.reader();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut out = [0.0f32; 5 * CH];
                let (mut got, mut last) = (0u64, -1.0f32);
                loop {
                    let done = stop.load(Ordering::Acquire);
                    let n = rd.read(&mut out);
                    for f in out[..n * CH].chunks_exact(CH) {
                        // A frame k holds k in every channel (exact in f32 below 2^24).
                        assert!(f.iter().all(|v| *v == f[0]), "torn frame {f:?}");
                        assert!(f[0] > last, "frame {} after {last}", f[0]);
                        last = f[0];
                    }
                    got += n as u64;
                    if done && n == 0 {
                        return (got, rd.lost());
                    }
                }
            })
        })
        .collect();
    let writer = ring.writer().unwrap();
    let mut frame = [0.0f32; 3 * CH];
    let mut k = 0u64;
    while k < TOTAL {
        for (i, f) in frame.chunks_exact_mut(CH).enumerate() {
            f.fill((k + i as u64) as f32);
        }
        k += writer.write(&frame).unwrap() as u64;
    }
    stop.store(true, Ordering::Release);
    for r in readers {
        let (got, lost) = r.join().unwrap();
        assert_eq!(
            got + lost,
            ring.written(),
            "every frame read or counted lost"
        );
    }
}
