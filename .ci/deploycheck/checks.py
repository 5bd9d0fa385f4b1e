"""The checks, one function per promise of docs/DEPLOY.md."""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .browser import Client, app, nginx, wait_for
from .common import (DB, HTTP_PORT, HTTPS_PORT, PG_ADMIN, PORT_A, PORT_B, PORT_C, PROXY_PORT,
                     RESTORED, ROOT, WORK, check, db_url, fail, ok, psql)
from .stack import TcpProxy, all_logs, run_bin, start_app


def pages() -> None:
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


def static() -> None:
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


def client_ip() -> None:
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


def body_limit() -> None:
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


def rate_limits() -> None:
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


def two_apps() -> None:
    # one account, logged in through process A, is logged in on process B
    a = app(PORT_A)
    a.register("deployer")
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
        # new accounts are limited per client address: one address each
        c = Client(PORT_A if i % 2 else PORT_B, tls=False, source=f"127.0.2.{i + 1}")
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


def page_cache() -> None:
    """Anonymous pages come from each process's cache; a write through A is
    seen at once on A and within a second on B."""
    writer = Client(PORT_A, tls=False, source="127.0.3.1")
    writer.register("cachewriter")
    writer.get("/questions/new")
    q = writer.post("/questions", {"title": "Do both processes forget their cached pages?",
                                   "body": "A write through one process must reach the other's visitors.",
                                   "tags": "deploy"})
    check(q.status == 303, f"question created: {q.status} {q.text[:300]}")
    path = urllib.parse.urlparse(q.header("location") or "").path
    time.sleep(0.6)  # the question's own write has reached B's cache by now
    for port in (PORT_A, PORT_B):
        Client(port, tls=False).get(path)
        r = Client(port, tls=False).get(path)
        check(r.status == 200 and r.header("x-page-cache") == "hit",
              f"second anonymous read on {port} is a cache hit: {r.header('x-page-cache')}")
    helper = Client(PORT_A, tls=False, source="127.0.3.2")
    helper.register("cachehelper")
    helper.get(path)
    text = "Each process bumps the shared generation after a write and polls it."
    r = helper.post(f"{path.rsplit('/', 1)[0]}/answers", {"body": text})
    check(r.status == 303, f"answer posted: {r.status} {r.text[:300]}")
    written = time.monotonic()
    check(text in Client(PORT_A, tls=False).get(path).text, "the writer's process shows it at once")
    while text not in Client(PORT_B, tls=False).get(path).text:
        check(time.monotonic() - written < 1.0, "process B still served the old page after 1 s")
        time.sleep(0.02)
    seen = time.monotonic() - written
    member = Client(PORT_B, tls=False)
    member.share_session(writer)
    r = member.get(path)
    check(r.header("x-page-cache") is None and "cachewriter" in r.text,
          "a signed-in reader is never served the anonymous page")
    ok(f"anonymous page cache: hits on A and B, a write through A seen on B after {seen * 1000:.0f} ms, "
       "signed-in readers bypass it")


def readiness() -> None:
    proxy = TcpProxy(PROXY_PORT, 5432)
    proxy.start()
    start_app("c", PORT_C, db_url(DB, PROXY_PORT))
    check(app(PORT_C).get("/_readiness").status == 200, "ready with the database up")
    proxy.stop()
    down = wait_for(PORT_C, "/_readiness", 503, 20)
    check(app(PORT_C).get("/_health").status == 200, "/_health stays 200: the process lives")
    page = app(PORT_C).get("/questions")
    check(page.status == 503 and page.header("retry-after") and "Temporarily unavailable" in page.text,
          f"a page without a database is a 503 page with Retry-After: {page.status}")
    proxy.start()
    up = wait_for(PORT_C, "/_readiness", 200, 30)
    # pages answer 503 at once for a second after the last failure, then
    # ask the database again
    pages_up = wait_for(PORT_C, "/questions", 200, 10)
    proxy.stop()
    ok(f"readiness: 503 {down:.1f}s after the database went away (pages too, with Retry-After), "
       f"/_health still 200, 200 again {up:.1f}s after it came back (pages {pages_up:.1f}s later)")


def graceful_shutdown(proc_b: subprocess.Popen) -> None:
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


def backup_restore() -> None:
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
