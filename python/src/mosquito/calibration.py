"""Calibration polynomials: one evaluator shared by recordings and the live stream.

A channel's calibration turns raw ADC counts into physical units, ``value = c0 + c1·r + c2·r² + c3·r³``.
The Swift recorder evaluates it in Horner form, ``c0 + r·(c1 + r·(c2 + r·c3))``; :func:`evaluate` performs the
same IEEE-754 float64 operations in the same order (numpy does not fuse multiply-adds), so it reproduces the
``values`` the recorder stored to the last bit.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

IDENTITY: Tuple[float, float, float, float] = (0.0, 1.0, 0.0, 0.0)


def evaluate(coefficients: Sequence[float], raw: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Physical values of raw counts under ``coefficients`` (c0…c3, missing higher terms are 0)."""
    c = [float(x) for x in coefficients] + [0.0] * (4 - len(coefficients))
    if len(c) != 4:
        raise ValueError(f"a calibration polynomial has at most 4 coefficients, not {len(coefficients)}")
    r = np.asarray(raw).astype(np.float64)
    return c[0] + r * (c[1] + r * (c[2] + r * c[3]))


def evaluate_columns(calibrations: Sequence[Optional["Calibration"]], raw: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Values of a (samples, channels) raw array, column c under ``calibrations[c]`` (None: identity)."""
    r = np.asarray(raw)
    if r.ndim != 2 or r.shape[1] != len(calibrations):
        raise ValueError(f"raw has shape {r.shape}, expected (samples, {len(calibrations)})")
    out = np.empty(r.shape, dtype=np.float64)
    for c, cal in enumerate(calibrations):
        out[:, c] = evaluate(cal.coefficients if cal is not None else IDENTITY, r[:, c])
    return out


@dataclass(frozen=True)
class Calibration:
    """The calibration in effect for one channel, as the recording (or the instrument) states it."""

    channel: str
    degree: int
    coefficients: Tuple[float, float, float, float]
    calibrated_at_unix_s: int
    technician: str
    certificate_id: Optional[str] = None

    @property
    def calibrated_at(self) -> _dt.datetime:
        """When the calibration was made (UTC)."""
        return _dt.datetime.fromtimestamp(self.calibrated_at_unix_s, tz=_dt.timezone.utc)

    def __call__(self, raw: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Physical values of raw counts (see :func:`evaluate`)."""
        return evaluate(self.coefficients, raw)

    def as_dict(self) -> Dict[str, Any]:
        """Plain, JSON-ready form (for provenance and attrs)."""
        return {
            "channel": self.channel,
            "degree": self.degree,
            "coefficients": list(self.coefficients),
            "calibrated_at": self.calibrated_at.isoformat().replace("+00:00", "Z"),
            "calibrated_at_unix_s": self.calibrated_at_unix_s,
            "technician": self.technician,
            "certificate_id": self.certificate_id,
        }
