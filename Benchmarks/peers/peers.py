#!/usr/bin/env python3
"""Peer measurements for the Signal benchmarks: the same work in BrainFlow, liblsl (pylsl) and scipy.

Needs: pip install brainflow pylsl (and numpy, scipy). Run: python3 Benchmarks/peers/peers.py
Prints one line per measurement, in the units of the matching Swift benchmark:
- pipeline: 16 channels at 100 kS/s, chunks of 1000 frames, calibrate (cubic polynomial per channel)
  -> Butterworth low-pass order 8 (4 biquads, 0.8 x output Nyquist = 4 kHz) -> keep every 10th;
  frames/s (one frame = 16 channel samples). BrainFlow's DataFilter restarts its filter state on every
  call (not chunk-invariant), so its figure is for less correct work; scipy's sosfilt with zi is stateful.
- ring: frames moved across threads through a liblsl outlet -> inlet (1 double channel), single
  samples and chunks of 256; items/s. liblsl goes through a local TCP connection, so this is its
  in-host hand-off cost, the nearest thing it has to a ring.
"""
import threading
import time

import numpy as np

CHANNELS, RATE, CHUNK, FACTOR = 16, 100_000, 1000, 10
CUTOFF = 0.8 * RATE / FACTOR / 2


def chunk_source():
    rng = np.random.default_rng(1)
    raw = rng.integers(-1_000_000, 1_000_000, size=(CHANNELS, CHUNK)).astype(np.int32)
    # Same polynomials as the Swift benchmark: c0 = channel, c1 = 1e-6, c2 = 1e-12, c3 = 0 (polyval wants c3 first).
    coeffs = [(0.0, 1e-12, 1e-6, float(c)) for c in range(CHANNELS)]
    return raw, coeffs


def timed(label, seconds, body, unit_per_call, unit):
    body()  # warm-up
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        body()
        calls += 1
    rate = calls * unit_per_call / (time.perf_counter() - start)
    print(f"{label}: {rate:,.0f} {unit}")
    return rate


def brainflow_pipeline(seconds):
    from brainflow.data_filter import AggOperations, DataFilter, FilterTypes
    raw, coeffs = chunk_source()

    def run():
        for ch in range(CHANNELS):
            x = np.polyval(coeffs[ch], raw[ch].astype(np.float64))
            DataFilter.perform_lowpass(x, RATE, CUTOFF, 8, FilterTypes.BUTTERWORTH.value, 0.0)
            DataFilter.perform_downsampling(x, FACTOR, AggOperations.EACH.value)
    return timed("BrainFlow DataFilter pipeline 16ch calibrate->lowpass8->decimate10", seconds, run, CHUNK, "frames/s")


def scipy_pipeline(seconds):
    from scipy import signal
    raw, coeffs = chunk_source()
    sos = signal.butter(8, CUTOFF, output="sos", fs=RATE)
    zi = np.zeros((sos.shape[0], CHANNELS, 2))
    c = np.array(coeffs).T[:, :, None]  # (4, CHANNELS, 1)
    phase = [0]

    def run():
        r = raw.astype(np.float64)
        x = ((c[0] * r + c[1]) * r + c[2]) * r + c[3]
        y, zi[...] = signal.sosfilt(sos, x, axis=1, zi=zi)
        _ = y[:, phase[0]::FACTOR]
        phase[0] = (phase[0] - CHUNK) % FACTOR
    return timed("scipy sosfilt (stateful) pipeline 16ch calibrate->lowpass8->decimate10", seconds, run, CHUNK, "frames/s")


def lsl_handoff(seconds, chunk):
    import pylsl
    info = pylsl.StreamInfo("mosquito-peer", "bench", 1, pylsl.IRREGULAR_RATE, pylsl.cf_double64, "mosquito-peer-src")
    outlet = pylsl.StreamOutlet(info, chunk_size=chunk, max_buffered=60)
    streams = pylsl.resolve_byprop("source_id", "mosquito-peer-src", timeout=5)
    if not streams:
        print("liblsl: stream not resolvable on this host (no multicast/loopback discovery); skipped")
        return None
    inlet = pylsl.StreamInlet(streams[0], max_buflen=60, max_chunklen=chunk)
    inlet.open_stream(timeout=5)
    time.sleep(0.2)
    received = [0]
    stop = threading.Event()

    def consume():
        while not stop.is_set():
            if chunk == 1:
                sample, _ = inlet.pull_sample(timeout=0.1)
                if sample is not None:
                    received[0] += 1
            else:
                samples, _ = inlet.pull_chunk(timeout=0.1, max_samples=4096)
                received[0] += len(samples)

    consumer = threading.Thread(target=consume)
    consumer.start()
    data = [[float(i)] for i in range(chunk)]
    start = time.perf_counter()
    sent = 0
    while time.perf_counter() - start < seconds:
        if chunk == 1:
            outlet.push_sample(data[0])
        else:
            outlet.push_chunk(data)
        sent += chunk
    deadline = time.perf_counter() + 5
    while received[0] < sent and time.perf_counter() < deadline:
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    stop.set()
    consumer.join()
    rate = received[0] / elapsed
    print(f"liblsl {pylsl.library_version()} outlet->inlet cross-thread, {'single-sample' if chunk == 1 else f'chunks of {chunk}'}: "
          f"{rate:,.0f} items/s (sent {sent}, received {received[0]})")
    return rate


if __name__ == "__main__":
    brainflow_pipeline(3)
    scipy_pipeline(3)
    lsl_handoff(3, 1)
    lsl_handoff(3, 256)
