#!/usr/bin/env python3
"""Writes test/fixtures/pya-reference.json: pya's own numbers for the
signal toolkit's convolve and overlap_add, computed with pya itself on the
input scripts/dsp-reference.py makes.

Run again after changing a case: python3 scripts/pya-reference.py
(needs pya and what it imports: pip install pya matplotlib pyamapping).
"""
import importlib.util
import json
import os

import numpy as np
import pya
from scipy import signal
from pya import Asig

HERE = os.path.dirname(__file__)
spec = importlib.util.spec_from_file_location("dspref", os.path.join(HERE, "dsp-reference.py"))
dspref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dspref)
floats, SR = dspref.floats, dspref.SR


def impulse_response(n, channels):
    """A short decaying, ringing response, rounded to float32."""
    t = np.arange(n)
    h = np.exp(-t / (n / 4)) * np.cos(0.9 * t)
    hs = [h, np.exp(-t / (n / 6)) * np.sin(0.4 * t + 0.3)][:channels]
    return np.stack(hs, axis=1).astype(np.float32) if channels > 1 else h.astype(np.float32)


CONVOLVES = [
    dict(channels=1, ir=37, ir_channels=1, mode="full", norm="amp"),
    dict(channels=1, ir=37, ir_channels=1, mode="same", norm="none"),
    dict(channels=1, ir=37, ir_channels=1, mode="valid", norm="none"),
    dict(channels=1, ir=500, ir_channels=1, mode="full", norm="none"),
    dict(channels=1, ir=500, ir_channels=1, mode="valid", norm="amp"),
    dict(channels=2, ir=37, ir_channels=1, mode="full", norm="amp"),
    dict(channels=2, ir=53, ir_channels=2, mode="same", norm="amp"),
]


def convolve_case(c, x):
    a = Asig(x[:, 0] if c["channels"] == 1 else x, sr=SR)
    ir = impulse_response(c["ir"], c["ir_channels"])
    y = a.convolve(ir, mode=c["mode"], norm=c["norm"])
    return dict(c, ir_samples=floats(ir), out=floats(y.sig), frames=int(y.samples),
                exact=floats(exact_convolve(a.sig, ir, c["mode"], c["norm"])))


def exact_convolve(x, ir, mode, norm):
    """pya's convolve (its padding and 'amp') in float64: pya's own runs
    scipy's FFT in float32 (Asig keeps float32), a few 1e-6 off."""
    x = x.astype(np.float64).reshape(len(x), -1)
    h = ir.astype(np.float64).reshape(len(ir), -1)
    if len(h) < len(x):
        h = np.pad(h, ((0, len(x) - len(h)), (0, 0)))
    y = np.stack([signal.convolve(x[:, k], h[:, k if h.shape[1] > 1 else 0], mode=mode, method="direct")
                  for k in range(x.shape[1])], axis=1)
    if norm == "amp":
        y = y / np.max(np.abs(y)) * np.max(np.abs(x))
    return y


OVERLAP_ADDS = [
    dict(nperseg=64, stride_in=32, stride_out=32, win=None),
    dict(nperseg=64, stride_in=16, stride_out=32, win="hann"),
    dict(nperseg=100, stride_in=50, stride_out=20, win="triang"),
    dict(nperseg=33, stride_in=7, stride_out=9, win="hamming"),
]


def overlap_add_case(c, x):
    # pya's overlap_add writes into a mono result: one channel only.
    a = Asig(x[:, 0], sr=SR, label="x")
    y = a.overlap_add(nperseg=c["nperseg"], stride_in=c["stride_in"], stride_out=c["stride_out"], win=c["win"])
    return dict(c, out=floats(y.sig), frames=int(y.samples), label=y.label)


def main():
    x = dspref.test_input(2)
    out = dict(
        generator="scripts/pya-reference.py",
        pya=pya.__version__ if hasattr(pya, "__version__") else "unknown",
        samplerate=SR,
        convolves=[convolve_case(c, x) for c in CONVOLVES],
        overlap_adds=[overlap_add_case(c, x) for c in OVERLAP_ADDS],
    )
    path = os.path.join(HERE, "..", "test", "fixtures", "pya-reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
