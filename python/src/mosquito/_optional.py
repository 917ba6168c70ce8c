"""Imports an optional dependency, or says which extra brings it."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str) -> ModuleType:
    """The module, or ImportError naming ``pip install mosquito-daq[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(f"{module} is needed for this: pip install 'mosquito-daq[{extra}]'") from error
