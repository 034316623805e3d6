"""Builders for make_captures.py: MQTT packets by hand, TCP/IPv4/IPv6 with checksums,
link-layer headers, one TCP session drawn segment by segment, and pcap / pcapng writers.
Standard library only."""
import struct

# MQTT 3.1.1 packets, by hand.
CONNECT = bytes.fromhex("10 10 0004 4d515454 04 02 003c 0004 74657374")
CONNACK = bytes.fromhex("20 02 00 00")
PUBLISH = bytes.fromhex("30 07 0003 612f62 6869")  # topic a/b, payload "hi"
PINGREQ = bytes.fromhex("c0 00")
PINGRESP = bytes.fromhex("d0 00")
DISCONNECT = bytes.fromhex("e0 00")

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
T0 = 1_700_000_000  # capture start, Unix seconds


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", options=b""):
    """A TCP header and payload, with the checksum over the pseudo header."""
    options += b"\0" * (-len(options) % 4)
    offset = (20 + len(options)) // 4
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, offset << 4, flags,
                         65535, 0, 0) + options
    length = len(header) + len(payload)
    pseudo = src + dst + (struct.pack("!BBH", 0, 6, length) if len(src) == 4 else struct.pack("!IxxxB", length, 6))
    c = checksum(pseudo + header + payload)
    return header[:16] + struct.pack("!H", c) + header[18:] + payload


def ipv4(src, dst, payload, ident=1, more=False, frag_offset=0, options=b"", proto=6):
    options += b"\0" * (-len(options) % 4)
    ihl = 5 + len(options) // 4
    flags = (0x2000 if more else 0) | (frag_offset // 8)
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, flags, 64, proto, 0,
                         src, dst) + options
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def ipv6(src, dst, next_header, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), next_header, 64, src, dst) + payload


def ext(next_header, options):
    """An IPv6 hop-by-hop or destination options header, padded to 8 bytes (Pad1 / PadN)."""
    pad = -(len(options) + 2) % 8
    options += b"\0" if pad == 1 else bytes([1, pad - 2]) + b"\0" * (pad - 2) if pad else b""
    return bytes([next_header, (len(options) + 2) // 8 - 1]) + options


def eth(payload, ethertype=0x0800, vlans=()):
    header = bytes.fromhex("020000000002 020000000001")
    for tpid, vid in vlans:
        header += struct.pack("!HH", tpid, vid)
    frame = header + struct.pack("!H", ethertype) + payload
    return frame + b"\0" * max(0, 60 - len(frame))  # Ethernet pads to 60 bytes


def sll(payload, ethertype=0x0800):
    return struct.pack("!HHH8sH", 0, 1, 6, bytes.fromhex("020000000001") + b"\0\0", ethertype) + payload


def sll2(payload, ethertype=0x86DD):
    return struct.pack("!HHIHBB8s", ethertype, 0, 1, 1, 0, 6, bytes.fromhex("020000000001") + b"\0\0") + payload


class session:
    """One TCP connection drawn segment by segment: (src, dst, sport, dport, seq, ack, flags, payload)."""

    def __init__(self, client, server, cport, sport=1883, cisn=1000, sisn=5000):
        self.c, self.s, self.cport, self.sport = client, server, cport, sport
        self.cseq, self.sseq = cisn, sisn
        self.segments = []

    def seg(self, from_client, flags, payload=b"", seq=None):
        if from_client:
            s = (self.c, self.s, self.cport, self.sport, self.cseq if seq is None else seq, self.sseq, flags, payload)
        else:
            s = (self.s, self.c, self.sport, self.cport, self.sseq if seq is None else seq, self.cseq, flags, payload)
        self.segments.append(s)
        return s

    def advance(self, from_client, n):
        if from_client:
            self.cseq = (self.cseq + n) & 0xFFFFFFFF
        else:
            self.sseq = (self.sseq + n) & 0xFFFFFFFF

    def open(self):
        self.seg(True, SYN)
        self.advance(True, 1)
        self.seg(False, SYN | ACK)
        self.advance(False, 1)
        self.seg(True, ACK)

    def send(self, from_client, data, ack=True):
        self.seg(from_client, PSH | ACK, data)
        self.advance(from_client, len(data))
        if ack:
            self.seg(not from_client, ACK)

    def close(self):
        self.seg(True, FIN | ACK)
        self.advance(True, 1)
        self.seg(False, FIN | ACK)
        self.advance(False, 1)
        self.seg(True, ACK)

    def mqtt(self):
        """A whole MQTT session: CONNECT ... DISCONNECT, then both FINs."""
        self.open()
        self.send(True, CONNECT)
        self.send(False, CONNACK)
        self.send(True, PUBLISH)
        self.send(True, PINGREQ)
        self.send(False, PINGRESP)
        self.send(True, DISCONNECT)
        self.close()
        return self


def segment_bytes(s, tcp_options=b""):
    src, dst, sport, dport, seq, ack, flags, payload = s
    return tcp(src, dst, sport, dport, seq, ack, flags, payload, tcp_options)


def over_ipv4(segments, **kw):
    return [ipv4(s[0], s[1], segment_bytes(s), ident=i + 1, **kw) for i, s in enumerate(segments)]


def over_ipv6(segments, extensions=()):
    """`extensions`: (type, body) pairs put before TCP."""
    out = []
    for s in segments:
        payload, nh = segment_bytes(s), 6
        for kind, body in reversed(extensions):
            payload, nh = ext(nh, body) + payload, kind
        out.append(ipv6(s[0], s[1], nh, payload))
    return out


# --- file writers ---------------------------------------------------------------------

def write_pcap(path, linktype, frames, big=False, nanoseconds=False, snaplen=65535):
    """`frames`: bytes, or (bytes, original length) for frames cut by the snaplen."""
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nanoseconds else 0xA1B2C3D4
    out = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)
    for i, f in enumerate(frames):
        data, original = f if isinstance(f, tuple) else (f, len(f))
        data = data[:snaplen]
        frac = i * 1000 * (1000 if nanoseconds else 1)  # 1 ms apart
        out += struct.pack(e + "IIII", T0, frac, len(data), original) + data
    with open(path, "wb") as f:
        f.write(out)
    return len(frames)


def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack("<II", kind, n) + body + struct.pack("<I", n)


def option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def section():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
                 option(4, b"make_captures.py") + option(0, b""))


def interface(linktype, resolution=None):
    options = option(9, bytes([resolution])) + option(0, b"") if resolution is not None else b""
    return block(1, struct.pack("<HHI", linktype, 0, 65535) + options)


def enhanced(interface_id, units, data):
    return block(6, struct.pack("<IIIII", interface_id, units >> 32, units & 0xFFFFFFFF, len(data), len(data)) + data)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
