"""Prints the bytes liblsl 1.18 (inside pylsl) sends on a stream feed, for the golden-byte tests.

For each channel format: a 3-channel 250 Hz outlet, a raw TCP client asking for protocol 1.10, then
push_sample(v1, 1000.5) and push_chunk([v2, v3], 2000.0). Prints `format hex` per line: the two test-pattern
samples followed by the three pushed ones (the feed header is not included). Run it to re-derive the constants
in SampleEncodingTests.swift; the tests do not run it.
"""
import re
import socket
import sys
import time

import pylsl

VALUES = {
    "float32": ([1, 2, 3], [4, 5, 6], [7, 8, 9]),
    "double64": ([1, 2, 3], [4, 5, 6], [7, 8, 9]),
    "int32": ([1, -2, 70000], [4, 5, 6], [7, 8, 9]),
    "int16": ([1, -2, 300], [4, 5, 6], [7, 8, 9]),
    "int8": ([1, -2, 100], [4, 5, 6], [7, 8, 9]),
    "int64": ([1, -2, 5000000000], [4, 5, 6], [7, 8, 9]),
    "string": (["a", "", "ccc"], ["x" * 300, "y", "z"], ["7", "8", "9"]),
}


def capture(fmt):
    info = pylsl.StreamInfo("golden-" + fmt, "Golden", 3, 250.0, fmt, "golden-" + fmt)
    outlet = pylsl.StreamOutlet(info)
    xml = outlet.get_info().as_xml()
    port = int(re.search(r"<v4data_port>(\d+)</v4data_port>", xml).group(1))
    uid = re.search(r"<uid>([^<]*)</uid>", xml).group(1)
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"LSL:streamfeed/110 {uid}\r\nMax-Buffer-Length: 100\r\nMax-Chunk-Length: 0\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    header, rest = data.split(b"\r\n\r\n", 1)
    while not outlet.have_consumers():
        time.sleep(0.01)
    v1, v2, v3 = VALUES[fmt]
    outlet.push_sample(v1, 1000.5)
    outlet.push_chunk([v2, v3], 2000.0)
    s.settimeout(1.0)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
    except socket.timeout:
        pass
    s.close()
    return header.decode(), rest


if __name__ == "__main__":
    for fmt in sys.argv[1:] or VALUES:
        header, body = capture(fmt)
        print(fmt, body.hex())
