"""The installed distribution: not the source tree, the tool's version, numpy and h5py only, the extras, typed."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import mosquito

from conftest import REPO, mosquito as run_mosquito


def test_the_installed_package_is_tested_not_the_source_tree() -> None:
    installed = Path(mosquito.__file__).resolve()
    assert "site-packages" in installed.parts
    assert (REPO / "python" / "src") not in installed.parents
    assert metadata.distribution("mosquito-daq").locate_file("mosquito/__init__.py").resolve() == installed


def test_version_is_the_tools() -> None:
    assert mosquito.__version__ == metadata.version("mosquito-daq") == run_mosquito("--version").stdout.strip()


def test_dependencies_are_numpy_and_h5py_and_the_extras_are_declared() -> None:
    requires = metadata.requires("mosquito-daq") or []
    names = lambda reqs: {re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0].lower() for r in reqs}  # noqa: E731
    assert names(r for r in requires if "extra ==" not in r) == {"numpy", "h5py"}
    extras = set(metadata.metadata("mosquito-daq").get_all("Provides-Extra") or [])
    assert {"pandas", "xarray", "mne", "live", "plot"} <= extras
    for extra, module in (("pandas", "pandas"), ("xarray", "xarray"), ("mne", "mne"), ("live", "websocket-client"),
                          ("plot", "matplotlib")):
        assert module in names(r for r in requires if re.search(f"extra == [\"']{extra}[\"']", r))


def test_typed() -> None:
    assert (Path(mosquito.__file__).parent / "py.typed").is_file()
