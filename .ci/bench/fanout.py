#!/usr/bin/env python3
"""Fan-out: the time to post one answer to a question that 1,000 users
follow (each gets a notification in the same request), on PostgreSQL.

  python3 .ci/bench/fanout.py [FOLLOWERS]

Starts the release binary (NC_BIN, default target/release/nightcoder) with
config/bench.yaml on database nc_fanout (made anew), seeds 1,100 users with
`seed:bulk`, makes the first FOLLOWERS of them follow one question, then
posts answers as another user and prints the POST's time and the rows
written. A benchmark: it prints figures and asserts only that every
follower was notified.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from forum import BIN, ROOT, Browser, Server

PORT = 15680
DB = "nc_fanout"
PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "bulk user password"


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(["psql", f"{PG}/{db}", "-Atqc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def main() -> int:
    followers = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    psql(f"drop database if exists {DB} with (force)", "postgres")
    psql(f"create database {DB}", "postgres")
    url = f"{PG}/{DB}"
    env = dict(os.environ, LOCO_ENV="bench", DATABASE_URL=url)
    subprocess.run([str(BIN), "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(BIN), "task", "seed:bulk", f"users:{followers + 100}", "questions:200",
                    "answers:400", "votes:1000", "reviews:10"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    server = Server(PORT, mode="bench", database_url=url)
    try:
        qid, slug, author = psql(
            "select q.id, q.slug, q.user_id from questions q where q.locked_at is null "
            "and q.closed_at is null order by q.id limit 1").split("|")
        psql(f"insert into follows (user_id, question_id, created_at) select id, {qid}, now() "
             f"from users where id <> {author} order by id limit {followers} on conflict do nothing")
        following = int(psql(f"select count(*) from follows where question_id = {qid}"))
        name = psql(f"select username from users where id <> {author} order by id desc limit 1")
        b = Browser(PORT)
        b.login(name, PASSWORD)
        times = []
        for i in range(5):
            before = int(psql("select count(*) from notifications"))
            b.get(f"/questions/{qid}/{slug}")
            started = time.perf_counter()
            status, _, _ = b.post(f"/questions/{qid}/answers", {
                "body": f"Answer number {i} to a question a thousand people follow, long enough."})
            took = time.perf_counter() - started
            assert status == 303, f"answer: {status}"
            written = int(psql("select count(*) from notifications")) - before
            times.append(took)
            print(f"answer {i + 1}: {took * 1000:.1f} ms, notifications written or grouped: {written}")
        unread = int(psql(f"select count(*) from notifications where question_id = {qid} "
                          "and read_at is null"))
        print(f"\n{following} followers; POST of an answer (fan-out included): median "
              f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
              f"unread notification rows for the question: {unread} (repeats are grouped)")
        assert unread >= following - 1
    finally:
        server.stop()
        psql(f"drop database if exists {DB} with (force)", "postgres")
    return 0


if __name__ == "__main__":
    sys.exit(main())
