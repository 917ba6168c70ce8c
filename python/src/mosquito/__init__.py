"""Mosquito DAQ recordings and live data in Python.

>>> import mosquito
>>> rec = mosquito.open("run.h5")                 # SWMR: live and killed recordings open too
>>> dev = rec.devices[0]                          # or rec.devices["MQ-2026-0041"]
>>> dev.values(start=10.0, stop=20.0, channels=["force"])

See docs/python.md in the Mosquito repository.
"""

from ._version import __version__
from .calibration import Calibration, evaluate
from .channels import Channel, Channels
from .device import Device
from .errors import LiveError, MosquitoError, NotARecordingError
from .live import Block, Live, live
from .recording import Devices, Recording, open
from .samples import Samples
from .tables import Clock, Event, Gap

__all__ = [
    "__version__", "open", "live", "evaluate", "Recording", "Devices", "Device", "Channel", "Channels",
    "Calibration", "Samples", "Gap", "Event", "Clock", "Block", "Live", "MosquitoError", "NotARecordingError",
    "LiveError",
]
