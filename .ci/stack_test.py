#!/usr/bin/env python3
"""The Docker deployment, built and run for real.

A Docker engine of our own (started and stopped here), local stand-ins for
the official base images (.ci/images), then the repository's Dockerfile
built with BuildKit and deploy/docker-compose.yml run with docker-compose:
https, static files from Nginx, rate limits, the client address, a session
and exact votes across two app replicas, SIGTERM, backup and restore, down
and up. Then the upgrade: a stack of the previous release with data in it
is moved to this build, and rolled back (.ci/stackcheck/upgrade.py).

Writes the app binary of the image to target/ci-bin/nightcoder for the
loopback deployment test and the browser suite. Any failure exits non-zero;
nothing is skipped.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploycheck.common import ROOT, ok  # noqa: E402
from stackcheck import checks, engine, images, upgrade  # noqa: E402
from stackcheck.stack import Stack  # noqa: E402

BIN = ROOT / "target/ci-bin/nightcoder"


def extract_binary(tag: str) -> None:
    cid = engine.out("create", f"{images.APP}:{tag}")
    try:
        BIN.parent.mkdir(parents=True, exist_ok=True)
        engine.docker("cp", f"{cid}:/app/nightcoder", str(BIN))
    finally:
        engine.docker("rm", cid, check_ok=False)
    os.chmod(BIN, 0o755)
    ok(f"the image's binary copied to {BIN.relative_to(ROOT)} for the loopback and browser tests")


def main() -> int:
    started = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        timings[name] = time.monotonic() - since
        return time.monotonic()

    t = time.monotonic()
    engine.start()
    images.standins()
    t = lap("engine and base images", t)
    built = images.ours("ci")
    ok(f"images built from the Dockerfile with BuildKit: app {built['app']:.0f}s, web {built['web']:.0f}s")
    t = lap("app and web images", t)
    checks.image("ci")
    extract_binary("ci")

    stack = Stack("ncci", "ci")
    stack.prepare()
    stack.down(volumes=True)
    try:
        took = stack.up("--scale", "app=2")
        checks.started(stack, took)
        checks.https(stack)
        checks.rate_limit_and_client_address(stack)
        checks.replicas_and_votes(stack)
        checks.sigterm(stack)
        checks.backup_restore(stack)
        checks.down_up(stack)
    finally:
        stack.down(volumes=True)
    t = lap("stack checks", t)
    upgrade.run()
    lap("upgrade and rollback", t)
    summary = ", ".join(f"{k} {v:.0f}s" for k, v in timings.items())
    print(f"stack checks passed in {time.monotonic() - started:.0f}s ({summary})", flush=True)
    return 0


if __name__ == "__main__":
    code = 1
    try:
        code = main()
    except Exception:  # noqa: BLE001 - report and fail
        traceback.print_exc()
    finally:
        try:
            engine.stop()
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            code = 1
        shutil.rmtree(ROOT / "target/ci-docker/ncci", ignore_errors=True)
    sys.exit(code)
