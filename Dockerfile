# NightCoder-RS: three stages from one checkout.
#   build  - the Rust toolchain compiles the release binary (the same
#            `cargo build --release --locked --bin nightcoder` as a local build)
#   web    - Nginx with the repository's config and the very same static files
#            the app hashes into its asset URLs (`docker build --target web`)
#   app    - the default: a slim Debian runtime with only the binary, assets/,
#            locales/ and config/, running as an unprivileged user
#
# Build with BuildKit (Docker >= 20.10 has it built in: DOCKER_BUILDKIT=1, or
# COMPOSE_DOCKER_CLI_BUILD=1 with docker-compose v1); its cache mounts keep
# the crates and the target directory between builds.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The cached target directory may hold a build of other sources (another
# checkout, an older release): cargo decides freshness by file times, so the
# workspace's own files are touched and always rebuilt; dependencies stay
# cached.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    find src migration -type f -exec touch {} + \
    && cargo build --release --locked --bin nightcoder \
    && install -D -m 0755 target/release/nightcoder /out/nightcoder

FROM nginx:1.27-bookworm AS web
# the official image renders templates/*.template into conf.d with envsubst
# (only variables that are set are replaced, Nginx's own $vars stay)
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/templates/ /etc/nginx/templates/
COPY deploy/nginx/snippets/ /etc/nginx/snippets/
COPY assets/static/ /usr/share/nightcoder/static/
RUN mkdir -p /var/www/certbot

FROM debian:bookworm-slim AS app
# no packages: TLS (SMTP, PostgreSQL) uses rustls with the Mozilla roots
# built into the binary, and the health check below needs only bash
RUN groupadd --system --gid 10001 nightcoder \
    && useradd --system --uid 10001 --gid nightcoder --home-dir /app --shell /usr/sbin/nologin nightcoder
WORKDIR /app
COPY --from=build /out/nightcoder /app/nightcoder
COPY assets/ /app/assets/
COPY locales/ /app/locales/
COPY config/ /app/config/
# the uploads directory is a named volume in deploy/docker-compose.yml; no
# VOLUME here, so containers that do not mount it (migrations, tasks) leave
# no anonymous volumes behind
RUN mkdir -p /app/uploads && chown nightcoder:nightcoder /app/uploads
USER 10001:10001
ENV LOCO_ENV=production \
    BINDING=0.0.0.0 \
    PORT=5150 \
    UPLOADS_DIR=/app/uploads
EXPOSE 5150
# bash's /dev/tcp: no curl in the image
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5150 && printf 'GET /_health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# exec form: the binary itself is PID 1 and gets SIGTERM (graceful shutdown)
ENTRYPOINT ["/app/nightcoder"]
CMD ["start", "--no-banner"]
