"""A device as an MNE ``RawArray``: SI units, a uniform time grid, gaps as ``BAD_gap`` annotations, events as
annotations.

MNE assumes one sample every 1/sfreq. A recording's rows sit on the instrument's sample index, so row i goes to
grid position ``round((index - first) / stride)``, with stride the decimation factor (exact when undecimated);
positions no row fills are ``fill`` (NaN by default). Every recorded gap, and every run of unfilled positions,
is covered by a ``BAD_gap`` annotation, so MNE's ``reject_by_annotation`` skips them. An event's annotation is
named by its kind (``reconnect``, ``marker``…); its free-text detail stays in ``Device.events``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

from ._optional import require
from .units import to_si

if TYPE_CHECKING:
    import mne

    from .device import ChannelSelection, Device

_FIFF_UNITS = {"V": "FIFF_UNIT_V", "A": "FIFF_UNIT_A", "N": "FIFF_UNIT_N", "m": "FIFF_UNIT_M", "Pa": "FIFF_UNIT_PA",
               "W": "FIFF_UNIT_W", "Hz": "FIFF_UNIT_HZ", "s": "FIFF_UNIT_SEC", "kg": "FIFF_UNIT_KG",
               "degC": "FIFF_UNIT_CEL", "Ohm": "FIFF_UNIT_OHM", "S": "FIFF_UNIT_S", "T": "FIFF_UNIT_T",
               "F": "FIFF_UNIT_F", "C": "FIFF_UNIT_C", "J": "FIFF_UNIT_J"}


def _merge(intervals: List[Tuple[float, float]]) -> List[Tuple[float, float]]:
    merged: List[Tuple[float, float]] = []
    for begin, end in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _empty_runs(filled: npt.NDArray[Any]) -> List[Tuple[int, int]]:
    """[begin, end) runs of False in a boolean array."""
    edges = np.diff(np.concatenate(([1], filled.astype(np.int8), [1])))
    return list(zip(np.flatnonzero(edges == -1).tolist(), np.flatnonzero(edges == 1).tolist()))


def device_raw(dev: "Device", start: Optional[float], stop: Optional[float], channels: "ChannelSelection",
               ch_types: Union[None, str, Dict[str, str]], fill: float) -> "mne.io.RawArray":
    mne = require("mne", "mne")
    from mne.io.constants import FIFF

    s = dev.samples(start, stop, channels)
    sfreq = dev.rate_hz
    acquisition = dev.acquisition_rate_hz
    stride = max(1, int(round(acquisition / sfreq)))
    names = [c.name for c in s.channels]

    conversions = [to_si(c.unit, c.kind) for c in s.channels]
    if isinstance(ch_types, str):
        types = [ch_types] * len(names)
    else:
        chosen = ch_types or {}
        types = [chosen.get(c.name, "temperature" if c.kind == "temperature" else "misc") for c in s.channels]

    if len(s):
        first = int(s.index[0])
        offsets = (s.index.astype(np.int64) - first).astype(np.float64) / stride
        positions = np.floor(offsets + 0.5).astype(np.int64)
        length = int(positions[-1]) + 1
    else:
        first, positions, length = 0, np.zeros(0, dtype=np.int64), 0
    data = np.full((len(names), length), fill, dtype=np.float64)
    scale = np.array([conv[1] if conv else 1.0 for conv in conversions])
    data[:, positions] = (s.values * scale).T
    filled = np.zeros(length, dtype=bool)
    filled[positions] = True

    info = mne.create_info(names, sfreq, types)
    description = []
    with info._unlock():
        for ch, c, conv in zip(info["chs"], s.channels, conversions):
            si = conv[0] if conv else None
            ch["unit"] = getattr(FIFF, _FIFF_UNITS[si]) if si in _FIFF_UNITS else FIFF.FIFF_UNIT_NONE
            ch["unit_mul"] = FIFF.FIFF_UNITM_NONE
            shown = f"{c.name} [{si}]" if si else f"{c.name} [{c.unit}, not converted]"
            if conv and conv[1] != 1.0:
                shown += f" (from {c.unit} x {conv[1]:g})"
            description.append(shown)
        info["description"] = (f"Mosquito {dev.serial} ({dev.design}, firmware {dev.firmware_version}) from "
                               f"{dev.recording.path}: " + "; ".join(description))
        info["device_info"] = {"type": dev.design, "model": f"revision {dev.hardware_revision}",
                               "serial": dev.serial}
        info["meas_date"] = dev.recording.started_at
    raw = mne.io.RawArray(data, info, verbose="error")

    duration = length / sfreq
    bad: List[Tuple[float, float]] = []
    for g in dev.gaps:
        begin = (g.first_missing_index - first) / acquisition
        end = (g.stop_index - first) / acquisition
        if end > 0 and begin < duration:
            bad.append((max(begin, 0.0), min(end, duration)))
    bad += [(b / sfreq, e / sfreq) for b, e in _empty_runs(filled)]
    onsets: List[float] = []
    durations: List[float] = []
    descriptions: List[str] = []
    for begin, end in _merge(bad):
        onsets.append(begin)
        durations.append(end - begin)
        descriptions.append("BAD_gap")
    for e in dev.events:
        at = (e.sample_index - first) / acquisition
        if 0 <= at < duration:
            onsets.append(at)
            durations.append(0.0)
            descriptions.append(e.kind)
    raw.set_annotations(mne.Annotations(onsets, durations, descriptions, orig_time=None))
    return raw
