"""The upgrade, tested: a stack of the previous release (the commit in
.ci/upgrade-from) with data in it, backed up, moved to this build (the
migrations apply once, the data and the ledger verify), then rolled back by
the documented way (the previous image and restore.sh --replace)."""
from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from deploycheck.common import ROOT, check, ok

from . import engine, images
from .stack import Stack

TABLES = ("users", "questions", "answers", "votes", "reviews", "reputation_events")


def baseline() -> str:
    for line in (ROOT / ".ci/upgrade-from").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise AssertionError(".ci/upgrade-from names no commit")


def checkout(commit: str) -> Path:
    """The baseline's tree, from git (no worktree to clean up)."""
    dest = ROOT / "target/ci-docker/previous-src"
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def counts(stack: Stack) -> dict[str, str]:
    return {t: stack.sql(f"select count(*) from {t}") for t in TABLES}


def verify(stack: Stack) -> None:
    r = stack.compose("run", "--rm", "-T", "app", "task", "reputation:verify", check_ok=False, timeout=600)
    check(r.returncode == 0, f"reputation:verify: {r.stdout.decode()[-800:]} {r.stderr.decode()[-800:]}")


def pages(stack: Stack) -> None:
    c = stack.nginx()
    qid = stack.sql("select min(id) from questions")
    for path in ("/", "/questions", f"/questions/{qid}", "/leaderboard", "/reviews"):
        r = c.get(path)
        if r.status == 308:
            r = c.get(r.header("location"))
        check(r.status == 200, f"{path}: {r.status}")


def run() -> None:
    commit = baseline()
    source = checkout(commit)
    built = images.ours("previous", source, targets=("app",))
    # the upgrade is about the app and its data; Nginx stays this build's
    engine.docker("tag", f"{images.WEB}:ci", f"{images.WEB}:previous")
    ok(f"previous release {commit[:8]} built with this Dockerfile: app {built['app']:.0f}s")
    stack = Stack("ncup", "previous")
    stack.prepare()
    stack.down(volumes=True)
    try:
        stack.up()
        old_migrations = int(stack.sql("select count(*) from seaql_migrations"))
        # the previous release's own bulk seed (development settings only for
        # the task: it refuses to run in production)
        stack.compose("run", "--rm", "-T", "-e", "LOCO_ENV=development", "app", "task", "seed:bulk",
                      "users:50", "questions:200", "answers:900", "votes:1500", timeout=900)
        before = counts(stack)
        verify(stack)
        env = stack.script_env()
        r = subprocess.run([str(stack.deploy / "backup.sh"), str(stack.dir / "backups")], env=env,
                           capture_output=True, text=True)
        check(r.returncode == 0, f"backup before the upgrade: {r.stderr}")
        dump = r.stdout.strip().splitlines()[-1]

        # the upgrade: the new images, `up -d`; migrate runs first
        stack.set_tag("ci")
        took = stack.up()
        new_migrations = int(stack.sql("select count(*) from seaql_migrations"))
        files = len(list((ROOT / "migration/src").glob("m2*.rs")))
        check(new_migrations == files, f"{new_migrations} migrations after the upgrade, {files} expected")
        again = stack.compose("run", "--rm", "-T", "migrate", timeout=300)
        check(int(stack.sql("select count(*) from seaql_migrations")) == files,
              f"a second migrate applies nothing: {again.stdout.decode()[-300:]}")
        after = counts(stack)
        check(after == before, f"data changed by the upgrade: {before} → {after}")
        posts = sum(int(after[t]) for t in ("questions", "answers", "reviews"))
        revisions = int(stack.sql("select count(*) from revisions"))
        check(revisions == posts, f"every post got its first revision: {revisions} vs {posts}")
        verify(stack)
        pages(stack)
        ok(f"upgrade {commit[:8]} → this build in {took:.0f}s: {new_migrations - old_migrations} "
           f"migrations applied once (a second run applies none), counts unchanged {after}, "
           f"{revisions} revisions backfilled, ledger verified, pages 200 through nginx")

        # the rollback, as docs/DEPLOY.md describes it
        stack.compose("stop", "app")
        r = subprocess.run([str(stack.deploy / "restore.sh"), "--replace", dump], env=env,
                           capture_output=True, text=True)
        check(r.returncode == 0, f"restore.sh --replace: {r.stderr}")
        stack.set_tag("previous")
        stack.up()
        check(int(stack.sql("select count(*) from seaql_migrations")) == old_migrations,
              "the database is the previous release's again")
        check(stack.sql("select to_regclass('public.revisions') is null") == "t",
              "tables of the newer release are gone")
        check(counts(stack) == before, "the data is as it was before the upgrade")
        verify(stack)
        pages(stack)
        ok(f"rollback: previous image + restore.sh --replace → {old_migrations} migrations, "
           f"no newer tables, data as before, ledger verified, pages 200")
    finally:
        stack.down(volumes=True)
        engine.docker("rmi", f"{images.APP}:previous", f"{images.WEB}:previous", check_ok=False)
