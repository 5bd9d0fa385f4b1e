#!/usr/bin/env python3
"""Vote POST throughput: the release binary in production mode (bench
config) on a `seed:bulk` data set, 16 signed-in voters POSTing votes with
wrk, then `reputation:verify` on the database the run left behind.

  python3 .ci/bench/votes.py [--size small|large] [--db sqlite|postgres]
                             [--seconds N] [--conns N] [--smoke]

Each POST is a full vote transaction (cast, toggle back on a repeat hit)
through the JSON path the vote script uses. The voters are bulk users with
enough reputation to vote; every request takes the next voter's session,
so 16 connections are 16 people voting at once, not one person in 16 tabs.

Builds nothing (NC_BIN names the release binary); needs wrk, and
PostgreSQL on 127.0.0.1:5432 for --db postgres. A benchmark, not a test: it
prints figures and fails only when the run itself goes wrong (a 5xx, a
ledger that no longer matches); votes on a voter's own post are refused
(403) and counted apart.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from forum import BIN, ROOT, Browser, Server
from pages import DB, PASSWORD, PG, SIZES, prepare, psql

PORT = 15670
HERE = Path(__file__).resolve().parent


def voters(url: str) -> list[str]:
    sql = "select username from users where reputation >= 15 and deleted_at is null order by id limit 16"
    if url.startswith("sqlite:"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        return [row[0] for row in sqlite3.connect(path).execute(sql)]
    out = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=True)
    return out.stdout.split()


def max_question(url: str) -> int:
    sql = "select max(id) from questions"
    if url.startswith("sqlite:"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        return int(sqlite3.connect(path).execute(sql).fetchone()[0])
    out = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="small")
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--conns", type=int, default=16)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed (apt-get install wrk)", file=sys.stderr)
        return 1
    seconds = 1 if args.smoke else args.seconds
    tmp = Path(tempfile.mkdtemp(prefix="nc-votes-"))
    url = prepare(args.size, args.db, tmp)
    server = Server(PORT, mode="bench", database_url=url)
    lua = tmp / "sessions.lua"
    try:
        sessions = []
        for name in voters(url):
            b = Browser(PORT)
            b.login(name, PASSWORD)
            cookie = "; ".join(f"{k}={v}" for k, v in b.cookies.items())
            sessions.append(f'  {{ cookie = "{cookie}", token = "{b.token}" }},\n')
        lua.write_text("return {\n" + "".join(sessions) + "}\n")
        threads = min(args.conns, 2)
        env = dict(os.environ, NC_SESSIONS=str(lua), NC_QUESTIONS=str(max_question(url)),
                   NC_THREADS=str(threads))
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{args.conns}", f"-d{seconds}s",
                              "-s", str(HERE / "votes.lua"), f"http://127.0.0.1:{PORT}"],
                             env=env, check=True, capture_output=True, text=True).stdout
        rss = server.rss_mib()
    finally:
        server.stop()
    try:
        verify = subprocess.run([str(BIN), "task", "reputation:verify"], cwd=ROOT,
                                env=dict(os.environ, LOCO_ENV="bench", DATABASE_URL=url),
                                capture_output=True, text=True)
    finally:
        if args.db == "postgres":
            psql(f"drop database if exists {DB} with (force)")
        shutil.rmtree(tmp, ignore_errors=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    summary = re.search(r"^requests .*$", out, re.M).group(0)
    total = int(re.search(r"requests (\d+)", summary).group(1))
    refused = int(re.search(r"refused (\d+)", summary).group(1))
    # refusals (one's own post) are whole transactions too, but not votes
    votes = rate * (total - refused) / max(total, 1)
    print(f"{args.size} data set on {args.db}, {len(sessions)} voters, wrk -c{args.conns} "
          f"-d{seconds}s: {votes:,.0f} votes/s ({rate:,.0f} requests/s); {summary}; "
          f"RSS {rss:.1f} MiB")
    print(verify.stdout.strip() or verify.stderr.strip()[-500:])
    failed = int(re.search(r"failed (\d+)", summary).group(1))
    return 0 if verify.returncode == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
