"""The installed distribution's version, which the build took from the tool's own version string."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("mosquito-daq")
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
