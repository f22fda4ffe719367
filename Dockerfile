# One image: the bmw binary (with the hash.txt naming its bundles), the built site and
# Leptos.toml. Listens on 8080, data in /data.
#   docker build -t bmw .
#   docker run -p 8080:8080 -v bmw-data:/data -e BMW_PUBLIC_ORIGIN=https://bmw.example.com bmw
# BMW_PUBLIC_ORIGIN must be the origin browsers use: it sets the cookie attributes and is the
# origin the CSRF check accepts form posts from.
# The runtime tree is assembled by `cargo xtask dist`, which also smoke-tests it in Chromium,
# started with this file's WORKDIR, ENV and ENTRYPOINT (no Docker engine needed for that).

FROM rust:1.95-bookworm AS build
# npm installs the pinned wasm-opt (binaryen) that release builds need; see xtask/tools.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Installs cargo-leptos, wasm-bindgen and wasm-opt, builds in release mode and fills target/dist.
RUN cargo xtask dist --no-smoke

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin bmw \
 && mkdir /data && chown bmw:bmw /data && chmod 700 /data
COPY --from=build /src/target/dist/ /app/
WORKDIR /app
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    BMW_CONFIG=/app/Leptos.toml \
    BMW_DATA_DIR=/data
USER bmw
VOLUME /data
EXPOSE 8080
# GET /healthz answers 200 for orchestrator probes. SIGTERM stops it gracefully.
ENTRYPOINT ["/app/bmw"]
