"""The processes under test: app binaries, a cuttable database cable, nginx."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

from .browser import wait_for
from .common import (BIN, DB, HOST, HTTP_PORT, HTTPS_PORT, PASSWORD, PG_HOST, PORT_A, PORT_B,
                     ROOT, WORK, check, db_url, fail, ok, procs)


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
        self.lock = threading.Lock()

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
            with self.lock:
                if self.server is not srv:
                    # unplugged while this connection was being made
                    for s in (client, upstream):
                        s.close()
                    return
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
        with self.lock:
            srv, self.server = self.server, None
            conns, self.conns = self.conns, []
        if srv:
            # close() alone does not wake a thread blocked in accept() on
            # Linux: the listener would live on and take new connections
            try:
                srv.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            srv.close()
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


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
    # shaped like the official nginx image's /etc/nginx/nginx.conf (the
    # http-level directives it sets, then the conf.d include), so that a
    # directive the template repeats fails here as it fails in the image;
    # only paths differ (no root, no /var/log here)
    main = WORK / "nginx.conf"
    main.write_text(f"""
worker_processes  auto;
daemon off;
error_log  {WORK}/nginx-error.log notice;
pid        {WORK}/nginx.pid;

events {{
    worker_connections  1024;
}}

http {{
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  {WORK}/nginx-access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

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
