#!/usr/bin/env python3
"""The deployment, run for real on loopback.

Debian's nginx runs the repository's own config (deploy/nginx, ports and
paths rewritten on the lines marked "# test:") in front of two processes of
the release binary in production mode, sharing one PostgreSQL database. The
checks follow docs/DEPLOY.md's promises: HTTPS with HSTS, static files from
Nginx, the real client address, upload and rate limits, a stateless app,
health and readiness, graceful shutdown, JSON logs with request ids, backup
and restore.

Needs: target/release/nightcoder, nginx, openssl, psql/pg_dump/pg_restore and
PostgreSQL on 127.0.0.1:5432 (.ci/run provides them all). Any failure exits
non-zero with the reason; nothing is skipped.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/nightcoder"
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


# --------------------------------------------------------------------- HTTP


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

    def __init__(self, port: int, tls: bool, source: str = "127.0.0.1"):
        self.port, self.tls, self.source = port, tls, source
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Resp:
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx,
                                               source_address=(self.source, 0), timeout=30)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                              source_address=(self.source, 0), timeout=30)
        h = {"Host": HOST if self.tls else f"localhost:{self.port}"}
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
        self.get("/register")
        r = self.post("/register", {"username": name, "email": f"{name}@example.org",
                                     "password": PASSWORD, "password_confirm": PASSWORD})
        check(r.status == 303, f"register {name}: {r.status} {r.text[:300]}")
        self.token = None

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


# ------------------------------------------------------------- processes


def app_env(port: int, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "LOCO_"))}
    env.update({
        "LOCO_ENV": "production",
        "DATABASE_URL": database,
        "PORT": str(port),
        "BINDING": "127.0.0.1",
        "PUBLIC_URL": f"https://{HOST}",
        "UPLOADS_DIR": str(WORK / "uploads"),
        "LOG_LEVEL": "info",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": "1",
        "NIGHTCODER_ADMIN_PASSWORD": PASSWORD,
    })
    return env


def start_app(name: str, port: int, database: str) -> subprocess.Popen:
    log = open(WORK / f"app-{name}.log", "wb")
    p = subprocess.Popen([str(BIN), "start", "--no-banner"], cwd=ROOT, env=app_env(port, database),
                         stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    wait_for(port, "/_health", 200, 60)
    return p


def run_bin(*args: str, database: str = db_url(DB)) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], cwd=ROOT, env=app_env(0, database),
                          capture_output=True, text=True, timeout=300)


def log_lines(name: str) -> list[dict]:
    lines = []
    for raw in (WORK / f"app-{name}.log").read_text(errors="replace").splitlines():
        if not raw.strip():
            continue
        try:
            lines.append(json.loads(raw))
        except json.JSONDecodeError:
            fail(f"app-{name}.log has a line that is not JSON: {raw[:200]}")
    return lines


def all_logs() -> list[dict]:
    return [line for name in ("a", "b", "c") if (WORK / f"app-{name}.log").exists()
            for line in log_lines(name)]


class TcpProxy:
    """A cable to PostgreSQL that the test can pull out and plug back in."""

    def __init__(self, listen: int, target: int):
        self.listen, self.target = listen, target
        self.server: socket.socket | None = None
        self.conns: list[socket.socket] = []

    def start(self) -> None:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.listen))
        srv.listen(64)
        self.server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def _accept(self, srv: socket.socket) -> None:
        while True:
            try:
                client, _ = srv.accept()
            except OSError:
                return
            upstream = socket.create_connection((PG_HOST, self.target))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        if self.server:
            self.server.close()
            self.server = None
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.conns = []


# ------------------------------------------------------------------ nginx


def render_nginx() -> Path:
    """The repo's template with test ports and paths on the marked lines."""
    static = ROOT / "assets/static"
    snippets = ROOT / "deploy/nginx/snippets"
    replace = {
        "upstreams": f"    server 127.0.0.1:{PORT_A} max_fails=1 fail_timeout=5s;\n"
                     f"    server 127.0.0.1:{PORT_B} max_fails=1 fail_timeout=5s;",
        "http": f"    listen 127.0.0.1:{HTTP_PORT};",
        "drop": "",
        "https": f"    listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "https-redirect": f"        return 301 https://$host:{HTTPS_PORT}$request_uri;",
        "cert": f"    ssl_certificate     {WORK}/tls/cert.pem;",
        "key": f"    ssl_certificate_key {WORK}/tls/key.pem;",
        "errors-alias": f"        alias {static}/errors/;",
        "static-parent": f"        root {static.parent};",
        "favicon-root": f"        root {static}/img;",
    }
    out = []
    template = (ROOT / "deploy/nginx/templates/nightcoder.conf.template").read_text()
    for line in template.splitlines():
        m = re.search(r"# test: ([a-z-]+)$", line)
        if m and m.group(1) == "snippets":
            line = line.replace("/etc/nginx/snippets", str(snippets))
        elif m:
            check(m.group(1) in replace, f"unknown test marker {m.group(1)}")
            line = replace[m.group(1)]
        out.append(line.replace("${NC_DOMAIN}", "localhost"))
    site = WORK / "nightcoder.conf"
    site.write_text("\n".join(out) + "\n")
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (WORK / "tmp" / d).mkdir(parents=True, exist_ok=True)
    main = WORK / "nginx.conf"
    main.write_text(f"""
worker_processes 1;
daemon off;
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {WORK}/nginx-access.log;
    client_body_temp_path {WORK}/tmp/body;
    proxy_temp_path {WORK}/tmp/proxy;
    fastcgi_temp_path {WORK}/tmp/fastcgi;
    uwsgi_temp_path {WORK}/tmp/uwsgi;
    scgi_temp_path {WORK}/tmp/scgi;
    include {site};
}}
""")
    return main


def start_nginx() -> None:
    (WORK / "tls").mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(WORK / "tls/key.pem"),
                    "-out", str(WORK / "tls/cert.pem")], check=True, capture_output=True)
    conf = render_nginx()
    errlog = str(WORK / "nginx-error.log")
    t = subprocess.run(["nginx", "-t", "-e", errlog, "-c", str(conf), "-p", str(WORK)],
                       capture_output=True, text=True)
    check(t.returncode == 0, f"nginx -t refuses the config:\n{t.stderr}")
    p = subprocess.Popen(["nginx", "-e", errlog, "-c", str(conf), "-p", str(WORK)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", HTTPS_PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    ok(f"nginx {nginx_version()} accepts the repository's config (nginx -t) and listens")


def nginx_version() -> str:
    return subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]


# ----------------------------------------------------------------- checks


def check_pages() -> None:
    r = Client(HTTP_PORT, tls=False).get("/questions?sort=newest")
    check(r.status == 301, f"http → https redirect: {r.status}")
    check(r.header("location") == f"https://localhost:{HTTPS_PORT}/questions?sort=newest",
          f"redirect target {r.header('location')}")
    r = Client(HTTP_PORT, tls=False).get("/.well-known/acme-challenge/missing")
    check(r.status == 404, "ACME challenges are served from the webroot, not redirected")
    c = nginx()
    r = c.get("/")
    check(r.status == 200 and "NightCoder" in r.text, f"home page through nginx: {r.status}")
    check(r.header("strict-transport-security") == "max-age=31536000; includeSubDomains", "HSTS")
    check(r.header("server") == "nginx", f"server_tokens off: {r.header('server')}")
    check(r.header("x-request-id") is not None, "the app's request id reaches the client")
    check("content-security-policy" in r.headers, "the app's security headers pass through")
    ru = c.get("/questions", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    check(ru.status == 200 and 'lang="ru"' in ru.text, "Russian through nginx")
    check(c.get("/no/such/page").status == 404, "404 from the app through nginx")
    gz = c.get("/", headers={"Accept-Encoding": "gzip"})
    check(gz.header("content-encoding") == "gzip", "HTML is gzipped")
    ok("pages: http→https 301, HTTPS 200 in EN/RU, HSTS, 'Server: nginx' without version, gzip")


def check_static() -> None:
    home = nginx().get("/").text
    m = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', home)
    check(m is not None, "the home page links the stylesheet with a version")
    url = m.group(1)
    via_nginx = nginx().get(url, headers={"Accept-Encoding": "identity"})
    check(via_nginx.status == 200, f"static via nginx: {via_nginx.status}")
    check(via_nginx.header("cache-control") == "public, max-age=31536000, immutable",
          f"cache header: {via_nginx.header('cache-control')}")
    check(via_nginx.header("x-request-id") is None, "nginx served it, not the app")
    check(via_nginx.header("strict-transport-security") is not None, "HSTS on static files too")
    direct = app(PORT_A).get(url)
    on_disk = (ROOT / "assets/static/css/site.css").read_bytes()
    digest = {hashlib.sha256(b).hexdigest() for b in (via_nginx.body, direct.body, on_disk)}
    check(len(digest) == 1, "nginx, the app and the disk serve the same bytes")
    gz = nginx().get("/static/vendor/bootstrap/bootstrap.min.css", headers={"Accept-Encoding": "gzip"})
    check(gz.status == 200 and gz.header("content-encoding") == "gzip", "CSS is gzipped")
    check(nginx().get("/static/nope.css").status == 404, "missing static file: 404")
    fav = nginx().get("/favicon.ico")
    check(fav.status == 200 and fav.header("x-request-id") is None, "favicon from nginx")
    ok(f"static: {url} from nginx, 1-year immutable cache, same sha256 as the app and the disk, gzip")


def check_client_ip() -> None:
    c = Client(HTTPS_PORT, tls=True, source="127.0.0.2")
    c.get("/login")
    r = c.post("/login", {"login": "ip-probe", "password": "not the password at all"},
               headers={"X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.66"})
    check(r.status == 422, f"failed login answers 422: {r.status}")
    rid = r.header("x-request-id")
    time.sleep(0.3)
    lines = [l for l in all_logs() if l.get("fields", {}).get("login") == "ip-probe"]
    check(lines, "the failed login is logged")
    line = lines[-1]
    check(line["fields"].get("ip") == "127.0.0.2",
          f"the app logs the real client address, not a forged one: {line['fields']}")
    spans = json.dumps(line.get("spans", [])) + json.dumps(line.get("span", {}))
    check(rid is not None and rid in spans, "the log line carries the request id sent to the client")
    ok("client address: a forged X-Forwarded-For is ignored, the app logs 127.0.0.2 with the request id")


def check_body_limit() -> None:
    c = nginx()
    c.login("deployer")
    big = b"x" * (3 * 1024 * 1024)
    r = c.request("POST", "/settings/avatar", body=big,
                  headers={"Content-Type": "application/octet-stream"})
    check(r.status == 413, f"3 MiB upload: {r.status}")
    check("Too large" in r.text and "Слишком большой" in r.text, "our bilingual 413 page")
    small = c.request("POST", "/settings/avatar", body=b"x" * (1024 * 1024),
                      headers={"Content-Type": "application/octet-stream"})
    check(small.status != 413, "1 MiB passes nginx and is judged by the app")
    direct = app(PORT_A).request("POST", "/login", body=b"x" * (3 * 1024 * 1024),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(direct.status == 413, f"the app's own limit matches: {direct.status}")
    ok("body limit: 3 MiB refused by nginx with 413 (own page), 1 MiB passes, the app agrees at 2 MiB")


def check_rate_limits() -> None:
    c = Client(HTTPS_PORT, tls=True, source="127.0.0.3")
    c.get("/login")
    statuses = [c.post("/login", {"login": "sprayer", "password": "guess number one"}).status
                for _ in range(12)]
    check(statuses[:5] == [422] * 5, f"the first logins reach the app: {statuses}")
    check(statuses.count(429) >= 5, f"then 429: {statuses}")
    r = c.post("/login", {"login": "sprayer", "password": "again"})
    check(r.status == 429 and "Too many requests" in r.text, "the 429 page is ours")
    check(c.get("/login").status == 200, "GETs are not limited")
    other = Client(HTTPS_PORT, tls=True, source="127.0.0.4")
    other.get("/")
    posts = [other.post("/lang", {"lang": "en", "next": "/"}).status for _ in range(40)]
    check(posts.count(429) > 0 and posts[0] == 303, f"POST limit: {posts}")
    ok(f"rate limits: login {statuses.count(429)}/12 refused with 429 after the burst; "
       f"other POSTs {posts.count(429)}/40 refused; other addresses unaffected")


def check_two_apps() -> None:
    # one account, logged in through process A, is logged in on process B
    a = app(PORT_A)
    a.register("deployer")  # registering logs in
    b = app(PORT_B)
    b.share_session(a)
    r = b.get("/settings/profile")
    check(r.status == 200 and "deployer" in r.text, f"the session from A works on B: {r.status}")
    via = nginx()
    via.share_session(a)
    check(via.get("/settings/profile").status == 200, "and through nginx")
    b.post("/logout", {})
    check(a.get("/settings/profile").status == 303, "logging out on B logs out on A")

    # votes through both processes (and nginx) add up
    boss = run_bin("task", "user:admin", "username:boss", "email:boss@example.org")
    check(boss.returncode == 0, f"user:admin: {boss.stderr}")
    admin = app(PORT_B)
    admin.login("boss")
    author = app(PORT_A)
    author.register("author")
    author.get("/questions/new")
    q = author.post("/questions", {"title": "Does the vote count survive two processes?",
                                   "body": "Two app processes share one database; votes should add up exactly.",
                                   "tags": "deploy"})
    check(q.status == 303, f"question created: {q.status} {q.text[:300]}")
    qid = int(re.search(r"/questions/(\d+)", q.header("location") or "").group(1))

    voters = [f"voter{i}" for i in range(12)]
    for i, name in enumerate(voters):
        c = app(PORT_A if i % 2 else PORT_B)
        c.register(name)
        uid = psql(f"select id from users where username = '{name}'")
        r = admin.post(f"/admin/users/{uid}/reputation", {"delta": "20", "reason": "deploy test"})
        check(r.status == 303, f"admin grant: {r.status}")

    def vote(i: int) -> int:
        # a third through each process directly, a third through nginx
        # (each voter from their own address, as real users are)
        c = [app(PORT_A), app(PORT_B), Client(HTTPS_PORT, tls=True, source=f"127.0.1.{i + 1}")][i % 3]
        c.login(voters[i])
        c.get(f"/questions/{qid}")
        return c.post(f"/questions/{qid}/vote", {"direction": "up"}).status

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(vote, range(len(voters))))
    took = time.monotonic() - start
    check(statuses == [303] * len(voters), f"every vote accepted: {statuses}")
    score = int(psql(f"select score from questions where id = {qid}"))
    rep = int(psql("select reputation from users where username = 'author'"))
    check(score == len(voters), f"score {score} != {len(voters)}")
    check(rep == 1 + 5 * len(voters), f"author reputation {rep} != {1 + 5 * len(voters)}")
    verify = run_bin("task", "reputation:verify")
    check(verify.returncode == 0, f"reputation:verify: {verify.stdout} {verify.stderr}")
    ok(f"stateless: a session from A works on B and via nginx, logout on B ends it on A; "
       f"{len(voters)} concurrent votes via A, B and nginx → score {score}, reputation {rep}, "
       f"ledger verified ({took:.2f}s)")


def check_readiness() -> None:
    proxy = TcpProxy(PROXY_PORT, 5432)
    proxy.start()
    start_app("c", PORT_C, db_url(DB, PROXY_PORT))
    check(app(PORT_C).get("/_readiness").status == 200, "ready with the database up")
    proxy.stop()
    down = wait_for(PORT_C, "/_readiness", 503, 20)
    check(app(PORT_C).get("/_health").status == 200, "/_health stays 200: the process lives")
    page = app(PORT_C).get("/questions")
    check(page.status in (500, 503), f"a page without a database is an error page, not a hang: {page.status}")
    proxy.start()
    up = wait_for(PORT_C, "/_readiness", 200, 30)
    check(app(PORT_C).get("/questions").status == 200, "pages work again")
    proxy.stop()
    ok(f"readiness: 503 {down:.1f}s after the database went away, /_health still 200, "
       f"200 again {up:.1f}s after it came back")


def check_graceful_shutdown(proc_b: subprocess.Popen) -> None:
    body = urllib.parse.urlencode({"login": "slow", "password": "p" * 20000}).encode()
    s = socket.create_connection(("127.0.0.1", PORT_B))
    s.sendall(b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n"
              + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:100])
    time.sleep(0.5)
    proc_b.send_signal(signal.SIGTERM)
    time.sleep(1.0)
    try:
        socket.create_connection(("127.0.0.1", PORT_B), timeout=1).close()
        fail("a stopping process still accepts new connections")
    except ConnectionRefusedError:
        pass
    s.setblocking(False)
    try:
        early = s.recv(1)
        fail(f"answered before the request was complete: {early!r}")
    except BlockingIOError:
        pass
    s.setblocking(True)
    s.settimeout(10)
    s.sendall(body[100:])
    reply = b""
    while not reply.endswith(b"\r\n\r\n") and b"\r\n\r\n" not in reply:
        chunk = s.recv(4096)
        if not chunk:
            break
        reply += chunk
    s.close()
    check(reply.startswith(b"HTTP/1.1 "), f"the in-flight request got its answer: {reply[:80]!r}")
    code = proc_b.wait(timeout=20)
    check(code == 0, f"clean exit after SIGTERM: {code}")
    statuses = [nginx().get("/").status for _ in range(6)]
    check(statuses == [200] * 6, f"nginx routes around the stopped process: {statuses}")
    ok(f"graceful shutdown: SIGTERM mid-upload closes the listener, finishes the request "
       f"({reply.split(b' ')[1].decode()}), exits 0; nginx keeps serving from A")


def check_backup_restore() -> None:
    env = dict(os.environ, DATABASE_URL=db_url(DB), KEEP="2")
    backups = WORK / "backups"
    out = subprocess.run([str(ROOT / "deploy/backup.sh"), str(backups)], env=env,
                         capture_output=True, text=True)
    check(out.returncode == 0, f"backup.sh: {out.stderr}")
    dump = Path(out.stdout.strip().splitlines()[-1])
    check(dump.is_file() and dump.stat().st_size > 0, "a dump file")
    size_kib = dump.stat().st_size // 1024
    tables = ["users", "questions", "answers", "votes", "reputation_events", "audit_logs", "sessions"]
    before = {t: psql(f"select count(*) from {t}") for t in tables}
    subprocess.run(["psql", PG_ADMIN, "-qc", f"drop database if exists {RESTORED} with (force)"], check=True)
    subprocess.run(["psql", PG_ADMIN, "-qc", f"create database {RESTORED}"], check=True)
    for attempt in (1, 2):  # the second restores over a full database
        env = dict(os.environ, DATABASE_URL=db_url(RESTORED))
        r = subprocess.run([str(ROOT / "deploy/restore.sh"), str(dump)], env=env,
                           capture_output=True, text=True)
        check(r.returncode == 0, f"restore.sh (run {attempt}): {r.stderr}")
    after = {t: psql(f"select count(*) from {t}", RESTORED) for t in tables}
    check(before == after, f"row counts differ: {before} vs {after}")
    verify = run_bin("task", "reputation:verify", database=db_url(RESTORED))
    check(verify.returncode == 0, f"verify on the restored copy: {verify.stderr}")
    guard = subprocess.run(["psql", db_url(RESTORED), "-qc", "delete from audit_logs"],
                           capture_output=True, text=True)
    check(guard.returncode != 0 and "append-only" in guard.stderr, "the audit guard came back too")
    for _ in range(3):
        time.sleep(1.1)  # distinct timestamps
        subprocess.run([str(ROOT / "deploy/backup.sh"), str(backups)],
                       env=dict(os.environ, DATABASE_URL=db_url(DB), KEEP="2"), check=True,
                       capture_output=True)
    kept = sorted(backups.glob("nightcoder-*.dump"))
    check(len(kept) == 2, f"KEEP=2 keeps two dumps: {kept}")
    ok(f"backup/restore: {size_kib} KiB dump, restored twice into a fresh database, "
       f"counts equal {after}, ledger verified, append-only guard intact, rotation keeps 2")


# ------------------------------------------------------------------- main


def main() -> int:
    check(BIN.is_file(), f"{BIN} is missing: cargo build --release --locked --bin nightcoder")
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

    check_pages()
    check_static()
    check_two_apps()
    check_client_ip()
    check_body_limit()
    check_rate_limits()
    check_readiness()
    check_graceful_shutdown(proc_b)
    check_backup_restore()
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
