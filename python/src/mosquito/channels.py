"""A device's channels: what each measures, in which unit, from which ADC range, under which calibration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

from .calibration import Calibration


@dataclass(frozen=True)
class Channel:
    """One recorded channel. ``position`` is its column in ``raw`` and ``values``."""

    position: int
    name: str
    kind: str
    unit: str
    adc_bits: int
    raw_min: int
    raw_max: int
    calibration: Optional[Calibration]

    @property
    def label(self) -> str:
        """``"name [unit]"``, the column label of tables and plots."""
        return f"{self.name} [{self.unit}]"

    def as_dict(self) -> Dict[str, Any]:
        """Plain, JSON-ready form (for provenance and attrs)."""
        return {"name": self.name, "kind": self.kind, "unit": self.unit, "adc_bits": self.adc_bits,
                "raw_min": self.raw_min, "raw_max": self.raw_max,
                "calibration": self.calibration.as_dict() if self.calibration else None}


ChannelKey = Union[int, str]


class Channels(Sequence[Channel]):
    """The channels of a device in column order; ``channels["force"]`` and ``channels[0]`` both work."""

    def __init__(self, channels: Sequence[Channel]) -> None:
        self._channels: Tuple[Channel, ...] = tuple(channels)

    @overload
    def __getitem__(self, key: ChannelKey) -> Channel: ...
    @overload
    def __getitem__(self, key: slice) -> Sequence[Channel]: ...

    def __getitem__(self, key: Union[ChannelKey, slice]) -> Union[Channel, Sequence[Channel]]:
        if isinstance(key, slice):
            return self._channels[key]
        return self._channels[self.position(key)]

    def __len__(self) -> int:
        return len(self._channels)

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._channels)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, Channel):
            return key in self._channels
        return any(c.name == key for c in self._channels)

    @property
    def names(self) -> List[str]:
        return [c.name for c in self._channels]

    @property
    def units(self) -> List[str]:
        return [c.unit for c in self._channels]

    def position(self, key: ChannelKey) -> int:
        """Column of a channel given by name or position; KeyError/IndexError naming the channels otherwise."""
        if isinstance(key, (int,)) and not isinstance(key, bool):
            if not -len(self._channels) <= key < len(self._channels):
                raise IndexError(f"no channel {key}: the device has {len(self._channels)} "
                                 f"({', '.join(self.names)})")
            return key % len(self._channels)
        for c in self._channels:
            if c.name == key:
                return c.position
        raise KeyError(f"no channel {key!r} (channels: {', '.join(self.names)})")

    def select(self, keys: Union[None, ChannelKey, Sequence[ChannelKey]]) -> List[int]:
        """Columns for a selection: None is every channel; one key or a list of keys, in the order given."""
        if keys is None:
            return list(range(len(self._channels)))
        if isinstance(keys, (str, int)):
            keys = [keys]
        columns = [self.position(k) for k in keys]
        if len(set(columns)) != len(columns):
            raise ValueError(f"a channel is selected twice: {list(keys)}")
        return columns

    def __repr__(self) -> str:
        return "Channels(" + ", ".join(c.label for c in self._channels) + ")"
