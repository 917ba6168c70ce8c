"""From seconds to rows, exactly as ``mosquito export --from/--to`` does it, reading single elements only.

``start`` and ``stop`` are seconds of device time after the first sample: the first row at or after
``first + round(start·1e6)`` µs up to (excluding) the first row at or after ``first + round(stop·1e6)`` µs. The
binary search is the Swift reader's, step for step, so both pick the same rows on any file.
"""

from __future__ import annotations

import math
from typing import Optional

import h5py


def micros(seconds: float) -> int:
    """``(seconds · 1e6).rounded()`` as Swift rounds: to nearest, halves away from zero (seconds ≥ 0)."""
    x = seconds * 1e6
    whole = math.floor(x)
    return int(whole + 1 if x - whole >= 0.5 else whole)


def check_window(start: Optional[float], stop: Optional[float]) -> None:
    """Refuses what ``export`` refuses: negative or non-finite times, and a stop before the start."""
    for name, value in (("start", start), ("stop", stop)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be seconds ≥ 0 after the first sample, not {value}")
    if start is not None and stop is not None and stop < start:
        raise ValueError(f"stop {stop} is before start {start}")


def first_row_at_or_after(column: h5py.Dataset, value: int, count: int) -> int:
    """The first of the first ``count`` rows whose element is ≥ ``value`` (binary search, one element a read)."""
    low, high = 0, count
    while low < high:
        middle = low + (high - low) // 2
        if int(column[middle]) < value:
            low = middle + 1
        else:
            high = middle
    return low


def window(device_time_us: h5py.Dataset, count: int, start: Optional[float], stop: Optional[float]) -> range:
    """Rows of the ``[start, stop)`` window among the first ``count`` rows."""
    check_window(start, stop)
    if count == 0 or (start is None and stop is None):
        return range(0, count)
    first = int(device_time_us[0])
    begin = first_row_at_or_after(device_time_us, first + micros(start), count) if start is not None else 0
    end = first_row_at_or_after(device_time_us, first + micros(stop), count) if stop is not None else count
    return range(begin, max(begin, end))
