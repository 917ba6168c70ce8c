#!/usr/bin/env python3
"""Resident memory and CPU of the whole record path over a long run (issue: RSS <= 64 MB, flat).

Runs `mosquito record` from the built-in simulator at 16 ch x 100 kS/s through lowpass:4:1000 and /10 into
HDF5, reads /proc/PID/status and /proc/PID/stat every few seconds, and prints RSS at minute 1 and at the
last full minute, the peak, and CPU share. Exits non-zero if any sample was lost, RSS passed the limit, or
RSS grew between minute 1 and the last minute by more than the tolerance (a leak grows; RSS settling lower
after the first minute, as the allocator returns start-up pages, is reported and is not a failure).

    make soak-record                       # 10 minutes, release build
    python3 Benchmarks/soak/record_soak.py --binary .build/release/mosquito --minutes 2
    python3 Benchmarks/soak/record_soak.py --over-pty   # simulator in its own process, over a pseudo-terminal

In the default run the simulator is in process, so CPU includes generating the signal (two Gaussian deviates and
a sine per value); with --over-pty the figures are the recorder's alone: tty reads, decode, pipeline, HDF5.
"""
import argparse, json, os, subprocess, sys, tempfile, time

TICKS = os.sysconf("SC_CLK_TCK")


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def mb(kib):
    return round(kib * 1024 / 1e6, 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/mosquito")
    ap.add_argument("--minutes", type=int, default=10)
    ap.add_argument("--rate", type=int, default=100_000)
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--limit-mb", type=float, default=64.0)
    ap.add_argument("--tolerance", type=float, default=0.01,
                    help="largest RSS growth from minute 1 to the last minute, as a fraction (a fall never fails)")
    ap.add_argument("--interval", type=float, default=5.0)
    ap.add_argument("--over-pty", action="store_true", help="run the simulator as its own process behind a pty")
    a = ap.parse_args()

    simulator = None
    device = f"sim?channels={a.channels}"
    if a.over_pty:
        simulator = subprocess.Popen([a.binary, "simulate", "--pty", "--channels", str(a.channels)],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        device = "serial:" + simulator.stdout.readline().strip()

    out = os.path.join(tempfile.mkdtemp(prefix="mosquito-soak-"), "soak.h5")
    duration = a.minutes * 60 + 15
    cmd = [a.binary, "record", "--device", device, "--rate", str(a.rate),
           "--duration", str(duration), "--filter", "lowpass:4:1000", "--decimate", "10", "--output", out, "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    samples = []  # (seconds, rss_kb, ticks)
    while proc.poll() is None:
        try:
            samples.append((time.monotonic() - start, status_kb(proc.pid, "VmRSS"), cpu_ticks(proc.pid)))
        except (FileNotFoundError, ProcessLookupError, KeyError):
            break
        time.sleep(a.interval)
    stdout, _ = proc.communicate()
    os.unlink(out)
    if simulator:
        simulator.terminate()
        simulator.wait()

    def at(seconds):
        return min(samples, key=lambda s: abs(s[0] - seconds))

    first, last = at(60), at(a.minutes * 60)
    peak = max(s[1] for s in samples)
    cpu = (last[2] - first[2]) / TICKS / (last[0] - first[0])
    drift = (last[1] - first[1]) / first[1]
    summary = json.loads(stdout)["devices"][0]
    report = {
        "device": device, "minutes": a.minutes,
        # VmRSS is in KiB; MB here are 10^6 bytes, the stricter reading of the limit.
        "rss_mb_minute_1": mb(first[1]), f"rss_mb_minute_{a.minutes}": mb(last[1]),
        "change_percent": round(100 * drift, 2), "peak_rss_mb": mb(peak),
        "cpu_share_of_one_core": round(cpu, 3), "samples_lost": summary["lost"]["total"],
        "buffer_frames": summary["bufferFrames"], "buffer_high_water_frames": summary["bufferHighWaterFrames"],
    }
    print(json.dumps(report, indent=2))
    failures = []
    if summary["lost"]["total"]:
        failures.append(f"{summary['lost']['total']} samples lost")
    if mb(peak) > a.limit_mb:
        failures.append(f"peak RSS {mb(peak)} MB over {a.limit_mb} MB")
    if drift > a.tolerance:
        failures.append(f"RSS grew {100 * drift:.2f} % between minute 1 and minute {a.minutes}")
    if failures:
        print("soak failed: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
