"""The package's exceptions: one base class, and one that says exactly what a file lacks."""

from __future__ import annotations

from typing import Optional, Sequence


class MosquitoError(Exception):
    """Base class of every error this package raises on purpose."""


class NotARecordingError(MosquitoError, ValueError):
    """The file is not a Mosquito recording (or a damaged one): ``missing`` names each thing it lacks.

    The message names the file and everything missing, e.g.
    ``run.h5 is not a Mosquito recording: missing root attribute 'format' (= 'mosquito-recording')``.
    """

    def __init__(self, path: str, missing: Sequence[str]) -> None:
        self.path = path
        self.missing = tuple(missing)
        super().__init__(f"{path} is not a Mosquito recording: missing {', '.join(self.missing)}")


class LiveError(MosquitoError):
    """The live stream could not be opened or sent something that is not a sample message.

    ``status`` is the server's HTTP status when it refused (401 without a valid token, 404 for an unknown
    device, …), and None when there was no answer or the stream itself was bad.
    """

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        self.status = status
        super().__init__(message)
