#!/usr/bin/env python3
"""Writes N copies of a classic pcap one after the other, each shifted in time past
the one before: a long capture from a short one, to show that `mqttspec analyze`
needs no more memory for it (the copies' connections reuse their 4-tuples, each
after the one before has closed).

    scripts/repeat_pcap.py IN.pcap OUT.pcap N
"""
import struct
import sys


def main():
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(src, "rb") as f:
        header = f.read(24)
        body = f.read()
    if len(header) < 24 or header[:4] != b"\xd4\xc3\xb2\xa1":
        sys.exit(f"{src}: not a little-endian microsecond pcap")
    records, i = [], 0
    while i + 16 <= len(body):
        seconds, micros, size, _ = struct.unpack_from("<IIII", body, i)
        records.append((seconds, micros, i, size))
        i += 16 + size
    if not records:
        sys.exit(f"{src}: no records")
    span = records[-1][0] - records[0][0] + 2
    with open(dst, "wb") as out:
        out.write(header)
        for k in range(n):
            for seconds, micros, at, size in records:
                out.write(struct.pack("<II", seconds + k * span, micros))
                out.write(body[at + 8:at + 16 + size])


if __name__ == "__main__":
    main()
