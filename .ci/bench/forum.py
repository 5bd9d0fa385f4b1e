"""Helpers the benchmark scripts share: start the release binary, a small
browser (cookies, CSRF token, forms), and the process's memory.

Nothing here builds anything: point NC_BIN at a release binary (default
target/release/nightcoder) and run from the repository root.
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(os.environ.get("NC_BIN", ROOT / "target/release/nightcoder"))
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Server:
    """The forum on `port`, on a database of its own (SQLite file unless
    `database_url` names another), stopped with `stop()`."""

    def __init__(self, port: int, env: dict[str, str] | None = None,
                 database_url: str | None = None, cwd: Path = ROOT,
                 mode: str = "development", log: Path | None = None):
        self.port = port
        self.tmp = tempfile.mkdtemp(prefix="nc-bench-")
        url = database_url or f"sqlite://{self.tmp}/bench.sqlite?mode=rwc"
        full = dict(os.environ, LOCO_ENV=mode, PORT=str(port), BINDING="127.0.0.1",
                    DATABASE_URL=url, UPLOADS_DIR=f"{self.tmp}/uploads",
                    PUBLIC_URL=f"http://127.0.0.1:{port}", DB_AUTO_MIGRATE="true",
                    LOG_LEVEL="warn")
        full.update(env or {})
        self.log_path = log or Path(self.tmp) / "server.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(BIN), "start", "--no-banner"], cwd=cwd, env=full,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/_health")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def rss_mib(self) -> float:
        return status_kib(self.proc.pid, "VmRSS") / 1024

    def peak_mib(self) -> float:
        return status_kib(self.proc.pid, "VmHWM") / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Browser:
    """One client: a cookie jar and the CSRF token of the last page."""

    def __init__(self, port: int, forwarded_for: str | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token: str | None = None
        self.forwarded_for = forwarded_for

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.forwarded_for:
            h["X-Forwarded-For"] = self.forwarded_for
        h.update(extra or {})
        return h

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request(method, path, body=body, headers=self._headers(headers))
        r = c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, value = v.split(";")[0].partition("=")
                if "max-age=0" in v.lower() or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        text = data.decode("utf-8", "replace")
        m = TOKEN_RE.search(text)
        if m:
            self.token = m.group(1)
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), text

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None):
        if self.token is None:
            self.get("/login")
        body = urllib.parse.urlencode({"csrf_token": self.token or "", **fields}).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def post_multipart(self, path: str, fields: dict[str, str],
                       files: dict[str, tuple[str, bytes, str]]):
        boundary = uuid.uuid4().hex
        parts = [("csrf_token", self.token or "")] + list(fields.items())
        body = b""
        for name, value in parts:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        for name, (filename, data, ctype) in files.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                     f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body=body,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, login: str, password: str) -> None:
        self.get("/login")
        status, _, text = self.post("/login", {"login": login, "password": password})
        assert status == 303, f"login {login}: {status} {text[:300]}"
        self.token = None
        self.get("/settings/password")


DEMO_PASSWORD = "nightcoder-demo"
