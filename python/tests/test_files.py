"""Opening files: refusals that name what is missing, killed and live recordings (SWMR), lazy reads, streaming."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path
from typing import Dict

import h5py
import numpy as np
import pytest

import mosquito

from conftest import BIN, DEADLINE_S, export, swmr_rows, wait_until


def test_a_text_file_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "notes.h5"
    path.write_text("not HDF5\n")
    with pytest.raises(mosquito.NotARecordingError, match="notes.h5 is not a Mosquito recording: missing the HDF5"):
        mosquito.open(path)


def test_another_hdf5_file_is_refused_naming_the_format_attribute(tmp_path: Path) -> None:
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["data"] = np.arange(10)
    with pytest.raises(mosquito.NotARecordingError) as refused:
        mosquito.open(path)
    assert refused.value.missing == ("root attribute 'format' (= 'mosquito-recording')",)
    assert isinstance(refused.value, ValueError)


def test_a_damaged_recording_names_every_missing_part(recordings: Dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "damaged.h5"
    shutil.copy(recordings["drops"], path)
    with h5py.File(path, "r+") as f:
        del f["devices/MQ-SIM-0001/values"]
        del f["devices/MQ-SIM-0001/gaps/cause"]
        del f["devices/MQ-SIM-0001"].attrs["channel_units"]
        del f.attrs["host"]
    with pytest.raises(mosquito.NotARecordingError) as refused:
        mosquito.open(path)
    assert refused.value.missing == (
        "root attribute 'host'",
        "attribute 'channel_units' of '/devices/MQ-SIM-0001'",
        "dataset '/devices/MQ-SIM-0001/values'",
        "dataset '/devices/MQ-SIM-0001/gaps/cause'",
    )
    assert "dataset '/devices/MQ-SIM-0001/values'" in str(refused.value)


def test_another_format_version_is_refused(recordings: Dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "v2.h5"
    shutil.copy(recordings["drops"], path)
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = np.int64(2)
    with pytest.raises(mosquito.NotARecordingError, match="format_version 1 \\(it is 2"):
        mosquito.open(path)


def test_no_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        mosquito.open(tmp_path / "absent.h5")


def test_a_killed_recording_opens_and_says_so(recordings: Dict[str, Path]) -> None:
    path = recordings["killed"]
    with pytest.raises(OSError):
        h5py.File(path, "r")  # still flagged as open by a SWMR writer: a plain open refuses it
    with mosquito.open(path) as rec:
        assert not rec.closed_cleanly and rec.stop_time is None
        dev = rec.devices[0]
        assert len(dev) > 0
        assert np.array_equal(dev.values(), export(path).columns)
        assert "no stop time" in repr(rec)


def test_a_live_recording_grows_on_refresh(tmp_path: Path) -> None:
    path = tmp_path / "live.h5"
    recorder = subprocess.Popen([str(BIN), "record", "--device", "sim?channels=2", "--rate", "1000",
                                 "--output", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: swmr_rows(path) > 0, "the recorder's first flush")
        with mosquito.open(path) as rec:
            dev = rec.devices[0]
            before = len(dev)
            assert before > 0 and not rec.closed_cleanly
            assert len(dev.values()) == len(dev.index) == before  # one snapshot for every column
            wait_until(lambda: swmr_rows(path) > before, "a later flush")
            rec.refresh()
            assert len(dev) > before
            assert len(dev.values()) == len(dev.time()) == len(dev)
            assert np.array_equal(dev.index[:before], np.arange(before))
        recorder.send_signal(signal.SIGINT)  # Ctrl-C: a clean stop
        assert recorder.wait(timeout=DEADLINE_S) == 0
        with mosquito.open(path) as rec:
            assert rec.closed_cleanly and rec.stopped_at is not None and rec.stopped_at >= rec.started_at
    finally:
        if recorder.poll() is None:
            recorder.kill()
            recorder.wait()


def test_values_read_only_the_rows_asked_for(recordings: Dict[str, Path], tmp_path: Path) -> None:
    # Proof by damage: the last compressed chunk of `raw` and `values` is overwritten with garbage on disk.
    # Reading the first half second never touches it; reading everything fails on it.
    path = tmp_path / "damaged-tail.h5"
    shutil.copy(recordings["compressed16"], path)
    with h5py.File(path, "r") as f:
        group = f["devices"][f.attrs["device_groups"][0]]
        spans = []
        for name in ("raw", "values"):
            ds = group[name]
            assert ds.compression == "gzip" and ds.id.get_num_chunks() >= 3
            last = ds.id.get_chunk_info(ds.id.get_num_chunks() - 1)
            assert last.chunk_offset[0] > 1000  # the tail, far from the first 0.5 s (1000 rows)
            spans.append((last.byte_offset, last.size))
    with open(path, "r+b") as raw_file:
        for offset, size in spans:
            raw_file.seek(offset)
            raw_file.write(b"\xff" * size)
    with mosquito.open(path) as rec:
        dev = rec.devices[0]
        head = dev.values(0.0, 0.5)
        assert head.shape == (1000, 16)
        assert np.array_equal(head, export(recordings["compressed16"], "--to", "0.5").columns)
        assert len(list(dev.iter_chunks(stop=0.5, rows=300))) == 4
        with pytest.raises(OSError):
            dev.values()


def test_iter_chunks_streams_the_same_rows(recordings: Dict[str, Path]) -> None:
    with mosquito.open(recordings["compressed16"]) as rec:
        dev = rec.devices[0]
        whole = dev.samples(0.2, 2.9, ["ain3", "force"])
        chunks = list(dev.iter_chunks(0.2, 2.9, ["ain3", "force"], rows=777))
        assert [len(c) for c in chunks[:-1]] == [777] * (len(chunks) - 1) and 0 < len(chunks[-1]) <= 777
        assert chunks[0].rows.start == whole.rows.start and chunks[-1].rows.stop == whole.rows.stop
        for column in ("index", "device_time_us", "host_time_ns", "raw", "values"):
            assert np.array_equal(np.concatenate([getattr(c, column) for c in chunks]), getattr(whole, column))
        assert np.array_equal(np.concatenate([c.time() for c in chunks]), whole.time())
        default = list(dev.iter_chunks())
        assert sum(len(c) for c in default) == len(dev) == 6000
        with pytest.raises(ValueError):
            next(dev.iter_chunks(rows=0))
