"""A block of consecutive sample rows of one device, as :meth:`Device.samples` and :meth:`Device.iter_chunks`
give them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

import numpy as np
import numpy.typing as npt

from .channels import Channel

TIME_KINDS = ("relative", "device", "host")


@dataclass(frozen=True)
class Samples:
    """Rows ``rows`` of a device: one entry of each column per sample; ``raw`` and ``values`` have one column per
    channel of ``channels``, in that order."""

    rows: range
    channels: Tuple[Channel, ...]
    index: npt.NDArray[np.uint64]
    device_time_us: npt.NDArray[np.uint64]
    host_time_ns: npt.NDArray[np.int64]
    raw: npt.NDArray[np.int32]
    values: npt.NDArray[np.float64]
    #: Device time of the recording's first sample, µs: where "relative" time is 0.
    origin_us: int

    def __len__(self) -> int:
        return len(self.rows)

    def time(self, kind: str = "relative") -> npt.NDArray[np.float64]:
        """Seconds per sample: ``relative`` (device time since the recording's first sample), ``device`` (the
        device clock) or ``host`` (UTC seconds since the Unix epoch, through the clock mapping)."""
        return seconds(kind, self.device_time_us, self.host_time_ns, self.origin_us)


def seconds(kind: str, device_time_us: npt.NDArray[np.uint64], host_time_ns: npt.NDArray[np.int64],
            origin_us: int) -> npt.NDArray[np.float64]:
    """One of the three time bases in seconds (see :meth:`Samples.time`)."""
    if kind == "relative":
        # Signed: after a --follow reconnect the device clock may restart below the first sample's time.
        return (device_time_us.astype(np.int64) - np.int64(origin_us)) / 1e6
    if kind == "device":
        return device_time_us / 1e6
    if kind == "host":
        return host_time_ns / 1e9
    raise ValueError(f"time kind must be one of {', '.join(TIME_KINDS)}, not {kind!r}")
