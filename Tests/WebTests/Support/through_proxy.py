"""One HTTPS request and one WebSocket message through a TLS-terminating proxy, standard library only.

usage: through_proxy.py PORT CA_FILE DEVICE TOKEN
Prints one JSON object: {"anonymous": status, "devices": [ids], "session_cookie": Set-Cookie, "upgrade": status line, "magic": ..., "channels": C,
"frames": N}. The certificate is checked against CA_FILE and the name 127.0.0.1, as a real client would.
"""
import base64, json, os, socket, ssl, struct, sys, urllib.error, urllib.request

port, ca_file, device, token = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
base = f"https://127.0.0.1:{port}"
context = ssl.create_default_context(cafile=ca_file)
result = {}

try:
    urllib.request.urlopen(f"{base}/api/devices", context=context)
    result["anonymous"] = 200
except urllib.error.HTTPError as e:
    result["anonymous"] = e.code

request = urllib.request.Request(f"{base}/api/devices", headers={"Authorization": f"Bearer {token}"})
result["devices"] = [d["id"] for d in json.load(urllib.request.urlopen(request, context=context))]

# The browser session cookie: through TLS (the proxy says X-Forwarded-Proto: https) it must be Secure.
session = urllib.request.Request(f"{base}/api/session", method="POST", headers={"Authorization": f"Bearer {token}"})
result["session_cookie"] = urllib.request.urlopen(session, context=context).headers.get("Set-Cookie", "")

# A last guard against a silent proxy, not a wait: the first message comes within milliseconds.
raw = socket.create_connection(("127.0.0.1", port), timeout=180)
sock = context.wrap_socket(raw, server_hostname="127.0.0.1")
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall(f"GET /ws/devices/{device}?every=1&token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
             f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
f = sock.makefile("rb")
result["upgrade"] = f.readline().decode().strip()
while f.readline() not in (b"\r\n", b""):
    pass
if " 101 " in result["upgrade"] + " ":
    b0, b1 = f.read(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", f.read(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", f.read(8))[0]
    payload = f.read(n)
    result["opcode"] = b0 & 0x0F
    magic, channels, _, frames, _, _ = struct.unpack_from("<4sHHIIQ", payload)
    result.update(magic=magic.decode(), channels=channels, frames=frames, bytes=len(payload))
print(json.dumps(result))
