"""Live samples from ``mosquito serve`` over its WebSocket (docs/web.md, "Sample stream"), calibrated with the
instrument's own polynomials by the same evaluator recordings use.

Each binary message is, little-endian: ``"MQS1"``, u16 channels C, u16 0, u32 frames N, u32 0, u64 frames
dropped for this client since its previous message; then N frames of u64 sample index, u64 device time (ns),
C × i32 raw counts.
"""

from __future__ import annotations

import json
import socket
import struct
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

from ._optional import require
from .calibration import Calibration, evaluate_columns
from .errors import LiveError

MAGIC = b"MQS1"
_HEADER = struct.Struct("<4sHHIIQ")


@dataclass(frozen=True)
class Block:
    """The frames of one WebSocket message."""

    #: Device sample index of each frame (with ``every=N``, only multiples of N).
    index: npt.NDArray[np.uint64]
    #: Device time of each frame, nanoseconds.
    device_time_ns: npt.NDArray[np.uint64]
    #: ADC counts, (frames, channels).
    raw: npt.NDArray[np.int32]
    #: Calibrated values, (frames, channels), float64.
    values: npt.NDArray[np.float64]
    #: Frames this client lost since its previous message because it read too slowly (not decimation).
    dropped: int
    channels: Tuple[str, ...]

    @property
    def time(self) -> npt.NDArray[np.float64]:
        """Device time of each frame in seconds."""
        return self.device_time_ns / 1e9

    def __len__(self) -> int:
        return int(self.index.shape[0])


def decode(message: bytes, calibrations: List[Optional[Calibration]], channels: Tuple[str, ...]) -> Block:
    """One binary sample message as a :class:`Block` (LiveError when it is not one)."""
    if len(message) < _HEADER.size or message[:4] != MAGIC:
        raise LiveError(f"not a sample message (expected magic {MAGIC!r}, got {message[:4]!r})")
    _, count, _, frames, _, dropped = _HEADER.unpack_from(message)
    if count != len(calibrations):
        raise LiveError(f"a message has {count} channels; the device has {len(calibrations)}")
    frame = np.dtype([("index", "<u8"), ("time", "<u8"), ("raw", "<i4", (count,))])
    if len(message) != _HEADER.size + frames * frame.itemsize:
        raise LiveError(f"a message of {frames} frames has {len(message)} bytes, not "
                        f"{_HEADER.size + frames * frame.itemsize}")
    body = np.frombuffer(message, dtype=frame, count=frames, offset=_HEADER.size)
    raw = body["raw"].astype(np.int32).reshape(frames, count)
    return Block(index=body["index"].astype(np.uint64), device_time_ns=body["time"].astype(np.uint64), raw=raw,
                 values=evaluate_columns(calibrations, raw), dropped=int(dropped), channels=channels)


def _bases(url: str) -> Tuple[str, str]:
    """(http base, ws base) of a server URL given as http(s):// or ws(s)://."""
    parts = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    scheme = {"http": ("http", "ws"), "https": ("https", "wss"), "ws": ("http", "ws"), "wss": ("https", "wss")}
    if parts.scheme not in scheme:
        raise ValueError(f"server URL must be http://, https://, ws:// or wss://, not {url!r}")
    http, ws = scheme[parts.scheme]
    path = parts.path.rstrip("/")
    return f"{http}://{parts.netloc}{path}", f"{ws}://{parts.netloc}{path}"


def device_info(url: str, device: str, token: Optional[str] = None, timeout: float = 10.0) -> Dict[str, Any]:
    """``GET /api/devices/{device}``: identity, channels and each channel's calibration."""
    http, _ = _bases(url)
    request = urllib.request.Request(f"{http}/api/devices/{urllib.parse.quote(device, safe='')}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            info: Dict[str, Any] = json.load(response)
            return info
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()
        raise LiveError(f"{http}: device {device}: HTTP {error.code} {body}", status=error.code) from error
    except (urllib.error.URLError, OSError) as error:
        raise LiveError(f"{http}: cannot reach the server: {error}") from error


def _calibration(channel: Dict[str, Any]) -> Optional[Calibration]:
    c = channel.get("calibration")
    if not c:
        return None
    coefficients = [float(x) for x in c["coefficients"]] + [0.0] * 4
    return Calibration(channel=channel["name"], degree=int(c.get("degree", 3)),
                       coefficients=tuple(coefficients[:4]),  # type: ignore[arg-type]
                       calibrated_at_unix_s=int(c.get("calibratedAt", 0)), technician=str(c.get("technician", "")),
                       certificate_id=c.get("certificateID"))


class Live:
    """An open sample stream: iterate for :class:`Block` s; ``close()`` (or a ``with`` block) ends it.

    Iteration ends when the server closes the stream; silence longer than ``timeout`` seconds raises
    ``TimeoutError``.
    """

    def __init__(self, url: str, device: str, *, token: Optional[str] = None, every: int = 1,
                 timeout: Optional[float] = 30.0, receive_buffer: Optional[int] = None) -> None:
        if not (isinstance(every, int) and 1 <= every <= 100_000):
            raise ValueError(f"every must be a whole number from 1 to 100000, not {every!r}")
        websocket = require("websocket", "live")
        self.info = device_info(url, device, token, timeout or 10.0)
        ordered = sorted(self.info["channels"], key=lambda c: c["index"])
        self.channels: Tuple[str, ...] = tuple(c["name"] for c in ordered)
        self.units: Tuple[str, ...] = tuple(c["unit"] for c in ordered)
        self.calibrations: List[Optional[Calibration]] = [_calibration(c) for c in ordered]
        _, ws = _bases(url)
        query = urllib.parse.urlencode({"every": every})
        options: List[Tuple[int, int, int]] = []
        if receive_buffer is not None:
            options.append((socket.SOL_SOCKET, socket.SO_RCVBUF, int(receive_buffer)))
        try:
            self._socket = websocket.create_connection(
                f"{ws}/ws/devices/{urllib.parse.quote(device, safe='')}?{query}", timeout=timeout,
                header=[f"Authorization: Bearer {token}"] if token else [], sockopt=tuple(options))
        except websocket.WebSocketBadStatusException as error:
            raise LiveError(f"{ws}: device {device}: the stream was refused: {error}",
                            status=getattr(error, "status_code", None)) from error
        except (websocket.WebSocketException, OSError) as error:
            raise LiveError(f"{ws}: cannot open the stream of {device}: {error}") from error
        self._websocket = websocket

    def __iter__(self) -> Iterator[Block]:
        return self

    def __next__(self) -> Block:
        websocket = self._websocket
        while True:
            try:
                opcode, payload = self._socket.recv_data()
            except websocket.WebSocketTimeoutException as error:
                raise TimeoutError("no sample message within the timeout") from error
            except socket.timeout as error:
                raise TimeoutError("no sample message within the timeout") from error
            except websocket.WebSocketConnectionClosedException:
                raise StopIteration from None
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise StopIteration
            if opcode == websocket.ABNF.OPCODE_BINARY:
                return decode(payload, self.calibrations, self.channels)

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> "Live":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def live(url: str, device: str, *, token: Optional[str] = None, every: int = 1,
         timeout: Optional[float] = 30.0, receive_buffer: Optional[int] = None) -> Live:
    """Opens the live sample stream of ``device`` (its serial) on a ``mosquito serve`` at ``url``.

    ``token`` is a bearer token (needed beyond loopback or with ``--require-tokens``); ``every=N`` sends only
    indices divisible by N. ``receive_buffer`` caps the socket's receive buffer in bytes: a reader that falls
    behind then loses its oldest frames at the server (counted in ``Block.dropped``) instead of reading stale
    data queued in the kernel. Needs ``mosquito-daq[live]``.
    """
    return Live(url, device, token=token, every=every, timeout=timeout, receive_buffer=receive_buffer)
