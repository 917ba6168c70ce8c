"""Recordings made by the real `mosquito record` during the session, and the CLI's own view of them.

The binary is $MOSQUITO_BIN (default: <repo>/.build/debug/mosquito). Nothing here waits on time: processes are
waited on, files are polled for the condition a test needs, and every wait has a generous deadline that only a
broken build reaches.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("MOSQUITO_BIN") or REPO / ".build" / "debug" / "mosquito")
#: Only a hung process or a broken build gets near this.
DEADLINE_S = 120.0


def pytest_configure(config: pytest.Config) -> None:
    if not BIN.is_file():
        raise pytest.UsageError(f"no mosquito binary at {BIN}: build it (swift build) or set MOSQUITO_BIN")


def mosquito(*args: str, expect: Optional[int] = 0) -> subprocess.CompletedProcess:
    """Runs the binary to completion; checks its exit status unless ``expect`` is None."""
    done = subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=DEADLINE_S)
    if expect is not None:
        assert done.returncode == expect, f"mosquito {' '.join(args)} exited {done.returncode}: {done.stderr}"
    return done


def wait_until(condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S) -> None:
    """Polls ``condition`` until true; the pause between polls only spaces them out, it decides nothing."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what} after {deadline_s} s")
        time.sleep(0.02)


def swmr_rows(path: Path) -> int:
    """Complete rows of the first device as a SWMR reader sees them now (0 while the file is not there yet)."""
    if not path.exists():
        return 0
    try:
        with h5py.File(path, "r", swmr=True) as f:
            groups = f.attrs.get("device_groups")
            if groups is None or len(groups) == 0:
                return 0
            d = f["devices"][groups[0]]
            columns = [d[n] for n in ("index", "device_time_us", "host_time_ns", "raw", "values")]
            for c in columns:
                c.refresh()  # HDF5 shares one open file per process: another handle may hold stale extents
            return min(c.shape[0] for c in columns)
    except (OSError, KeyError):  # still being created: SWMR starts after every group exists
        return 0


@dataclass
class Exported:
    """What `mosquito export --format csv` printed."""

    header: List[str]
    index: np.ndarray
    device_time_us: np.ndarray
    columns: np.ndarray  # (rows, channels): float64, or int64 with --raw


def export(path: Path, *args: str, raw: bool = False) -> Exported:
    out = mosquito("export", str(path), "--format", "csv", *args, *(["--raw"] if raw else [])).stdout
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    convert = int if raw else float
    columns = np.array([[convert(x) for x in r[2:]] for r in body], dtype=np.int64 if raw else np.float64)
    return Exported(header=header,
                    index=np.array([int(r[0]) for r in body], dtype=np.uint64),
                    device_time_us=np.array([int(r[1]) for r in body], dtype=np.uint64),
                    columns=columns.reshape(len(body), len(header) - 2))


def inspect_json(path: Path) -> Dict:
    return json.loads(mosquito("inspect", str(path), "--json").stdout)


def record(output: Path, *args: str, lossy: bool = False) -> Path:
    """`mosquito record … --output OUTPUT`; a run that lost samples exits non-zero and says so."""
    done = mosquito("record", *args, "--output", str(output), expect=None)
    if lossy:
        assert done.returncode != 0 and "samples lost" in done.stderr, done.stderr
    else:
        assert done.returncode == 0, done.stderr
    assert output.is_file()
    return output


def killed_recording(output: Path, *args: str) -> Path:
    """A recorder killed with SIGKILL once its file holds rows: no clean close, no stop_time."""
    process = subprocess.Popen([str(BIN), "record", *args, "--output", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: swmr_rows(output) > 0 or process.poll() is not None, "the recorder's first flush")
        assert process.poll() is None, "the recorder ended before it was killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=DEADLINE_S)
    return output


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """Every kind of recording the package must read, made once per session."""
    d = tmp_path_factory.mktemp("recordings")
    made: Dict[str, Path] = {}
    # The simulator drops every 50th frame (2 samples at 1 kHz): 20 transport gaps in 2 s.
    made["drops"] = record(d / "drops.h5", "--device", "sim?drop_every=50&channels=3", "--duration", "2",
                           "--rate", "1000", lossy=True)
    # The unit hangs up after every 150 frames and --follow reconnects: gaps plus disconnect/reconnect events.
    made["follow"] = record(d / "follow.h5", "--device", "sim?disconnect_after=150&channels=2", "--follow",
                            "--duration", "2", "--rate", "1000", lossy=True)
    made["two"] = record(d / "two.h5", "--device", "sim?serial=MQ-SIM-A&channels=1",
                         "--device", "sim?serial=MQ-SIM-B&channels=2&drop_every=11", "--duration", "1.5",
                         "--rate", "1000", lossy=True)
    made["decimated"] = record(d / "decimated.h5", "--device", "sim?drop_every=9&channels=3", "--duration", "2",
                               "--rate", "1000", "--decimate", "10", lossy=True)
    made["compressed16"] = record(d / "compressed16.h5", "--device", "sim?channels=16", "--duration", "3",
                                  "--rate", "2000", "--compress")
    made["replayed"] = record(d / "replayed.h5", "--device", f"replay:{made['drops']}:0", "--rate", "1000",
                              lossy=True)
    made["killed"] = killed_recording(d / "killed.h5", "--device", "sim?channels=3&drop_every=40", "--rate", "1000")
    return made


ALL = ["drops", "follow", "two", "decimated", "compressed16", "replayed", "killed"]
