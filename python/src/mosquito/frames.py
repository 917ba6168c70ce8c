"""pandas and xarray views of a device, and of several devices aligned on host time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import rows as _rows
from ._optional import require
from .samples import Samples

if TYPE_CHECKING:
    import pandas
    import xarray

    from .device import ChannelSelection, Device
    from .recording import Recording

_TIME_NAMES = {
    "relative": "device time since the first sample",
    "device": "device clock",
    "host": "UTC from the recording host's monotonic clock (Unix epoch)",
}


def _labels(s: Samples, raw: bool) -> List[str]:
    return [f"{c.name} [counts]" if raw else c.label for c in s.channels]


def _units(s: Samples, raw: bool) -> List[str]:
    return ["counts" if raw else c.unit for c in s.channels]


def device_frame(dev: "Device", start: Optional[float], stop: Optional[float], channels: "ChannelSelection",
                 time: str, raw: bool) -> "pandas.DataFrame":
    pd = require("pandas", "pandas")
    s = dev.samples(start, stop, channels)
    labels = _labels(s, raw)
    frame = pd.DataFrame(s.raw if raw else s.values, index=pd.Index(s.time(time), name="time [s]"), columns=labels)
    frame.attrs.update(dev.provenance())
    frame.attrs["time"] = f"{time}: seconds, {_TIME_NAMES[time]}"
    frame.attrs["units"] = dict(zip(labels, _units(s, raw)))
    return frame


def device_array(dev: "Device", start: Optional[float], stop: Optional[float], channels: "ChannelSelection",
                 time: str, raw: bool) -> "xarray.DataArray":
    xr = require("xarray", "xarray")
    s = dev.samples(start, stop, channels)
    units = _units(s, raw)
    names = [c.name for c in s.channels]
    seconds_attrs = {"units": "s"}
    array = xr.DataArray(
        s.raw if raw else s.values, dims=("time", "channel"), name=dev.serial,
        coords={
            "time": ("time", s.time(time), {"units": "s", "long_name": _TIME_NAMES[time]}),
            "channel": names,
            "index": ("time", s.index, {"long_name": "device sample index"}),
            "device_time": ("time", s.time("device"), {**seconds_attrs, "long_name": _TIME_NAMES["device"]}),
            "host_time": ("time", s.time("host"), {**seconds_attrs, "long_name": _TIME_NAMES["host"]}),
            "unit": ("channel", units),
            "kind": ("channel", [c.kind for c in s.channels]),
        })
    array.attrs.update(dev.provenance())
    array.attrs["units"] = dict(zip(names, units))
    array.attrs["calibration"] = {c.name: c.calibration.as_dict() if c.calibration else None for c in s.channels}
    array.attrs["quantity"] = "raw ADC counts" if raw else "calibrated values"
    return array


# MARK: several devices on one host-time axis


def _host_rows(dev: "Device", low_ns: int, high_ns: Optional[int]) -> range:
    """Rows whose host time is in [low_ns, high_ns) (high None: to the end)."""
    column = dev._node["host_time_ns"]
    begin = _rows.first_row_at_or_after(column, low_ns, len(dev))
    end = _rows.first_row_at_or_after(column, high_ns, len(dev)) if high_ns is not None else len(dev)
    return range(begin, max(begin, end))


def _nearest(reference_ns: npt.NDArray[Any], other_ns: npt.NDArray[Any],
             tolerance_ns: int) -> Tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """For each reference time, the row of the nearest other time (earlier one on a tie) and whether it is
    within the tolerance."""
    if len(other_ns) == 0:
        return np.zeros(len(reference_ns), dtype=np.int64), np.zeros(len(reference_ns), dtype=bool)
    after = np.searchsorted(other_ns, reference_ns, side="left").clip(0, len(other_ns) - 1)
    before = (after - 1).clip(0, len(other_ns) - 1)
    d_after = np.abs(other_ns[after] - reference_ns)
    d_before = np.abs(other_ns[before] - reference_ns)
    best = np.where(d_before <= d_after, before, after)
    return best, np.minimum(d_before, d_after) <= tolerance_ns


def aligned(rec: "Recording", start: Optional[float], stop: Optional[float],
            channels: Dict[str, "ChannelSelection"], reference: Union[int, str], tolerance: Optional[float],
            raw: bool, kind: str) -> Union["pandas.DataFrame", "xarray.DataArray"]:
    if kind not in ("pandas", "xarray"):
        raise ValueError(f"kind must be 'pandas' or 'xarray', not {kind!r}")
    pd = require("pandas", "pandas")
    _rows.check_window(start, stop)
    for serial in channels:
        rec.devices[serial]  # an unknown serial is a KeyError naming the devices
    devices = [d for d in rec.devices if len(d)]
    ref = rec.devices[reference]
    if tolerance is None:
        tolerance = 0.5 / min(d.rate_hz for d in rec.devices)
    if not (tolerance >= 0):
        raise ValueError(f"tolerance must be seconds ≥ 0, not {tolerance}")
    tolerance_ns = int(round(tolerance * 1e9))
    origin_ns = min((int(d._node["host_time_ns"][0]) for d in devices), default=0)
    low = origin_ns + _rows.micros(start) * 1000 if start is not None else origin_ns
    high = origin_ns + _rows.micros(stop) * 1000 if stop is not None else None
    ref_rows = _host_rows(ref, low, high) if len(ref) else range(0)
    ref_ns = ref._node["host_time_ns"][ref_rows.start:ref_rows.stop].astype(np.int64)

    blocks: List[npt.NDArray[Any]] = []
    columns: List[Tuple[str, str]] = []
    units: List[str] = []
    provenance: Dict[str, Any] = {}
    for dev in rec.devices:
        selection = channels.get(dev.serial, channels.get(dev.group))
        if dev is ref:
            s = dev.samples(channels=selection, rows=ref_rows)
            block = (s.raw if raw else s.values).astype(np.float64)
        else:
            window = (_host_rows(dev, int(ref_ns[0]) - tolerance_ns, int(ref_ns[-1]) + tolerance_ns + 1)
                      if len(ref_ns) and len(dev) else range(0))
            s = dev.samples(channels=selection, rows=window)
            best, ok = _nearest(ref_ns, s.host_time_ns.astype(np.int64), tolerance_ns)
            source = (s.raw if raw else s.values).astype(np.float64)
            block = np.full((len(ref_ns), len(s.channels)), np.nan)
            if len(source):
                block[ok] = source[best[ok]]
        blocks.append(block)
        columns += [(dev.serial, label) for label in _labels(s, raw)]
        units += _units(s, raw)
        provenance[dev.serial] = dev.provenance()
    data = np.concatenate(blocks, axis=1) if blocks else np.empty((len(ref_ns), 0))
    time = (ref_ns - origin_ns) / 1e9
    attrs = {"reference": ref.serial, "tolerance_s": tolerance, "host_time_origin_ns": origin_ns,
             "time": "seconds of host time (UTC, from the recording host's monotonic clock) after the earliest "
                     "first sample",
             "devices": provenance}
    if kind == "pandas":
        frame = pd.DataFrame(data, index=pd.Index(time, name="host time [s]"),
                             columns=pd.MultiIndex.from_tuples(columns, names=["device", "channel"]))
        frame.attrs.update(attrs)
        frame.attrs["units"] = {f"{d} {c}": u for (d, c), u in zip(columns, units)}
        return frame
    xr = require("xarray", "xarray")
    names = [(d, label.rsplit(" [", 1)[0]) for d, label in columns]
    index = pd.MultiIndex.from_tuples(names, names=["device", "channel_name"])
    coords = xr.Coordinates.from_pandas_multiindex(index, "channel")
    array = xr.DataArray(data, dims=("time", "channel"), coords=coords, name="aligned")
    array = array.assign_coords(time=("time", time, {"units": "s", "long_name": attrs["time"]}),
                                unit=("channel", units))
    array.attrs.update(attrs)
    return array
