"""A small browser over http.client: cookies, CSRF tokens, a chosen source address."""
from __future__ import annotations

import http.client
import re
import ssl
import time
import urllib.parse

from .common import HOST, HTTPS_PORT, PASSWORD, check, fail, psql


class Resp:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.body = status, body
        self.headers: dict[str, list[str]] = {}
        for k, v in headers:
            self.headers.setdefault(k.lower(), []).append(v)

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """A browser: cookies, CSRF tokens, a fixed source address."""

    def __init__(self, port: int, tls: bool, source: str = "127.0.0.1", host: str = "127.0.0.1",
                 host_header: str | None = None):
        self.port, self.tls, self.source, self.host = port, tls, source, host
        self.host_header = host_header
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Resp:
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(self.host, self.port, context=ctx,
                                               source_address=(self.source, 0), timeout=30)
        else:
            conn = http.client.HTTPConnection(self.host, self.port,
                                              source_address=(self.source, 0), timeout=30)
        h = {"Host": self.host_header or (HOST if self.tls else f"localhost:{self.port}")}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            resp = Resp(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        for raw in resp.headers.get("set-cookie", []):
            pair = raw.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if value == "" or "max-age=0" in raw.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        m = re.search(r'name="csrf_token" value="([^"]+)"', resp.text) if resp.body else None
        if m:
            self.token = m.group(1)
        return resp

    def get(self, path: str, headers: dict[str, str] | None = None) -> Resp:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> Resp:
        if self.token is None:
            # the login form has a token for visitors; members are sent away
            # from it, so take one from a members' page
            self.get("/login")
            if self.token is None:
                self.get("/settings/password")
        data = urllib.parse.urlencode({"csrf_token": self.token or "", **fields}).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=data, headers=h)

    def register(self, name: str) -> None:
        """Registers, confirms the address (the mail would go to a real
        inbox; here the row is updated as the link would) and logs in."""
        self.get("/register")
        r = self.post("/register", {"username": name, "email": f"{name}@example.org",
                                     "password": PASSWORD, "password_confirm": PASSWORD})
        check(r.status == 303, f"register {name}: {r.status} {r.text[:300]}")
        psql(f"update users set email_confirmed_at = now() where username = '{name}'")
        self.login(name)

    def login(self, name: str, password: str = PASSWORD) -> None:
        self.token = None
        self.get("/login")
        r = self.post("/login", {"login": name, "password": password})
        check(r.status == 303, f"login {name}: {r.status}")
        self.token = None

    def share_session(self, other: "Client") -> None:
        self.cookies = dict(other.cookies)
        self.token = None


def nginx() -> Client:
    return Client(HTTPS_PORT, tls=True)


def app(port: int) -> Client:
    return Client(port, tls=False)


def wait_for(url_port: int, path: str, want: int, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if app(url_port).get(path).status == want:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    fail(f"127.0.0.1:{url_port}{path} did not answer {want} within {seconds}s")
    return 0.0
