#!/usr/bin/env python3
"""Writes test/fixtures/dsp-reference.json: scipy.signal's numbers that the
signal toolkit's filters and transforms must match (within 1e-6).

Run again after changing a case: python3 scripts/dsp-reference.py
(needs numpy and scipy: pip install numpy scipy).
"""
import json
import os

import numpy as np
import scipy
from scipy import interpolate, signal

SR = 8000
N = 400


def test_input(channels):
    """A deterministic stereo test signal (two sines, a step and a chirp),
    rounded to float32 as the toolkit stores it."""
    t = np.arange(N) / SR
    a = 0.5 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 2500 * t)
    b = 0.4 * signal.chirp(t, 50, t[-1], 3500) + (t > 0.02) * 0.2
    x = np.stack([a, b], axis=1)[:, :channels].astype(np.float32)
    return x


def floats(a):
    # 12 significant digits: far below the 1e-6 the tests allow, a third of the size.
    return [float(f"{v:.12g}") for v in np.ravel(a)]


FILTERS = [
    dict(cutoffs=[1000], btype="lowpass", ftype="butter", order=4),
    dict(cutoffs=[1000], btype="highpass", ftype="butter", order=5),
    dict(cutoffs=[500, 2000], btype="bandpass", ftype="butter", order=4),
    dict(cutoffs=[500, 2000], btype="bandstop", ftype="butter", order=3),
    dict(cutoffs=[1200], btype="lowpass", ftype="cheby1", order=5, rp=1),
    dict(cutoffs=[800], btype="highpass", ftype="cheby1", order=4, rp=0.5),
    dict(cutoffs=[300, 1500], btype="bandpass", ftype="cheby1", order=3, rp=2),
    dict(cutoffs=[1000], btype="lowpass", ftype="cheby2", order=6, rs=40),
    dict(cutoffs=[1500], btype="highpass", ftype="cheby2", order=5, rs=50),
    dict(cutoffs=[300, 1500], btype="bandpass", ftype="cheby2", order=4, rs=30),
    dict(cutoffs=[500, 2000], btype="bandstop", ftype="cheby2", order=4, rs=40),
    dict(cutoffs=[200, 3000], btype="bandstop", ftype="cheby1", order=5, rp=1),
    dict(cutoffs=[1000], btype="lowpass", ftype="ellip", order=5, rp=1, rs=40),
    dict(cutoffs=[800], btype="highpass", ftype="ellip", order=4, rp=0.5, rs=60),
    dict(cutoffs=[300, 1500], btype="bandpass", ftype="ellip", order=3, rp=2, rs=30),
    dict(cutoffs=[500, 2000], btype="bandstop", ftype="ellip", order=6, rp=0.1, rs=50),
    dict(cutoffs=[1000], btype="lowpass", ftype="bessel", order=8),
    dict(cutoffs=[800], btype="highpass", ftype="bessel", order=3),
    dict(cutoffs=[300, 1500], btype="bandpass", ftype="bessel", order=4),
    dict(cutoffs=[500, 2000], btype="bandstop", ftype="bessel", order=5),
    dict(cutoffs=[1500], btype="lowpass", ftype="ellip", order=12, rp=1, rs=80),
]


def filter_case(spec, x):
    wn = np.array(spec["cutoffs"]) / (SR / 2)
    wn = wn[0] if len(wn) == 1 else wn
    sos = signal.iirfilter(spec["order"], wn, rp=spec.get("rp"), rs=spec.get("rs"),
                           btype=spec["btype"], ftype=spec["ftype"], output="sos")
    w, h = signal.sosfreqz(sos, worN=64, fs=SR)
    return dict(spec, sos=floats(sos),
                lfilter=floats(signal.sosfilt(sos, x, axis=0)),
                filtfilt=floats(signal.sosfiltfilt(sos, x, axis=0)),
                freqs=floats(w), re=floats(h.real), im=floats(h.imag))


STFTS = [
    dict(window="hann", nperseg=256, noverlap=None),
    dict(window="hamming", nperseg=64, noverlap=48),
    dict(window="blackman", nperseg=100, noverlap=75),
]


def stft_case(spec, x):
    """scipy's stft along frames; Zxx planar as the toolkit's:
    [channel][segment][bin]."""
    f, t, z = signal.stft(x, fs=SR, window=spec["window"], nperseg=spec["nperseg"],
                          noverlap=spec["noverlap"], axis=0)
    z = np.transpose(z, (1, 2, 0))  # (bins, channels, segments) -> (channels, segments, bins)
    _, back = signal.istft(np.transpose(z, (2, 0, 1)), fs=SR, window=spec["window"],
                           nperseg=spec["nperseg"], noverlap=spec["noverlap"],
                           time_axis=-1, freq_axis=0)
    return dict(spec, freqs=floats(f), times=floats(t), segments=z.shape[1], bins=z.shape[2],
                re=floats(z.real), im=floats(z.imag),
                istft=floats(np.transpose(back)[:N]))


def spec_case(x):
    """numpy's rfft (pya's Aspec) and pya's weight([1, 0.1], [500, 2000]),
    whose outer gains hold to 0 Hz and Nyquist; bins planar by channel."""
    spec = np.fft.rfft(x.astype(np.float64), axis=0)
    freqs = np.arange(spec.shape[0]) * SR / N
    gain = interpolate.interp1d([0, 500, 2000, SR / 2], [1, 1, 0.1, 0.1], kind="linear")(freqs) ** 2
    weighted = spec * gain[:, None]
    return dict(re=floats(spec.T.real), im=floats(spec.T.imag),
                weighted_re=floats(weighted.T.real), weighted_im=floats(weighted.T.imag),
                weighted_signal=floats(np.fft.irfft(weighted, n=N, axis=0)))


def main():
    x = test_input(2)
    out = dict(
        generator="scripts/dsp-reference.py",
        scipy=scipy.__version__,
        samplerate=SR,
        channels=2,
        input=floats(x),
        filters=[filter_case(s, x) for s in FILTERS],
        stfts=[stft_case(s, x) for s in STFTS],
        spectrum=spec_case(x),
    )
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "dsp-reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
