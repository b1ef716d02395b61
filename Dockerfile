# syntax=docker/dockerfile:1
# laaffic-exporter: the exporter (the entrypoint) and the Laaffic API simulator (another entrypoint, see
# docker-compose.yml) in one image. Build:  docker build --build-arg VERSION=0.1.0 -t laaffic-exporter .
# `docker run laaffic-exporter --help` lists the settings (environment variables).
#
# Both bases are pinned to Node.js 24 on Debian 13 (trixie) by tag; each tag is rebuilt for security fixes.
# For reproducible builds pin the digests too, and move them on with those fixes:
#   FROM node:24-trixie-slim@sha256:<digest>                   (docker buildx imagetools inspect node:24-trixie-slim)
#   FROM gcr.io/distroless/nodejs24-debian13@sha256:<digest>   (docker buildx imagetools inspect gcr.io/distroless/nodejs24-debian13)

# --- build: every dependency (`npm ci`), then `npm run build` (scripts/build.mjs), which bundles src/ into
# self-contained files under dist/ (esbuild reads tsconfig.json too).
FROM node:24-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
RUN npm run build
# `npm run demo` starts the simulator and the exporter side by side from a checkout; a container runs one
# program (the compose demo profile runs them as two services), so dist/demo.js is not shipped. Plain rm:
# the build fails if the file is renamed, instead of shipping it silently.
RUN rm dist/demo.js dist/demo.js.map

# --- runtime: distroless, Node.js and nothing else: no shell, no npm, no package manager. The bundles need no
# node_modules; they come with their source maps (a crash's stack trace is printed with TypeScript lines,
# src/cli/crash.ts) and the licences of the packages bundled into them.
FROM gcr.io/distroless/nodejs24-debian13 AS runtime
ARG VERSION=dev
# Replace with the project's repository, or pass --build-arg SOURCE_URL=...
ARG SOURCE_URL=https://github.com/OWNER/laaffic-exporter
LABEL org.opencontainers.image.title="laaffic-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the prepaid balance of Laaffic SMS accounts" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}"
ENV NODE_ENV=production
WORKDIR /app
# The bundles read their version from ../package.json, which is /app/package.json here.
COPY package.json ./
COPY --from=build /app/dist ./dist

# distroless' nonroot user, by number (Kubernetes' runAsNonRoot can only verify a number). The files above
# stay owned by root, read-only to it; a file mounted for it (accounts, secret, TLS key) must be readable by 65532.
USER 65532:65532
EXPOSE 9866
# distroless has no curl, no shell, and no node on PATH (distroless issue #1773): the exporter checks itself.
# `--healthcheck` reads the configuration the exporter reads (this container's environment, and the flags of
# PID 1, the exporter: `docker run IMAGE --web.listen-address=:9100` is followed) and asks /healthz
# on its own address, over HTTPS whether TLS comes from TLS_CERT_FILE or WEB_CONFIG_FILE, the certificate
# pinned to the configured one; /healthz needs no credentials. With client certificates required it presents
# none and counts the exporter's refusal as up (docs/docker.md). Exit 0 healthy, 1 not; 3 s at most.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/nodejs/bin/node", "dist/laaffic-exporter.js", "--healthcheck"]
# node is PID 1 (exec form, no shell): it gets SIGTERM itself, and the exporter exits 0 within 2 s.
STOPSIGNAL SIGTERM
# The Node.js flags of dist/laaffic-exporter.js's shebang (scripts/build.mjs; a test compares), which
# distroless, without /usr/bin/env, cannot read. Arguments go after it: `docker run IMAGE --version`.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=2", "--heap-growing-percent=20", "dist/laaffic-exporter.js"]
