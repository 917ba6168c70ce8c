"""``Device.plot()``: each channel on its own axis, units on the axes, gaps shaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

from ._optional import require

if TYPE_CHECKING:
    import matplotlib.figure

    from .device import ChannelSelection, Device
    from .samples import Samples


def gap_spans(dev: "Device", s: "Samples", time: npt.NDArray[Any]) -> List[Tuple[float, float]]:
    """For each recorded gap inside the rows shown, the times of the samples on either side of it."""
    spans: List[Tuple[float, float]] = []
    if len(s) < 2:
        return spans
    index = s.index.astype(np.int64)
    for g in dev.gaps:
        after = int(np.searchsorted(index, g.stop_index, side="left"))
        if 0 < after < len(index) and index[after - 1] < g.first_missing_index:
            spans.append((float(time[after - 1]), float(time[after])))
    return spans


def plot_device(dev: "Device", start: Optional[float], stop: Optional[float], channels: "ChannelSelection",
                time: str) -> "matplotlib.figure.Figure":
    pyplot = require("matplotlib.pyplot", "plot")
    s = dev.samples(start, stop, channels)
    t = s.time(time)
    spans = gap_spans(dev, s, t)
    figure, axes = pyplot.subplots(len(s.channels), 1, sharex=True, squeeze=False,
                                   figsize=(10, 1.8 * len(s.channels) + 1))
    for column, (axis, channel) in enumerate(zip(axes[:, 0], s.channels)):
        axis.plot(t, s.values[:, column], linewidth=0.8)
        axis.set_ylabel(channel.label)
        for begin, end in spans:
            axis.axvspan(begin, end, color="tab:red", alpha=0.25, linewidth=0, label="_gap")
    axes[-1, 0].set_xlabel(f"{time} time [s]")
    figure.suptitle(f"{dev.serial} — {len(s)} samples, {len(spans)} gaps shown")
    return figure
