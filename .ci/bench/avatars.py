#!/usr/bin/env python3
"""Avatar uploads under memory pressure: one account uploads a crafted PNG
(about 65 KB on the wire, its header claims 4096x4096 RGBA: 64 MiB decoded)
16 times in parallel, then the largest picture the forum accepts (12
megapixels) 16 times in parallel, and the process's memory is read.

  python3 .ci/bench/avatars.py [--smoke]

Starts the release binary (NC_BIN, default target/release/nightcoder) in
development mode on a fresh SQLite file (demo accounts), prints a table
and exits non-zero if the peak RSS passes 200 MiB.
"""
from __future__ import annotations

import struct
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor

from forum import DEMO_PASSWORD, Browser, Server

PORT = 15620
LIMIT_MIB = 200


def png(width: int, height: int) -> bytes:
    """A valid RGBA PNG of one colour: tiny compressed, huge decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + b"\x20\x40\x60\xff" * width
    raw = zlib.compressobj(9)
    body = b"".join(raw.compress(row) for _ in range(height)) + raw.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def upload_burst(port: int, cookies: dict[str, str], token: str, image: bytes, n: int) -> list[int]:
    def one(_: int) -> int:
        b = Browser(port)
        b.cookies = dict(cookies)
        b.token = token
        status, _, _ = b.post_multipart("/settings/profile", {"bio": "", "website": "", "birthday": ""},
                                        {"avatar": ("a.png", image, "image/png")})
        return status
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def main() -> int:
    smoke = "--smoke" in sys.argv
    n = 2 if smoke else 16
    server = Server(PORT)
    try:
        user = Browser(PORT)
        user.login("alice", DEMO_PASSWORD)
        user.get("/settings/profile")
        rows = [("idle", server.rss_mib(), server.peak_mib(), "")]
        for name, image in [("crafted 4096x4096", png(4096, 4096)), ("12 MP 4000x3000", png(4000, 3000))]:
            statuses = upload_burst(PORT, user.cookies, user.token, image, n)
            rows.append((f"{n} x {name} ({len(image) // 1024} KB)", server.rss_mib(),
                         server.peak_mib(), " ".join(sorted({str(s) for s in statuses}))))
        print(f"{'step':<36} {'RSS MiB':>8} {'peak MiB':>9}  answers")
        for step, rss, peak, answers in rows:
            print(f"{step:<36} {rss:>8.1f} {peak:>9.1f}  {answers}")
        peak = server.peak_mib()
        if peak > LIMIT_MIB and not smoke:
            print(f"FAIL: peak RSS {peak:.0f} MiB > {LIMIT_MIB} MiB")
            return 1
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
