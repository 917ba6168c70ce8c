"""The recording format's names (docs/recording-format.md: the format is the contract) and the check that a file
has them all, so a file that is not a Mosquito recording is refused with one error naming what it lacks."""

from __future__ import annotations

from typing import Any, List

import h5py
import numpy as np

FORMAT_NAME = "mosquito-recording"
FORMAT_VERSION = 1

ROOT_ATTRIBUTES = ("format", "format_version", "software_version", "host", "start_time", "command_line", "device_uris")
DEVICE_ATTRIBUTES = (
    "uri", "serial", "design", "hardware_revision", "firmware_version", "rate_hz", "pipeline",
    "channel_names", "channel_kinds", "channel_units", "channel_adc_bits", "channel_raw_min", "channel_raw_max",
)
#: One row per sample in each; the shortest gives the number of complete rows (the writer extends ``index`` last).
SAMPLE_DATASETS = ("index", "device_time_us", "host_time_ns", "raw", "values")
TABLES = {
    "calibration": ("channel", "degree", "coefficients", "calibrated_at_unix_s", "calibrated_at", "technician",
                    "certificate_id"),
    "gaps": ("first_missing_index", "count", "cause"),
    "events": ("sample_index", "host_time_ns", "kind", "detail"),
    "clock": ("host_send_ns", "host_receive_ns", "device_time_us", "round_trip_ns"),
}


def attribute_text(value: Any) -> str:
    """An HDF5 string attribute as str (h5py gives str for variable-length UTF-8, bytes for fixed-length)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return attribute_text(value.item())
    return str(value)


def attribute_texts(value: Any) -> List[str]:
    """A string-array attribute as a list of str."""
    if isinstance(value, (str, bytes)):
        return [attribute_text(value)]
    return [attribute_text(v) for v in value]


def device_group_names(file: h5py.File) -> List[str]:
    """The device groups in device order: ``device_groups`` when present, else the members of ``/devices``."""
    if "device_groups" in file.attrs:
        return attribute_texts(file.attrs["device_groups"])
    return sorted(file["devices"].keys()) if isinstance(file.get("devices"), h5py.Group) else []


def missing_parts(file: h5py.File) -> List[str]:
    """Everything the format requires that ``file`` lacks, each named as a path (empty: it is a recording).

    A file without the root ``format`` attribute, or with another value, gets that one finding: listing every
    other absent part of an unrelated file would only bury it.
    """
    if "format" not in file.attrs:
        return [f"root attribute 'format' (= '{FORMAT_NAME}')"]
    found = attribute_text(file.attrs["format"])
    if found != FORMAT_NAME:
        return [f"root attribute 'format' = '{FORMAT_NAME}' (it is '{found}')"]
    missing: List[str] = []
    for name in ROOT_ATTRIBUTES[1:]:
        if name not in file.attrs:
            missing.append(f"root attribute '{name}'")
    if "format_version" in file.attrs:
        version = int(file.attrs["format_version"])
        if version != FORMAT_VERSION:
            missing.append(f"format_version {FORMAT_VERSION} (it is {version}; this package reads version "
                           f"{FORMAT_VERSION})")
    devices = file.get("devices")
    if not isinstance(devices, h5py.Group):
        missing.append("group '/devices'")
        return missing
    groups = device_group_names(file)
    if not groups:
        missing.append("a device group under '/devices'")
    for group in groups:
        base = f"/devices/{group}"
        node = devices.get(group)
        if not isinstance(node, h5py.Group):
            missing.append(f"group '{base}'")
            continue
        missing += [f"attribute '{name}' of '{base}'" for name in DEVICE_ATTRIBUTES if name not in node.attrs]
        missing += [f"dataset '{base}/{name}'" for name in SAMPLE_DATASETS
                    if not isinstance(node.get(name), h5py.Dataset)]
        for table, columns in TABLES.items():
            missing += [f"dataset '{base}/{table}/{column}'" for column in columns
                        if not isinstance(node.get(f"{table}/{column}"), h5py.Dataset)]
    return missing
