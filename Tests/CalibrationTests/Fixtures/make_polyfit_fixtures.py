#!/usr/bin/env python3
"""Regenerates polyfit_fixtures.json: least-squares fits computed by numpy.polyfit, the reference the Swift
Householder-QR fit must match to 1e-9 relative.

Run from this directory with the pyenv python3 (numpy >= 1.24):  python3 make_polyfit_fixtures.py
Points are raw ADC counts (x) and reference values (y) shaped like real calibrations of the simulator's channels.
"""
import json

import numpy as np

rng = np.random.default_rng(20261126)


def case(name, x, y, degree):
    coeffs = np.polyfit(np.asarray(x, float), np.asarray(y, float), degree)  # highest power first
    return {
        "name": name,
        "degree": degree,
        "x": [float(v) for v in x],
        "y": [float(v) for v in y],
        "coefficients_ascending": [float(c) for c in coeffs[::-1]],
        "numpy": np.__version__,
    }


cases = []
# 24-bit force channel: offset 1234 counts, 40000 counts/N, mild quadratic, 0..100 N.
ref = np.array([0, 10, 20, 50, 100, 100, 50, 20, 10, 0], float)
raw = 1234 + 40000 * ref + 0.8 * ref**2 + rng.normal(0, 0.1, ref.size)
for d in (1, 2, 3):
    cases.append(case(f"force24-degree{d}", raw, ref, d))
# 16-bit displacement channel, 0..900 um.
ref = np.linspace(0, 900, 7)
raw = 1000 + 60 * ref + rng.normal(0, 0.05, ref.size)
for d in (1, 2):
    cases.append(case(f"displacement16-degree{d}", raw, ref, d))
# 12-bit temperature with a noticeable cubic term and negative counts offset.
ref = np.array([-20, -5, 0, 15, 25, 40, 60, 85], float)
raw = -300 + 40 * ref + 0.05 * ref**2 - 0.0004 * ref**3 + rng.normal(0, 0.3, ref.size)
cases.append(case("temperature12-degree3", raw, ref, 3))
# Bipolar voltage channel, exactly linear (the fit must reproduce it).
ref = np.array([-10, -5, 0, 5, 10], float)
raw = 3276.8 * ref + 7
cases.append(case("voltage16-exact-degree1", raw, ref, 1))

with open("polyfit_fixtures.json", "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
