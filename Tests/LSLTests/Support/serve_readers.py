"""The judge of `serve --lsl`'s per-inlet accounting: a liblsl inlet that reads (pylsl) and a feed that never reads,
both on the stream of a device that `serve` records through its HTTP API. The server's status route must name the
slow one with its drops and the fast one with none, the Markers stream must announce the slow one's drops, and the
fast inlet must hold every row of the file, value for value, at the file's host times.

    serve_readers.py SOURCE_ID PORT TOKEN FOLDER -> "result {json}"

Every wait is on an event (a resolve, a count in the status, a sample past the file's end, a marker), bounded by
generous deadlines and mosquito_peer's global alarm.
"""
import json
import sys
import time
import urllib.request

import h5py
import numpy as np
import pylsl

from mosquito_peer import RawMarkers, resolve, say, slow_feed


def main(source_id, port, token, folder):
    def call(method, path, body=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=None if body is None else json.dumps(body).encode(), method=method,
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read())

    def readers():
        status = call("GET", f"/api/devices/{source_id}/status")
        return ([r for r in status["networkReaders"] if r["hostname"] == "slow-reader"],
                [r for r in status["networkReaders"] if r["hostname"] != "slow-reader"])

    info = resolve("source_id", source_id)
    marks = RawMarkers(resolve("source_id", source_id + "-markers"))
    stalled = slow_feed(info)
    fast = pylsl.StreamInlet(info, max_buflen=360, recover=False)
    fast.open_stream(timeout=30)
    offset_ns = time.time_ns() - int(pylsl.local_clock() * 1e9)
    rate = info.nominal_srate()
    buffer = np.empty((100_000, info.channel_count()), dtype=np.float32)
    values, stamps = [], []

    def pull():
        _, ts = fast.pull_chunk(timeout=0.05, max_samples=len(buffer), dest_obj=buffer)
        values.append(buffer[:len(ts)].copy())
        stamps.extend(ts)

    call("POST", "/api/recordings", {"device": source_id, "name": "readers.h5"})
    # Recording, until the stalled feed has lost samples and the fast inlet has had a second more.
    deadline = time.monotonic() + 120
    during = None
    while time.monotonic() < deadline:
        for _ in range(10):
            pull()
        slow, others = readers()
        if slow and slow[0]["samplesDropped"] > 0 and others and others[0]["samplesSent"] >= rate:
            during = (slow, others)
            break
    stopped = call("POST", "/api/recordings/stop", {"device": source_id})
    with h5py.File(f"{folder}/readers.h5", "r") as f:
        g = f["devices"][f.attrs["device_groups"][0]]
        file_values = g["values"][()]
        host = g["host_time_ns"][()].astype(np.int64)
        file_gaps = len(g["gaps/count"][()])
    # The hub streams on after the recording: once the inlet has a sample stamped past the file's last row, it has
    # everything before it (one TCP connection keeps the order).
    end = (host[-1] - offset_ns) / 1e9 + 0.01
    while (not stamps or stamps[-1] < end) and time.monotonic() < deadline + 60:
        pull()
    after_slow, after_fast = readers()
    while not any(m["event"] == "inlet_drops" and m.get("hostname") == "slow-reader" for m, _ in marks.markers) \
            and time.monotonic() < deadline + 90:
        pull()
    stalled.close()

    lsl_values = np.concatenate(values) if values else np.empty((0, buffer.shape[1]), dtype=np.float32)
    lsl_ns = np.round(np.array(stamps) * 1e9).astype(np.int64)
    # The inlet's sample at the file's first row: the nearest stamp (the two clocks are read here within
    # microseconds; the rows are 1/rate apart).
    j = int(np.argmin(np.abs(lsl_ns - (host[0] - offset_ns)))) if len(lsl_ns) else 0
    n = len(host)
    compared = min(n, len(lsl_ns) - j)
    diffs = host[:compared] - lsl_ns[j:j + compared]
    say("result " + json.dumps({
        "reached_drops": during is not None,
        "slow_dropped_during": during[0][0]["samplesDropped"] if during else None,
        "fast_dropped_during": [r["samplesDropped"] for r in during[1]] if during else None,
        "slow_dropped_after": [r["samplesDropped"] for r in after_slow],
        "fast_dropped_after": [r["samplesDropped"] for r in after_fast],
        "via": sorted({r["via"] for r in after_slow + after_fast}),
        "file_rows": n, "compared": compared, "samples_lost": stopped["samplesLost"], "file_gaps": file_gaps,
        "values_equal": compared == n and bool(np.array_equal(file_values.astype(np.float32), lsl_values[j:j + n])),
        "stamp_spread_ns": int(diffs.max() - diffs.min()) if compared else None,
        "drop_markers": [m for m, _ in marks.markers if m["event"] == "inlet_drops"],
    }))


if __name__ == "__main__":
    main(*sys.argv[1:])
