#!/usr/bin/env python3
"""How much one `mosquito archive` takes from a broker on this machine, against the broker's own limit, and the
latency of a sample from a publishing edge to a subscriber (docs/mqtt.md; Benchmarks/README.md "MQTT").

Throughput: N synthetic devices at 16 ch x 10 kS/s (one format-1 `data` message of 1000 frames per device every
100 ms, 88 kB; their retained `meta` first) are published for --seconds by one paho process to a private mosquitto
on loopback. For each N the same load goes once to `mosquito archive` (no loss: every device's file holds every
sample, no network gap) and once to the peer, `mosquitto_sub -q 1` writing the raw payloads to /dev/null (through
a counter). Reported per N: what each received in bytes/s, and whether it lost anything; the summary gives the
largest N each takes without loss (the broker's default queue of 1000 messages per client: a subscriber that falls
behind loses) and the archive's lossless bytes/s as a share of mosquitto_sub's.

Latency: `mosquito stream --device sim --rate 1000 --publish` to the same broker, and a paho subscriber that takes
for each `data` message the age of its newest frame (receive time minus the frame's host time, both this machine's
UTC clock): p50 and p99 over --latency-seconds. Messages carry ~100 ms of frames, so the oldest frame is ~100 ms
older than the newest.

    make bench-mqtt
    python3 Benchmarks/mqtt/mqtt_bench.py --binary .build/release/mosquito --devices 1,2,4,8 --seconds 10
"""
import argparse, glob, json, os, socket, struct, subprocess, sys, tempfile, threading, time

import h5py
import paho.mqtt.client as mqtt

CHANNELS, RATE, FRAMES = 16, 10_000, 1000  # one message = 100 ms of one device


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(folder):
    port = free_port()
    conf = os.path.join(folder, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write(f"allow_anonymous true\npersistence false\nuser root\nlistener {port} 127.0.0.1\n")
    p = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return p, port
        except OSError:
            time.sleep(0.02)
    raise SystemExit("mosquitto did not start")


def meta(serial):
    m = {"format": 1, "data_format": 1, "site": "bench", "serial": serial, "design": "bench", "hardware_revision": 1,
         "firmware": "1.0.0", "rate_hz": RATE, "calibration": [], "pipeline": [], "clock": None, "software_version": "bench",
         "host": "bench", "channels": [{"name": f"ain{c}", "kind": "voltage", "unit": "V", "adc_bits": 16,
                                         "raw_min": -32768, "raw_max": 32767} for c in range(CHANNELS)]}
    m["meta_id"] = "%016x" % (hash(serial) & 0xFFFF_FFFF_FFFF_FFFF)
    return m


def data_message(meta_id, sequence, first):
    header = struct.pack("<HHI8sQQ", 1, CHANNELS, FRAMES, meta_id, sequence, first)
    now = time.time_ns()
    frame = struct.Struct(f"<QQq{CHANNELS}i")
    body = b"".join(frame.pack(first + k, (first + k) * 100_000, now, *([k % 1000] * CHANNELS)) for k in range(FRAMES))
    return header + body


def publish_load(port, devices, seconds):
    """N devices' meta, then `seconds` of data in real time; returns the bytes of data published."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-load-{os.getpid()}")
    c.max_queued_messages_set(0)
    c.max_inflight_messages_set(1000)
    c.connect("127.0.0.1", port)
    c.loop_start()
    serials = [f"BENCH-{n:03d}" for n in range(devices)]
    metas = {s: meta(s) for s in serials}
    for s in serials:
        c.publish(f"mosquito/v1/bench/{s}/meta", json.dumps(metas[s]), qos=1, retain=True).wait_for_publish()
    ids = {s: bytes.fromhex(metas[s]["meta_id"]) for s in serials}
    # The messages are built before the clock starts, so the publisher's own cost is only the sending.
    messages = int(seconds * RATE / FRAMES)
    payloads = {s: [data_message(ids[s], k, k * FRAMES) for k in range(messages)] for s in serials}
    sent = 0
    start = time.monotonic()
    for k in range(messages):
        due = start + k * FRAMES / RATE
        time.sleep(max(0, due - time.monotonic()))
        for s in serials:
            c.publish(f"mosquito/v1/bench/{s}/data", payloads[s][k], qos=1)
            sent += len(payloads[s][k])
    behind = time.monotonic() - (start + messages * FRAMES / RATE)
    for s in serials:
        info = c.publish(f"mosquito/v1/bench/{s}/status", json.dumps({"state": "offline", "clean": True}), qos=1, retain=True)
    info.wait_for_publish()
    c.loop_stop()
    c.disconnect()
    return sent, messages * FRAMES, behind


def run_archive(binary, port, devices, seconds, folder):
    out = os.path.join(folder, f"archive-{devices}")
    log = open(os.path.join(folder, f"archive-{devices}.log"), "w+")
    p = subprocess.Popen([binary, "archive", "--broker", f"mqtt://127.0.0.1:{port}/bench", "--output", out],
                         stdout=log, stderr=subprocess.STDOUT)
    while "subscribed" not in open(log.name).read():
        if p.poll() is not None:
            raise SystemExit(open(log.name).read())
        time.sleep(0.05)
    start = time.monotonic()
    sent, frames, behind = publish_load(port, devices, seconds)
    # Every device's run closes on its offline status, after all its data.
    while open(log.name).read().count("archived ") < devices:
        if time.monotonic() - start > seconds * 20 + 60:
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    # The archive's high-water mark: what it held while it worked through the load (its queues, its files).
    peak_kb = next((int(l.split()[1]) for l in open(f"/proc/{p.pid}/status") if l.startswith("VmHWM:")), 0)
    p.send_signal(2)
    p.wait()
    rows = 0
    gaps = 0
    for path in glob.glob(out + "/**/*.h5", recursive=True):
        with h5py.File(path, "r") as f:
            for d in f["devices"].values():
                rows += d["index"].shape[0]
                gaps += int(d["gaps/count"][()].sum()) if d["gaps/count"].shape[0] else 0
    complete = rows == frames * devices and gaps == 0
    return {"received_bytes": int(sent * rows / max(1, frames * devices)), "lossless": complete, "rows": rows,
            "expected_rows": frames * devices, "drain_seconds": round(elapsed - seconds, 2), "publisher_behind_s": round(behind, 3),
            "peak_rss_mb": round(peak_kb / 1024, 1)}


def run_peer(port, devices, seconds):
    p = subprocess.Popen(["mosquitto_sub", "-p", str(port), "-q", "1", "-t", "mosquito/v1/bench/+/data", "-F", "%l"],
                         stdout=subprocess.PIPE, text=True)
    counted = {"bytes": 0, "messages": 0}

    def count():
        for line in p.stdout:
            counted["bytes"] += int(line)
            counted["messages"] += 1

    t = threading.Thread(target=count, daemon=True)
    t.start()
    time.sleep(0.5)  # mosquitto_sub prints nothing when subscribed; its SUBACK takes well under this on loopback
    start = time.monotonic()
    sent, frames, behind = publish_load(port, devices, seconds)
    expected = devices * int(seconds * RATE / FRAMES)
    while counted["messages"] < expected and time.monotonic() - start < seconds * 20 + 60:
        time.sleep(0.05)
    p.terminate()
    t.join(2)
    return {"received_bytes": counted["bytes"], "lossless": counted["messages"] == expected, "messages": counted["messages"],
            "expected_messages": expected, "publisher_behind_s": round(behind, 3)}


def latency(binary, port, seconds, folder):
    ages = []
    ready = threading.Event()

    def on_message(_c, _u, m):
        if not m.topic.endswith("/data"):
            return
        now = time.time_ns()
        C, N = struct.unpack_from("<HI", m.payload, 2)
        host = struct.unpack_from("<q", m.payload, 32 + (N - 1) * (24 + 4 * C) + 16)[0]
        if host:
            ages.append((now - host) / 1e6)

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-latency-{os.getpid()}")
    c.on_message = on_message
    c.on_subscribe = lambda *a: ready.set()
    c.connect("127.0.0.1", port)
    c.subscribe("mosquito/v1/lat/+/data", qos=1)
    c.loop_start()
    ready.wait(10)
    p = subprocess.Popen([binary, "stream", "--device", "sim?serial=LAT-1", "--rate", "1000", "--publish",
                          f"mqtt://127.0.0.1:{port}/lat"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    p.send_signal(2)
    p.wait()
    c.loop_stop()
    ages.sort()
    if not ages:
        return {"messages": 0}
    pick = lambda q: round(ages[min(len(ages) - 1, int(q * len(ages)))], 2)
    return {"messages": len(ages), "p50_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": round(ages[-1], 2)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=".build/release/mosquito")
    ap.add_argument("--devices", default="1,2,4,8")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--latency-seconds", type=float, default=20)
    a = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="mosquito-mqtt-bench-")
    broker, port = start_broker(folder)
    results = {"per_device_bytes_per_s": (24 + 4 * CHANNELS) * RATE, "runs": []}
    try:
        for n in [int(x) for x in a.devices.split(",")]:
            arch = run_archive(a.binary, port, n, a.seconds, folder)
            peer = run_peer(port, n, a.seconds)
            for r in (arch, peer):
                r["bytes_per_s"] = round(r["received_bytes"] / a.seconds)
            results["runs"].append({"devices": n, "archive": arch, "mosquitto_sub": peer})
            print(json.dumps(results["runs"][-1]), flush=True)
        ok = lambda who: [r["devices"] for r in results["runs"] if r[who]["lossless"]]
        best_archive, best_peer = max(ok("archive"), default=0), max(ok("mosquitto_sub"), default=0)
        per = results["per_device_bytes_per_s"]
        results["summary"] = {
            "archive_devices_without_loss": best_archive, "mosquitto_sub_devices_without_loss": best_peer,
            "archive_bytes_per_s": best_archive * per, "mosquitto_sub_bytes_per_s": best_peer * per,
            # Largest lossless load of each, as bytes/s; a peer lossless at the largest N tried is only a lower bound.
            "archive_share_of_mosquitto_sub": round(best_archive / best_peer, 3) if best_peer else None,
        }
        results["latency_1khz"] = latency(a.binary, port, a.latency_seconds, folder)
    finally:
        broker.kill()
    print(json.dumps({k: v for k, v in results.items() if k != "runs"}, indent=1))


if __name__ == "__main__":
    main()
