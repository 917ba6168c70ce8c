"""The independent side of the LSL tests: liblsl 1.18 (inside pylsl) as resolver and inlet, and raw sockets for
what an inlet does not show. Driven by LSLPeerTests.swift through stdin/stdout lines; every wait here is on an
event (a line, a resolve, a sample), bounded by generous timeouts and a global alarm as the last guard.

    lsl_peer.py resolve NAME TYPE SOURCE_ID         -> "result {json}"
    lsl_peer.py stream NAME                         -> "open", then waits for "done N", -> "result {json}"
    lsl_peer.py slowfast NAME                       -> "open", then waits for "done N", -> "result {json}"
    lsl_peer.py paths NAME DATA_PORT SERVICE_PORT DISCOVERY_PORT V6_DATA_PORT MULTICAST -> "result {json}"
    lsl_peer.py recover NAME                        -> "open", then "got V" per sample pulled, until stdin closes
    lsl_peer.py judge NAME QUERY...                 -> a liblsl outlet named NAME; "ready"; per query "match 0|1|2"
"""
import json
import re
import signal
import socket
import struct
import sys

import pylsl

signal.alarm(240)


def say(*parts):
    print(*parts, flush=True)


def wait_for(prefix):
    for line in sys.stdin:
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    raise SystemExit("stdin closed before " + prefix)


def resolve_one(name, timeout=20):
    found = pylsl.resolve_byprop("name", name, minimum=1, timeout=timeout)
    if not found:
        raise SystemExit("no stream named " + name)
    return found[0]


def uids(infos):
    return sorted(i.uid() for i in infos)


def desc_channels(desc):
    out = []
    ch = desc.child("channels").child("channel")
    while not ch.empty():
        out.append({"label": ch.child_value("label"), "unit": ch.child_value("unit"), "type": ch.child_value("type")})
        ch = ch.next_sibling("channel")
    return out


def resolve(name, stype, source_id):
    by_name = pylsl.resolve_byprop("name", name, minimum=1, timeout=20)
    uid = by_name[0].uid() if by_name else ""
    # Every stream of the type answering within 2 s: another program's EEG stream (another test run on this host)
    # may answer first, and ours must be among them all.
    by_type = pylsl.resolve_byprop("type", stype, minimum=10000, timeout=2)
    by_source = pylsl.resolve_byprop("source_id", source_id, minimum=1, timeout=20)
    everything = pylsl.resolve_streams(wait_time=2.0)
    by_pred = pylsl.resolve_bypred(f"desc/channels/channel/label='c' and name='{name}'", minimum=1, timeout=20)
    by_bad_pred = pylsl.resolve_bypred(f"desc/channels/channel/label='zz' and name='{name}'", minimum=1, timeout=1.5)
    i = by_name[0]
    inlet = pylsl.StreamInlet(i, recover=False)
    full = inlet.info(timeout=10)
    desc = full.desc()
    acq = desc.child("acquisition")
    say("result " + json.dumps({
        "uid": uid,
        "name": i.name(), "type": i.type(), "channel_count": i.channel_count(),
        "nominal_srate": i.nominal_srate(), "channel_format": i.channel_format(), "source_id": i.source_id(),
        "session_id": i.session_id(), "hostname": i.hostname(), "version": i.version(),
        "by_type": uid in uids(by_type), "by_source": uids(by_source) == [uid],
        "in_all": uid in uids(everything), "by_pred": uids(by_pred) == [uid], "by_bad_pred": uids(by_bad_pred),
        "channels": desc_channels(desc),
        "manufacturer": acq.child_value("manufacturer"), "serial": acq.child_value("serial_number"),
    }))
    inlet.close_stream()


def stream(name):
    """Values come back as text (str() of what pylsl returns), so every channel format compares the same way."""
    inlet = pylsl.StreamInlet(resolve_one(name), max_buflen=360, recover=False)
    inlet.open_stream(timeout=20)
    say("open")
    expected = int(wait_for("done "))
    values, stamps = [], []
    while len(stamps) < expected:
        # pull_chunk returns when max_samples arrived (or at the timeout): ask for exactly what is still due.
        chunk, ts = inlet.pull_chunk(timeout=20.0, max_samples=expected - len(stamps))
        if not ts:
            break
        values += chunk
        stamps += ts
    correction = inlet.time_correction(timeout=10)
    say("result " + json.dumps({"values": [[str(v) for v in sample] for sample in values],
                                "stamps": [repr(t) for t in stamps], "time_correction": correction}))


def recover(name):
    """An inlet with recovery on, as LabRecorder opens one: it must find the stream again after a restart."""
    inlet = pylsl.StreamInlet(resolve_one(name), recover=True)
    inlet.open_stream(timeout=20)
    say("open")
    while True:
        sample, _ = inlet.pull_sample(timeout=60)
        if sample is None:
            raise SystemExit("no sample within 60 s")
        say(f"got {sample[0]}")


def feed_request(uid, max_buffer):
    return (f"LSL:streamfeed/110 {uid}\r\nNative-Byte-Order: 1234\r\nEndian-Performance: 0\r\nHas-IEEE754-Floats: 1\r\n"
            f"Supports-Subnormals: 1\r\nValue-Size: 4\r\nData-Protocol-Version: 110\r\nMax-Buffer-Length: {max_buffer}\r\n"
            f"Max-Chunk-Length: 0\r\nHostname: slow-reader\r\n\r\n").encode()


class RawFeed:
    """A stream feed read by hand (float32): the bytes as they are on the wire, tags included."""

    def __init__(self, info, max_buffer):
        self.channels = info.channel_count()
        self.sock = socket.create_connection(("127.0.0.1", info_port(info, "v4data_port")))
        self.sock.sendall(feed_request(info.uid(), max_buffer))
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.recv()
        self.header, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.samples(2)  # the test patterns

    def recv(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise SystemExit("feed closed")
        return data

    def need(self, n):
        while len(self.buf) < n:
            self.buf += self.recv()

    def samples(self, n):
        out = []
        width = 4 * self.channels
        for _ in range(n):
            self.need(1)
            tag = self.buf[0]
            if tag == 2:
                self.need(9 + width)
                stamp = struct.unpack("<d", self.buf[1:9])[0]
                body = self.buf[9:9 + width]
                self.buf = self.buf[9 + width:]
            else:
                self.need(1 + width)
                stamp = None
                body = self.buf[1:1 + width]
                self.buf = self.buf[1 + width:]
            out.append((tag, stamp, struct.unpack(f"<{self.channels}f", body)))
        return out


def info_port(info, field):
    return int(re.search(f"<{field}>(\\d+)</{field}>", info.as_xml()).group(1))


def slowfast(name):
    info = resolve_one(name)
    fast = pylsl.StreamInlet(info, max_buflen=1000, recover=False)
    fast.open_stream(timeout=20)
    slow = RawFeed(info, max_buffer=500)
    say("open")
    expected, dropped = (int(x) for x in wait_for("done ").split())
    got = 0
    bad_values = 0
    while got < expected:
        chunk, ts = fast.pull_chunk(timeout=20.0, max_samples=min(100000, expected - got))
        if not ts:
            break
        for k, (sample, t) in enumerate(zip(chunk, ts)):
            i = got + k
            if sample[0] != float(i) or abs(t - (1000.0 + i / 1000.0)) > 1e-6:
                bad_values += 1
        got += len(ts)
    # The slow reader now reads everything it was sent: what the outlet did not drop, each sample after a drop
    # carrying its own stamp.
    sent = slow.samples(expected - dropped)
    previous = -1
    last_stamp = None
    restamped_after_drop = True
    deduced_wrong = 0
    for tag, stamp, values in sent:
        index = int(values[0])
        if index != previous + 1 and tag != 2:
            restamped_after_drop = False
        if tag == 1:
            stamp = last_stamp + 1.0 / 1000.0
        if abs(stamp - (1000.0 + index / 1000.0)) > 1e-6:
            deduced_wrong += 1
        previous, last_stamp = index, stamp
    say("result " + json.dumps({
        "fast_received": got, "fast_bad": bad_values, "slow_received": len(sent),
        "slow_last_index": previous, "slow_restamped_after_drop": restamped_after_drop,
        "slow_stamps_wrong": deduced_wrong,
    }))


def paths(name, data_port, service_port, discovery_port, v6_data_port, multicast):
    query = f"name='{name}'"
    out = {}
    targets = [("service", socket.AF_INET, "127.0.0.1", service_port), ("discovery", socket.AF_INET, "127.0.0.1", discovery_port)]
    if int(v6_data_port):
        targets += [("service_v6", socket.AF_INET6, "::1", v6_data_port), ("discovery_v6", socket.AF_INET6, "::1", discovery_port)]
    if multicast == "1":
        # Sent out of an interface and looped back: answered only by a socket in the group (or, for the broadcast,
        # one receiving broadcasts).
        targets += [("multicast_site", socket.AF_INET, "239.255.172.215", discovery_port),
                    ("multicast_link", socket.AF_INET, "224.0.0.183", discovery_port),
                    ("broadcast", socket.AF_INET, "255.255.255.255", discovery_port)]
    for label, family, host, port in targets:
        s = socket.socket(family, socket.SOCK_DGRAM)
        if host.startswith("2"):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
            s.bind(("0.0.0.0", 0))
        else:
            s.bind((host, 0))
        s.settimeout(10)
        s.sendto(f"LSL:shortinfo\r\n{query}\r\n{s.getsockname()[1]} 4242\r\n".encode(), (host, int(port)))
        reply = s.recv(65536).decode()
        out[label] = reply.split("\r\n", 1)[0] == "4242" and f"<name>{name}</name>" in reply
        s.close()
    if int(v6_data_port):
        t = socket.create_connection(("::1", int(v6_data_port)), timeout=10)
        t.sendall(b"LSL:fullinfo\r\n")
        out["tcp_v6_fullinfo"] = read_all(t)
    t = socket.create_connection(("127.0.0.1", int(data_port)), timeout=10)
    t.sendall(f"LSL:shortinfo\r\n{query}\r\n".encode())
    out["tcp_shortinfo"] = read_all(t)
    t = socket.create_connection(("127.0.0.1", int(data_port)), timeout=10)
    t.sendall(f"LSL:shortinfo\r\nname='not-{name}'\r\n".encode())
    out["tcp_shortinfo_nomatch"] = read_all(t)
    t = socket.create_connection(("127.0.0.1", int(data_port)), timeout=10)
    t.sendall(b"LSL:fullinfo\r\n")
    out["tcp_fullinfo"] = read_all(t)
    say("result " + json.dumps(out))


def read_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data.decode()
        data += chunk


def judge(name, queries):
    info = pylsl.StreamInfo(name, "EEG", 4, 250.0, "float32", "judge-liblsl")
    build_desc(info.desc())
    outlet = pylsl.StreamOutlet(info)
    say("ready")
    for q in queries:
        found = pylsl.resolve_bypred(q, minimum=2, timeout=1.5)
        mine = [i for i in found if i.name() == name]
        ours = sum(1 for i in mine if i.source_id() == "judge-mosquito")
        theirs = sum(1 for i in mine if i.source_id() == "judge-liblsl")
        say(f"match {ours} {theirs}")
    del outlet


def build_desc(desc):
    channels = desc.append_child("channels")
    for label in "abcd":
        ch = channels.append_child("channel")
        ch.append_child_value("label", label)
        ch.append_child_value("unit", "mV")
        ch.append_child_value("type", "EEG")
    acq = desc.append_child("acquisition")
    acq.append_child_value("manufacturer", "SENSORICA")
    acq.append_child_value("serial_number", "MQ-7")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "judge":
        judge(args[0], args[1:])
    else:
        {"resolve": resolve, "stream": stream, "slowfast": slowfast, "paths": paths, "recover": recover}[mode](*args)
