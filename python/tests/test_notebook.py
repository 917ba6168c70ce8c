"""The notebook extras: `plot()` with units and shaded gaps, `_repr_html_` with identity, channels and gaps."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import h5py
import matplotlib
import pytest

import mosquito

matplotlib.use("Agg")


def test_plot_has_an_axis_per_channel_with_units_and_shades_the_gaps(recordings: Dict[str, Path]) -> None:
    import matplotlib.pyplot as plt

    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices[0]
        figure = dev.plot(0.0, 0.5, ["force", "temperature"])
        axes = figure.axes
        assert [a.get_ylabel() for a in axes] == ["force [N]", "temperature [degC]"]
        assert axes[-1].get_xlabel() == "relative time [s]"
        inside = [g for g in dev.gaps if g.stop_index < 500]
        assert len(inside) == 4  # 98, 198, 298, 398 (and 498, which ends at the window's edge: nothing after it)
        for a in axes:
            spans = a.patches
            assert len(spans) == 4
            t = dev.time()
            index = list(dev.index)
            first = inside[0]
            before = index.index(first.first_missing_index - 1)
            left = min(p.get_x() for p in spans)
            assert left == pytest.approx(t[before])
        plt.close(figure)


def test_repr_html_shows_identity_channels_duration_gaps_and_calibration(recordings: Dict[str, Path],
                                                                        tmp_path: Path) -> None:
    with mosquito.open(recordings["drops"]) as rec:
        html = rec._repr_html_()
    for text in ("MQ-SIM-0001", "MQ-FORCE", "firmware 1.0.0", "force", "displacement", "um",
                 "degC", "1960 samples at 1000 Hz", "1.997 s", "20 gaps, 40 samples missing (transport_gap 40)",
                 "2026-01-01 by factory", "24-bit -8388608…8388607", "stopped "):
        assert text in html, text
    # Text from the file is escaped, never markup.
    path = tmp_path / "markup.h5"
    shutil.copy(recordings["drops"], path)
    with h5py.File(path, "r+") as f:
        f["devices/MQ-SIM-0001"].attrs["channel_names"] = ["<b>force</b>", "displacement", "temperature"]
    with mosquito.open(path) as rec:
        html = rec.devices[0]._repr_html_()
        assert "&lt;b&gt;force&lt;/b&gt;" in html and "<b>force</b>" not in html
