//! A mutation fuzzer for the WAV readers, run as an ordinary test.
//!
//! It starts from the kept corpus in `tests/wav-corpus/` (real sox files and
//! hand-built oddities, see `make.py` there), applies seeded random
//! mutations (bit flips, byte sets, truncation, chunk sizes set to 0 or huge,
//! fmt fields set to edge values, duplicated or removed chunks, inserted and
//! spliced bytes) and feeds every result to the whole-file reader
//! (`read_wav`), the streaming reader (`WavReader`: blockwise reads, reads
//! into a buffer, seeks) and the stream-header parser (`parse_prefix`, what
//! stdin audio goes through). For every input:
//!
//! - no panic;
//! - an `Err` of kind `WavFormat` (the file exists and is readable, so any
//!   other kind is a bug), or a result that agrees with itself: as many
//!   samples as frames x channels, no more data than the file holds, the same
//!   samples whichever way they are read, and the same header from the file
//!   parser and the stream parser;
//! - a heap peak per parse of at most 4 x the file size + 64 KiB (decoding
//!   8-bit mono to f32 is the 4 x; the 64 KiB is the reader's block), so no
//!   size a header claims can make a reader allocate.
//!
//! `cargo test` runs it for a few seconds. `WAV_FUZZ_SECS=600` runs it for
//! ten minutes, `WAV_FUZZ_SEED=n` picks the seed. A failing input is saved
//! under the system temp dir and its path printed.

mod alloc;
mod mutate;
mod rng;

use ringstream_core::wav::stream::parse_prefix;
use ringstream_core::wav::{header, read_wav, WavData, WavReader};
use ringstream_core::ErrorKind;
use rng::Rng;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

/// The heap a parse of a `len`-byte file may use at its peak.
fn alloc_bound(len: usize) -> u64 {
    4 * len as u64 + 64 * 1024
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wav-corpus");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the corpus is missing: {dir:?}");
    files
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} must be a number"))
        })
        .unwrap_or(default)
}

/// What one input did, for the run's summary.
#[derive(Default)]
struct Tally {
    inputs: u64,
    read_ok: u64,
    read_err: u64,
    prefix_ok: u64,
    /// The largest heap peak of a parse, and the most it went past 4 x the file size.
    max_peak: u64,
    max_over_4x: i64,
}

fn check_peak(what: &str, peak: u64, len: usize, tally: &mut Tally) {
    assert!(
        peak <= alloc_bound(len),
        "{what} allocated {peak} bytes at its peak for a {len}-byte file (bound {})",
        alloc_bound(len)
    );
    tally.max_peak = tally.max_peak.max(peak);
    tally.max_over_4x = tally.max_over_4x.max(peak as i64 - 4 * len as i64);
}

/// The whole-file reader: a valid result or a `WavFormat` error.
fn whole_file(path: &Path, len: usize, tally: &mut Tally) -> Option<WavData> {
    let (res, peak) = alloc::peak_during(|| read_wav(path));
    check_peak("read_wav", peak, len, tally);
    match res {
        Ok(d) => {
            let ch = d.spec.channels as u64;
            assert_eq!(d.samples.len() as u64, d.frames * ch, "samples vs frames");
            assert!(
                d.frames * d.spec.block_align() as u64 <= len as u64,
                "{} frames cannot fit a {len}-byte file",
                d.frames
            );
            tally.read_ok += 1;
            Some(d)
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::WavFormat, "unexpected error kind: {e}");
            assert!(!e.message().is_empty());
            tally.read_err += 1;
            None
        }
    }
}

/// The streaming reader: blocks of random sizes, reads into a buffer and a
/// seek must give the whole-file reader's samples; each call's heap peak is
/// bounded on its own.
fn streaming(path: &Path, len: usize, whole: Option<&WavData>, rng: &mut Rng, tally: &mut Tally) {
    let (opened, peak) = alloc::peak_during(|| WavReader::open(path));
    check_peak("WavReader::open", peak, len, tally);
    let mut r = match (opened, whole) {
        (Ok(r), Some(_)) => r,
        (Err(e), None) => return assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}"),
        (Ok(_), None) => panic!("WavReader opened a file that read_wav rejected"),
        (Err(e), Some(_)) => panic!("WavReader failed where read_wav did not: {e}"),
    };
    let d = whole.unwrap();
    let ch = r.spec().channels as usize;
    let mut all = Vec::new();
    while r.remaining() > 0 {
        let n = 1 + rng.below(r.frames() as usize + 1);
        if rng.below(2) == 0 {
            let (block, peak) = alloc::peak_during(|| r.read(n as u64));
            check_peak("WavReader::read", peak, len, tally);
            all.extend(block.unwrap());
        } else {
            let mut buf = vec![0.0f32; n.min(4096) * ch];
            let (got, peak) = alloc::peak_during(|| r.read_into(&mut buf));
            check_peak("WavReader::read_into", peak, len, tally);
            all.extend_from_slice(&buf[..got.unwrap() * ch]);
        }
    }
    assert!(
        r.read(10).unwrap().is_empty(),
        "a read past the end returned data"
    );
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(
        bits(&all) == bits(&d.samples),
        "the streaming reader and read_wav disagree"
    );
    if r.frames() > 0 {
        let at = rng.below(r.frames() as usize);
        r.seek(at as u64).unwrap();
        let tail = r.read(u64::MAX).unwrap();
        assert!(
            bits(&tail) == bits(&all[at * ch..]),
            "a read after seek({at}) differs"
        );
    }
}

/// The stream-header parser against the file parser, and on prefixes.
fn stream_header(bytes: &[u8], rng: &mut Rng, tally: &mut Tally) {
    let (res, peak) = alloc::peak_during(|| parse_prefix(bytes));
    check_peak("parse_prefix", peak, bytes.len(), tally);
    let file = header::parse(&mut Cursor::new(bytes), bytes.len() as u64);
    match res {
        Ok(Some(h)) => {
            tally.prefix_ok += 1;
            if let Ok(f) = file {
                assert_eq!((h.spec, h.data_start as u64), (f.spec, f.data_start));
            }
            // Any prefix short of the data is "need more"; any longer one
            // gives the same header.
            let cut = rng.below(bytes.len() + 1);
            let p = parse_prefix(&bytes[..cut]).expect("a prefix of a good header failed");
            if cut < h.data_start {
                assert_eq!(p, None, "a prefix cut at {cut} parsed");
            } else {
                assert_eq!(p, Some(h), "a prefix cut at {cut} parsed differently");
            }
        }
        Ok(None) => {}
        Err(e) => assert_eq!(e.kind(), ErrorKind::WavFormat, "{e}"),
    }
}

/// Runs every reader on `bytes`; on a failure saves the input and says where.
fn check(bytes: &[u8], path: &Path, label: &str, rng: &mut Rng, tally: &mut Tally) {
    std::fs::write(path, bytes).unwrap();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let whole = whole_file(path, bytes.len(), tally);
        streaming(path, bytes.len(), whole.as_ref(), rng, tally);
        stream_header(bytes, rng, tally);
    }));
    tally.inputs += 1;
    if let Err(panic) = outcome {
        let saved =
            std::env::temp_dir().join(format!("wav-fuzz-failure-{}.wav", std::process::id()));
        std::fs::write(&saved, bytes).unwrap();
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{label}: {msg}\n  input saved to {}", saved.display());
    }
}

/// A scratch file of its own for each test (they run in parallel).
fn scratch_file(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ringstream-wav-fuzz-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("input.wav")
}

#[test]
fn every_corpus_file_reads() {
    let path = scratch_file("corpus");
    let mut tally = Tally::default();
    let mut rng = Rng::new(0);
    for (name, bytes) in corpus() {
        check(&bytes, &path, &name, &mut rng, &mut tally);
        assert!(
            whole_file(&path, bytes.len(), &mut tally).is_some(),
            "{name} did not read"
        );
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn mutated_files_never_panic_or_overallocate() {
    let secs = env_u64("WAV_FUZZ_SECS", 3);
    let seed = env_u64("WAV_FUZZ_SEED", 13);
    let files = corpus();
    let path = scratch_file("mutated");
    let mut rng = Rng::new(seed);
    let mut tally = Tally::default();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut i: u64 = 0;
    while Instant::now() < deadline {
        let (name, base) = rng.pick(&files);
        let (_, other) = rng.pick(&files);
        let mut bytes = base.clone();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(4) {
            done.push(mutate::mutate(&mut rng, &mut bytes, other));
        }
        let label = format!("seed {seed} iteration {i}: {name} after {done:?}");
        check(&bytes, &path, &label, &mut rng, &mut tally);
        i += 1;
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    eprintln!(
        "wav fuzz: seed {seed}, {secs} s, {} inputs: read_wav ok {} / WavFormat error {}, \
         stream header ok {}, heap peak at most {} bytes and at most {} bytes above 4 x the file size",
        tally.inputs, tally.read_ok, tally.read_err, tally.prefix_ok, tally.max_peak, tally.max_over_4x
    );
    assert!(tally.inputs > 0);
    // Mutations must leave a fair share of files readable, or the fuzzer
    // only exercises the header checks.
    assert!(
        tally.read_ok * 10 >= tally.inputs,
        "too few readable inputs"
    );
}
