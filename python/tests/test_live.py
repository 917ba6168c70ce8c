"""`mosquito.live()` against a real `mosquito serve` with the simulator: contiguous indices except where the
simulator dropped, `dropped` counting exactly what a stalled reader lost, decimation, tokens, and values equal
to the recording the same server made of the same frames."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import numpy as np
import pytest

import mosquito

from conftest import BIN, DEADLINE_S, mosquito as run_mosquito, wait_until

SERIAL = "MQ-SIM-0001"


class Server:
    """`mosquito serve --bind 127.0.0.1:0 --require-tokens` with an operator token; its URL read from what it prints."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.folder = folder
        tokens = folder / "tokens.json"
        self.token = run_mosquito("serve", "token", "create", "--agent", "py", "--role", "operator",
                                  "--tokens", str(tokens)).stdout.strip()
        self.recordings = folder / "recordings"
        self.recordings.mkdir()
        out = folder / "serve.out"
        self.process = subprocess.Popen(
            [str(BIN), "serve", *args, "--bind", "127.0.0.1:0", "--tokens", str(tokens), "--require-tokens",
             "--recordings", str(self.recordings)],
            stdout=out.open("w"), stderr=(folder / "serve.err").open("w"))
        found: List[str] = []

        def printed_url() -> bool:
            assert self.process.poll() is None, (folder / "serve.err").read_text()
            found[:] = re.findall(r"http://127\.0\.0\.1:\d+/", out.read_text())
            return bool(found)

        wait_until(printed_url, "serve to print its URL")
        self.url = found[0]

    def api(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        request = urllib.request.Request(self.url + path.lstrip("/"), method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=DEADLINE_S) as response:
            return json.load(response)

    def status(self, serial: str = SERIAL) -> Dict[str, Any]:
        return self.api("GET", f"/api/devices/{serial}/status")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def serve(tmp_path: Path, *args: str) -> Iterator[Server]:
    server = Server(tmp_path, *args)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dropping_server(tmp_path: Path) -> Iterator[Server]:
    # Every 7th simulator frame (2 samples at 1 kHz) never leaves the instrument.
    with serve(tmp_path, "--device", "sim?drop_every=7&channels=3", "--rate", "1000") as server:
        yield server


def frames(stream: mosquito.Live, at_least: int) -> List[mosquito.Block]:
    blocks: List[mosquito.Block] = []
    while sum(len(b) for b in blocks) < at_least:
        blocks.append(next(stream))
    return blocks


def test_indices_are_contiguous_except_where_the_simulator_dropped(dropping_server: Server) -> None:
    with mosquito.live(dropping_server.url, SERIAL, token=dropping_server.token) as stream:
        assert stream.channels == ("force", "displacement", "temperature")
        assert stream.units == ("N", "um", "degC")
        blocks = frames(stream, 1500)
    index = np.concatenate([b.index for b in blocks]).astype(np.int64)
    assert sum(b.dropped for b in blocks) == 0  # a prompt reader loses nothing of its own
    steps = np.diff(index)
    assert set(steps.tolist()) == {1, 3}  # 1, or one dropped 2-sample frame
    holes = index[:-1][steps == 3] + 1  # first index of each dropped frame
    assert len(holes) >= 10
    assert set(((holes - holes[0]) % 14).tolist()) == {0}  # every 7th frame of 2 samples
    for b in blocks:
        assert b.raw.dtype == np.int32 and b.values.dtype == np.float64 and b.raw.shape == (len(b), 3)
        assert np.array_equal(b.time, b.device_time_ns / 1e9)
        assert np.array_equal(b.values[:, 2], mosquito.evaluate(stream.calibrations[2].coefficients, b.raw[:, 2]))


def test_every_nth_stream_sends_multiples_of_n(dropping_server: Server) -> None:
    with mosquito.live(dropping_server.url, SERIAL, token=dropping_server.token, every=10) as stream:
        index = np.concatenate([b.index for b in frames(stream, 100)]).astype(np.int64)
    assert (index % 10 == 0).all()
    assert set(np.diff(index).tolist()) <= {10, 20}  # a dropped frame can take one multiple of 10 with it


def test_tokens_are_needed_and_bad_requests_are_refused(dropping_server: Server) -> None:
    with pytest.raises(mosquito.LiveError, match="HTTP 401") as unauthorized:
        mosquito.live(dropping_server.url, SERIAL)
    assert unauthorized.value.status == 401
    with pytest.raises(mosquito.LiveError, match="HTTP 404") as unknown:
        mosquito.live(dropping_server.url, "MQ-NOPE", token=dropping_server.token)
    assert unknown.value.status == 404
    with pytest.raises(ValueError, match="every"):
        mosquito.live(dropping_server.url, SERIAL, token=dropping_server.token, every=0)


def test_a_stalled_reader_is_told_exactly_how_many_frames_it_lost(tmp_path: Path) -> None:
    # 100 kS/s on one channel (20-byte frames). The reader takes one message, then stops reading until the
    # server has produced more than its per-client ring (32768 frames) plus everything the sockets can hold
    # (the kernel's send-buffer ceiling, our capped receive buffer, and a MiB for the server's own queue): from
    # then on the server must be dropping this reader's oldest frames.
    with serve(tmp_path, "--device", "sim?channels=1", "--rate", "100000") as server:
        receive_buffer = 8192
        send_ceiling = int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
        with mosquito.live(server.url, SERIAL, token=server.token, receive_buffer=receive_buffer) as stream:
            blocks = [next(stream)]
            beyond = int(blocks[0].index[-1]) + 32768 + (send_ceiling + 2 * receive_buffer + (1 << 20)) // 20
            wait_until(lambda: server.status()["nextIndex"] > beyond, "the server to outrun the stalled reader")
            caught_up_at: Optional[int] = None
            while caught_up_at is None or int(blocks[-1].index[-1]) < caught_up_at:
                blocks.append(next(stream))
                if caught_up_at is None and blocks[-1].dropped:
                    caught_up_at = server.status()["nextIndex"]
            blocks.append(next(stream))  # a loss found while we caught up is reported in the next message
        index = np.concatenate([b.index for b in blocks]).astype(np.int64)
        missing = int(index[-1] - index[0] + 1) - len(index)
        assert np.all(np.diff(index) > 0)
        assert missing > 0
        assert sum(b.dropped for b in blocks[1:]) == missing
        assert server.status()["samplesLost"] == 0  # the instrument lost nothing: all of it was this reader's


def test_live_values_equal_the_recording_made_in_the_same_run(tmp_path: Path) -> None:
    # The server streams nothing until it records, so every frame the stream carries is one the file holds.
    with serve(tmp_path, "--device", "sim?drop_every=7&channels=3", "--rate", "1000", "--idle") as server:
        with mosquito.live(server.url, SERIAL, token=server.token) as stream:
            server.api("POST", "/api/recordings", {"device": SERIAL, "name": "same-run.h5", "durationSeconds": 1.5})
            blocks = frames(stream, 1)
            while int(blocks[-1].index[-1]) < 1494:  # the last frames of 1.5 s (a dropped one may be among them)
                blocks.append(next(stream))
            try:
                server.api("POST", "/api/recordings/stop", {"device": SERIAL})
            except urllib.error.HTTPError as error:
                assert error.code == 409  # it had already stopped at its duration
            with mosquito.open(server.recordings / "same-run.h5") as rec:
                dev = rec.devices[SERIAL]
                last = dev.last_index
                while int(blocks[-1].index[-1]) < last:
                    blocks.append(next(stream))
                file_index, file_raw, file_values = dev.index, dev.raw(), dev.values()
                calibrations = [c.calibration for c in dev.channels]
                assert len(dev.gaps) > 0
        assert sum(b.dropped for b in blocks) == 0
        # The instrument streams on until the recording is stopped; the file keeps exactly 1.5 s (indices < 1500).
        index = np.concatenate([b.index for b in blocks])
        recorded = index < 1500
        assert np.array_equal(index[recorded], file_index)  # the same frames, the same simulator drops
        assert np.array_equal(np.concatenate([b.raw for b in blocks])[recorded], file_raw)
        live_values = np.concatenate([b.values for b in blocks])[recorded]
        assert np.array_equal(live_values.view(np.uint64), file_values.view(np.uint64))  # to the last bit
        assert [c.coefficients for c in stream.calibrations] == [c.coefficients for c in calibrations]
