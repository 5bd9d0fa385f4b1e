#!/usr/bin/env python3
"""The deployment, run for real on loopback.

Debian's nginx runs the repository's own config (deploy/nginx, ports and
paths rewritten on the lines marked "# test:") in front of two processes of
the release binary in production mode, sharing one PostgreSQL database. The
checks follow docs/DEPLOY.md's promises: HTTPS with HSTS, static files from
Nginx, the real client address, upload and rate limits, a stateless app,
health and readiness, graceful shutdown, JSON logs with request ids, backup
and restore.

Needs: target/ci-bin/nightcoder (the app image's binary), nginx, openssl, psql/pg_dump/pg_restore and
PostgreSQL on 127.0.0.1:5432 (.ci/run provides them all). Any failure exits
non-zero with the reason; nothing is skipped.
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from deploycheck import checks
from deploycheck.common import BIN, DB, PG_ADMIN, PORT_A, PORT_B, RESTORED, WORK, check, db_url, ok, procs
from deploycheck.stack import all_logs, log_lines, run_bin, start_app, start_nginx


def main() -> int:
    check(BIN.is_file(), f"{BIN} is missing: .ci/stack_test.py copies it out of the app image")
    for tool in ("nginx", "openssl", "psql", "pg_dump", "pg_restore"):
        check(shutil.which(tool) is not None, f"{tool} is not installed")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for name in (DB, RESTORED):
        subprocess.run(["psql", PG_ADMIN, "-qc", f"drop database if exists {name} with (force)"], check=True)
    subprocess.run(["psql", PG_ADMIN, "-qc", f"create database {DB}"], check=True)

    started = time.monotonic()
    migrate = run_bin("db", "migrate")
    check(migrate.returncode == 0, f"db migrate: {migrate.stdout} {migrate.stderr}")
    ok("migrations ran once as their own step (`nightcoder db migrate`, production config)")
    proc_a = start_app("a", PORT_A, db_url(DB))
    proc_b = start_app("b", PORT_B, db_url(DB))
    ok("two app processes (production config) answer /_health")
    start_nginx()

    checks.pages()
    checks.static()
    checks.two_apps()
    checks.page_cache()
    checks.client_ip()
    checks.body_limit()
    checks.rate_limits()
    checks.readiness()
    checks.graceful_shutdown(proc_b)
    checks.backup_restore()
    rss = next((int(l.split()[1]) // 1024 for l in Path(f"/proc/{proc_a.pid}/status").read_text().splitlines()
                if l.startswith("VmRSS:")), 0)
    ok(f"app process A uses {rss} MiB of memory after the checks")
    for name in ("a", "b", "c"):
        for line in log_lines(name):
            check(line.get("level") != "ERROR" or "readiness" in json.dumps(line)
                  or name == "c", f"unexpected error in app-{name}.log: {line}")
    ok(f"every app log line is JSON; no unexpected errors ({len(all_logs())} lines)")
    print(f"deployment checks passed in {time.monotonic() - started:.1f}s", flush=True)
    return 0


def cleanup() -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    for name in (DB, RESTORED):
        subprocess.run(["psql", PG_ADMIN, "-qc", f"drop database if exists {name} with (force)"],
                       capture_output=True)


if __name__ == "__main__":
    try:
        code = main()
    except AssertionError as err:
        print(f"\nDEPLOYMENT CHECK FAILED: {err}", file=sys.stderr)
        print(f"logs: {WORK}/app-*.log, {WORK}/nginx-*.log", file=sys.stderr)
        code = 1
    finally:
        cleanup()
    sys.exit(code)
