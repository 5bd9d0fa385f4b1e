"""What the running stack must show: the promises of docs/DEPLOY.md, checked
through the operator's compose file instead of a loopback imitation."""
from __future__ import annotations

import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deploycheck.common import ROOT, check, ok

from . import engine, images
from .stack import Stack

MAX_IMAGE_MB = 120


def image(tag: str) -> None:
    app = f"{images.APP}:{tag}"
    size = images.size_mb(app)
    check(size <= MAX_IMAGE_MB, f"the app image is {size:.0f} MB (at most {MAX_IMAGE_MB})")
    config = engine.inspect(app)["Config"]
    check(config.get("User") == "10001:10001", f"runs as uid 10001: {config.get('User')}")
    check(not config.get("Volumes"), f"declares no volume: {config.get('Volumes')}")
    version = engine.out("run", "--rm", "--network=none", app, "--version")
    version_cargo = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M).group(1)
    check(version == f"nightcoder {version_cargo}", f"--version names the app: {version!r}")
    web = images.size_mb(f"{images.WEB}:{tag}")
    ok(f"images: app {size:.0f} MB (≤ {MAX_IMAGE_MB}), web {web:.0f} MB; uid 10001, no VOLUME, "
       f"`--version` says {version!r}")


def started(stack: Stack, took: float) -> None:
    rows = stack.sql("select count(*) from seaql_migrations")
    files = len(list((ROOT / "migration/src").glob("m2*.rs")))
    check(int(rows) == files, f"{rows} migrations recorded, {files} in the tree")
    migrate = engine.inspect(stack.compose("ps", "-a", "-q", "migrate").stdout.decode().split()[0])
    check(migrate["State"]["ExitCode"] == 0, "the migrate service exited 0")
    nginx = engine.inspect(stack.containers("nginx")[0])
    check(nginx["State"]["Running"] and nginx["RestartCount"] == 0,
          "nginx started at once with the image's own nginx.conf (no restart loop)")
    for c in stack.containers("app"):
        state = engine.inspect(c)
        check(state["Config"]["User"] == "10001:10001", "app containers run as uid 10001")
        check(state["State"]["Health"]["Status"] == "healthy", "HEALTHCHECK reports healthy")
    ok(f"stack up in {took:.0f}s: {rows} migrations once, nginx running with the official-style "
       f"nginx.conf, {len(stack.containers('app'))} app replicas healthy as uid 10001")


def https(stack: Stack) -> None:
    r = stack.http().get("/questions")
    check(r.status == 301 and r.header("location") == "https://localhost/questions",
          f"http → https: {r.status} {r.header('location')}")
    c = stack.nginx()
    home = c.get("/")
    check(home.status == 200 and "NightCoder" in home.text, f"home over https: {home.status}")
    check(home.header("strict-transport-security") == "max-age=31536000; includeSubDomains", "HSTS")
    check(home.header("server") == "nginx", f"no version in Server: {home.header('server')}")
    ru = c.get("/questions", headers={"Accept-Language": "ru"})
    check('lang="ru"' in ru.text, "Russian through nginx")
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', home.text).group(1)
    static = c.get(css)
    check(static.status == 200 and static.header("x-request-id") is None,
          "static files come from nginx, not the app")
    check(static.header("cache-control") == "public, max-age=31536000, immutable", "immutable cache")
    check(static.body == (ROOT / "assets/static/css/site.css").read_bytes(), "the same bytes as the repo")
    check(c.get("/metrics").status == 404, "/metrics is not served through the public server")
    inside = stack.compose("exec", "-T", "nginx", "curl", "-fsS", "http://app:5150/metrics")
    check(b"nightcoder_http_requests_total" in inside.stdout, "/metrics answers inside the network")
    ok("https: 301 from http, HSTS, EN/RU pages, static from nginx with a 1-year cache, "
       "/metrics 404 in public and served on the internal network")


def rate_limit_and_client_address(stack: Stack) -> None:
    c = stack.nginx()
    c.get("/login")
    statuses = [c.post("/login", {"login": "sprayer", "password": "guess number one"},
                       headers={"X-Forwarded-For": "203.0.113.66"}).status for _ in range(12)]
    check(statuses.count(429) >= 5 and statuses[0] == 422, f"login burst: {statuses}")
    time.sleep(0.5)
    lines = [l for lines in stack.logs_by_container().values() for l in lines
             if l.get("fields", {}).get("login") == "sprayer"]
    check(lines, "the failed logins are logged")
    ips = {l["fields"].get("ip") for l in lines}
    check("203.0.113.66" not in ips and len(ips) == 1,
          f"the app logs the address nginx saw, never the forged one: {ips}")
    ok(f"limits: {statuses.count(429)}/12 logins refused with 429 by nginx; the app logs "
       f"the client address nginx saw ({ips.pop()}), not a forged X-Forwarded-For")


def replicas_and_votes(stack: Stack) -> None:
    apps = stack.containers("app")
    check(len(apps) == 2, f"two app replicas: {apps}")
    voters = [f"voter{i}" for i in range(12)]
    stack.make_users(["author", *voters])
    a, b = (stack.direct(x) for x in apps)
    a.login("author")
    b.share_session(a)
    check("author" in b.get("/settings/profile").text, "a session from one replica works on the other")
    author = stack.nginx()
    author.share_session(a)
    author.get("/questions/new")
    q = author.post("/questions", {"title": "Do votes add up across replicas?",
                                   "body": "Two replicas share one database; every vote must count once.",
                                   "tags": "deploy"})
    check(q.status == 303, f"question posted through nginx: {q.status}")
    qid = int(re.search(r"/questions/(\d+)", q.header("location")).group(1))

    def vote(i: int) -> int:
        # logins straight at a replica (Nginx limits logins per address, and
        # every client here has the same one); the votes go through replica
        # A, replica B or Nginx
        login = stack.direct(apps[i % 2])
        login.login(voters[i])
        c = login
        if i % 3 == 2:
            c = stack.nginx()
            c.share_session(login)
        c.get(f"/questions/{qid}")
        return c.post(f"/questions/{qid}/vote", {"direction": "up"}).status

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(vote, range(len(voters))))
    check(statuses == [303] * len(voters), f"every vote accepted: {statuses}")
    score = int(stack.sql(f"select score from questions where id = {qid}"))
    rep = int(stack.sql("select reputation from users where username = 'author'"))
    check((score, rep) == (12, 61), f"score {score}, reputation {rep}")
    verify = stack.compose("exec", "-T", "app", "/app/nightcoder", "task", "reputation:verify",
                           check_ok=False)
    check(verify.returncode == 0, f"reputation:verify: {verify.stdout.decode()} {verify.stderr.decode()}")
    ok(f"two replicas: one session on both; 12 concurrent votes through both replicas and nginx "
       f"→ score {score}, reputation {rep}, ledger verified")


def sigterm(stack: Stack) -> None:
    victim = stack.containers("app")[-1]
    start = time.monotonic()
    engine.docker("stop", "-t", "10", victim)
    took = time.monotonic() - start
    state = engine.inspect(victim)["State"]
    check(took < 10 and state["ExitCode"] == 0, f"stop took {took:.1f}s, exit {state['ExitCode']}")
    statuses = [stack.nginx().get("/").status for _ in range(6)]
    check(statuses == [200] * 6, f"nginx serves from the other replica: {statuses}")
    engine.docker("start", victim)
    stack.wait_healthy()
    ok(f"SIGTERM: an app replica stops in {took:.1f}s with exit code 0; nginx keeps serving")


def backup_restore(stack: Stack) -> None:
    backups = stack.dir / "backups"
    env = stack.script_env()
    r = subprocess.run([str(stack.deploy / "backup.sh"), str(backups)], env=env,
                       capture_output=True, text=True)
    check(r.returncode == 0, f"backup.sh: {r.stderr}")
    dump = Path(r.stdout.strip().splitlines()[-1])
    uploads = list(backups.glob("uploads-*.tar.gz"))
    check(dump.is_file() and uploads, f"a dump and an uploads archive: {dump}, {uploads}")
    before = stack.sql("select count(*) from questions") + "/" + stack.sql("select count(*) from votes")
    stack.sql("delete from votes; delete from question_tags")
    r = subprocess.run([str(stack.deploy / "restore.sh"), str(dump)], env=env,
                       capture_output=True, text=True)
    check(r.returncode == 0, f"restore.sh: {r.stderr}")
    stack.wait_healthy()
    after = stack.sql("select count(*) from questions") + "/" + stack.sql("select count(*) from votes")
    check(before == after, f"restored: {before} vs {after}")
    ok(f"backup.sh and restore.sh against the running stack: questions/votes {after} back after "
       f"a deletion ({dump.stat().st_size // 1024} KiB dump)")


def down_up(stack: Stack) -> None:
    users = stack.sql("select count(*) from users")
    before = set(engine.out("volume", "ls", "-q").split())
    stack.down()
    took = stack.up("--scale", "app=2")
    check(stack.sql("select count(*) from users") == users, "data kept across down + up")
    volumes = set(engine.out("volume", "ls", "-q").split())
    named = {f"{stack.project}_pgdata", f"{stack.project}_uploads"}
    check(volumes == before and {v for v in volumes if v.startswith(stack.project)} == named,
          f"only the named volumes exist: {sorted(volumes)}")
    ok(f"down + up ({took:.0f}s): {users} users kept, volumes exactly {sorted(named)}")
