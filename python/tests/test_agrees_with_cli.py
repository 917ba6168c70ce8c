"""Every accessor against what the tool itself says about the same file: `mosquito inspect --json` for metadata,
tables and statistics, `mosquito export --format csv` for samples, time windows and channel selections."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

import numpy as np
import pytest

import mosquito

from conftest import ALL, export, inspect_json


@pytest.mark.parametrize("name", ALL)
def test_metadata_and_tables_equal_inspect(recordings: Dict[str, Path], name: str) -> None:
    path = recordings[name]
    summary = inspect_json(path)
    with mosquito.open(path) as rec:
        meta = summary["metadata"]
        assert rec.format_version == meta["formatVersion"] == 1
        assert rec.software_version == meta["softwareVersion"]
        assert rec.host == meta["host"]
        assert rec.start_time == meta["startTime"]
        assert rec.stop_time == meta.get("stopTime")
        assert rec.command_line == meta["commandLine"]
        assert rec.device_uris == meta["deviceURIs"]
        assert rec.closed_cleanly == summary["closedCleanly"]
        assert len(rec.devices) == len(summary["devices"])
        for dev, want in zip(rec.devices, summary["devices"]):
            d = want["device"]
            assert dev.group == want["group"]
            assert rec.devices[dev.serial] is dev and rec.devices[dev.group] is dev
            assert dev.uri == d["uri"]
            assert (dev.serial, dev.design, dev.hardware_revision, dev.firmware_version) == (
                d["identity"]["serial"], d["identity"]["design"], d["identity"]["hardwareRevision"],
                d["identity"]["firmwareVersion"])
            assert dev.rate_hz == d["configuration"]["rateHz"]
            assert list(dev.pipeline) == d["pipeline"]
            assert [(c.name, c.kind, c.unit, c.adc_bits, c.raw_min, c.raw_max) for c in dev.channels] == [
                (c["name"], c["kind"], c["unit"], c["adcBits"], c["rawMin"], c["rawMax"])
                for c in d["configuration"]["channels"]]
            calibrations = {c["channel"]: c for c in d["calibration"]}
            for c in dev.channels:
                cal, expected = c.calibration, calibrations[c.name]
                assert cal is not None
                assert (cal.channel, cal.degree, list(cal.coefficients), cal.calibrated_at_unix_s, cal.technician,
                        cal.certificate_id) == (expected["channel"], expected["degree"], expected["coefficients"],
                                                expected["calibratedAt"], expected["technician"],
                                                expected.get("certificateID"))
            assert len(dev) == dev.n_samples == want["sampleCount"]
            assert dev.first_index == want.get("firstIndex")
            assert dev.last_index == want.get("lastIndex")
            assert dev.duration == want["durationSeconds"]
            assert len(dev.gaps) == want["gapCount"]
            assert dev.missing_samples == want["missingSamples"]
            by_cause: Dict[str, int] = {}
            for g in dev.gaps:
                by_cause[g.cause] = by_cause.get(g.cause, 0) + g.count
            assert by_cause == want["missingByCause"]
            assert len(dev.events) == want["eventCount"]
            clock = want["clock"]
            assert len(dev.clock) == clock["exchanges"]
            assert dev.clock.round_trip_min_ns == clock.get("roundTripMinNanos")
            assert dev.clock.round_trip_median_ns == clock.get("roundTripMedianNanos")
            assert dev.clock.round_trip_max_ns == clock.get("roundTripMaxNanos")
            assert dev.clock.drift_ppm == clock.get("driftPPM")  # the same arithmetic, so the same bits


# (start, stop, channels by position): whole file, a window with a reordered subset, a 2 ms window around the first
# simulator drop, bounds that only Swift's rounding places (x.5 µs), an empty window, a window past the end.
WINDOWS = [(None, None, None), (0.25, 0.75, [-1, 0]), (0.0975, 0.1015, None), (0.0020005, 0.0060005, [0]),
           (1.0, 1.0, None), (5.0, None, None)]


def _args(start: Optional[float], stop: Optional[float], names: Optional[list]) -> list:
    args = []
    if start is not None:
        args += ["--from", repr(start)]
    if stop is not None:
        args += ["--to", repr(stop)]
    if names is not None:
        args += ["--channels", ",".join(names)]
    return args


@pytest.mark.parametrize("name", ALL)
def test_samples_equal_export(recordings: Dict[str, Path], name: str) -> None:
    path = recordings[name]
    with mosquito.open(path) as rec:
        for dev in rec.devices:
            for start, stop, positions in WINDOWS:
                names = None if positions is None else [dev.channels[p].name for p in positions]
                if names is not None and len(set(names)) != len(names):
                    names = names[:1]
                args = ["--device", dev.serial] + _args(start, stop, names)
                values, raw = export(path, *args), export(path, *args, raw=True)
                s = dev.samples(start, stop, names)
                assert values.header == ["index", "device_time_us"] + [c.name for c in s.channels]
                assert np.array_equal(s.index, values.index)
                assert np.array_equal(s.device_time_us, values.device_time_us)
                assert s.values.dtype == np.float64 and s.raw.dtype == np.int32
                assert np.array_equal(s.values, values.columns)  # exact: the CSV prints round-trip floats
                assert np.array_equal(s.raw, raw.columns)
                assert np.array_equal(dev.values(start, stop, names), values.columns)
                assert np.array_equal(dev.raw(start, stop, names), raw.columns)
                relative = (values.device_time_us.astype(np.int64) - dev.origin_us) / 1e6
                assert np.array_equal(dev.time("relative", start, stop), relative)
                assert np.array_equal(dev.time("device", start, stop), values.device_time_us / 1e6)
            assert np.array_equal(dev.index, export(path, "--device", dev.serial).index)


def test_the_windows_hit_what_they_are_meant_to(recordings: Dict[str, Path]) -> None:
    # The window list above is only worth something if it exercises rounding, gaps and the empty cases.
    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices[0]
        assert dev.gaps[0].first_missing_index == 98  # inside the 0.0975–0.1015 s window
        assert list(dev.samples(0.0975, 0.1015).index) == [100, 101]  # indices 98–101, of which 98–99 are missing
        assert len(dev.samples(1.0, 1.0)) == 0 and len(dev.samples(5.0, None)) == 0
        # 2000.5 µs and 6000.5 µs round half away from zero (as Swift does) to 2001 and 6001, not to even.
        assert list(dev.samples(0.0020005, 0.0060005).index) == [3, 4, 5, 6]


def test_time_bases(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["two"]) as rec:
        for dev in rec.devices:
            host = dev.time("host")
            assert np.all(np.diff(host) > 0)
            assert np.array_equal(host, dev._node["host_time_ns"][()] / 1e9)
            assert dev.time("relative")[0] == 0.0
            with pytest.raises(ValueError, match="time kind"):
                dev.time("wall")


def test_bad_windows_are_refused_as_export_refuses_them(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["drops"]) as rec:
        dev = rec.devices[0]
        with pytest.raises(ValueError, match="before start"):
            dev.values(1.0, 0.5)
        with pytest.raises(ValueError, match="≥ 0"):
            dev.values(-1.0)
        with pytest.raises(KeyError, match="no channel 'load'.*force, displacement, temperature"):
            dev.values(channels=["load"])
        with pytest.raises(KeyError, match="no device 'MQ-NOPE'"):
            rec.devices["MQ-NOPE"]
