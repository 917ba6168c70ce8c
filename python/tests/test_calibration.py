"""One calibration evaluator, bit-exact with the Swift recorder's `values`, including cubic polynomials where
the evaluation order decides the last bits."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import h5py
import numpy as np
import pytest

import mosquito

from conftest import record

UNPROCESSED = ["drops", "follow", "two", "compressed16", "replayed", "killed"]


def bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64).view(np.uint64)


@pytest.mark.parametrize("name", UNPROCESSED)
def test_values_are_the_calibration_of_raw_to_the_last_bit(recordings: Dict[str, Path], name: str) -> None:
    with mosquito.open(recordings[name]) as rec:
        for dev in rec.devices:
            assert [p for p in dev.pipeline if not p.startswith("acquire ")] == []
            assert dev.decimation == 1
            s = dev.samples()
            for c, channel in enumerate(s.channels):
                assert channel.calibration is not None
                assert np.array_equal(bits(mosquito.evaluate(channel.calibration.coefficients, s.raw[:, c])),
                                      bits(s.values[:, c]))
                assert np.array_equal(bits(channel.calibration(s.raw[:, c])), bits(s.values[:, c]))


def test_processed_values_are_not_the_calibration_of_raw(recordings: Dict[str, Path]) -> None:
    # The decimated run low-passes before decimating: `values` is the filter's output, `raw` the kept counts.
    with mosquito.open(recordings["decimated"]) as rec:
        dev = rec.devices[0]
        assert any(p.startswith("decimate by 10") for p in dev.pipeline)
        assert dev.decimation == 10
        s = dev.samples()
        calibrated = mosquito.evaluate(dev.channels[0].calibration.coefficients, s.raw[:, 0])
        assert not np.array_equal(calibrated, s.values[:, 0])


@pytest.fixture(scope="module")
def cubic(recordings: Dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recording whose instrument carries cubic calibrations: the drops run, given cubic polynomials and
    replayed through the recorder (replay answers GET_CALIBRATION with the recorded records)."""
    d = tmp_path_factory.mktemp("cubic")
    source = d / "cubic-source.h5"
    shutil.copy(recordings["drops"], source)
    with h5py.File(source, "r+") as f:
        table = f["devices"][f.attrs["device_groups"][0]]["calibration"]
        table["coefficients"][0] = [0.1, 3.3e-6, 1.7e-13, -2.9e-21]
        table["coefficients"][1] = [-16.666666666666668, 0.016666666666666666, 1.1e-9, 3.3e-15]
        table["degree"][0:2] = [3, 3]
    return record(d / "cubic.h5", "--device", f"replay:{source}:0", "--rate", "1000", lossy=True)


def test_cubic_calibration_is_bit_exact_and_the_order_matters(cubic: Path) -> None:
    with mosquito.open(cubic) as rec:
        dev = rec.devices[0]
        s = dev.samples()
        for c in (0, 1):
            k = dev.channels[c].calibration.coefficients
            assert dev.channels[c].calibration.degree == 3
            assert np.array_equal(bits(mosquito.evaluate(k, s.raw[:, c])), bits(s.values[:, c]))
            # The power sum is the same polynomial and differs in the last bits: exactness is not an accident.
            r = s.raw[:, c].astype(np.float64)
            power_sum = k[0] + k[1] * r + k[2] * r ** 2 + k[3] * r ** 3
            assert not np.array_equal(bits(power_sum), bits(s.values[:, c]))


def test_evaluate_takes_fewer_coefficients_and_refuses_more() -> None:
    assert mosquito.evaluate([1.5, 2.0], np.array([3], dtype=np.int32)).tolist() == [7.5]
    with pytest.raises(ValueError, match="at most 4"):
        mosquito.evaluate([1, 2, 3, 4, 5], np.array([1]))
