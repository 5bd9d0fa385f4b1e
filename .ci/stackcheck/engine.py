"""A Docker engine of our own for the run: started here, stopped here.

dockerd listens on a private unix socket only, keeps its images and build
cache under target/ci-docker (kept between local runs, like target/), and
changes no firewall rules (--iptables=false): builds use the host's network,
containers talk over compose's bridges, and published ports are bound to
127.0.0.1 by the userland proxy. Stopping it removes the bridges it made.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from deploycheck.common import ROOT, check, ok

DATA = ROOT / "target/ci-docker/data"
EXEC = Path("/tmp/nc-ci-docker")
SOCK = EXEC / "docker.sock"
PIDFILE = EXEC / "dockerd.pid"
LOG = ROOT / "target/ci-docker/dockerd.log"
# Debian's CLI (docker.io) knows DOCKER_BUILDKIT=1 without the buildx plugin
DOCKER = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker"
ENV = dict(os.environ, DOCKER_HOST=f"unix://{SOCK}", DOCKER_BUILDKIT="1",
           COMPOSE_DOCKER_CLI_BUILD="1")

_proc: subprocess.Popen | None = None


def docker(*args: str, check_ok: bool = True, capture: bool = True, timeout: float | None = None,
           stdin: bytes | None = None) -> subprocess.CompletedProcess:
    r = subprocess.run([DOCKER, *args], env=ENV, capture_output=capture, timeout=timeout,
                       input=stdin)
    if check_ok and r.returncode != 0:
        err = (r.stderr or b"").decode(errors="replace")[-3000:]
        raise AssertionError(f"docker {' '.join(args)} failed ({r.returncode}):\n{err}")
    return r


def out(*args: str) -> str:
    return docker(*args).stdout.decode().strip()


def inspect(obj: str) -> dict:
    return json.loads(out("inspect", obj))[0]


def bridges() -> set[str]:
    names = os.listdir("/sys/class/net")
    return {n for n in names if n.startswith(("br-", "docker", "veth"))}


def start() -> None:
    global _proc
    for tool in ("dockerd", "containerd", "runc", "docker-compose", "mmdebstrap"):
        check(shutil.which(tool) is not None, f"{tool} is not installed")
    stop_stale()
    EXEC.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    before = bridges()
    log = LOG.open("w")
    _proc = subprocess.Popen(
        ["dockerd", f"--data-root={DATA}", f"--exec-root={EXEC}", f"--pidfile={PIDFILE}",
         f"--host=unix://{SOCK}", "--iptables=false", "--ip-masq=false", "--bridge=none",
         "--userland-proxy=true", "--log-level=warn"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(120):
        if SOCK.exists() and docker("version", check_ok=False).returncode == 0:
            break
        check(_proc.poll() is None, f"dockerd exited: {LOG.read_text()[-2000:]}")
        time.sleep(0.5)
    else:
        raise AssertionError(f"dockerd did not answer within 60 s: {LOG.read_text()[-2000:]}")
    server = out("version", "--format", "{{.Server.Version}}")
    # containers of an interrupted run come back with the engine: gone
    leftovers = out("ps", "-aq").split()
    if leftovers:
        docker("rm", "-f", *leftovers, check_ok=False)
    docker("network", "prune", "-f", check_ok=False)
    check(not {n for n in bridges() - before if n.startswith("br-")},
          f"dockerd made network interfaces: {bridges() - before}")
    ok(f"Docker engine {server} (pid {_proc.pid}) on a private socket, no firewall changes")


def stop_stale() -> None:
    """A dockerd left by an interrupted run: stopped first."""
    if PIDFILE.exists():
        try:
            os.kill(int(PIDFILE.read_text().strip()), signal.SIGTERM)
            time.sleep(3)
        except (ProcessLookupError, ValueError):
            pass
        PIDFILE.unlink(missing_ok=True)


def stop() -> None:
    global _proc
    if _proc is None:
        return
    # containers first, so their bridges and proxies go with them
    ids = out("ps", "-aq").split() if _proc.poll() is None else []
    if ids:
        docker("rm", "-f", *ids, check_ok=False)
    docker("network", "prune", "-f", check_ok=False)
    _proc.send_signal(signal.SIGTERM)
    try:
        _proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _proc.kill()
        _proc.wait()
    _proc = None
    for name in bridges():
        if name.startswith("br-"):
            subprocess.run(["ip", "link", "delete", name], capture_output=True)
    shutil.rmtree(EXEC, ignore_errors=True)
    left = {n for n in bridges() if n.startswith("br-")}
    check(not left, f"network interfaces left behind: {left}")
    ok("Docker engine stopped; its bridges and runtime files are gone")
