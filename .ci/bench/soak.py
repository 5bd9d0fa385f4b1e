#!/usr/bin/env python3
"""Soak: a mixed load (70% reads, 18% votes, 9% answers, 3% logins) at 64
connections against the release binary on PostgreSQL, for 10 minutes by
default; prints requests, 5xx answers, the process's RSS at the start,
after one minute and at the end, and runs `reputation:verify` afterwards.

  python3 .ci/bench/soak.py [SECONDS] [CONNECTIONS]

Needs wrk, psql and PostgreSQL on 127.0.0.1:5432 (database nc_soak is made
anew). Runs the binary with config/bench.yaml: production's settings with
the abuse limits lifted, since one load generator is one client.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from forum import BIN, ROOT, Browser, Server

PORT = 15640
DB = "nc_soak"
PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "bulk user password"
HERE = Path(__file__).resolve().parent


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(["psql", f"{PG}/{db}", "-Atqc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def main() -> int:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    conns = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    psql(f"drop database if exists {DB} with (force)", "postgres")
    psql(f"create database {DB}", "postgres")
    url = f"{PG}/{DB}"
    env = dict(os.environ, LOCO_ENV="bench", DATABASE_URL=url)
    subprocess.run([str(BIN), "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(BIN), "task", "seed:bulk", "users:500", "questions:2000",
                    "answers:6000", "votes:20000"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = Server(PORT, mode="bench", database_url=url)
    try:
        names = psql("select username from users order by id limit 32").split()
        questions = psql("select max(id) from questions")
        sessions = []
        for name in names:
            b = Browser(PORT)
            b.login(name, PASSWORD)
            anon = Browser(PORT)
            anon.get("/login")
            sessions.append((name, "; ".join(f"{k}={v}" for k, v in b.cookies.items()), b.token,
                             "; ".join(f"{k}={v}" for k, v in anon.cookies.items()), anon.token))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write("return {\n" + "".join(
                f'  {{ name = "{n}", cookie = "{c}", token = "{t}", anon_cookie = "{ac}", anon_token = "{at}" }},\n'
                for n, c, t, ac, at in sessions) + "}\n")
            lua = f.name
        rss = {"start": server.rss_mib()}

        def sample() -> None:
            time.sleep(min(60, seconds / 2))
            rss["after 1 min" if seconds >= 120 else "middle"] = server.rss_mib()
        threading.Thread(target=sample, daemon=True).start()
        env = dict(os.environ, NC_SESSIONS=lua, NC_QUESTIONS=questions, NC_PASSWORD=PASSWORD.replace(" ", "+"))
        out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s",
                              "-s", str(HERE / "soak.lua"), f"http://127.0.0.1:{PORT}"],
                             env=env, capture_output=True, text=True, check=True).stdout
        rss["end"] = server.rss_mib()
        os.unlink(lua)
        print(out)
        line = next(l for l in out.splitlines() if l.startswith("SOAK"))
        errors = int(line.split("server_errors=")[1].split()[0])
    finally:
        server.stop()
    verify = subprocess.run([str(BIN), "task", "reputation:verify"], cwd=ROOT,
                            env=dict(os.environ, LOCO_ENV="bench", DATABASE_URL=url),
                            capture_output=True, text=True)
    print("RSS MiB: " + ", ".join(f"{k} {v:.1f}" for k, v in rss.items()))
    print(f"reputation:verify exit {verify.returncode}: {verify.stdout.strip()[-300:]}")
    psql(f"drop database if exists {DB} with (force)", "postgres")
    return 0 if errors == 0 and verify.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
