"""Settings, assertions and the database helpers shared by the checks."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# the binary of the app image (.ci/stack_test.py copies it out): the test
# runs exactly what the image runs
BIN = ROOT / "target/ci-bin/nightcoder"
WORK = ROOT / "target/deploy-test"
PG_HOST = "127.0.0.1"
PG_ADMIN = f"postgres://postgres@{PG_HOST}:5432/postgres"
DB, RESTORED = "nc_deploy", "nc_deploy_restored"
PORT_A, PORT_B, PORT_C = 15151, 15152, 15153
PROXY_PORT = 15499
HTTP_PORT, HTTPS_PORT = 18080, 18443
HOST = f"localhost:{HTTPS_PORT}"
PASSWORD = "deploy-check-passphrase-42"

procs: list[subprocess.Popen] = []
results: list[str] = []


def fail(msg: str) -> None:
    raise AssertionError(msg)


def check(cond: bool, msg: str) -> None:
    if not cond:
        fail(msg)


def ok(msg: str) -> None:
    results.append(msg)
    print(f"  ok  {msg}", flush=True)


def db_url(name: str, port: int = 5432) -> str:
    return f"postgres://postgres@{PG_HOST}:{port}/{name}"


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(
        ["psql", db_url(db), "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()
