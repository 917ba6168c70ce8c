"""The per-device tables: gaps (runs of missing samples), events, and clock ping exchanges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import numpy as np
import numpy.typing as npt

GAP_CAUSES = ("transport_gap", "crc_error", "device_overrun", "host_overrun", "network")


@dataclass(frozen=True)
class Gap:
    """``count`` consecutive sample indices from ``first_missing_index`` never arrived, for ``cause``
    (``transport_gap``, ``crc_error``, ``device_overrun``, ``host_overrun``, or ``network`` in an archive)."""

    first_missing_index: int
    count: int
    cause: str

    @property
    def stop_index(self) -> int:
        """The first index after the gap."""
        return self.first_missing_index + self.count


@dataclass(frozen=True)
class Event:
    """Something that happened during the run (a status flag, marker, trigger, disconnect or reconnect),
    after sample ``sample_index``, at ``host_time_ns`` (UTC nanoseconds, from the recording host's monotonic clock)."""

    sample_index: int
    host_time_ns: int
    kind: str
    detail: str


@dataclass(frozen=True)
class Clock:
    """The clock ping exchanges of a device (columns of equal length) and what they say about its clock.

    The statistics are computed as ``mosquito inspect`` computes them, so they agree with it exactly.
    """

    host_send_ns: npt.NDArray[np.int64]
    host_receive_ns: npt.NDArray[np.int64]
    device_time_us: npt.NDArray[np.uint64]
    round_trip_ns: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.host_send_ns.shape[0])

    @property
    def round_trip_min_ns(self) -> Optional[int]:
        return int(self.round_trip_ns.min()) if len(self) else None

    @property
    def round_trip_max_ns(self) -> Optional[int]:
        return int(self.round_trip_ns.max()) if len(self) else None

    @property
    def round_trip_median_ns(self) -> Optional[int]:
        """The upper median (the element at n // 2 of the sorted round trips), as ``inspect`` reports it."""
        return int(np.sort(self.round_trip_ns)[len(self) // 2]) if len(self) else None

    @property
    def drift_ppm(self) -> Optional[float]:
        """Device clock rate relative to the host's, parts per million: least squares of device time against
        each exchange's midpoint. None with fewer than two exchanges or when they span less than a second."""
        n = len(self)
        if n < 2:
            return None
        base = float(self.host_send_ns[0])
        host = [(float(s) - base + float(r) / 2) / 1e9 for s, r in zip(self.host_send_ns, self.round_trip_ns)]
        device = [float(d) / 1e6 for d in self.device_time_us]
        mean_host = _sequential_sum(host) / n
        mean_device = _sequential_sum(device) / n
        covariance = variance = 0.0
        for h, d in zip(host, device):
            covariance += (h - mean_host) * (d - mean_device)
            variance += (h - mean_host) * (h - mean_host)
        if not variance > 0 or host[-1] < 1:
            return None
        return (covariance / variance - 1) * 1e6

    def as_dict(self) -> Dict[str, Optional[float]]:
        """The summary ``mosquito inspect`` prints (exchanges, round trips, drift)."""
        return {"exchanges": len(self), "round_trip_min_ns": self.round_trip_min_ns,
                "round_trip_median_ns": self.round_trip_median_ns, "round_trip_max_ns": self.round_trip_max_ns,
                "drift_ppm": self.drift_ppm}


def _sequential_sum(xs: "list[float]") -> float:
    # Left to right, as Swift's reduce does; math.fsum or numpy's pairwise sum would round differently.
    total = 0.0
    for x in xs:
        total += x
    return total


def gaps_by_cause(gaps: Tuple[Gap, ...]) -> Dict[str, int]:
    """Missing samples per cause."""
    out: Dict[str, int] = {}
    for g in gaps:
        out[g.cause] = out.get(g.cause, 0) + g.count
    return out
