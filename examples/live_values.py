#!/usr/bin/env python3
"""Prints live values from `mosquito serve`, with nothing but the standard library.

    python3 examples/live_values.py MQ-SIM-0001 [--url ws://127.0.0.1:8080] [--every 100] [--token mq_…]

Each binary message (docs/web.md): 24-byte header "MQS1", u16 channels, u16 0, u32 frames, u32 0,
u64 dropped-for-this-client; then per frame u64 index, u64 device time (ns), channels × i32 raw counts.
Calibration (GET /api/devices/{id}) turns raw counts into physical units.
"""
import argparse, base64, json, os, socket, struct, urllib.parse, urllib.request


def calibrations(http_base, device, token):
    req = urllib.request.Request(f"{http_base}/api/devices/{device}")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    info = json.load(urllib.request.urlopen(req))
    return [(c["name"], c["unit"], (c.get("calibration") or {"coefficients": [0, 1, 0, 0]})["coefficients"]) for c in info["channels"]]


def messages(url):
    """Yields the payload of each binary WebSocket message (RFC 6455, client side, no extensions)."""
    u = urllib.parse.urlparse(url)
    sock = socket.create_connection((u.hostname, u.port or 80))
    key = base64.b64encode(os.urandom(16)).decode()
    path = u.path + ("?" + u.query if u.query else "")
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {u.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    f = sock.makefile("rb")
    status = f.readline()
    if b" 101 " not in status:
        raise SystemExit(f"upgrade refused: {status.decode().strip()}")
    while f.readline() not in (b"\r\n", b""):
        pass
    message = b""
    while True:
        b0, b1 = f.read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", f.read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", f.read(8))[0]
        payload = f.read(n)
        opcode = b0 & 0x0F
        if opcode == 8:
            return
        if opcode in (0, 2):
            message += payload
            if b0 & 0x80:
                yield message
                message = b""


def main():
    a = argparse.ArgumentParser()
    a.add_argument("device")
    a.add_argument("--url", default="ws://127.0.0.1:8080")
    a.add_argument("--every", type=int, default=100, help="send every Nth sample (unfiltered)")
    a.add_argument("--token", default=os.environ.get("MOSQUITO_TOKEN", ""))
    args = a.parse_args()
    args.url = args.url.rstrip("/")  # the server refuses a doubled slash (docs/web.md), so `…:8080/` must not make one
    channels = calibrations(args.url.replace("ws", "http", 1), args.device, args.token)
    query = f"every={args.every}" + (f"&token={args.token}" if args.token else "")
    for m in messages(f"{args.url}/ws/devices/{args.device}?{query}"):
        magic, nch, _, frames, _, dropped = struct.unpack_from("<4sHHIIQ", m)
        assert magic == b"MQS1"
        for k in range(frames):
            at = 24 + k * (16 + 4 * nch)
            index, t_ns = struct.unpack_from("<QQ", m, at)
            raw = struct.unpack_from(f"<{nch}i", m, at + 16)
            values = [c[0] + r * (c[1] + r * (c[2] + r * c[3])) for (_, _, c), r in zip(channels, raw)]
            print(index, f"{t_ns / 1e9:.6f}s", " ".join(f"{name}={v:.4g}{unit}" for (name, unit, _), v in zip(channels, values)),
                  f"(dropped {dropped})" if dropped else "", flush=True)


if __name__ == "__main__":
    main()
