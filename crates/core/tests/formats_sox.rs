//! Files made by sox (and lame for MP3) in every format and encoding
//! ringstream reads, decoded by `audio_file` and compared with the decode of
//! the reference programs (sox, libsndfile's peers; mpg123 for MP3).
//! Needs sox, flac, lame and mpg123 (`.ci/run` installs them).

use ringstream_core::audio_file::{
    read_audio, write_audio, AudioReader, Encoding, FileFormat, WriteSpec,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("ringstream-formats-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed by this test (.ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// sox's own decode of `path` to interleaved f32.
fn sox_decode(path: &Path) -> Vec<f32> {
    sox_decode_with(path, &[])
}

/// sox's decode of `path` through `effects` (`trim ...`).
fn sox_decode_with(path: &Path, effects: &[&str]) -> Vec<f32> {
    let mut args = vec![
        "-D",
        path.to_str().unwrap(),
        "-t",
        "raw",
        "-e",
        "floating-point",
        "-b",
        "32",
        "-L",
        "-",
    ];
    args.extend_from_slice(effects);
    floats(&run("sox", &args))
}

/// A 0.5 s stereo source at 44.1 kHz: a tone and noise, 24-bit, so every
/// encoding's conversion from it has work to do.
fn source(d: &Path) -> PathBuf {
    let p = d.join("source.wav");
    if !p.exists() {
        run(
            "sox",
            &[
                "-n",
                "-r",
                "44100",
                "-c",
                "2",
                "-b",
                "24",
                p.to_str().unwrap(),
                "synth",
                "0.5",
                "sine",
                "440",
                "pinknoise",
                "gain",
                "-3",
            ],
        );
    }
    p
}

fn make(d: &Path, name: &str, args: &[&str]) -> PathBuf {
    let p = d.join(name);
    let mut all = vec!["-D", source(d).to_str().unwrap().to_string().leak() as &str];
    all.extend_from_slice(args);
    all.push(p.to_str().unwrap().to_string().leak());
    run("sox", &all);
    p
}

/// Asserts `got` is `want` sample for sample, naming the first difference
/// (a whole-vector assert prints megabytes).
fn assert_same(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: sample counts differ");
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        panic!(
            "{what}: sample {i} is {} where sox has {} (max diff {} LSB of 16 bits)",
            got[i],
            want[i],
            max_diff(got, want) * 32768.0
        );
    }
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "sample counts differ");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Error energy against reference energy, in dB.
fn snr_db(got: &[f32], reference: &[f32]) -> f64 {
    let (mut e, mut s) = (0f64, 0f64);
    for (g, r) in got.iter().zip(reference) {
        e += f64::from(g - r).powi(2);
        s += f64::from(*r).powi(2);
    }
    10.0 * (e / s).log10()
}

#[test]
fn lossless_files_read_as_sox_decodes_them() {
    let d = dir().join("lossless");
    std::fs::create_dir_all(&d).unwrap();
    // (file name, sox output options, expected format, LSB of the encoding)
    let cases: &[(&str, &[&str], FileFormat, f32)] = &[
        ("s16.wav", &["-b", "16"], FileFormat::Wav, 1.0 / 32768.0),
        (
            "u8.wav",
            &["-b", "8", "-e", "unsigned"],
            FileFormat::Wav,
            1.0 / 128.0,
        ),
        ("s24.wav", &["-b", "24"], FileFormat::Wav, 1.0 / 8388608.0),
        ("s32.wav", &["-b", "32"], FileFormat::Wav, 1.0 / 8388608.0),
        (
            "f32.wav",
            &["-e", "floating-point", "-b", "32"],
            FileFormat::Wav,
            1e-7,
        ),
        (
            "f64.wav",
            &["-e", "floating-point", "-b", "64"],
            FileFormat::Wav,
            1e-7,
        ),
        ("ulaw.wav", &["-e", "u-law"], FileFormat::Wav, 1.0 / 32768.0),
        ("alaw.wav", &["-e", "a-law"], FileFormat::Wav, 1.0 / 32768.0),
        ("s16.flac", &["-b", "16"], FileFormat::Flac, 1.0 / 32768.0),
        ("s24.flac", &["-b", "24"], FileFormat::Flac, 1.0 / 8388608.0),
        ("s8.flac", &["-b", "8"], FileFormat::Flac, 1.0 / 128.0),
        ("s8.aiff", &["-b", "8"], FileFormat::Aiff, 1.0 / 128.0),
        ("s16.aiff", &["-b", "16"], FileFormat::Aiff, 1.0 / 32768.0),
        ("s24.aiff", &["-b", "24"], FileFormat::Aiff, 1.0 / 8388608.0),
        ("s32.aiff", &["-b", "32"], FileFormat::Aiff, 1.0 / 8388608.0),
        (
            "f32.aifc",
            &["-e", "floating-point", "-b", "32"],
            FileFormat::Aiff,
            1e-7,
        ),
        ("ulaw.au", &["-e", "u-law"], FileFormat::Au, 1.0 / 32768.0),
        ("alaw.au", &["-e", "a-law"], FileFormat::Au, 1.0 / 32768.0),
        ("s8.au", &["-b", "8"], FileFormat::Au, 1.0 / 128.0),
        ("s16.au", &["-b", "16"], FileFormat::Au, 1.0 / 32768.0),
        ("s24.au", &["-b", "24"], FileFormat::Au, 1.0 / 8388608.0),
        ("s32.au", &["-b", "32"], FileFormat::Au, 1.0 / 8388608.0),
        (
            "f32.au",
            &["-e", "floating-point", "-b", "32"],
            FileFormat::Au,
            1e-7,
        ),
        (
            "f64.au",
            &["-e", "floating-point", "-b", "64"],
            FileFormat::Au,
            1e-7,
        ),
        ("s16.caf", &["-b", "16"], FileFormat::Caf, 1.0 / 32768.0),
    ];
    let mut failures = Vec::new();
    for &(name, args, format, lsb) in cases {
        let p = make(&d, name, args);
        let reference = sox_decode(&p);
        match read_audio(&p) {
            Ok(got) => {
                assert_eq!(got.info.format, format, "{name}");
                assert_eq!(
                    (got.info.samplerate, got.info.channels),
                    (44100, 2),
                    "{name}"
                );
                if got.samples.len() != reference.len() {
                    failures.push(format!(
                        "{name}: {} samples, sox {}",
                        got.samples.len(),
                        reference.len()
                    ));
                    continue;
                }
                let diff = max_diff(&got.samples, &reference);
                if diff > lsb {
                    failures.push(format!("{name}: off by {} LSB", diff / lsb));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    std::fs::remove_dir_all(&d).ok();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn float_caf_reads_as_the_same_samples_in_wav() {
    // sox (through libsndfile) scales big-endian float CAF by its PEAK
    // chunk (1.4 for this file), so its own decode is no reference: the
    // same samples written as float WAV are.
    let d = dir().join("caf");
    std::fs::create_dir_all(&d).unwrap();
    let caf = make(&d, "f32.caf", &["-e", "floating-point", "-b", "32"]);
    let wav = make(&d, "f32.wav", &["-e", "floating-point", "-b", "32"]);
    let got = read_audio(&caf).unwrap();
    assert_eq!(got.info.encoding, "float");
    assert_eq!(got.samples, read_audio(&wav).unwrap().samples);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn adpcm_decodes_bit_exact_as_sox_does() {
    let d = dir().join("adpcm");
    std::fs::create_dir_all(&d).unwrap();
    // Lengths: one frame, inside the first block, whole blocks (sox
    // writes stereo IMA in 505-frame, MS in 1012-frame blocks at 44.1 kHz)
    // and a partial last block.
    for frames in [1u32, 300, 505, 2024, 22050] {
        for channels in ["1", "2"] {
            for (enc, name, ext) in [
                ("ima-adpcm", "ima_adpcm", "wav"),
                ("ms-adpcm", "ms_adpcm", "wav"),
                ("ima-adpcm", "ima_adpcm", "w64"),
            ] {
                let file = format!("{enc}-{channels}-{frames}.{ext}");
                let len = format!("{frames}s");
                let p = d.join(&file);
                let src = source(&d);
                run(
                    "sox",
                    &[
                        "-D",
                        src.to_str().unwrap(),
                        "-c",
                        channels,
                        "-e",
                        enc,
                        p.to_str().unwrap(),
                        "trim",
                        "0",
                        &len,
                    ],
                );
                let got = read_audio(&p).unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_eq!(got.info.encoding, name, "{file}");
                let reference = sox_decode(&p);
                assert_same(&got.samples, &reference, &file);
                // sox and libsndfile agree on decoding every block whole,
                // the last one's padding too (they ignore the fact chunk).
                let whole = (reference.len() / usize::from(got.info.channels)) as u64;
                assert_eq!(got.info.frames, Some(whole), "{file}");
                assert!(whole >= u64::from(frames), "{file}");
            }
        }
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn wave64_reads_every_encoding_as_sox_does() {
    let d = dir().join("w64");
    std::fs::create_dir_all(&d).unwrap();
    for (name, args, encoding) in [
        ("u8.w64", &["-b", "8", "-e", "unsigned"][..], "pcm_u8"),
        ("s16.w64", &["-b", "16"], "pcm_16"),
        ("s24.w64", &["-b", "24"], "pcm_24"),
        ("s32.w64", &["-b", "32"], "pcm_32"),
        ("f32.w64", &["-e", "floating-point", "-b", "32"], "float"),
        ("ulaw.w64", &["-e", "u-law"], "ulaw"),
        ("alaw.w64", &["-e", "a-law"], "alaw"),
        ("ms.w64", &["-e", "ms-adpcm"], "ms_adpcm"),
    ] {
        let p = make(&d, name, args);
        let got = read_audio(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.info.format, FileFormat::W64, "{name}");
        assert_eq!(got.info.encoding, encoding, "{name}");
        assert_eq!((got.info.samplerate, got.info.channels), (44100, 2));
        // sox reads Wave64 through libsndfile, which scales float files by
        // their PEAK chunk (as float CAF): the same samples in WAV decide.
        // (A double Wave64 from sox holds samples scaled to 32-bit integers,
        // which libsndfile alone undoes: no reference, so not tested here.)
        let reference = if name.starts_with('f') {
            sox_decode(&make(&d, &name.replace("w64", "wav"), args))
        } else {
            sox_decode(&p)
        };
        assert_same(&got.samples, &reference, name);
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn ogg_vorbis_matches_libvorbis_and_is_trimmed() {
    let d = dir().join("ogg");
    std::fs::create_dir_all(&d).unwrap();
    let p = make(&d, "v.ogg", &["-C", "6"]);
    let reference = sox_decode(&p);
    let got = read_audio(&p).unwrap();
    assert_eq!(got.info.format, FileFormat::Ogg);
    assert_eq!(got.info.encoding, "vorbis");
    assert_eq!(
        got.samples.len(),
        reference.len(),
        "frames: the end must be trimmed to the last granule"
    );
    let db = snr_db(&got.samples, &reference);
    assert!(db < -90.0, "{db} dB against libvorbis");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn mp3_matches_mpg123_gapless() {
    let d = dir().join("mp3");
    std::fs::create_dir_all(&d).unwrap();
    let wav = make(&d, "s16.wav", &["-b", "16"]);
    let mp3 = d.join("v.mp3");
    run(
        "lame",
        &[
            "--quiet",
            "-V",
            "2",
            "--tt",
            "Tone",
            "--ta",
            "Sox",
            wav.to_str().unwrap(),
            mp3.to_str().unwrap(),
        ],
    );
    let reference = floats(&run(
        "mpg123",
        &["-q", "-e", "f32", "-s", mp3.to_str().unwrap()],
    ));
    let got = read_audio(&mp3).unwrap();
    assert_eq!(got.info.format, FileFormat::Mp3);
    assert_eq!(got.info.tags.title.as_deref(), Some("Tone"));
    assert_eq!(got.info.tags.artist.as_deref(), Some("Sox"));
    assert_eq!(
        got.samples.len(),
        reference.len(),
        "frames: encoder delay and padding must be trimmed"
    );
    let db = snr_db(&got.samples, &reference);
    assert!(db < -90.0, "{db} dB against mpg123");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn files_ringstream_writes_read_identically_in_sox() {
    let d = dir().join("write");
    std::fs::create_dir_all(&d).unwrap();
    let src = read_audio(source(&d)).unwrap().samples;
    let cases: &[(&str, Encoding)] = &[
        ("s16.wav", Encoding::Pcm16),
        ("s24.wav", Encoding::Pcm24),
        ("s16.flac", Encoding::Pcm16),
        ("s24.flac", Encoding::Pcm24),
        ("s8.flac", Encoding::PcmS8),
        ("s8.aiff", Encoding::PcmS8),
        ("s16.aiff", Encoding::Pcm16),
        ("s24.aiff", Encoding::Pcm24),
        ("s32.aiff", Encoding::Pcm32),
        ("ulaw.au", Encoding::Ulaw),
        ("alaw.au", Encoding::Alaw),
        ("s16.au", Encoding::Pcm16),
        ("f32.au", Encoding::Float),
        ("f64.au", Encoding::Double),
        ("s16.w64", Encoding::Pcm16),
        ("s24.w64", Encoding::Pcm24),
        // (Not float: sox reads Wave64 through libsndfile, which scales
        // float to its peak when sox asks for integers.)
        ("alaw.w64", Encoding::Alaw),
    ];
    for &(name, encoding) in cases {
        let p = d.join(name);
        let spec = WriteSpec {
            samplerate: 44100,
            channels: 2,
            format: None,
            encoding: Some(encoding),
            big_endian: false,
        };
        write_audio(&p, &src, spec).unwrap();
        let ours = read_audio(&p).unwrap();
        let theirs = sox_decode(&p);
        assert_eq!(
            ours.samples, theirs,
            "{name}: sox reads what ringstream reads"
        );
        // Half a step of the encoding: G.711's largest step is 1024/32768,
        // and Sun's codec (sox's) puts its points up to 8/32768 off centre.
        let tol = match encoding.int_bits() {
            Some(b) => 0.5 / (1u32 << (b - 1)) as f32,
            None if matches!(encoding, Encoding::Ulaw | Encoding::Alaw) => 520.0 / 32768.0,
            None => 0.0,
        };
        let diff = max_diff(&ours.samples, &src);
        assert!(diff <= tol + 1e-9, "{name}: {diff} from the source");
    }
    let flac = d.join("s16.flac");
    run("flac", &["-t", "-s", flac.to_str().unwrap()]);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn seeking_lands_on_the_exact_frame() {
    let d = dir().join("seek");
    std::fs::create_dir_all(&d).unwrap();
    let wav = make(&d, "s16.wav", &["-b", "16"]);
    let mp3 = d.join("s.mp3");
    run(
        "lame",
        &["--quiet", wav.to_str().unwrap(), mp3.to_str().unwrap()],
    );
    for (name, args) in [
        ("s.flac", &["-b", "16"][..]),
        ("s.au", &["-b", "16"]),
        ("s.aiff", &["-b", "16"]),
        ("s.ogg", &[]),
        ("s.mp3", &[]),
        ("ima.wav", &["-e", "ima-adpcm"]),
        ("ms.wav", &["-e", "ms-adpcm"]),
        ("s.w64", &["-b", "16"]),
    ] {
        let p = if name == "s.mp3" {
            mp3.clone()
        } else {
            make(&d, name, args)
        };
        let all = read_audio(&p).unwrap().samples;
        let mut r = AudioReader::open(&p).unwrap();
        for at in [17_000u64, 3, 20_000] {
            r.seek(at).unwrap();
            let mut block = vec![0f32; 2 * 256];
            assert_eq!(r.read_into(&mut block).unwrap(), 256, "{name}");
            let want = &all[at as usize * 2..at as usize * 2 + 512];
            assert!(max_diff(&block, want) < 1e-6, "{name} at {at}");
        }
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn seeks_land_where_sox_trim_starts() {
    let d = dir().join("trim");
    std::fs::create_dir_all(&d).unwrap();
    for (name, args) in [
        ("s.flac", &["-b", "16"][..]),
        ("s.ogg", &[]),
        ("ima.wav", &["-e", "ima-adpcm"]),
        ("ms.w64", &["-e", "ms-adpcm"]),
    ] {
        let p = make(&d, name, args);
        let mut r = AudioReader::open(&p).unwrap();
        for at in [1u64, 4095, 12_345, 20_000] {
            let trimmed = sox_decode_with(&p, &["trim", &format!("{at}s"), "1000s"]);
            r.seek(at).unwrap();
            let mut block = vec![0f32; 2 * 1000];
            assert_eq!(r.read_into(&mut block).unwrap(), 1000, "{name}");
            if name == "s.ogg" {
                // libvorbis (sox) and symphonia: the same decode within -90 dB.
                let db = snr_db(&block, &trimmed);
                assert!(db < -90.0, "{name} at {at}: {db} dB");
            } else {
                assert_same(&block, &trimmed, &format!("{name} at {at}"));
            }
        }
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn streamed_recordings_read_in_sox_as_written() {
    use ringstream_core::audio_file::AudioWriter;
    let d = dir().join("stream");
    std::fs::create_dir_all(&d).unwrap();
    // On the 16-bit grid: every format keeps it exactly.
    let src: Vec<f32> = (0..2 * 30_001)
        .map(|i| (((i * 7919) % 65536) as f32 - 32768.0) / 32768.0)
        .collect();
    for name in ["r.flac", "r.aiff", "r.au", "r.wav", "r.w64"] {
        let p = d.join(name);
        let spec = WriteSpec {
            samplerate: 48000,
            channels: 2,
            format: None,
            encoding: Some(Encoding::Pcm16),
            big_endian: false,
        };
        let mut w = AudioWriter::create(&p, spec).unwrap();
        // Blocks of odd sizes, as a ring delivers them.
        for chunk in src.chunks(2 * 1237) {
            w.write(chunk).unwrap();
        }
        assert_eq!(w.frames(), 30_001);
        w.close().unwrap();
        assert_eq!(sox_decode(&p), src, "{name}");
        assert_eq!(read_audio(&p).unwrap().samples, src, "{name}");
    }
    run("flac", &["-t", "-s", d.join("r.flac").to_str().unwrap()]);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_flac_recording_cut_short_decodes_up_to_its_last_block() {
    use ringstream_core::audio_file::AudioWriter;
    let d = dir().join("killed");
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join("cut.flac");
    let src: Vec<f32> = (0..10_000)
        .map(|i| ((i % 300) as f32 - 150.0) / 512.0)
        .collect();
    let spec = WriteSpec {
        samplerate: 8000,
        channels: 1,
        format: None,
        encoding: Some(Encoding::Pcm16),
        big_endian: false,
    };
    let mut w = AudioWriter::create(&p, spec).unwrap();
    w.write(&src).unwrap();
    w.flush().unwrap();
    // What SIGKILL leaves: no close, so no final STREAMINFO and no last block.
    std::mem::forget(w);
    run("flac", &["-t", "-s", p.to_str().unwrap()]);
    let theirs = sox_decode(&p);
    assert_eq!(theirs.len(), 8192, "the two whole 4096-frame blocks");
    assert_eq!(theirs, &src[..8192]);
    assert_eq!(read_audio(&p).unwrap().samples, &src[..8192]);
    std::fs::remove_dir_all(&d).ok();
}
