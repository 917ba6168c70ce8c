"""pandas, xarray, MNE and multi-device alignment: units, time, gaps and provenance carried over."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np
import pytest

import mosquito

from conftest import export


def test_to_pandas_units_time_and_provenance(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices["MQ-SIM-0001"]
        frame = dev.to_pandas(0.5, 1.5, ["temperature", "force"])
        assert list(frame.columns) == ["temperature [degC]", "force [N]"]
        assert frame.index.name == "time [s]"
        assert np.array_equal(frame.index.to_numpy(), dev.time("relative", 0.5, 1.5))
        assert np.array_equal(frame.to_numpy(), export(rec.path, "--from", "0.5", "--to", "1.5",
                                                       "--channels", "temperature,force").columns)
        assert frame.attrs["device"]["serial"] == "MQ-SIM-0001"
        assert frame.attrs["software_version"] == rec.software_version
        assert frame.attrs["start_time"] == rec.start_time
        assert frame.attrs["gaps"] == {"count": 20, "missing_samples": 40, "by_cause": {"transport_gap": 40}}
        force = next(c for c in frame.attrs["channels"] if c["name"] == "force")
        assert force["calibration"]["coefficients"] == list(dev.channels["force"].calibration.coefficients)
        assert frame.attrs["units"] == {"temperature [degC]": "degC", "force [N]": "N"}
        counts = dev.to_pandas(raw=True, time="host")
        assert list(counts.columns) == ["force [counts]", "displacement [counts]", "temperature [counts]"]
        assert np.array_equal(counts.to_numpy(), export(rec.path, raw=True).columns)
        assert np.array_equal(counts.index.to_numpy(), dev.time("host"))


def test_to_xarray_coordinates_units_and_calibration(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices[0]
        array = dev.to_xarray(channels=["displacement", "force"])
        assert array.dims == ("time", "channel")
        assert list(array.channel.values) == ["displacement", "force"]
        assert list(array.unit.values) == ["um", "N"]
        assert array.attrs["units"] == {"displacement": "um", "force": "N"}
        force = dev.channels["force"].calibration
        assert array.attrs["calibration"]["force"]["coefficients"] == list(force.coefficients)
        assert array.attrs["calibration"]["force"]["calibrated_at"] == "2026-01-01T00:00:00Z"
        assert array.attrs["device"]["firmware_version"] == "1.0.0"
        exported = export(rec.path, "--channels", "displacement,force")
        assert np.array_equal(array.values, exported.columns)
        assert np.array_equal(array.index.values, exported.index)
        assert np.array_equal(array.device_time.values, exported.device_time_us / 1e6)
        assert np.array_equal(array.host_time.values, dev.time("host"))
        assert array.time.attrs["units"] == "s"
        assert float(array.sel(channel="force")[0]) == exported.columns[0, 1]


def test_to_mne_si_units_gaps_and_annotations(recordings: Dict[str, Path]) -> None:
    from mne.io.constants import FIFF

    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices[0]
        raw = dev.to_mne()
        assert raw.info["sfreq"] == 1000
        assert raw.ch_names == ["force", "displacement", "temperature"]
        assert raw.get_channel_types() == ["misc", "misc", "temperature"]
        assert [ch["unit"] for ch in raw.info["chs"]] == [FIFF.FIFF_UNIT_N, FIFF.FIFF_UNIT_M, FIFF.FIFF_UNIT_CEL]
        assert raw.info["meas_date"] == rec.started_at
        data = raw.get_data()
        index = dev.index.astype(np.int64)
        assert data.shape == (3, int(index[-1]) + 1)  # one grid slot per sample index 0…last
        values = dev.values()
        assert np.array_equal(data[0, index], values[:, 0])                # newtons stay newtons
        assert np.allclose(data[1, index], values[:, 1] * 1e-6, rtol=1e-15)  # µm → m
        missing = np.setdiff1d(np.arange(data.shape[1]), index)
        assert len(missing) == 38 and np.isnan(data[:, missing]).all()  # the last gap lies past the last row
        bad = [(a["onset"], a["duration"]) for a in raw.annotations if a["description"] == "BAD_gap"]
        in_range = [g for g in dev.gaps if g.first_missing_index <= index[-1]]
        assert len(bad) == len(in_range) == 19
        for (onset, duration), g in zip(bad, in_range):
            assert onset == pytest.approx(g.first_missing_index / 1000, abs=1e-9)
            assert duration == pytest.approx(g.count / 1000, abs=1e-9)
        # MNE's own gap handling sees them: rejecting by annotation drops exactly the missing samples.
        kept = raw.get_data(reject_by_annotation="omit")
        assert kept.shape[1] == len(index) and not np.isnan(kept).any()


def test_to_mne_events_become_annotations(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["follow"]) as rec:
        dev = rec.devices[0]
        raw = dev.to_mne()
        first = dev.first_index
        events = [(a["onset"], a["description"]) for a in raw.annotations if a["description"] != "BAD_gap"]
        expected = [((e.sample_index - first) / 1000, e.kind) for e in dev.events]
        assert {k for _, k in expected} == {"disconnect", "reconnect"}
        assert len(events) == len(expected)
        for (onset, kind), (want_onset, want_kind) in zip(events, expected):
            assert kind == want_kind and onset == pytest.approx(want_onset, abs=1e-9)


def test_to_mne_decimated_every_empty_slot_is_marked_bad(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["decimated"]) as rec:
        dev = rec.devices[0]
        raw = dev.to_mne()
        assert raw.info["sfreq"] == 100 and dev.acquisition_rate_hz == 1000
        data = raw.get_data()
        bad = [(a["onset"], a["onset"] + a["duration"]) for a in raw.annotations if a["description"] == "BAD_gap"]
        times = raw.times
        empty = np.flatnonzero(np.isnan(data[0]))
        assert len(empty) > 0
        for t in times[empty]:
            assert any(b - 1e-9 <= t < e + 1e-9 for b, e in bad), t
        for g in dev.gaps:
            t = (g.first_missing_index - dev.first_index) / 1000
            if t < times[-1]:
                assert any(b - 1e-9 <= t < e + 1e-9 for b, e in bad), g
        assert np.array_equal(data[0][~np.isnan(data[0])], dev.values()[:, 0])


def test_aligned_on_host_time(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["two"]) as rec:
        a, b = rec.devices["MQ-SIM-A"], rec.devices["MQ-SIM-B"]
        frame = rec.aligned(0.25, 1.25)
        assert list(frame.columns) == [("MQ-SIM-A", "force [N]"), ("MQ-SIM-B", "force [N]"),
                                       ("MQ-SIM-B", "displacement [um]")]
        assert frame.columns.names == ["device", "channel"]
        host_b = b._node["host_time_ns"][()].astype(np.int64)
        origin = min(int(a._node["host_time_ns"][0]), int(b._node["host_time_ns"][0]))
        ns_a = a._node["host_time_ns"][()].astype(np.int64)
        rows_a = np.flatnonzero((ns_a >= origin + 250_000_000) & (ns_a < origin + 1_250_000_000))
        assert np.array_equal(frame[("MQ-SIM-A", "force [N]")].to_numpy(), a.values()[rows_a, 0])
        assert np.array_equal(frame.index.to_numpy(), (ns_a[rows_a] - origin) / 1e9)
        # Each B cell is B's nearest sample within half a period (0.5 ms), found here by brute force.
        values_b = b.values()
        got = frame[("MQ-SIM-B", "displacement [um]")].to_numpy()
        for row, t in enumerate(ns_a[rows_a]):
            distance = np.abs(host_b - t)
            nearest = int(np.argmin(distance))
            if distance[nearest] <= 500_000:
                assert got[row] == values_b[nearest, 1]
            else:
                assert np.isnan(got[row])
        assert np.isnan(got).sum() > 0  # B's drops leave A's samples in them unmatched
        assert frame.attrs["reference"] == "MQ-SIM-A" and set(frame.attrs["devices"]) == {"MQ-SIM-A", "MQ-SIM-B"}
        array = rec.aligned(0.25, 1.25, kind="xarray", channels={"MQ-SIM-B": ["displacement"]})
        assert list(array.device.values) == ["MQ-SIM-A", "MQ-SIM-B"]
        assert list(array.unit.values) == ["N", "um"]
        assert np.array_equal(array.sel(device="MQ-SIM-B").values[:, 0], got, equal_nan=True)
