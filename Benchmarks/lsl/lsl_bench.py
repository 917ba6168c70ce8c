#!/usr/bin/env python3
"""LSL outlet benchmarks: mosquito's outlet against liblsl's own (pylsl 1.18.6), measured in the same run, both read
by the same liblsl inlet (pylsl). `make bench-lsl` builds the release binaries and runs this; figures go in
Benchmarks/README.md.

    python3 Benchmarks/lsl/lsl_bench.py [--bin .build/release] [--rounds 3] [--seconds 5] [--json out.json]

The mosquito side is `lsl-outlet-bench` (Benchmarks/lsl/OutletBench): the LSL outlet `mosquito … --lsl` uses,
pushing synthetic samples, so both outlets get the same load and nothing else runs in front of either. The
liblsl side is this script run with --liblsl-outlet. Measurements (each outlet in its own process; rounds
alternate the two, and the median round is reported):

- throughput: 16 channels float32 over loopback, chunks of 1,000 samples pushed as fast as the inlet takes
  them, samples/s counted at the inlet (pull_chunk into a numpy buffer) over --seconds after a one-second warm-up.
  liblsl's outlet drops what its inlet's queue cannot hold, so its figure is what arrived; mosquito's pusher waits
  while its inlet has more than 500,000 samples queued (its drops are printed, and are 0).
- latency: 16 channels at 1 kHz, one sample per push stamped with the clock at the push; the inlet's
  `pull_sample` in a loop; latency = local_clock() at return - stamp, p50 and p99 over --seconds.
- cpu: 16 channels × 10 kS/s in pushes of 10 samples (one per ms), two inlets (separate processes) reading;
  the outlet process's CPU time (utime + stime from /proc) over --seconds, as % of one core. Also `mosquito stream
  --device sim … --rate 10000` with and without --lsl (whole process: simulator, decoder, hub, bridge, outlet).
"""
import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import threading
import time

import numpy as np
import pylsl

CHANNELS = 16
HERE = os.path.abspath(__file__)


# ---------- the liblsl outlet (a child process of this script) ----------

def liblsl_outlet(name, mode, *args):
    flood = mode == "flood"
    rate = 1_000_000.0 if flood else float(args[0])
    chunk = int(args[0] if flood else args[1])
    info = pylsl.StreamInfo(name, "Bench", CHANNELS, rate, "float32", name)
    # One second of buffer per inlet (the default, 360 s at 1 MHz, would reserve 360 M samples).
    out = pylsl.StreamOutlet(info, chunk_size=0, max_buffered=1)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    if not out.wait_for_consumers(60):
        raise SystemExit("no inlet")
    print("ready", flush=True)
    data = (np.arange(chunk * CHANNELS) % 997).astype(np.float32).reshape(chunk, CHANNELS)
    if flood:
        while not stop.is_set():
            out.push_chunk(data)
        return
    period = chunk / rate
    deadline = time.monotonic()
    row = data[0].tolist()
    while not stop.is_set():
        deadline += period
        wait = deadline - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        if chunk == 1:
            out.push_sample(row, pylsl.local_clock())
        else:
            out.push_chunk(data, pylsl.local_clock())


# ---------- an inlet that only reads and counts (a child process, for the CPU measurement) ----------

def sink(name):
    inlet = open_inlet(name)
    buffer = np.empty((100_000, CHANNELS), dtype=np.float32)
    count = 0
    print("reading", flush=True)
    while not select.select([sys.stdin], [], [], 0)[0]:
        _, ts = inlet.pull_chunk(timeout=0.1, max_samples=len(buffer), dest_obj=buffer)
        count += len(ts)
    print(f"received {count}", flush=True)


# ---------- the driver ----------

def open_inlet(name, max_buflen=1):
    found = pylsl.resolve_byprop("name", name, minimum=1, timeout=30)
    if not found:
        raise SystemExit(f"stream {name} not found")
    inlet = pylsl.StreamInlet(found[0], max_buflen=max_buflen, recover=False)
    inlet.open_stream(timeout=30)
    return inlet


class Outlet:
    """One outlet process: mosquito's pusher or liblsl's (this script)."""

    def __init__(self, kind, name, args, binary_dir):
        command = ([os.path.join(binary_dir, "lsl-outlet-bench"), name, str(CHANNELS)] if kind == "mosquito"
                   else [sys.executable, HERE, "--liblsl-outlet", name])
        self.process = subprocess.Popen(command + [str(a) for a in args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def ready(self):
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"outlet did not start: {line!r} {self.process.stderr.read()}")

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        # liblsl's own log lines (INFO|) are left out.
        return " ".join(line for line in self.process.stderr.read().splitlines() if "INFO|" not in line).strip()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(kind, seconds, binary_dir):
    name = f"bench-tp-{kind}-{os.getpid()}-{time.monotonic_ns()}"
    outlet = Outlet(kind, name, ["flood", 1000], binary_dir)
    inlet = open_inlet(name)
    outlet.ready()
    buffer = np.empty((100_000, CHANNELS), dtype=np.float32)
    end_warmup = time.monotonic() + 1.0
    while time.monotonic() < end_warmup:
        inlet.pull_chunk(timeout=0.1, max_samples=len(buffer), dest_obj=buffer)
    count, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        _, ts = inlet.pull_chunk(timeout=0.1, max_samples=len(buffer), dest_obj=buffer)
        count += len(ts)
    rate = count / (time.monotonic() - start)
    del inlet
    return rate, outlet.stop()


def latency(kind, seconds, binary_dir):
    name = f"bench-lat-{kind}-{os.getpid()}-{time.monotonic_ns()}"
    outlet = Outlet(kind, name, ["paced", 1000, 1], binary_dir)
    inlet = open_inlet(name, max_buflen=10)
    outlet.ready()
    delays = []
    end_warmup = time.monotonic() + 1.0
    while time.monotonic() < end_warmup:
        inlet.pull_sample(timeout=1.0)
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        _, stamp = inlet.pull_sample(timeout=1.0)
        now = pylsl.local_clock()
        if stamp is not None:
            delays.append(now - stamp)
    del inlet
    outlet.stop()
    d = np.array(delays) * 1e6
    return {"samples": len(d), "p50_us": float(np.percentile(d, 50)), "p99_us": float(np.percentile(d, 99))}


def start_sinks(name, count=2):
    sinks = [subprocess.Popen([sys.executable, HERE, "--sink", name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) for _ in range(count)]
    return sinks


def stop_sinks(sinks):
    received = []
    for s in sinks:
        s.stdin.write("x\n")
        s.stdin.close()
        line = s.stdout.read().strip().splitlines()
        received.append(int(line[-1].split()[-1]) if line else None)
        s.wait(timeout=60)
    return received


def cpu(kind, seconds, binary_dir):
    name = f"bench-cpu-{kind}-{os.getpid()}-{time.monotonic_ns()}"
    outlet = Outlet(kind, name, ["paced", 10_000, 10], binary_dir)
    sinks = start_sinks(name)
    outlet.ready()
    for s in sinks:
        s.stdout.readline()  # "reading"
    time.sleep(1.0)  # warm-up: both inlets streaming, time correction done
    c0, t0 = cpu_seconds(outlet.process.pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = cpu_seconds(outlet.process.pid), time.monotonic()
    received = stop_sinks(sinks)
    outlet.stop()
    return {"cpu_percent": 100 * (c1 - c0) / (t1 - t0), "received": received}


def stream_cpu(lsl, seconds, binary_dir):
    """`mosquito stream` at 16 ch × 10 kS/s, whole process; with --lsl, two inlets read its stream."""
    serial = f"B{os.getpid()}{int(lsl)}"
    command = [os.path.join(binary_dir, "mosquito"), "stream", "--device", f"sim?serial={serial}&channels=16&max_rate=10000",
               "--rate", "10000"] + (["--lsl", "--lsl-name", f"bench-stream-{serial}"] if lsl else [])
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sinks = start_sinks(f"bench-stream-{serial}") if lsl else []
    for s in sinks:
        s.stdout.readline()
    time.sleep(2.0)  # warm-up: streaming at full rate, the clock mapped
    c0, t0 = cpu_seconds(process.pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = cpu_seconds(process.pid), time.monotonic()
    received = stop_sinks(sinks)
    process.send_signal(2)
    process.wait(timeout=60)
    return {"cpu_percent": 100 * (c1 - c0) / (t1 - t0), "received": received}


def median_by(rounds, key):
    ordered = sorted(rounds, key=key)
    return ordered[len(ordered) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release", help="folder holding lsl-outlet-bench and mosquito (release)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--only", choices=["throughput", "latency", "cpu"], action="append")
    a = ap.parse_args()
    only = set(a.only or ["throughput", "latency", "cpu"])
    out = {"pylsl": pylsl.__version__, "liblsl": pylsl.library_version(), "cores": os.cpu_count(),
           "load_before": os.getloadavg()[0]}

    if "throughput" in only:
        rounds = {"mosquito": [], "liblsl": []}
        for r in range(a.rounds):
            for kind in ("mosquito", "liblsl"):
                rate, note = throughput(kind, a.seconds, a.bin)
                rounds[kind].append(rate)
                print(f"throughput round {r + 1} {kind}: {rate:,.0f} samples/s {note}", flush=True)
        m, l = statistics.median(rounds["mosquito"]), statistics.median(rounds["liblsl"])
        out["throughput"] = {"mosquito": m, "liblsl": l, "ratio": m / l, "rounds": rounds}
        print(f"throughput 16 ch float32: mosquito {m:,.0f} samples/s, liblsl {l:,.0f} samples/s, ratio {m / l:.2f}", flush=True)

    if "latency" in only:
        rounds = {"mosquito": [], "liblsl": []}
        for r in range(a.rounds):
            for kind in ("mosquito", "liblsl"):
                x = latency(kind, a.seconds, a.bin)
                rounds[kind].append(x)
                print(f"latency round {r + 1} {kind}: p50 {x['p50_us']:.0f} µs, p99 {x['p99_us']:.0f} µs ({x['samples']} samples)", flush=True)
        m, l = median_by(rounds["mosquito"], lambda x: x["p99_us"]), median_by(rounds["liblsl"], lambda x: x["p99_us"])
        out["latency"] = {"mosquito": m, "liblsl": l, "p99_ratio": m["p99_us"] / l["p99_us"], "rounds": rounds}
        print(f"latency 1 kHz: mosquito p50 {m['p50_us']:.0f} µs p99 {m['p99_us']:.0f} µs; "
              f"liblsl p50 {l['p50_us']:.0f} µs p99 {l['p99_us']:.0f} µs", flush=True)

    if "cpu" in only:
        with_stream = os.path.exists(os.path.join(a.bin, "mosquito"))
        if not with_stream:
            print(f"no mosquito binary in {a.bin}: the `mosquito stream` rows are left out", flush=True)
        rounds = {"mosquito": [], "liblsl": [], "stream": [], "stream --lsl": []}
        for r in range(a.rounds):
            for kind in ("mosquito", "liblsl"):
                x = cpu(kind, a.seconds, a.bin)
                rounds[kind].append(x)
                print(f"cpu round {r + 1} {kind} outlet: {x['cpu_percent']:.1f} % of a core, inlets received {x['received']}", flush=True)
            for lsl in (False, True) if with_stream else ():
                x = stream_cpu(lsl, a.seconds, a.bin)
                rounds["stream --lsl" if lsl else "stream"].append(x)
                print(f"cpu round {r + 1} mosquito stream{' --lsl' if lsl else ''}: {x['cpu_percent']:.1f} % of a core {x['received']}", flush=True)
        out["cpu"] = {k: median_by(v, lambda x: x["cpu_percent"]) for k, v in rounds.items() if v}
        out["cpu"]["rounds"] = rounds
        print("cpu 16 ch × 10 kS/s, two inlets: " + ", ".join(
            f"{k} {out['cpu'][k]['cpu_percent']:.1f} %" for k in rounds if rounds[k]), flush=True)

    out["load_after"] = os.getloadavg()[0]
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--liblsl-outlet":
        liblsl_outlet(*sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--sink":
        sink(sys.argv[2])
    else:
        main()
