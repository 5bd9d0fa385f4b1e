# syntax=docker/dockerfile:1.7
#
# NightCoder-RS: three stages from one checkout.
#   build  - the Rust toolchain compiles the release binary (the same
#            `cargo build --release --locked --bin nightcoder` that .ci/run runs)
#   web    - Nginx with the repository's config and the very same static files
#            the app hashes into its asset URLs (`docker build --target web`)
#   app    - the default: a slim Debian runtime with only the binary, assets/,
#            locales/ and config/, running as an unprivileged user

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin nightcoder \
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
# curl only for the HEALTHCHECK; ca-certificates for SMTP over TLS
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 nightcoder \
    && useradd --system --uid 10001 --gid nightcoder --home-dir /app --shell /usr/sbin/nologin nightcoder
WORKDIR /app
COPY --from=build /out/nightcoder /app/nightcoder
COPY assets/ /app/assets/
COPY locales/ /app/locales/
COPY config/ /app/config/
RUN mkdir -p /app/uploads && chown nightcoder:nightcoder /app/uploads
USER 10001:10001
ENV LOCO_ENV=production \
    BINDING=0.0.0.0 \
    PORT=5150 \
    UPLOADS_DIR=/app/uploads
VOLUME ["/app/uploads"]
EXPOSE 5150
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5150/_health"]
# exec form: the binary itself is PID 1 and gets SIGTERM (graceful shutdown)
ENTRYPOINT ["/app/nightcoder"]
# no ASCII-art banner: stdout carries JSON log lines only
CMD ["start", "--no-banner"]
