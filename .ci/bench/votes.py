#!/usr/bin/env python3
"""Vote POST throughput: logs in voters of a seed:bulk database and runs wrk.

  DATABASE_URL=… target/release/nightcoder task seed:bulk …   # first
  LOCO_ENV=… DATABASE_URL=… target/release/nightcoder start    # then, on PORT
  python3 .ci/bench/votes.py PORT CONNECTIONS SECONDS

Voters are bulk users with enough reputation to vote (the password of every
bulk user is "bulk user password"); each wrk thread uses its own session.
Each POST is a full vote transaction (cast, toggle back on the next hit).
"""
import http.client
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

port, conns, secs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
here = Path(__file__).resolve().parent


def login(name: str) -> tuple[str, str]:
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/login")
    r = c.getresponse()
    body = r.read().decode()
    jar = {v.split(";")[0].split("=")[0]: v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"}
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    c.request("POST", "/login", body=urllib.parse.urlencode(
        {"csrf_token": token, "login": name, "password": "bulk user password"}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(jar.values())})
    r = c.getresponse()
    r.read()
    assert r.status == 303, f"login {name}: {r.status}"
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            jar[v.split(";")[0].split("=")[0]] = v.split(";")[0]
    cookie = "; ".join(jar.values())
    c.request("GET", "/settings/password", headers={"Cookie": cookie})
    page = c.getresponse().read().decode()
    return cookie, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def query(sql: str) -> list[str]:
    db = os.environ["DATABASE_URL"]
    if db.startswith("sqlite:"):
        import sqlite3
        path = db.split("://", 1)[1].split("?", 1)[0]
        return [str(row[0]) for row in sqlite3.connect(path).execute(sql)]
    return subprocess.run(["psql", db, "-Atc", sql], capture_output=True, text=True, check=True).stdout.split()


names = query("select username from users where reputation >= 15 order by id limit 16")
questions = query("select max(id) from questions")[0]
sessions = [login(n) for n in names]
lua = here / "sessions.lua"
lua.write_text("return {\n" + "".join(f'  {{ cookie = "{c}", token = "{t}" }},\n' for c, t in sessions) + "}\n")
env = dict(os.environ, NC_SESSIONS=str(lua), NC_QUESTIONS=questions)
threads = min(conns, 2)
subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{secs}s", "-s", str(here / "votes.lua"),
                f"http://127.0.0.1:{port}"], env=env, check=True)
lua.unlink()
