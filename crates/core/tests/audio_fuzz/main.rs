//! The mutation fuzzer of `wav_fuzz`, pointed at every other entry point
//! of `audio_file`: files made by sox and lame (FLAC, Ogg Vorbis, MP3, AIFF,
//! AIFF-C, AU, CAF, WAV encodings only symphonia reads, IMA and MS ADPCM,
//! Wave64), mutated with
//! the same seeded mutations, opened with `AudioReader` (content-sniffed),
//! read in blocks and seeked. For every input:
//!
//! - no panic (a panic inside symphonia is caught and becomes an error);
//! - an `Err` of kind `UnsupportedFormat`, `WavFormat` or `Io` (a truncated
//!   read), or samples in whole frames;
//! - the heap peak of `open`, of each 4096-frame `read_into` and of `seek`
//!   at most 4 x the file size + 64 KiB (the WAV bound) plus a fixed 4 MiB
//!   for a decoder's tables and buffers, which FLAC and Vorbis size from
//!   their headers (up to 65535 frames x 8 channels), so no header can make
//!   a reader allocate more.
//!
//! The same inputs pushed through `PipeDecoder` in random splits: see
//! [`pipe`] for its heap bound (every thread's bytes: it decodes on a
//! thread of its own).
//!
//! `AUDIO_FUZZ_SECS` (default 3, per test) and `AUDIO_FUZZ_SEED` as in
//! `wav_fuzz`; `npm run fuzz:audio` runs both fuzzers longer.
//! Needs sox and lame (`.ci/run` installs them).

#[path = "../wav_fuzz/alloc.rs"]
mod alloc;
#[path = "../wav_fuzz/mutate.rs"]
#[allow(dead_code)]
mod mutate;
mod pipe;
#[path = "../wav_fuzz/rng.rs"]
mod rng;

use ringstream_core::audio_file::AudioReader;
use ringstream_core::ErrorKind;
use rng::Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Held by every test: the pipe fuzzer counts all threads' heap.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

/// The fixed allowance for a decoder's own state, beyond the WAV bound.
const DECODER_ALLOWANCE: u64 = 4 << 20;
/// Samples read from one input at most: a tiny FLAC of constant blocks can
/// legitimately decode to minutes of audio, which proves nothing more.
const MAX_SAMPLES: usize = 4 << 20;

fn bound(len: usize) -> u64 {
    4 * len as u64 + 64 * 1024 + DECODER_ALLOWANCE
}

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "ringstream-audio-fuzz-{}-{test}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed by this test (.ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Small files in every format, made by sox (and lame) from one source.
fn corpus(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let src = dir.join("src.wav");
    let s = src.to_str().unwrap();
    run(
        "sox",
        &[
            "-n",
            "-r",
            "22050",
            "-c",
            "2",
            "-b",
            "16",
            s,
            "synth",
            "0.3",
            "sine",
            "440",
            "pinknoise",
            "gain",
            "-3",
        ],
    );
    let made: [(&str, &[&str]); 14] = [
        ("a.flac", &[]),
        ("a.ogg", &[]),
        ("a.aiff", &[]),
        ("f.aifc", &["-e", "floating-point"]),
        ("u.au", &["-e", "u-law"]),
        ("a.au", &["-b", "24"]),
        ("a.caf", &[]),
        ("d.wav", &["-e", "floating-point", "-b", "64"]),
        ("l.wav", &["-e", "a-law"]),
        ("i.wav", &["-e", "ima-adpcm"]),
        ("m.wav", &["-e", "ms-adpcm"]),
        ("m1.wav", &["-c", "1", "-e", "ms-adpcm"]),
        ("i.w64", &["-e", "ima-adpcm"]),
        ("s.w64", &["-b", "24"]),
    ];
    let mut files = Vec::new();
    for (name, args) in made {
        let p = dir.join(name);
        let mut all = vec![s];
        all.extend_from_slice(args);
        all.push(p.to_str().unwrap());
        run("sox", &all);
        files.push(p);
    }
    let mp3 = dir.join("a.mp3");
    run(
        "lame",
        &[
            "--quiet",
            "--tt",
            "T",
            "--ta",
            "A",
            s,
            mp3.to_str().unwrap(),
        ],
    );
    files.push(mp3);
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn peak<T>(what: &str, len: usize, f: impl FnOnce() -> T) -> T {
    let (r, peak) = alloc::peak_during(f);
    assert!(
        peak <= bound(len),
        "{what} allocated {peak} bytes at its peak for a {len}-byte file (bound {})",
        bound(len)
    );
    r
}

fn expected(e: &ringstream_core::Error) {
    assert!(
        matches!(
            e.kind(),
            ErrorKind::UnsupportedFormat | ErrorKind::WavFormat | ErrorKind::Io
        ),
        "unexpected error kind: {e}"
    );
    assert!(!e.message().is_empty());
}

/// Opens, reads and seeks one input; true if it read without error.
fn check(path: &Path, len: usize, rng: &mut Rng) -> bool {
    let mut r = match peak("open", len, || AudioReader::open(path)) {
        Ok(r) => r,
        Err(e) => {
            expected(&e);
            return false;
        }
    };
    let ch = r.info().channels as usize;
    let mut block = vec![0f32; 4096 * ch];
    let mut total = 0;
    let mut ok = true;
    while total < MAX_SAMPLES {
        match peak("read_into", len, || r.read_into(&mut block)) {
            Ok(0) => break,
            Ok(n) => total += n * ch,
            Err(e) => {
                expected(&e);
                ok = false;
                break;
            }
        }
    }
    let at = rng.below(total / ch.max(1) + 1) as u64;
    if let Err(e) = peak("seek", len, || r.seek(at)) {
        expected(&e);
    } else if let Err(e) = peak("read_into after seek", len, || r.read_into(&mut block)) {
        expected(&e);
    }
    ok
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// Feeds mutated corpus files to `check` for `secs` seconds; returns the
/// inputs tried and those `check` read whole. A panic (caught, and kept
/// quiet by the default hook meanwhile) saves its input and fails the test.
fn drive(
    files: &[(String, Vec<u8>)],
    rng: &mut Rng,
    (seed, secs): (u64, u64),
    label: &str,
    mut check: impl FnMut(&[u8], &mut Rng) -> bool,
) -> (u64, u64) {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut inputs, mut read_ok) = (0u64, 0u64);
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        let (name, base) = rng.pick(files);
        let (_, other) = rng.pick(files);
        let mut bytes = base.clone();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(4) {
            done.push(mutate::mutate(rng, &mut bytes, other));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&bytes, rng)));
        inputs += 1;
        match outcome {
            Ok(ok) => read_ok += u64::from(ok),
            Err(panic) => {
                std::panic::set_hook(hook);
                let saved = std::env::temp_dir().join(format!(
                    "audio-fuzz{label}-failure-{}-{name}",
                    std::process::id()
                ));
                std::fs::write(&saved, &bytes).unwrap();
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!(
                    "seed {seed} input {inputs}: {name}{label} after {done:?}: {msg}\n  saved to {}",
                    saved.display()
                );
            }
        }
    }
    std::panic::set_hook(hook);
    (inputs, read_ok)
}

#[test]
fn mutated_files_of_every_format_never_panic_or_overallocate() {
    let _serial = serial();
    let secs = env_u64("AUDIO_FUZZ_SECS", 3);
    let seed = env_u64("AUDIO_FUZZ_SEED", 21);
    let dir = scratch("mutated");
    let files = corpus(&dir);
    let path = dir.join("input");
    let mut rng = Rng::new(seed);
    for (name, bytes) in &files {
        std::fs::write(&path, bytes).unwrap();
        assert!(
            check(&path, bytes.len(), &mut rng),
            "{name} did not read unmutated"
        );
    }
    let (inputs, read_ok) = drive(&files, &mut rng, (seed, secs), "", |bytes, rng| {
        std::fs::write(&path, bytes).unwrap();
        check(&path, bytes.len(), rng)
    });
    std::fs::remove_dir_all(&dir).ok();
    eprintln!("audio fuzz: seed {seed}, {secs} s, {inputs} inputs, {read_ok} read to the end without error");
    assert!(inputs > 0);
    assert!(
        read_ok * 20 >= inputs,
        "too few readable inputs: {read_ok} of {inputs}"
    );
}

/// Where the `data` chunk's samples start in a RIFF file.
fn data_start(bytes: &[u8]) -> usize {
    bytes.windows(4).position(|w| w == b"data").unwrap() + 8
}

#[test]
fn adpcm_headers_out_of_range_error_or_read_within_the_bound() {
    let _serial = serial();
    let dir = scratch("adpcm");
    let files = corpus(&dir);
    let path = dir.join("input");
    let mut rng = Rng::new(7);
    let le16 = |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for name in ["i.wav", "m.wav", "m1.wav"] {
        let base = &files.iter().find(|f| f.0 == name).unwrap().1;
        // The fmt body starts at byte 20: block align at 32, samples per
        // block at 38, MS's coefficient count at 40.
        for (what, at, v) in [
            ("block align 0", 32, 0),
            ("block align 1", 32, 1),
            ("block align 65535", 32, u16::MAX),
            ("samples per block 0", 38, 0),
            ("samples per block 65535", 38, u16::MAX),
            ("channels 0", 22, 0),
            ("channels 65535", 22, u16::MAX),
            ("coefficient count 65535", 40, u16::MAX),
            ("coefficient count 0", 40, 0),
        ] {
            let mut b = base.clone();
            le16(&mut b, at, v);
            cases.push((format!("{name}: {what}"), b));
        }
        // The first block's header: IMA's step index (byte 2), MS's
        // predictor index (byte 0) and step (bytes 1-2 mono, 2-3 stereo).
        for (what, off, v) in [
            ("index 200", 2, 200u8),
            ("index 255", 0, 255),
            ("step 0", 1, 0),
        ] {
            let mut b = base.clone();
            let at = data_start(&b) + off;
            b[at] = v;
            cases.push((format!("{name}: first block {what}"), b));
        }
        let mut cut = base.clone();
        cut.truncate(data_start(base) + 3);
        cases.push((format!("{name}: cut inside the first block header"), cut));
    }
    for (what, bytes) in &cases {
        std::fs::write(&path, bytes).unwrap();
        let r = catch_unwind(AssertUnwindSafe(|| check(&path, bytes.len(), &mut rng)));
        assert!(r.is_ok(), "{what}: panicked");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The largest heap peak of a pipe decode (for the report).
static PIPE_PEAK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Pushes one input through a pipe decoder, measuring every thread's heap.
fn check_pipe(bytes: &[u8], rng: &mut Rng) -> bool {
    let (o, peak) = alloc::peak_all_threads_during(|| pipe::decode(bytes, rng));
    PIPE_PEAK.fetch_max(peak, std::sync::atomic::Ordering::Relaxed);
    let most = pipe::pipe_bound(bytes.len(), o.channels);
    assert!(
        peak <= most,
        "a pipe decode allocated {peak} bytes at its peak for a {}-byte, {}-channel stream (bound {most})",
        bytes.len(),
        o.channels
    );
    o.ok
}

#[test]
fn mutated_pipe_streams_never_panic_hang_or_overallocate() {
    let _serial = serial();
    let secs = env_u64("AUDIO_FUZZ_SECS", 3);
    let seed = env_u64("AUDIO_FUZZ_SEED", 21);
    let dir = scratch("pipe");
    let files = corpus(&dir);
    let mut rng = Rng::new(seed);
    for (name, bytes) in &files {
        let ok = check_pipe(bytes, &mut rng);
        // What a pipe decodes (AU, CAF and Wave64 are refused; PCM WAV takes the PCM path).
        if [".flac", ".ogg", ".mp3", ".aiff", ".aifc"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            assert!(ok, "{name} did not decode from a pipe unmutated");
        }
    }
    let (inputs, read_ok) = drive(&files, &mut rng, (seed, secs), "-pipe", check_pipe);
    std::fs::remove_dir_all(&dir).ok();
    let peak = PIPE_PEAK.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("audio fuzz (pipe): seed {seed}, {secs} s, {inputs} inputs, {read_ok} decoded to the end without error, heap peak {peak} bytes");
    assert!(inputs > 0);
    assert!(
        read_ok * 20 >= inputs,
        "too few decodable inputs: {read_ok} of {inputs}"
    );
}
