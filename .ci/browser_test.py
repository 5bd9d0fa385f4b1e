#!/usr/bin/env python3
"""The browser suite: Debian's Chromium (headless) against the release binary
behind the repository's Nginx config, with the demo data.

Installs what is missing (chromium, node's packages pinned in
.ci/browser/package-lock.json into target/ci-tools/browser), starts
PostgreSQL's database, two app processes (the image's binary,
production settings) and Nginx, then runs .ci/browser/check.mjs: every page
of the URL map at 1366 and 390 pixels in both languages, anonymous and
signed in (overflow, console errors, CSP, axe-core), the flows only a
browser shows, and Lighthouse. Screenshots go to ci-artifacts/screenshots.
Any failure exits non-zero; nothing is skipped.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploycheck import common  # noqa: E402
from deploycheck.common import PORT_A, PORT_B, ROOT, check, ok, procs  # noqa: E402

DB = "nc_browser"
common.DB = DB  # the helpers below talk to this database
from deploycheck.stack import run_bin, start_app, start_nginx  # noqa: E402

TOOLS = ROOT / "target/ci-tools/browser"
ARTIFACTS = ROOT / "ci-artifacts"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "nightcoder-demo"
HOOK_PORT = 15498


def db_url() -> str:
    return common.db_url(DB)


def psql(sql: str) -> str:
    return subprocess.run(["psql", db_url(), "-Atqc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def ensure_tools() -> None:
    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    check(Path(CHROMIUM).exists(), "chromium could not be installed")
    if shutil.which("npm") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "nodejs", "npm"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    check(shutil.which("node") is not None and shutil.which("npm") is not None, "node and npm are needed")
    lock = (ROOT / ".ci/browser/package-lock.json").read_bytes()
    stamp = TOOLS / ".lock-sha256"
    digest = hashlib.sha256(lock).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        TOOLS.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(ROOT / ".ci/browser" / name, TOOLS / name)
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOLS,
                           capture_output=True, text=True)
        check(r.returncode == 0, f"npm ci: {r.stderr[-2000:]}")
        stamp.write_text(digest)
    shutil.copy2(ROOT / ".ci/browser/check.mjs", TOOLS / "check.mjs")
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    ok(f"{version}; axe-core, puppeteer-core and lighthouse as locked in .ci/browser")


class ConfirmHook(http.server.BaseHTTPRequestHandler):
    """GET /?user=NAME confirms that account's address, as its mailed link
    would (no mail leaves the machine here)."""

    def do_GET(self) -> None:  # noqa: N802 - the handler's name
        name = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("user", [""])[0]
        if name.isalnum():
            psql(f"update users set email_confirmed_at = now() where username = '{name}'")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def unsubscribe_token(user_id: int) -> str:
    """The signed link a notification mail carries (keys.rs: HMAC-SHA256 with
    a key derived from the installation's master key for the purpose)."""
    master = base64.urlsafe_b64decode(psql("select value from app_secrets where name = 'master'") + "==")
    key = hmac.new(master, b"unsubscribe", hashlib.sha256).digest()
    message = f"{user_id}-answer"
    tag = hmac.new(key, message.encode(), hashlib.sha256).digest()[:16]
    return f"{message}.{base64.urlsafe_b64encode(tag).decode().rstrip('=')}"


def pages() -> tuple[list[dict], str]:
    q = psql("select q.id || '/' || q.slug from questions q join users u on u.id = q.user_id "
             "where u.username = 'alice' order by q.id limit 1")
    qid = q.split("/")[0]
    answer = psql("select a.id from answers a join users u on u.id = a.user_id "
                  "where u.username = 'alice' order by a.id limit 1")
    review = psql("select r.id from reviews r join users u on u.id = r.user_id "
                  "where u.username = 'alice' order by r.id limit 1")
    course = psql("select slug from courses order by id limit 1")
    tag = psql("select name from tags order by question_count desc, name limit 1")
    # an open question by someone else than the voter (who may have voted on
    # it already: the suite then expects the click to take the vote back)
    voter = "boris"
    vote_page = psql(
        "select '/questions/' || q.id || '/' || q.slug from questions q join users u "
        "on u.id = q.user_id where u.username <> 'boris' and q.locked_at is null "
        "and q.closed_at is null and q.deleted_at is null order by q.id limit 1")
    alice = int(psql("select id from users where username = 'alice'"))
    listed = [
        ("/", "any", "home"), ("/questions", "any", "questions"), ("/questions?q=rust", "any", None),
        ("/questions?sort=votes", "any", None), (f"/questions/{q}", "any", "question"),
        (f"/questions/{qid}/revisions", "any", None), ("/tags", "any", "tags"), (f"/tags/{tag}", "any", None),
        ("/reviews", "any", "reviews"), (f"/reviews/{review}", "any", None), ("/courses", "any", None),
        (f"/courses/{course}", "any", "course"), ("/leaderboard", "any", "leaderboard"),
        ("/users/alice", "any", "profile"), ("/users/alice/reputation", "any", None),
        ("/users/alice/reviews", "any", None), ("/no/such/page", "any", None, 404),
        ("/register", "anonymous", "register"), ("/login", "anonymous", "login"),
        ("/password/forgot", "anonymous", None), ("/password/reset/not-a-token", "anonymous", None, 410),
        (f"/unsubscribe/{unsubscribe_token(alice)}", "anonymous", None),
        ("/questions/new", "member", "ask"), ("/reviews/new", "member", None),
        ("/settings/profile", "member", None), ("/settings/password", "member", None),
        ("/settings/notifications", "member", None), ("/notifications", "member", "notifications"),
        (f"/questions/{qid}/edit", "member", None), (f"/answers/{answer}/edit", "alice", None),
        (f"/answers/{answer}/revisions", "any", None), (f"/reviews/{review}/edit", "alice", None),
        ("/review/edits", "admin", None), ("/admin", "admin", "admin"), ("/admin/flags", "admin", None),
        ("/admin/users", "admin", None), (f"/admin/users/{alice}", "admin", None),
        ("/admin/audit", "admin", None), ("/admin/deleted", "admin", None),
    ]
    out = []
    for item in listed:
        url, who, shot = item[:3]
        status = item[3] if len(item) > 3 else 200
        out.append({"url": url, "who": who, "shot": shot, "status": status})
    return out, (voter, vote_page)


def main() -> int:
    ensure_tools()
    check(common.BIN.is_file(), f"{common.BIN} is missing: .ci/stack_test.py copies it out of the app image")
    admin = common.PG_ADMIN
    subprocess.run(["psql", admin, "-qc", f"drop database if exists {DB} with (force)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"create database {DB}"], check=True)
    migrate = run_bin("db", "migrate", database=db_url())
    check(migrate.returncode == 0, f"db migrate: {migrate.stderr}")
    seed = subprocess.run([str(common.BIN), "task", "seed:demo"], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, LOCO_ENV="development", DATABASE_URL=db_url()))
    check(seed.returncode == 0, f"seed:demo: {seed.stdout[-500:]} {seed.stderr[-1000:]}")
    common.WORK.mkdir(parents=True, exist_ok=True)
    start_app("a", PORT_A, db_url())
    start_app("b", PORT_B, db_url())
    start_nginx()
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), ConfirmHook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    listed, (voter, vote_page) = pages()
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
    config = {
        "base": f"https://localhost:{common.HTTPS_PORT}",
        "chromium": CHROMIUM,
        "debugPort": 19222,
        "password": PASSWORD,
        "user": "alice",
        "admin": "admin",
        "voter": voter,
        "votePage": vote_page,
        "pages": listed,
        "confirmHook": f"http://127.0.0.1:{HOOK_PORT}/",
        "screenshots": str(ARTIFACTS / "screenshots"),
        "report": str(ARTIFACTS / "browser-report.json"),
        "lighthouse": {"home": "/", "question": vote_page},
    }
    cfg = common.WORK / "browser-config.json"
    cfg.write_text(json.dumps(config, indent=2))
    started = time.monotonic()
    r = subprocess.run(["node", str(TOOLS / "check.mjs"), str(cfg)], cwd=TOOLS)
    hook.shutdown()
    ok(f"browser suite ran in {time.monotonic() - started:.0f}s; screenshots in "
       f"{(ARTIFACTS / 'screenshots').relative_to(ROOT)}")
    return r.returncode


def cleanup() -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    subprocess.run(["psql", common.PG_ADMIN, "-qc", f"drop database if exists {DB} with (force)"],
                   capture_output=True)


if __name__ == "__main__":
    code = 1
    try:
        code = main()
    finally:
        cleanup()
    sys.exit(code)
