#!/usr/bin/env python3
"""Regenerates the WAV fuzz corpus in this directory (needs sox).

Real files from sox (every encoding, mono and stereo, plain and
WAVE_FORMAT_EXTENSIBLE) and hand-built ones with the oddities readers meet
in the wild: LIST/INFO and odd-sized chunks with their pad byte, a fact
chunk, a chunk before fmt, an extensible header with valid bits below the
container, sox's unknown-length header, a data size that is not a whole
number of frames, empty and one-frame files. Each file stays small so that a
fuzzing run tries many mutations per second.
"""
import os
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def sox(name, *args, synth=("sine", "440")):
    out = os.path.join(HERE, name)
    subprocess.run(["sox", "-n", "-r", "8000", *args, out, "synth", "0.01", *synth],
                   check=True)


def chunk(tag, body):
    pad = b"\0" if len(body) & 1 else b""
    return tag + struct.pack("<I", len(body)) + body + pad


def fmt(tag, channels, rate, bits, container=None, ext=None):
    container = container or bits // 8
    align = channels * container
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if ext is not None:
        valid, mask, sub = ext
        guid_tail = bytes([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71])
        body += struct.pack("<HHI", 22, valid, mask) + struct.pack("<H", sub) + guid_tail
    return chunk(b"fmt ", body)


def riff(*chunks, riff_size=None):
    body = b"WAVE" + b"".join(chunks)
    size = len(body) if riff_size is None else riff_size
    return b"RIFF" + struct.pack("<I", size) + body


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    sox("sox-i16-mono.wav", "-b", "16", "-c", "1")
    sox("sox-i24-stereo.wav", "-b", "24", "-c", "2")  # sox writes 24-bit as EXTENSIBLE
    sox("sox-i32-mono.wav", "-b", "32", "-e", "signed-integer", "-c", "1")
    sox("sox-f32-stereo.wav", "-b", "32", "-e", "floating-point", "-c", "2")
    sox("sox-u8-mono.wav", "-b", "8", "-c", "1")
    sox("sox-i16-6ch.wav", "-b", "16", "-c", "6")  # more than 2 channels: EXTENSIBLE
    pcm16 = struct.pack("<8h", 0, 1000, -1000, 32767, -32768, 5, -5, 0)
    write("list-info.wav", riff(
        fmt(1, 2, 44100, 16),
        chunk(b"LIST", b"INFO" + chunk(b"INAM", b"fuzz corpus\0") + chunk(b"ISFT", b"make.py")),
        chunk(b"data", pcm16)))
    write("odd-chunk-before-fmt.wav", riff(
        chunk(b"junk", b"odd"), fmt(1, 1, 22050, 16), chunk(b"data", pcm16)))
    write("float-fact.wav", riff(
        chunk(b"fmt ", struct.pack("<HHIIHHH", 3, 1, 8000, 32000, 4, 32, 0)),
        chunk(b"fact", struct.pack("<I", 4)),
        chunk(b"data", struct.pack("<4f", 0.0, 0.5, -0.5, 1.0))))
    write("ext-20-in-24.wav", riff(
        fmt(0xFFFE, 2, 48000, 24, 3, (20, 3, 1)),
        chunk(b"data", bytes(range(24)))))
    write("ext-float.wav", riff(
        fmt(0xFFFE, 1, 48000, 32, 4, (32, 4, 3)),
        chunk(b"data", struct.pack("<3f", 0.25, -0.25, 0.125))))
    write("unknown-length.wav", riff(
        fmt(1, 1, 8000, 16),
        b"data" + struct.pack("<I", 0x7FFFF000) + pcm16, riff_size=0x7FFFF024))
    write("ragged-data.wav", riff(fmt(1, 2, 8000, 16), chunk(b"data", pcm16[:7])))
    write("empty-data.wav", riff(fmt(1, 1, 8000, 16), chunk(b"data", b"")))
    write("one-frame-u8.wav", riff(fmt(1, 1, 8000, 8), chunk(b"data", b"\x80")))
    write("trailing-chunk.wav", riff(
        fmt(1, 1, 8000, 16), chunk(b"data", pcm16), chunk(b"LIST", b"INFO")))


if __name__ == "__main__":
    main()
