"""Writes the fuzzer's seed corpus from the MWP/1 vectors: each frame's wire bytes, each payload prefixed by its
type byte (the message-parser reading of an input), each invalid stream, and the whole vector stream."""
import json
import pathlib
import sys

vectors = json.loads(pathlib.Path(sys.argv[1]).read_text())
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
stream = b""
for frame in vectors["frames"]:
    wire = bytes.fromhex(frame["wire_hex"])
    stream += wire
    (out / f"wire-{frame['name']}").write_bytes(wire)
    (out / f"payload-{frame['name']}").write_bytes(bytes([frame["type"]]) + bytes.fromhex(frame["payload_hex"]))
for bad in vectors["invalid"]:
    (out / f"invalid-{bad['name']}").write_bytes(bytes.fromhex(bad["wire_hex"]))
(out / "stream-all-vectors").write_bytes(stream)
