#!/usr/bin/env python3
"""Generates scipy reference fixtures for the Signal filter tests.

Run from anywhere with the pyenv python (scipy 1.17):  python3 Tests/SignalTests/Fixtures/make_scipy_fixtures.py
Writes scipy_filters.json next to this script: for every case the `butter(..., output='sos')` /
`iirnotch` coefficients and the `sosfilt` output of one shared input signal; and for decimation the
anti-alias design our Decimator documents (Butterworth order 8 at 0.8 x the output Nyquist) followed by
keeping every q-th sample starting at the first.
"""
import json
import os

import numpy as np
import scipy
from scipy import signal

N_SAMPLES = 512
rng = np.random.default_rng(20261126)
t = np.arange(N_SAMPLES)
# A signal with content across the band: slow drift, mains, mid-band tones, broadband noise, a step.
x = (0.8 * np.sin(2 * np.pi * 0.003 * t) + 0.5 * np.sin(2 * np.pi * 0.05 * t)
     + 0.3 * np.sin(2 * np.pi * 0.21 * t) + 0.2 * rng.standard_normal(N_SAMPLES)
     + np.where(t > N_SAMPLES // 2, 1.0, 0.0))

cases = []


def add(name, kind, params, sos, fs):
    y = signal.sosfilt(sos, x)
    cases.append({"name": name, "kind": kind, "fs": fs, **params,
                  "sos": [list(map(float, row)) for row in sos],
                  "output": list(map(float, y))})


for fs in (1000.0, 250.0):
    for order in range(1, 9):
        lo = fs * (0.02 + 0.03 * order)       # varied cutoffs, all below Nyquist
        add(f"lowpass{order}@{fs}", "lowpass", {"order": order, "low": lo},
            signal.butter(order, lo, btype="lowpass", output="sos", fs=fs), fs)
        hi = fs * (0.04 + 0.035 * order)
        add(f"highpass{order}@{fs}", "highpass", {"order": order, "low": hi},
            signal.butter(order, hi, btype="highpass", output="sos", fs=fs), fs)
        band = (fs * 0.01 * order, fs * (0.12 + 0.04 * order))
        add(f"bandpass{order}@{fs}", "bandpass", {"order": order, "low": band[0], "high": band[1]},
            signal.butter(order, band, btype="bandpass", output="sos", fs=fs), fs)

for fs, f0 in ((1000.0, 50.0), (1000.0, 60.0), (250.0, 50.0), (200.0, 60.0)):
    b, a = signal.iirnotch(f0, 30.0, fs=fs)
    sos = np.array([np.concatenate([b, a])])
    add(f"notch{f0}@{fs}", "notch", {"low": f0, "quality": 30.0}, sos, fs)

decimations = []
for fs, q in ((1000.0, 10), (1000.0, 4), (250.0, 5), (1000.0, 3)):
    sos = signal.butter(8, 0.8 * fs / q / 2, btype="lowpass", output="sos", fs=fs)
    y = signal.sosfilt(sos, x)[::q]
    decimations.append({"fs": fs, "factor": q, "sos": [list(map(float, r)) for r in sos],
                        "output": list(map(float, y))})

out = {"generator": "scipy " + scipy.__version__ + ", numpy " + np.__version__,
       "input": list(map(float, x)), "filters": cases, "decimations": decimations}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy_filters.json")
with open(path, "w") as f:
    json.dump(out, f)
print(f"wrote {len(cases)} filter cases and {len(decimations)} decimation cases to {path}")
