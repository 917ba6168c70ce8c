"""The archive's files (a folder, or one file) against the edges' own recordings, by h5py: for each edge file, the archive file of the
same serial must hold the same indices, device times, raw counts and values (exactly), host times within a
millisecond, and the same gaps. Prints one JSON object per serial."""
import glob, json, sys

import h5py, numpy as np


def device(path):
    with h5py.File(path, "r") as f:
        name = f.attrs["device_groups"][0]
        d = f["devices"][name.decode() if isinstance(name, bytes) else name]
        s = d.attrs["serial"]
        return (s.decode() if isinstance(s, bytes) else s), {
            k: d[k][()] for k in ("index", "device_time_us", "host_time_ns", "raw", "values")
        } | {"gaps": [(int(a), int(b), c.decode() if isinstance(c, bytes) else c) for a, b, c in
                      zip(d["gaps/first_missing_index"][()], d["gaps/count"][()], d["gaps/cause"][()])],
             "channel_names": [c.decode() if isinstance(c, bytes) else c for c in d.attrs["channel_names"]]}


archive_dir, edges = sys.argv[1], sys.argv[2:]
archived = {}
# A folder (every file in it), or one archive file.
for path in [archive_dir] if archive_dir.endswith(".h5") else glob.glob(archive_dir + "/**/*.h5", recursive=True):
    serial, d = device(path)
    archived.setdefault(serial, []).append(d)
out = {}
for path in edges:
    serial, e = device(path)
    runs = archived.get(serial, [])
    r = out[serial] = {"archive_files": len(runs), "edge_rows": int(len(e["index"]))}
    if len(runs) != 1:
        continue
    a = runs[0]
    r["archive_rows"] = int(len(a["index"]))
    same_rows = len(a["index"]) == len(e["index"])
    r["equal"] = same_rows and all(np.array_equal(a[k], e[k]) for k in ("index", "device_time_us", "raw", "values"))
    r["host_time_close"] = same_rows and bool((np.abs(a["host_time_ns"] - e["host_time_ns"]) <= 1_000_000).all())
    r["gaps_equal"] = a["gaps"] == e["gaps"]
    r["channels_equal"] = a["channel_names"] == e["channel_names"]
print(json.dumps(out))
