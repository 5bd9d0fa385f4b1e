"""One compose project made from the operator's own files: deploy/ copied
to a work directory with a generated .env, run with docker-compose (v1, what
Debian ships; the file is v2-compatible), published on loopback only."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from deploycheck.browser import Client
from deploycheck.common import PASSWORD, ROOT, check

from . import engine

HTTP_PORT, HTTPS_PORT = 18081, 18444


class Stack:
    def __init__(self, project: str, tag: str):
        self.project, self.tag = project, tag
        self.dir = ROOT / "target/ci-docker" / project
        self.deploy = self.dir / "deploy"

    # --- files ---------------------------------------------------------
    def prepare(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(ROOT / "deploy", self.deploy)
        certs = self.dir / "letsencrypt/live/localhost"
        certs.mkdir(parents=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-keyout", str(certs / "privkey.pem"),
                        "-out", str(certs / "fullchain.pem")], check=True, capture_output=True)
        (self.dir / "webroot").mkdir()
        values = {
            "COMPOSE_PROJECT_NAME": self.project,
            "NC_DOMAIN": "localhost",
            "PUBLIC_URL": f"https://localhost:{HTTPS_PORT}",
            "POSTGRES_PASSWORD": "ci-only-database-password-7f3a",
            "NC_IMAGE": "nightcoder-rs",
            "NC_TAG": self.tag,
            "NC_HTTP_BIND": f"127.0.0.1:{HTTP_PORT}",
            "NC_HTTPS_BIND": f"127.0.0.1:{HTTPS_PORT}",
            "NC_CERTS": str(self.dir / "letsencrypt"),
            "NC_WEBROOT": str(self.dir / "webroot"),
            "SMTP_HOST": "localhost",
            "SMTP_USER": "",
            "SMTP_PASSWORD": "",
        }
        lines = []
        for line in (ROOT / "deploy/.env.example").read_text().splitlines():
            key = line.split("=", 1)[0] if "=" in line and not line.startswith("#") else None
            lines.append(f"{key}={values.pop(key)}" if key in values else line)
        lines += [f"{k}={v}" for k, v in values.items()]
        (self.deploy / ".env").write_text("\n".join(lines) + "\n")

    def set_tag(self, tag: str) -> None:
        env = self.deploy / ".env"
        text = "\n".join(f"NC_TAG={tag}" if l.startswith("NC_TAG=") else l
                         for l in env.read_text().splitlines())
        env.write_text(text + "\n")
        self.tag = tag

    # --- commands ------------------------------------------------------
    def compose_cmd(self) -> list[str]:
        return ["docker-compose", "-f", str(self.deploy / "docker-compose.yml")]

    def compose(self, *args: str, check_ok: bool = True, timeout: float = 600,
                stdin: bytes | None = None) -> subprocess.CompletedProcess:
        r = subprocess.run([*self.compose_cmd(), *args], env=engine.ENV, capture_output=True,
                           timeout=timeout, input=stdin, cwd=self.deploy)
        if check_ok and r.returncode != 0:
            raise AssertionError(f"docker-compose {' '.join(args)} failed ({r.returncode}):\n"
                                 f"{r.stdout.decode()[-2000:]}\n{r.stderr.decode()[-3000:]}")
        return r

    def script_env(self) -> dict[str, str]:
        """What backup.sh and restore.sh need to find this project."""
        return dict(engine.ENV, COMPOSE=" ".join(self.compose_cmd()),
                    PATH=f"{Path(engine.DOCKER).parent}:{os.environ['PATH']}")

    def sql(self, query: str) -> str:
        r = self.compose("exec", "-T", "db", "psql", "-U", "nightcoder", "-d", "nightcoder",
                         "-Atqc", query)
        return r.stdout.decode().strip()

    def task(self, *args: str, env: dict[str, str] | None = None, image_env: str = "") -> str:
        extra = [a for k, v in (env or {}).items() for a in ("-e", f"{k}={v}")]
        r = self.compose("run", "--rm", "-T", *extra, "app", "task", *args, timeout=900)
        return r.stdout.decode()

    def containers(self, service: str) -> list[str]:
        return self.compose("ps", "-q", service).stdout.decode().split()

    def ip(self, container: str) -> str:
        nets = engine.inspect(container)["NetworkSettings"]["Networks"]
        return next(n["IPAddress"] for name, n in nets.items() if name.endswith("_frontend"))

    def logs(self, service: str) -> list[dict]:
        out = self.compose("logs", "--no-color", "--no-log-prefix", service, check_ok=False)
        lines = []
        for raw in out.stdout.decode(errors="replace").splitlines():
            raw = raw.split("| ", 1)[1] if raw.startswith(f"{self.project}_") and "| " in raw else raw
            try:
                lines.append(json.loads(raw))
            except ValueError:
                pass
        return lines

    def logs_by_container(self) -> dict[str, list[dict]]:
        result = {}
        for c in self.containers("app"):
            raw = engine.docker("logs", c).stdout.decode(errors="replace") + \
                engine.docker("logs", c).stderr.decode(errors="replace")
            result[c] = [json.loads(l) for l in raw.splitlines() if l.startswith("{")]
        return result

    # --- lifecycle -----------------------------------------------------
    def up(self, *extra: str) -> float:
        start = time.monotonic()
        self.compose("up", "-d", "--no-build", *extra, timeout=900)
        self.wait_healthy()
        return time.monotonic() - start

    def wait_healthy(self, seconds: float = 180) -> None:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            apps = self.containers("app")
            states = [engine.inspect(c)["State"] for c in apps]
            if apps and all(s.get("Health", {}).get("Status") == "healthy" for s in states):
                break
            check(all(s["Status"] != "exited" for s in states),
                  f"an app container exited: {self.compose('logs', '--tail=30', 'app').stdout.decode()}")
            time.sleep(1)
        else:
            raise AssertionError(f"the app is not healthy after {seconds}s:\n"
                                 f"{self.compose('logs', '--tail=40').stdout.decode()}")
        for _ in range(60):
            try:
                if self.nginx().get("/_health").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"nginx does not answer:\n{self.compose('logs', '--tail=40', 'nginx').stdout.decode()}")

    def down(self, volumes: bool = False) -> None:
        self.compose("down", *(["-v"] if volumes else []), "--remove-orphans", check_ok=False)

    # --- clients -------------------------------------------------------
    def nginx(self) -> Client:
        return Client(HTTPS_PORT, tls=True, host_header=f"localhost:{HTTPS_PORT}")

    def http(self) -> Client:
        return Client(HTTP_PORT, tls=False, host_header=f"localhost:{HTTP_PORT}")

    def direct(self, container: str) -> Client:
        """An app replica straight, past Nginx (the host reaches the bridge)."""
        return Client(5150, tls=False, host=self.ip(container), source="0.0.0.0",
                      host_header="localhost:5150")

    def make_users(self, names: list[str]) -> None:
        """Confirmed accounts with the test password: one made by the
        operator's task, the rest copied from it in SQL (new accounts are
        limited per client address, and every request here comes from the
        same bridge address)."""
        self.task("user:admin", "username:seeduser", "email:seeduser@example.org",
                  env={"NIGHTCODER_ADMIN_PASSWORD": PASSWORD})
        values = ", ".join(f"('{n}', '{n}@example.org')" for n in names)
        self.sql(
            "INSERT INTO users (username, email, password_hash, role, reputation, bio, session_version, "
            "lang, email_confirmed_at, created_at, updated_at) SELECT v.name, v.mail, s.password_hash, "
            f"'user', 1, '', 0, 'en', now(), now(), now() FROM (VALUES {values}) AS v(name, mail) "
            "CROSS JOIN users s WHERE s.username = 'seeduser'")
