#!/usr/bin/env python3
"""Checks the deployment files for the promises no linter knows about.

Quick, before the images are built and the stack is run (.ci/stack_test.py):
hadolint lints the Dockerfile and this script checks what the files promise
themselves: the runtime stage holds only the binary, assets/, locales/ and
config/, runs unprivileged with an exec-form entrypoint and a health check,
declares no VOLUME (no anonymous volumes) and needs no frontend image from a
registry; compose works with v1 and v2, publishes no database or app port,
keeps data in named volumes, migrates once before the app starts and takes
secrets from .env only.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
problems: list[str] = []


def need(cond: bool, msg: str) -> None:
    if not cond:
        problems.append(msg)


def dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    need(not re.search(r"^#\s*syntax=", text, re.M),
         "no `# syntax=` line: it makes BuildKit fetch a frontend image from a registry")
    # join continuation lines, drop comments
    lines = [l for l in re.sub(r"\\\n", " ", text).splitlines() if l.strip() and not l.lstrip().startswith("#")]
    stages: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            current = m.group(2) or m.group(1)
            stages[current] = [line]
        else:
            stages.setdefault(current, []).append(line)
    names = list(stages)
    need(names[-1] == "app", f"the last (default) stage is the app: {names}")
    need("build" in stages and stages["build"][0].split()[1].startswith("rust:"), "a Rust build stage")
    build = " ".join(stages.get("build", []))
    need("cargo build --release --locked --bin nightcoder" in build, "the build stage runs the same cargo command as .ci/run")
    app = stages.get("app", [])
    need(app and "slim" in app[0], "the runtime base is slim")
    copies = [l.split()[1:] for l in app if l.upper().startswith("COPY")]
    sources = sorted(" ".join(c[:-1]) for c in copies)
    need(sources == ["--from=build /out/nightcoder", "assets/", "config/", "locales/"],
         f"the image holds only the binary, assets/, locales/, config/: {sources}")
    users = [l.split()[1] for l in app if l.upper().startswith("USER ")]
    need(users and not users[-1].startswith(("root", "0")), f"runs as an unprivileged user: {users}")
    entry = [l for l in app if l.upper().startswith("ENTRYPOINT")]
    need(entry and entry[-1].split(None, 1)[1].startswith("["), "exec-form ENTRYPOINT")
    if entry:
        need(json.loads(entry[-1].split(None, 1)[1]) == ["/app/nightcoder"], "the entrypoint is the binary")
    health = [l for l in app if l.upper().startswith("HEALTHCHECK")]
    need(health and "/_health" in health[-1], "HEALTHCHECK on /_health")
    need(not any(l.upper().startswith("ADD ") for l in lines), "COPY, never ADD")
    need(not any(l.upper().startswith("VOLUME") for l in lines),
         "no VOLUME: every container that does not mount it would leave an anonymous volume")
    web = stages.get("web", [])
    need(web and web[0].split()[1].startswith("nginx:"), "an nginx stage with the repo's config")
    need(any("assets/static/" in l for l in web), "nginx gets the same static files")


def compose() -> None:
    path = ROOT / "deploy/docker-compose.yml"
    text = path.read_text()
    doc = yaml.safe_load(text)
    svc = doc.get("services", {})
    need("name" not in doc, "no top-level `name:` (Compose v1 refuses it; COMPOSE_PROJECT_NAME in .env)")
    need(set(svc) >= {"db", "migrate", "app", "nginx"}, f"services: {sorted(svc)}")
    db, app, migrate, nginx = (svc.get(k, {}) for k in ("db", "app", "migrate", "nginx"))
    need(str(db.get("image", "")).startswith("postgres:17"), "PostgreSQL 17")
    need("ports" not in db, "the database publishes no port")
    need("healthcheck" in db, "the database has a health check")
    named = set(doc.get("volumes", {}) or {})
    db_vols = [v.split(":")[0] for v in db.get("volumes", [])]
    need(db_vols and db_vols[0] in named, f"the database keeps its data in a named volume: {db_vols}")
    need("ports" not in app, "the app publishes no port (Nginx is the way in)")
    need(migrate.get("command") == ["db", "migrate"], "a one-shot migrate service")
    need(str(migrate.get("restart")) == "no", "migrate runs once")
    dep = app.get("depends_on", {})
    need(dep.get("migrate", {}).get("condition") == "service_completed_successfully",
         "the app starts after the migrations succeeded")
    need(dep.get("db", {}).get("condition") == "service_healthy", "the app waits for a healthy database")
    ports = sorted(str(p) for p in nginx.get("ports", []))
    need(ports == ["${NC_HTTPS_BIND:-443}:443", "${NC_HTTP_BIND:-80}:80"],
         f"nginx publishes 80 and 443 (every address unless told otherwise): {ports}")
    need(nginx.get("build", {}).get("target") == "web", "nginx is built from the repo's web stage")
    for name in ("migrate", "app"):
        need(svc[name].get("env_file") in (".env", [".env"]), f"{name} reads deploy/.env")
    # every ${VAR} has an example; no literal secrets
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    example = (ROOT / "deploy/.env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    need(used <= documented, f"variables without an example in .env.example: {sorted(used - documented)}")
    need(not re.search(r"^\s*[A-Z_]*PASSWORD:\s*[^$\s]", text, re.M), "no literal password in compose")
    need("redis" not in svc, "no Redis: the app keeps sessions and jobs in PostgreSQL")


def workflow() -> None:
    doc = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    jobs = doc.get("jobs", {})
    need(set(jobs) >= {"check", "image", "deploy"}, f"workflow jobs: {sorted(jobs)}")
    runs = [step.get("run", "") for step in jobs.get("check", {}).get("steps", [])]
    need(any("bash .ci/run" in r for r in runs), "CI runs .ci/run")
    targets = [step.get("with", {}).get("target") for step in jobs.get("image", {}).get("steps", [])]
    need({"app", "web"} <= set(targets), f"CI builds both images: {targets}")
    deploy = jobs.get("deploy", {})
    need("vars.DEPLOY_ENABLED == 'true'" in str(deploy.get("if", "")), "the deploy job is opt-in")
    need(set(deploy.get("needs", [])) >= {"check", "image"}, "deploy waits for the checks")
    text = (ROOT / ".github/workflows/ci.yml").read_text()
    need("docker compose -f deploy/docker-compose.yml pull" in text, "deploy pulls and restarts with compose")
    need(not re.search(r"BEGIN [A-Z ]*PRIVATE KEY", text), "no key in the workflow")


def main() -> int:
    dockerfile()
    compose()
    workflow()
    if problems:
        print("deployment files:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        return 1
    print("deployment files: Dockerfile, deploy/docker-compose.yml and the CI workflow keep their promises")
    return 0


if __name__ == "__main__":
    sys.exit(main())
