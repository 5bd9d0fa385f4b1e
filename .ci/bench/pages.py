#!/usr/bin/env python3
"""Page rates against the machine's limit: the release binary in production
mode (config/bench.yaml: production with the abuse limits lifted, since one
load generator is one client) on a `seed:bulk` data set, and next to it the
exact HTML of each page served as a static file by nginx.

  python3 .ci/bench/pages.py [--size small|large] [--db sqlite|postgres]
                             [--seconds N] [--smoke]

small is the original's demo size (50 users, 200 questions, 939 answers,
1,518 votes); large is 10k users, 100k questions, 400k answers, 1M votes.
Runs wrk (-t2, --latency) on home, question list, question, tag, search,
leaderboard, profile and reputation history, anonymous and signed in, at
16 and 32 connections, and prints one table: req/s, p50, p99, the ratio to
nginx serving the same bytes, and the app's RSS after the run. --smoke runs
each for one second at 16 connections (CI keeps the script working with it).

Builds nothing: NC_BIN names the release binary (default
target/release/nightcoder). Needs wrk and nginx; PostgreSQL on
127.0.0.1:5432 for --db postgres (database nc_bench_pages is made anew).
A benchmark, not a test: it prints figures and asserts nothing about them.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from forum import BIN, ROOT, Browser, Server, status_kib

PORT = 15660
STATIC_PORT = 15661
PG = "postgres://postgres@127.0.0.1:5432"
DB = "nc_bench_pages"
PASSWORD = "bulk user password"
SIZES = {
    "small": ["users:50", "questions:200", "answers:939", "votes:1518", "reviews:100"],
    "large": ["users:10000", "questions:100000", "answers:400000", "votes:1000000", "reviews:20000"],
}


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", f"{PG}/{db}", "-Atqc", sql], check=True, capture_output=True, text=True)


def prepare(size: str, db: str, tmp: Path) -> str:
    if db == "postgres":
        psql(f"drop database if exists {DB} with (force)")
        psql(f"create database {DB}")
        # as in deploy/docker-compose.yml, where the database's own image
        # serves plain connections on the private network: Debian's server
        # offers TLS, and the driver's default (prefer) took it, which put
        # TLS on every statement of the measurement (about 5 % of the
        # machine's time during a vote run)
        url = f"{PG}/{DB}?sslmode=disable"
    else:
        url = f"sqlite://{tmp}/bench.sqlite?mode=rwc"
    env = dict(os.environ, LOCO_ENV="bench", DATABASE_URL=url)
    subprocess.run([str(BIN), "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.monotonic()
    subprocess.run([str(BIN), "task", "seed:bulk", *SIZES[size]], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    print(f"seed:bulk {size} on {db}: {time.monotonic() - started:.0f}s", file=sys.stderr)
    return url


def first(pattern: str, html: str, what: str) -> str:
    m = re.search(pattern, html)
    if not m:
        raise RuntimeError(f"no {what} found")
    return m.group(1)


def pages(anon: Browser) -> dict[str, str]:
    """The measured URLs, found by reading the pages as a visitor would."""
    _, _, home = anon.get("/")
    _, _, listing = anon.get("/questions?sort=votes")
    question = first(r'href="(/questions/\d+/[^"?#]+)"', listing, "question")
    _, _, tags = anon.get("/tags")
    tag = first(r'href="(/tags/[^"?#]+)"', tags, "tag")
    _, _, board = anon.get("/leaderboard")
    user = first(r'href="(/users/[^"/?#]+)"', board, "user")
    word = first(r'/questions/\d+/([a-z]+)', listing, "word")
    return {
        "home": "/",
        "question list": "/questions",
        "question": question,
        "tag": tag,
        "search": f"/questions?q={urllib.parse.quote(word)}",
        "leaderboard": "/leaderboard",
        "profile": user,
        "reputation": f"{user}/reputation",
    }


def start_nginx(root: Path, tmp: Path) -> subprocess.Popen:
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{STATIC_PORT};
    root {root};
    default_type "text/html; charset=utf-8";
    location / {{ }}
  }}
}}
""")
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    if proc.poll() is not None:
        raise RuntimeError((tmp / "nginx-error.log").read_text())
    return proc


def wrk(url: str, conns: int, seconds: int, cookie: str | None = None) -> tuple[float, float, float]:
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rate = float(first(r"Requests/sec:\s+([\d.]+)", out, "rate"))

    def ms(pct: str) -> float:
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error answers")
    return rate, ms("50"), ms("99")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="small")
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed (apt-get install {tool})", file=sys.stderr)
            return 1
    seconds = 1 if args.smoke else args.seconds
    conns_list = [16] if args.smoke else [16, 32]
    tmp = Path(tempfile.mkdtemp(prefix="nc-pages-"))
    tmp.chmod(0o755)  # nginx's workers (www-data) read the static copies
    url = prepare(args.size, args.db, tmp)
    server = Server(PORT, mode="bench", database_url=url)
    nginx = None
    try:
        anon = Browser(PORT)
        urls = pages(anon)
        member = Browser(PORT)
        name = first(r"/users/([^/]+)$", urls["profile"], "user name")
        member.login(urllib.parse.unquote(name), PASSWORD)
        cookie = "; ".join(f"{k}={v}" for k, v in member.cookies.items())
        check, _, page = member.get(urls["question"])
        if check != 200 or "/logout" not in page:
            raise RuntimeError("the member is not signed in")
        static = tmp / "static"
        static.mkdir()
        for label, path in urls.items():
            status, _, html = Browser(PORT).get(path)
            if status != 200:
                raise RuntimeError(f"{path}: {status}")
            (static / f"{label.replace(' ', '-')}.html").write_text(html)
        nginx = start_nginx(static, tmp)
        base = f"http://127.0.0.1:{PORT}"
        rows = []
        for label, path in urls.items():
            for conns in conns_list:
                limit, _, _ = wrk(f"http://127.0.0.1:{STATIC_PORT}/{label.replace(' ', '-')}.html",
                                  conns, seconds)
                for viewer, jar in (("anonymous", None), ("signed in", cookie)):
                    rate, p50, p99 = wrk(base + path, conns, seconds, jar)
                    rows.append((label, viewer, conns, rate, p50, p99, limit))
        rss = server.rss_mib()
        anon, file = (status_kib(server.proc.pid, f) / 1024 for f in ("RssAnon", "RssFile"))
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait()
        server.stop()
        if args.db == "postgres":
            psql(f"drop database if exists {DB} with (force)")
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{args.size} data set on {args.db}, wrk -t2 -d{seconds}s, {BIN}")
    print("| page | viewer | conns | req/s | p50 ms | p99 ms | nginx static req/s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for label, viewer, conns, rate, p50, p99, limit in rows:
        print(f"| {label} | {viewer} | {conns} | {rate:,.0f} | {p50:.2f} | {p99:.2f} | "
              f"{limit:,.0f} | {rate / limit:.0%} |")
    print(f"\nRSS of the app after the run: {rss:.1f} MiB ({anon:.1f} MiB anonymous, "
          f"{file:.1f} MiB file pages such as the SQLite file mapped into memory)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
