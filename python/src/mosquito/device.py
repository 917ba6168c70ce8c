"""One instrument's part of a recording: identity, channels, samples (read lazily, by time and channel), gaps,
events, clock exchanges and provenance, and the conversions to pandas, xarray and MNE."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import h5py
import numpy as np
import numpy.typing as npt

from . import rows as _rows
from .calibration import Calibration
from .channels import Channel, ChannelKey, Channels
from .layout import SAMPLE_DATASETS, attribute_text, attribute_texts
from .samples import Samples, seconds
from .tables import Clock, Event, Gap, gaps_by_cause

if TYPE_CHECKING:
    import matplotlib.figure
    import mne
    import pandas
    import xarray

    from .recording import Recording

ChannelSelection = Union[None, ChannelKey, Sequence[ChannelKey]]

_ACQUIRE = re.compile(r"^acquire ([0-9]+(?:\.[0-9]+)?) Hz$")


class Device:
    """One device group of a recording. Sample counts are a snapshot taken when the file was opened (or at the
    last :meth:`refresh`), so every column read agrees in length even while the recorder keeps appending."""

    def __init__(self, recording: "Recording", group: str, node: h5py.Group, position: int) -> None:
        self.recording = recording
        self.group = group
        self.position = position
        self._node = node
        a = node.attrs
        self.uri = attribute_text(a["uri"])
        self.serial = attribute_text(a["serial"])
        self.design = attribute_text(a["design"])
        self.hardware_revision = attribute_text(a["hardware_revision"])
        self.firmware_version = attribute_text(a["firmware_version"])
        #: Rate of the recorded rows in Hz (after any decimation).
        self.rate_hz = float(a["rate_hz"])
        #: The processing steps before values were recorded, e.g. ``["acquire 1000 Hz", "lowpass …"]``.
        self.pipeline: Tuple[str, ...] = tuple(attribute_texts(a["pipeline"])) if len(a["pipeline"]) else ()
        #: How many acquired samples each row stands for (1: every sample; N after ``--decimate N``). ``None`` for a
        #: file written before recordings said it: then only :attr:`pipeline` tells.
        self.decimation: Optional[int] = int(a["decimation"]) if "decimation" in a else None
        self.channels = Channels(self._read_channels())
        self._count = 0
        self.refresh()

    # MARK: identity and shape

    def _read_channels(self) -> List[Channel]:
        a = self._node.attrs
        names = attribute_texts(a["channel_names"])
        kinds = attribute_texts(a["channel_kinds"])
        units = attribute_texts(a["channel_units"])
        bits, lows, highs = (np.asarray(a[k]).reshape(-1)
                             for k in ("channel_adc_bits", "channel_raw_min", "channel_raw_max"))
        if not len(names) == len(kinds) == len(units) == len(bits) == len(lows) == len(highs):
            from .errors import NotARecordingError
            raise NotARecordingError(self.recording.path,
                                     [f"channel attributes of equal length in '/devices/{self.group}'"])
        calibrations = {c.channel: c for c in self._read_calibration()}
        return [Channel(position=i, name=names[i], kind=kinds[i], unit=units[i], adc_bits=int(bits[i]),
                        raw_min=int(lows[i]), raw_max=int(highs[i]), calibration=calibrations.get(names[i]))
                for i in range(len(names))]

    def _read_calibration(self) -> List[Calibration]:
        t = self._node["calibration"]
        channel = t["channel"].asstr()[()]
        degree = t["degree"][()]
        coefficients = np.asarray(t["coefficients"][()], dtype=np.float64).reshape(-1, 4)
        at = t["calibrated_at_unix_s"][()]
        technician = t["technician"].asstr()[()]
        certificate = t["certificate_id"].asstr()[()]
        n = min(len(channel), len(degree), len(coefficients), len(at), len(technician), len(certificate))
        return [Calibration(channel=str(channel[i]), degree=int(degree[i]),
                            coefficients=tuple(float(c) for c in coefficients[i]),  # type: ignore[arg-type]
                            calibrated_at_unix_s=int(at[i]), technician=str(technician[i]),
                            certificate_id=str(certificate[i]) or None)
                for i in range(n)]

    def refresh(self) -> "Device":
        """Sees the rows and table entries a live recorder flushed since the file was opened."""
        if self.recording.file.swmr_mode:
            for name in SAMPLE_DATASETS:
                self._node[name].refresh()
            for table in ("gaps", "events", "clock"):
                for column in self._node[table].values():
                    column.refresh()
        self._count = min(int(self._node[name].shape[0]) for name in SAMPLE_DATASETS)
        return self

    def __len__(self) -> int:
        return self._count

    @property
    def n_samples(self) -> int:
        """Complete sample rows in the snapshot."""
        return self._count

    @property
    def acquisition_rate_hz(self) -> float:
        """The instrument's sampling rate, before any decimation (index counts samples at this rate)."""
        match = _ACQUIRE.match(self.pipeline[0]) if self.pipeline else None
        return float(match.group(1)) if match else self.rate_hz

    @property
    def first_index(self) -> Optional[int]:
        return int(self._node["index"][0]) if self._count else None

    @property
    def last_index(self) -> Optional[int]:
        return int(self._node["index"][self._count - 1]) if self._count else None

    @property
    def duration(self) -> float:
        """Seconds of device time from the first to the last sample (0 when the clock went backwards)."""
        if not self._count:
            return 0.0
        t = self._node["device_time_us"]
        first, last = int(t[0]), int(t[self._count - 1])
        return (last - first) / 1e6 if last >= first else 0.0

    @property
    def origin_us(self) -> int:
        """Device time of the first sample, µs: the zero of "relative" time and of ``start``/``stop``."""
        return int(self._node["device_time_us"][0]) if self._count else 0

    # MARK: samples

    def rows(self, start: Optional[float] = None, stop: Optional[float] = None) -> range:
        """The rows of ``[start, stop)``, seconds of device time after the first sample (as ``export --from/--to``)."""
        return _rows.window(self._node["device_time_us"], self._count, start, stop)

    def _column(self, name: str, rows: range) -> npt.NDArray[Any]:
        return np.asarray(self._node[name][rows.start:rows.stop])

    def _matrix(self, name: str, rows: range, columns: List[int]) -> npt.NDArray[Any]:
        dataset = self._node[name]
        if len(rows) == 0:
            return np.empty((0, len(columns)), dtype=dataset.dtype)
        if columns == list(range(len(self.channels))):
            return np.asarray(dataset[rows.start:rows.stop])
        ordered = sorted(columns)
        block = np.asarray(dataset[rows.start:rows.stop, ordered])  # h5py reads increasing column lists only
        return block[:, [ordered.index(c) for c in columns]]

    def samples(self, start: Optional[float] = None, stop: Optional[float] = None,
                channels: ChannelSelection = None, *, rows: Optional[range] = None) -> Samples:
        """Every column of the rows in ``[start, stop)`` (or of ``rows``) for the chosen channels."""
        span = rows if rows is not None else self.rows(start, stop)
        span = range(min(span.start, self._count), min(max(span.start, span.stop), self._count))
        columns = self.channels.select(channels)
        return Samples(rows=span, channels=tuple(self.channels[c] for c in columns),
                       index=self._column("index", span), device_time_us=self._column("device_time_us", span),
                       host_time_ns=self._column("host_time_ns", span), raw=self._matrix("raw", span, columns),
                       values=self._matrix("values", span, columns), origin_us=self.origin_us)

    def values(self, start: Optional[float] = None, stop: Optional[float] = None,
               channels: ChannelSelection = None) -> npt.NDArray[np.float64]:
        """Calibrated (and processed) values, float64 (samples, channels); reads only the selected rows."""
        return self._matrix("values", self.rows(start, stop), self.channels.select(channels))

    def raw(self, start: Optional[float] = None, stop: Optional[float] = None,
            channels: ChannelSelection = None) -> npt.NDArray[np.int32]:
        """ADC counts, int32 (samples, channels); reads only the selected rows."""
        return self._matrix("raw", self.rows(start, stop), self.channels.select(channels))

    def time(self, kind: str = "relative", start: Optional[float] = None,
             stop: Optional[float] = None) -> npt.NDArray[np.float64]:
        """Seconds per sample: ``relative`` (device time since the first sample), ``device`` (the device clock)
        or ``host`` (UTC seconds since the Unix epoch, through the device→host clock mapping; intervals follow
        the host's monotonic clock)."""
        span = self.rows(start, stop)
        return seconds(kind, self._column("device_time_us", span), self._column("host_time_ns", span), self.origin_us)

    @property
    def index(self) -> npt.NDArray[np.uint64]:
        """The device sample index of every row (it jumps where samples are missing)."""
        return self._column("index", range(self._count))

    def iter_chunks(self, start: Optional[float] = None, stop: Optional[float] = None,
                    channels: ChannelSelection = None, *, rows: Optional[int] = None) -> Iterator[Samples]:
        """Streams through ``[start, stop)`` in blocks of ``rows`` rows (default: whole HDF5 chunks, a few MB),
        so a file of any size is processed in bounded memory."""
        span = self.rows(start, stop)
        step = rows if rows is not None else self._default_block_rows()
        if step < 1:
            raise ValueError(f"rows must be at least 1, not {step}")
        for first in range(span.start, span.stop, step):
            yield self.samples(channels=channels, rows=range(first, min(span.stop, first + step)))

    def _default_block_rows(self) -> int:
        chunk = self._node["values"].chunks
        chunk_rows = int(chunk[0]) if chunk else 65536
        row_bytes = len(self.channels) * 12 + 24
        return chunk_rows * max(1, (8 << 20) // max(1, chunk_rows * row_bytes))

    # MARK: tables

    def _table(self, table: str, column: str) -> npt.NDArray[Any]:
        return np.asarray(self._node[table][column][()])

    @property
    def gaps(self) -> Tuple[Gap, ...]:
        """Runs of missing samples, in the order they were found."""
        first = self._table("gaps", "first_missing_index")
        count = self._table("gaps", "count")
        cause = self._node["gaps"]["cause"].asstr(errors="replace")[()]
        return tuple(Gap(int(first[i]), int(count[i]), str(cause[i]))
                     for i in range(min(len(first), len(count), len(cause))))

    @property
    def missing_samples(self) -> int:
        """Samples missing in all gaps."""
        return sum(g.count for g in self.gaps)

    @property
    def events(self) -> Tuple[Event, ...]:
        """Status flags, markers, triggers, disconnects and reconnects."""
        index = self._table("events", "sample_index")
        time = self._table("events", "host_time_ns")
        kind = self._node["events"]["kind"].asstr(errors="replace")[()]
        detail = self._node["events"]["detail"].asstr(errors="replace")[()]
        return tuple(Event(int(index[i]), int(time[i]), str(kind[i]), str(detail[i]))
                     for i in range(min(len(index), len(time), len(kind), len(detail))))

    @property
    def clock(self) -> Clock:
        """The clock ping exchanges, with round-trip and drift statistics."""
        names = ("host_send_ns", "host_receive_ns", "device_time_us", "round_trip_ns")
        columns = [self._table("clock", c) for c in names]
        n = min(len(c) for c in columns)
        return Clock(*(c[:n] for c in columns))

    # MARK: provenance

    def identity(self) -> Dict[str, Any]:
        """Who the instrument is and how it was recorded."""
        return {"group": self.group, "serial": self.serial, "uri": self.uri, "design": self.design,
                "hardware_revision": self.hardware_revision, "firmware_version": self.firmware_version,
                "rate_hz": self.rate_hz, "pipeline": list(self.pipeline)}

    def provenance(self) -> Dict[str, Any]:
        """Everything needed to trace these numbers back: the file and its recorder, the instrument, its
        channels and their calibration, the processing, and what is missing. JSON-ready."""
        gaps = self.gaps
        return {
            **self.recording.provenance(devices=False),
            "device": self.identity(),
            "channels": [c.as_dict() for c in self.channels],
            "samples": self._count,
            "gaps": {"count": len(gaps), "missing_samples": sum(g.count for g in gaps),
                     "by_cause": gaps_by_cause(gaps)},
            "events": len(self.events),
            "clock": self.clock.as_dict(),
        }

    # MARK: conversions (each needs its extra)

    def to_pandas(self, start: Optional[float] = None, stop: Optional[float] = None,
                  channels: ChannelSelection = None, *, time: str = "relative",
                  raw: bool = False) -> "pandas.DataFrame":
        """A DataFrame indexed by time in seconds, one column ``"name [unit]"`` per channel (``[counts]`` with
        ``raw=True``); ``attrs`` holds the provenance. Needs ``mosquito-daq[pandas]``."""
        from .frames import device_frame
        return device_frame(self, start, stop, channels, time, raw)

    def to_xarray(self, start: Optional[float] = None, stop: Optional[float] = None,
                  channels: ChannelSelection = None, *, time: str = "relative",
                  raw: bool = False) -> "xarray.DataArray":
        """A DataArray (time, channel) with coordinates index/device_time/host_time along time and
        unit/kind along channel; ``attrs`` holds the units, calibration and provenance. Needs
        ``mosquito-daq[xarray]``."""
        from .frames import device_array
        return device_array(self, start, stop, channels, time, raw)

    def to_mne(self, start: Optional[float] = None, stop: Optional[float] = None,
               channels: ChannelSelection = None, *, ch_types: Union[None, str, Dict[str, str]] = None,
               fill: float = float("nan")) -> "mne.io.RawArray":
        """An MNE ``RawArray`` in SI units on a uniform time grid: samples missing in gaps are ``fill`` (NaN) and
        covered by ``BAD_gap`` annotations, events become annotations named by their kind. Needs
        ``mosquito-daq[mne]``."""
        from .mne_export import device_raw
        return device_raw(self, start, stop, channels, ch_types, fill)

    def plot(self, start: Optional[float] = None, stop: Optional[float] = None,
             channels: ChannelSelection = None, *, time: str = "relative") -> "matplotlib.figure.Figure":
        """One axis per channel, units on the axes, gaps shaded. Needs ``mosquito-daq[plot]`` (matplotlib)."""
        from .plotting import plot_device
        return plot_device(self, start, stop, channels, time)

    def _repr_html_(self) -> str:
        from .html import device_html
        return device_html(self)

    def __repr__(self) -> str:
        return (f"<mosquito.Device {self.serial} ({self.design}, firmware {self.firmware_version}): "
                f"{self._count} samples at {self.rate_hz:g} Hz, {len(self.channels)} channels "
                f"({', '.join(c.label for c in self.channels)})>")
