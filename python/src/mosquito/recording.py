"""Opening a recording: the file, its devices by serial and by position, and what the whole file says about
where it came from."""

from __future__ import annotations

import datetime as _dt
import os
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Union

import h5py

from ._version import __version__
from .device import ChannelSelection, Device
from .errors import NotARecordingError
from .layout import attribute_text, attribute_texts, device_group_names, missing_parts

if TYPE_CHECKING:
    import pandas
    import xarray

PathLike = Union[str, "os.PathLike[str]"]


def open(path: PathLike, *, swmr: bool = True) -> "Recording":  # noqa: A001 - mirrors builtins.open on purpose
    """Opens a Mosquito recording (``.h5``) for reading.

    With ``swmr`` (the default) a recording still being written, or left behind by a killed recorder, opens
    too; a file written without SWMR support falls back to a plain read. Raises :class:`NotARecordingError`
    naming what is missing when the file is not a Mosquito recording, ``FileNotFoundError`` when there is no file.
    """
    return Recording(path, swmr=swmr)


def _open_file(path: str, swmr: bool) -> h5py.File:
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    if not h5py.is_hdf5(path):
        raise NotARecordingError(path, ["the HDF5 file signature (it is not an HDF5 file)"])
    failure: Optional[BaseException] = None
    attempts: List[Dict[str, Any]] = [{"swmr": True}] if swmr else []
    # A file written without the SWMR-capable format opens only plainly; one whose lock another process holds
    # (a recorder finishing its clean close) opens without locking: a reader needs no lock of its own.
    attempts += [{}, {"swmr": True, "locking": False}, {"locking": False}]
    for options in attempts:
        try:
            return h5py.File(path, "r", **options)
        except (OSError, ValueError, TypeError) as error:  # TypeError: an h5py without `locking`
            failure = failure or error
    raise OSError(f"cannot open {path}: {failure}")


class Devices(Sequence[Device]):
    """The devices of a recording in file order: ``devices[0]``, ``devices["MQ-2026-0041"]`` (serial or group
    name), ``"MQ-2026-0041" in devices``, iteration, ``len``."""

    def __init__(self, devices: Sequence[Device]) -> None:
        self._devices = tuple(devices)

    def __getitem__(self, key: Union[int, str]) -> Device:  # type: ignore[override]
        if isinstance(key, str):
            for d in self._devices:
                if key in (d.serial, d.group):
                    return d
            raise KeyError(f"no device {key!r} (devices: {', '.join(self.serials)})")
        return self._devices[key]

    def __len__(self) -> int:
        return len(self._devices)

    def __iter__(self) -> Iterator[Device]:
        return iter(self._devices)

    def __contains__(self, key: object) -> bool:
        return any(key in (d.serial, d.group) or key is d for d in self._devices)

    @property
    def serials(self) -> List[str]:
        return [d.serial for d in self._devices]

    def keys(self) -> List[str]:
        """Serials, as a mapping's keys."""
        return self.serials

    def __repr__(self) -> str:
        return "Devices(" + ", ".join(self.serials) + ")"


class Recording:
    """An open recording. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: PathLike, *, swmr: bool = True) -> None:
        self.path = os.fspath(path)
        self.file = _open_file(self.path, swmr)
        try:
            missing = missing_parts(self.file)
            if missing:
                raise NotARecordingError(self.path, missing)
            a = self.file.attrs
            self.format_version = int(a["format_version"])
            self.software_version = attribute_text(a["software_version"])
            self.host = attribute_text(a["host"])
            #: UTC ISO 8601, as the recorder wrote it.
            self.start_time = attribute_text(a["start_time"])
            #: None when the recorder was killed, failed, or is still recording.
            self.stop_time: Optional[str] = attribute_text(a["stop_time"]) if "stop_time" in a else None
            self.command_line = attribute_text(a["command_line"])
            self.device_uris = attribute_texts(a["device_uris"])
            groups = device_group_names(self.file)
            self.devices = Devices([Device(self, g, self.file["devices"][g], i) for i, g in enumerate(groups)])
        except BaseException:
            self.file.close()
            raise

    @property
    def closed_cleanly(self) -> bool:
        """True when the recorder finished the file (it wrote ``stop_time``)."""
        return self.stop_time is not None

    @property
    def started_at(self) -> _dt.datetime:
        """The start time as an aware UTC datetime."""
        return _parse_utc(self.start_time)

    @property
    def stopped_at(self) -> Optional[_dt.datetime]:
        return _parse_utc(self.stop_time) if self.stop_time else None

    def refresh(self) -> "Recording":
        """Sees what a live recorder flushed since the file was opened (and a ``stop_time`` only after reopening)."""
        for d in self.devices:
            d.refresh()
        return self

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "Recording":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def provenance(self, *, devices: bool = True) -> Dict[str, Any]:
        """Where the file came from: format, recorder version, host, start/stop, command line, and (with
        ``devices``) each device's provenance. JSON-ready."""
        out: Dict[str, Any] = {
            "file": os.path.abspath(self.path), "format": "mosquito-recording", "format_version": self.format_version,
            "software_version": self.software_version, "host": self.host, "start_time": self.start_time,
            "stop_time": self.stop_time, "closed_cleanly": self.closed_cleanly, "command_line": self.command_line,
            "device_uris": list(self.device_uris), "read_with": f"mosquito-daq {__version__}",
        }
        if devices:
            out["devices"] = [{k: v for k, v in d.provenance().items() if k not in out} for d in self.devices]
        return out

    def aligned(self, start: Optional[float] = None, stop: Optional[float] = None, *,
                channels: Optional[Dict[str, ChannelSelection]] = None, reference: Union[int, str] = 0,
                tolerance: Optional[float] = None, raw: bool = False,
                kind: str = "pandas") -> Union["pandas.DataFrame", "xarray.DataArray"]:
        """Every device on one host-time axis: the rows of the ``reference`` device in ``[start, stop)`` (seconds
        of host time after the earliest first sample of any device), each other device's nearest sample within
        ``tolerance`` seconds (default: half the longest sample period) or NaN. ``kind="pandas"`` gives a
        DataFrame with (device, "name [unit]") columns, ``kind="xarray"`` a DataArray (time, channel) whose
        channel index has a device level. ``channels`` maps a serial to its channel selection."""
        from .frames import aligned
        return aligned(self, start, stop, channels or {}, reference, tolerance, raw, kind)

    def _repr_html_(self) -> str:
        from .html import recording_html
        return recording_html(self)

    def __repr__(self) -> str:
        state = "closed cleanly" if self.closed_cleanly else "no stop time (live or killed)"
        return (f"<mosquito.Recording {self.path}: {len(self.devices)} device(s) "
                f"{', '.join(self.devices.serials)}; started {self.start_time}, {state}>")


def _parse_utc(text: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
