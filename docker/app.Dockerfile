# The app: Node server (TypeScript run by tsx) serving the built web client.
#   docker build -f docker/app.Dockerfile -t voice-avatar-app .
# Written for the classic builder as well as BuildKit (no RUN --mount, no heredocs), because
# docker-compose 1.29 builds through the classic API.
#
# Stages: manifests -> deps (build tools + npm ci) -> web (vite build) -> rtdeps (runtime
# node_modules only) -> runtime (node:20-bookworm-slim, user node). Targets `deps` (dev override:
# full toolchain + all dependencies) and `runtime` (default).
ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package.json files, so `npm ci` re-runs only when a manifest or the lockfile changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' | tar -cf - -T - | tar -xf - -C /manifests \
 && cp package-lock.json .npmrc /manifests/

# Build toolchain + every dependency from the lockfile. hnswlib-node compiles with node-gyp
# (N-API, so any Node >= 18 headers do); node-gyp cannot download headers offline, so point it at
# the image's own (/usr/local/include/node in the official image) or Debian's libnode-dev.
# Keep this stage identical in docker/standins.Dockerfile: the two builds then share its cache.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && if [ -f /usr/local/include/node/node_api.h ]; then nodedir=/usr/local; \
    else apt-get install -y --no-install-recommends libnode-dev && nodedir=/usr; fi \
 && rm -rf /var/lib/apt/lists/* \
 && echo "nodedir=$nodedir" >> /usr/local/etc/npmrc
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force \
 && node -e "require('hnswlib-node')" \
 && rm -rf /root/.cache

# The web client, built once into apps/web/dist (served by the server).
FROM deps AS web
COPY . .
RUN node_modules/.bin/vite build --config apps/web/vite.config.ts

# Runtime node_modules: what apps/server, apps/ingest, apps/bench and apps/doctor need (+ tsx), nothing the
# web client or the tests need. onnxruntime-node keeps only this platform's CPU binary.
FROM deps AS rtdeps
COPY docker/keep-deps.mjs /tmp/keep-deps.mjs
RUN node /tmp/keep-deps.mjs apps/server apps/ingest apps/bench apps/doctor pkg:tsx skip:onnxruntime-web > /tmp/keep.txt \
 && mkdir /out && tar -cf - -T /tmp/keep.txt | tar -xf - -C /out \
 && arch=$(node -p process.arch) \
 && for d in /out/node_modules/onnxruntime-node/bin/napi-v*; do \
      [ -d "$d" ] || continue; \
      find "$d" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +; \
      find "$d/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} +; \
    done

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    STANDINS=off
WORKDIR /app
# Heaviest and least often changed first.
COPY --from=rtdeps /out/ ./
COPY --from=web /app/apps/web/dist ./apps/web/dist
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "docker/healthcheck.mjs"]
# One process (no tsx wrapper process), so SIGTERM reaches the server; compose adds `init: true`.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
