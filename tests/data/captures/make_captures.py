#!/usr/bin/env python3
"""Writes the capture files of this folder (see README.md): small MQTT sessions over
each link type the capture reader supports, and the TCP cases its reassembler handles.
Standard library only; the files are committed, so tests never run this.

    python3 tests/data/captures/make_captures.py [DIR]
"""
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the committed captures
from capture_builders import *  # noqa: E402,F401,F403 (the packet and file builders)

# --- the files ------------------------------------------------------------------------

C4, S4 = ip4("10.0.0.2"), ip4("10.0.0.1")
C6, S6 = ip6("2001:db8::2"), ip6("2001:db8::1")
L6 = ip6("::1")
ARP = eth(bytes.fromhex("0001 0800 06 04 0001 020000000001 0a000002 000000000000 0a000001"), ethertype=0x0806)


def fragment4(segment, ident, sizes, order):
    """An IPv4 datagram carrying `segment` cut into fragments of `sizes` bytes (multiples of 8), in `order`."""
    data = segment_bytes(segment)
    pieces, at = [], 0
    for i, n in enumerate(sizes + [len(data)]):
        chunk = data[at:at + n] if i < len(sizes) else data[at:]
        if not chunk:
            break
        pieces.append(ipv4(segment[0], segment[1], chunk, ident=ident, more=at + len(chunk) < len(data),
                           frag_offset=at))
        at += len(chunk)
    return [pieces[i] for i in order]


def fragment6(segment, ident, first):
    """An IPv6 datagram carrying `segment` in two fragments, the second sent first."""
    data = segment_bytes(segment)
    parts = [(0, data[:first], True), (first, data[first:], False)]
    out = [ipv6(segment[0], segment[1], 44, struct.pack("!BBHI", 6, 0, off | more, ident) + chunk)
           for off, chunk, more in parts]
    return [out[1], out[0]]


def tcp_cases():
    """Connections on Ethernet, each one reassembly case (README.md)."""
    frames = []
    # 1. Sequence numbers wrap inside the CONNECT; PINGREQ before PUBLISH; PUBLISH twice.
    a = session(C4, S4, 50001, cisn=0xFFFFFFF0)
    a.open()
    a.send(True, CONNECT)
    a.send(False, CONNACK)
    publish = a.seg(True, PSH | ACK, PUBLISH)
    a.advance(True, len(PUBLISH))
    ping = a.seg(True, PSH | ACK, PINGREQ)
    a.advance(True, len(PINGREQ))
    a.segments[-2:] = [ping, publish]  # captured out of order
    a.segments.append(publish)  # an identical retransmission
    a.seg(False, ACK)
    a.send(False, PINGRESP)
    a.send(True, DISCONNECT)
    a.close()
    # 2. The same 4-tuple again, a new ISN: a second connection.
    b = session(C4, S4, 50001, cisn=777, sisn=888)
    b.open()
    b.send(True, CONNECT)
    b.send(False, CONNACK)
    b.close()
    # 3. A PUBLISH lost by the capture; the broker acknowledges past it.
    c = session(C4, S4, 50002)
    c.open()
    c.send(True, CONNECT)
    c.send(False, CONNACK)
    c.send(True, PUBLISH)
    del c.segments[-2:]  # neither the PUBLISH nor its ACK was captured
    c.send(True, PINGREQ)
    c.send(False, PINGRESP)
    c.close()
    # 4. A retransmitted PUBLISH with other bytes, then a reset from the broker.
    d = session(C4, S4, 50003)
    d.open()
    d.send(True, CONNECT)
    d.send(False, CONNACK)
    d.seg(True, PSH | ACK, PUBLISH)
    d.seg(True, PSH | ACK, PUBLISH[:-1] + b"o")  # "ho" where the first copy said "hi"
    d.advance(True, len(PUBLISH))
    d.seg(False, RST | ACK)
    # 5. Started before the capture: no handshake, and no end.
    e = session(C4, S4, 50004, cisn=123456, sisn=654321)
    e.send(True, PUBLISH)
    e.send(True, PINGREQ)
    e.send(False, PINGRESP)
    for s in a.segments + b.segments + c.segments + d.segments + e.segments:
        frames.append(eth(ipv4(s[0], s[1], segment_bytes(s))))
    return frames


def mixed_pcapng(path):
    """Four interfaces of four link types and three time resolutions, and blocks to skip."""
    out = section()
    out += interface(1)  # Ethernet, microseconds
    out += interface(228, 9)  # IPv4, nanoseconds
    out += interface(229, 0x80 | 20)  # IPv6, 2^-20 s
    out += interface(12)  # DLT_RAW
    out += block(4, struct.pack("<HH4s", 1, 12, S4) + b"broker\0\0" + struct.pack("<HH", 0, 0))  # name resolution
    out += block(0x0BAD, struct.pack("<I", 32473) + b"custom, skipped")
    out += block(0x7FFF0001, b"an unknown block type")
    n = 0

    def at(units_per_s):
        return (T0 * 1000 + n) * units_per_s // 1000  # 1 ms apart

    s0 = session(C4, S4, 50010).mqtt()
    for s in s0.segments[:-1]:
        out += enhanced(0, at(10**6), eth(ipv4(s[0], s[1], segment_bytes(s))))
        n += 1
    final = eth(ipv4(*s0.segments[-1][:2], segment_bytes(s0.segments[-1])))
    out += block(3, struct.pack("<I", len(final)) + final)  # a simple packet block: no time
    n += 1
    for iface, units, make in ((1, 10**9, lambda s: ipv4(s[0], s[1], segment_bytes(s))),
                               (2, 2**20, lambda s: over_ipv6([s])[0]),
                               (3, 10**6, lambda s: ipv4(s[0], s[1], segment_bytes(s)))):
        v6 = iface == 2
        sess = session(C6 if v6 else C4, S6 if v6 else S4, 50010 + iface)
        sess.open()
        sess.send(True, CONNECT)
        sess.send(False, CONNACK)
        sess.close()
        for s in sess.segments:
            out += enhanced(iface, at(units), make(s))
            n += 1
    out += block(5, struct.pack("<IIIHH", 0, 0, 0, 0, 0))  # interface statistics, empty
    write(path, out)
    return n


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    counts = {}

    def name(f):
        return os.path.join(out, f)

    s = session(C4, S4, 50000).mqtt().segments
    counts["ethernet.pcap"] = write_pcap(name("ethernet.pcap"), 1, [ARP] + [eth(p) for p in over_ipv4(s)])

    vlans = ((0x88A8, 100), (0x8100, 200))
    counts["vlan_qinq.pcap"] = write_pcap(name("vlan_qinq.pcap"), 1, [eth(p, vlans=vlans) for p in over_ipv4(s)],
                                          big=True, nanoseconds=True)

    # IPv4 options (NOP, router alert) and TCP options (MSS, NOP NOP timestamps).
    ipopt = bytes.fromhex("01 94040000")
    frames = []
    for i, seg in enumerate(s):
        topt = bytes.fromhex("020405b4") if seg[6] & SYN else bytes.fromhex("0101080a") + struct.pack("!II", i, 0)
        frames.append(sll(ipv4(seg[0], seg[1], segment_bytes(seg, topt), ident=i + 1, options=ipopt)))
    counts["linux_sll.pcap"] = write_pcap(name("linux_sll.pcap"), 113, frames)

    s6 = session(C6, S6, 50000).mqtt().segments
    hop = bytes.fromhex("05020000")  # router alert
    dst = bytes.fromhex("1e 04 00000000")  # an experimental option
    sll2_frames = [sll2(p) for p in over_ipv6(s6, extensions=((0, hop), (60, dst)))]
    pcapng = section() + interface(276) + b"".join(enhanced(0, (T0 * 1000 + i) * 1000, f)
                                                    for i, f in enumerate(sll2_frames))
    write(name("linux_sll2.pcapng"), pcapng)
    counts["linux_sll2.pcapng"] = len(sll2_frames)

    # IPv4 fragments: the CONNECT in three, last first; the PUBLISH in two, in order.
    frames = []
    for i, seg in enumerate(s):
        if seg[7] == CONNECT:
            frames += fragment4(seg, 900, [16, 16], [2, 0, 1])
        elif seg[7] == PUBLISH:
            frames += fragment4(seg, 901, [24], [0, 1])
        else:
            frames.append(ipv4(seg[0], seg[1], segment_bytes(seg), ident=i + 1))
    counts["raw_ipv4_fragments.pcap"] = write_pcap(name("raw_ipv4_fragments.pcap"), 101, frames)

    frames = []
    for seg in s6:
        frames += fragment6(seg, 0x1234, 24) if seg[7] == CONNECT else over_ipv6([seg])
    counts["raw_ipv6_fragments.pcap"] = write_pcap(name("raw_ipv6_fragments.pcap"), 229, frames)

    # BSD loopback: the family in the capturing machine's order (here little-endian) ...
    l4 = session(ip4("127.0.0.1"), ip4("127.0.0.1"), 50000).mqtt().segments
    l6 = session(L6, L6, 50001).mqtt().segments
    frames = [struct.pack("<I", 2) + p for p in over_ipv4(l4)] + [struct.pack("<I", 30) + p for p in over_ipv6(l6)]
    counts["null_loopback.pcap"] = write_pcap(name("null_loopback.pcap"), 0, frames)
    # ... and OpenBSD's DLT_LOOP, in network order (IPv6 is 24 there), in a big-endian file.
    frames = [struct.pack(">I", 2) + p for p in over_ipv4(l4)] + [struct.pack(">I", 24) + p for p in over_ipv6(l6)]
    counts["loop_openbsd.pcap"] = write_pcap(name("loop_openbsd.pcap"), 108, frames, big=True)

    counts["mixed_interfaces.pcapng"] = mixed_pcapng(name("mixed_interfaces.pcapng"))
    counts["tcp_cases.pcap"] = write_pcap(name("tcp_cases.pcap"), 1, tcp_cases())
    # A snaplen of 60 cuts the frames carrying CONNECT and PUBLISH (and nothing else).
    frames = [(eth(p)[:60], len(eth(p))) for p in over_ipv4(s)]
    counts["snaplen_cut.pcap"] = write_pcap(name("snaplen_cut.pcap"), 1, frames, snaplen=60)

    for f, n in counts.items():
        print(f"{f}: {n} frames, {os.path.getsize(name(f))} bytes")


if __name__ == "__main__":
    main()
