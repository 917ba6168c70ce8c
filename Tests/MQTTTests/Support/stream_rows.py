"""An archived run's rows against an edge's recording of another stream, by h5py: whether the run holds only its
own stream (contiguous indices, no host-time jump, no device time of the other stream's rows) and whether its
file is named by its first known host time (`SERIAL-YYYYMMDDTHHMMSSZ.h5`, or `…Z-N.h5` for a
later run starting in the same second). Prints one JSON object."""
import datetime, json, os, re, sys

import h5py, numpy as np


def rows(path):
    with h5py.File(path, "r") as f:
        name = f.attrs["device_groups"][0]
        d = f["devices"][name.decode() if isinstance(name, bytes) else name]
        return d["index"][()], d["device_time_us"][()], d["host_time_ns"][()]


run, other = sys.argv[1], sys.argv[2]
index, device, host = rows(run)
_, other_device, _ = rows(other)
# A stream's first rows may have no host time yet (0: the edge's clock mapping is still being made).
known = host[host > 0]
first = datetime.datetime.fromtimestamp(int(known[0]) // 1_000_000_000, datetime.timezone.utc)
stamp = re.match(r".*-(\d{8}T\d{6}Z)(?:-\d+)?\.h5$", os.path.basename(run)).group(1)
print(json.dumps({
    "rows": int(len(index)),
    "contiguous": bool((np.diff(index.astype(np.int64)) == 1).all()),
    "max_host_step_ms": float(np.diff(known).max() / 1e6) if len(known) > 1 else 0.0,
    "rows_of_other_stream": int(np.isin(device, other_device).sum()),
    "named_by_first_sample": stamp == first.strftime("%Y%m%dT%H%M%SZ"),
}))
