"""The archive's files (a folder, or one file) against the edges' own recordings, by h5py: for each edge file, the archive file of the
same serial must hold the same indices, device times, raw counts and values (exactly), host times within a
millisecond, and the same gaps. A run an archive continued after a restart (`STEM.h5`, `STEM.part2.h5`, …) counts as
one file: its parts, in order, joined. Prints one JSON object per serial, with `parts` per archived run."""
import glob, json, re, sys

import h5py, numpy as np


def opened(path):
    # A part whose archive was killed is still flagged as being written (SWMR): read it as a SWMR reader does.
    try:
        return h5py.File(path, "r")
    except OSError:
        return h5py.File(path, "r", swmr=True)


def device(path):
    with opened(path) as f:
        name = f.attrs["device_groups"][0]
        d = f["devices"][name.decode() if isinstance(name, bytes) else name]
        s = d.attrs["serial"]
        return (s.decode() if isinstance(s, bytes) else s), {
            k: d[k][()] for k in ("index", "device_time_us", "host_time_ns", "raw", "values")
        } | {"gaps": [(int(a), int(b), c.decode() if isinstance(c, bytes) else c) for a, b, c in
                      zip(d["gaps/first_missing_index"][()], d["gaps/count"][()], d["gaps/cause"][()])],
             "channel_names": [c.decode() if isinstance(c, bytes) else c for c in d.attrs["channel_names"]]}


def joined(parts):
    out = {k: np.concatenate([p[k] for p in parts]) for k in ("index", "device_time_us", "host_time_ns", "raw", "values")}
    out["gaps"] = [g for p in parts for g in p["gaps"]]
    out["channel_names"] = parts[0]["channel_names"]
    out["parts"] = len(parts)
    return out


archive_dir, edges = sys.argv[1], sys.argv[2:]
runs = {}
# A folder (every file in it), or one archive file.
for path in [archive_dir] if archive_dir.endswith(".h5") else glob.glob(archive_dir + "/**/*.h5", recursive=True):
    m = re.match(r"(.*?)(?:\.part(\d+))?\.h5$", path)
    serial, d = device(path)
    runs.setdefault((serial, m.group(1)), []).append((int(m.group(2) or 1), d))
archived = {}
for (serial, _), parts in sorted(runs.items()):
    archived.setdefault(serial, []).append(joined([d for _, d in sorted(parts, key=lambda p: p[0])]))
out = {}
for path in edges:
    serial, e = device(path)
    runs = archived.get(serial, [])
    r = out[serial] = {"archive_files": len(runs), "edge_rows": int(len(e["index"]))}
    if len(runs) != 1:
        continue
    a = runs[0]
    r["parts"] = a["parts"]
    r["archive_rows"] = int(len(a["index"]))
    same_rows = len(a["index"]) == len(e["index"])
    r["equal"] = same_rows and all(np.array_equal(a[k], e[k]) for k in ("index", "device_time_us", "raw", "values"))
    r["host_time_close"] = same_rows and bool((np.abs(a["host_time_ns"] - e["host_time_ns"]) <= 1_000_000).all())
    r["gaps_equal"] = a["gaps"] == e["gaps"]
    r["channels_equal"] = a["channel_names"] == e["channel_names"]
print(json.dumps(out))
