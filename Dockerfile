# syntax=docker/dockerfile:1
# laaffic-exporter: the exporter (default command) and the Laaffic API simulator (node dist/simulator/server.js)
# in one image. Build:  docker build --build-arg VERSION=0.1.0 -t laaffic-exporter .
#
# The base image is pinned to Node 20 on Debian bookworm. For reproducible builds pin the digest too:
#   FROM node:20-bookworm-slim@sha256:<digest>   (docker buildx imagetools inspect node:20-bookworm-slim)

# --- build: every dependency, then `npm ci` runs the prepare script, which compiles src/ into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
# `npm run demo` starts the simulator and the exporter side by side from a checkout; a container runs one
# program (the compose demo profile runs them as two services), so dist/demo.js is not shipped. Plain rm:
# the build fails if the file is renamed, instead of shipping it silently.
RUN rm dist/demo.js dist/demo.js.map

# --- runtime: production dependencies only, installed afresh from the lockfile (no install scripts),
# plus the compiled dist/ from the build stage (without the demo). No compiler, test tools or sources.
FROM node:20-bookworm-slim AS runtime
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
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# dist/version.js reads ../package.json, which is /app/package.json here.
COPY --from=build /app/dist ./dist

# The node user (uid 1000) comes with the official image; the files above stay owned by root, read-only to it.
USER node
EXPOSE 9866
# Node's built-in fetch (the slim image has no curl or wget). PORT is the exporter's own variable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 9866) + '/healthz', { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (exec form, no shell): it gets SIGTERM itself, and the exporter exits 0 within 2 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
