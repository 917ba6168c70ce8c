"""An independent consumer of `mosquito … --publish`: paho-mqtt, and docs/mqtt.md's formats alone.

Subscribes to mosquito/v1/<site>/#, writes READY once the broker acknowledged the subscription, and collects
until every expected device has said it went offline cleanly (its final retained status). Then decodes what
it got and, given recordings (h5py), compares them sample for sample. Prints one JSON verdict on stdout.
"""
import argparse, hashlib, json, ssl, struct, sys, threading, time

import paho.mqtt.client as mqtt

HEADER = struct.Struct("<HHI8sQQ")  # format, channels, frames, meta_id, sequence, first index


def decode_data(payload):
    fmt, channels, frames, meta_id, sequence, first = HEADER.unpack_from(payload, 0)
    assert fmt == 1, f"unknown data format {fmt}"
    stride = 24 + 4 * channels
    assert len(payload) == HEADER.size + frames * stride, "length does not match the header"
    frame = struct.Struct("<QQq%di" % channels)
    rows = [frame.unpack_from(payload, HEADER.size + k * stride) for k in range(frames)]
    if rows:
        assert rows[0][0] == first, "header's first index differs from the first frame's"
    return meta_id.hex(), sequence, rows


def meta_id_of(meta):
    """docs/mqtt.md: the first 8 bytes of SHA-256 over the meta JSON without meta_id, keys sorted, no spaces."""
    body = {k: v for k, v in meta.items() if k != "meta_id"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(canonical).digest()[:8].hex()


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--user")
    a.add_argument("--password-file")
    a.add_argument("--site", required=True)
    a.add_argument("--devices", type=int, default=1)
    a.add_argument("--ready", required=True)
    a.add_argument("--h5", nargs="*", default=[])
    a.add_argument("--data-marker", help="file created when the first data message arrives")
    a.add_argument("--guard", type=float, default=240)
    args = a.parse_args()

    devices = {}
    finished = threading.Event()
    lock = threading.Lock()

    def device(serial):
        return devices.setdefault(serial, {"meta": None, "status": [], "events": [], "summary": [], "messages": []})

    def on_connect(client, userdata, flags, reason, properties):
        client.subscribe(f"mosquito/v1/{args.site}/#", qos=1)

    def on_subscribe(client, userdata, mid, reasons, properties):
        open(args.ready, "w").close()

    def on_message(client, userdata, msg):
        parts = msg.topic.split("/")
        if len(parts) != 5:
            return
        serial, kind = parts[3], parts[4]
        with lock:
            d = device(serial)
            if kind == "data":
                d["messages"].append(decode_data(msg.payload))
                if args.data_marker:
                    open(args.data_marker, "a").close()
            elif kind == "meta":
                d["meta"] = json.loads(msg.payload)
            elif kind == "status":
                s = json.loads(msg.payload)
                d["status"].append(s["state"])
                done = [x for x in devices.values() if x["status"][-1:] == ["offline"] and x["messages"]]
                if s["state"] == "offline" and s.get("clean") and len(done) >= args.devices:
                    finished.set()
            elif kind == "events":
                d["events"].append(json.loads(msg.payload))
            elif kind == "summary":
                d["summary"].append(json.loads(msg.payload))

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if args.user:
        client.username_pw_set(args.user, open(args.password_file).read().splitlines()[0])
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    client.connect("127.0.0.1", args.port)
    client.loop_start()
    finished.wait(args.guard)
    client.loop_stop()

    out = {"finished": finished.is_set(), "devices": {}}
    for serial, d in devices.items():
        rows = [r for _, _, rs in d["messages"] for r in rs]
        meta = d["meta"] or {}
        out["devices"][serial] = r = {
            "status": d["status"], "events": d["events"], "meta": meta,
            "frames": len(rows), "messages": len(d["messages"]),
            "meta_id_verified": meta_id_of(meta) == meta.get("meta_id"),
            "meta_ids": sorted({m for m, _, _ in d["messages"]}),
            "sequences_in_order": [s for _, s, _ in d["messages"]] == list(range(len(d["messages"]))),
            "first_index": rows[0][0] if rows else None,
            "contiguous": [r[0] for r in rows] == list(range(rows[0][0], rows[0][0] + len(rows))) if rows else False,
            "upstream_gaps": [[e["first_index"], e["count"]] for e in d["events"]
                              if e.get("event") == "gap" and e.get("cause") == "upstream"],
            "summary_n": sum(s["channels"][c]["n"] for s in d["summary"] for c in list(s["channels"])[:1]),
        }
        for path in args.h5:
            r.update(compare(path, serial, meta, rows, d["summary"]))
    print(json.dumps(out))


def compare(path, serial, meta, rows, summaries):
    """The recording's rows of this serial against what arrived: index, device time, raw counts exactly; host
    time within a millisecond (both map device time with the clock mapping of their own moment); the summary's
    statistics recomputed from the file's calibrated values over the indices each summary names."""
    import h5py, numpy as np
    with h5py.File(path, "r") as f:
        for name in f["devices"]:
            d = f["devices"][name]
            s = d.attrs["serial"]
            if (s.decode() if isinstance(s, bytes) else s) != serial:
                continue
            index, dev_us, host = d["index"][()], d["device_time_us"][()], d["host_time_ns"][()]
            raw, values = d["raw"][()], d["values"][()]
            names = [c.decode() if isinstance(c, bytes) else c for c in d.attrs["channel_names"]]
            got = np.array([r[0] for r in rows], dtype=np.uint64)
            got_raw = np.array([r[3:] for r in rows], dtype=np.int32).reshape(len(rows), raw.shape[1])
            same = len(got) == len(index) and bool((got == index).all())
            dev_same = same and bool((np.array([r[1] // 1000 for r in rows], dtype=np.uint64) == dev_us).all())
            raw_same = same and bool((got_raw == raw).all())
            host_got = np.array([r[2] for r in rows], dtype=np.int64)
            host_close = same and bool((np.abs(host_got - host) <= 1_000_000).all()) and bool((host_got > 0).all())
            summary_ok = len(summaries) > 0
            for sm in summaries:
                lo, hi = sm["first_index"], sm["last_index"]
                sel = (index >= lo) & (index <= hi)
                for c, ch in enumerate(names):
                    st = sm["channels"][ch]
                    v = values[sel, c]
                    ok = (st["n"] == len(v) and np.isclose(st["min"], v.min()) and np.isclose(st["max"], v.max())
                          and np.isclose(st["mean"], v.mean()) and np.isclose(st["rms"], np.sqrt((v * v).mean())))
                    summary_ok = summary_ok and bool(ok)
            gaps = [[int(a), int(b)] for a, b in zip(d["gaps/first_missing_index"][()], d["gaps/count"][()])]
            return {
                "h5_gaps": sorted(gaps),
                "h5_rows": int(len(index)), "index_equal": same, "device_time_equal": dev_same, "raw_equal": raw_same,
                "host_time_close": host_close, "summary_matches_file": summary_ok,
                "meta_channels_match": [c["name"] for c in meta.get("channels", [])] == names,
            }
    return {"h5_rows": 0}


if __name__ == "__main__":
    main()
