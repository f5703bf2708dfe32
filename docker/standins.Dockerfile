# Stand-in model servers for the compose `mock` profile (no GPU): one image, one role per container
#   docker build -f docker/standins.Dockerfile -t voice-avatar-standins .
#   docker run --rm -p 8080:8080 voice-avatar-standins stt
# Real light engines from Debian: pocketsphinx (English STT, via a small C worker compiled here)
# and espeak-ng (TTS). See packages/standins/README.md for what each stand-in reproduces.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- identical to docker/app.Dockerfile up to `deps` (shared build cache) ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' | tar -cf - -T - | tar -xf - -C /manifests \
 && cp package-lock.json .npmrc /manifests/

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
# --- end of the shared part ---

# The pocketsphinx worker, compiled by the stand-ins' own build helper (same flags as at run time).
FROM deps AS native
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev pkg-config libpocketsphinx-dev libsphinxbase-dev \
 && rm -rf /var/lib/apt/lists/*
COPY packages/standins ./packages/standins
RUN node --import tsx --input-type=module \
      -e "const m = await import('./packages/standins/src/engines/sphinx-build.ts'); console.log(await m.ensureSphinxWorker());"

FROM deps AS rtdeps
COPY docker/keep-deps.mjs /tmp/keep-deps.mjs
RUN node /tmp/keep-deps.mjs packages/standins pkg:tsx skip:onnxruntime-web skip:onnxruntime-node > /tmp/keep.txt \
 && mkdir /out && tar -cf - -T /tmp/keep.txt | tar -xf - -C /out

FROM ${NODE_IMAGE} AS runtime
# Japanese speech: Open JTalk and its dictionary (main) and voice (contrib, enabled with the same
# archive and keyring as main, as scripts/setup.sh does on a host)
COPY scripts/enable-contrib.sh /tmp/enable-contrib.sh
RUN apt-get update \
 && bash /tmp/enable-contrib.sh \
 && apt-get install -y --no-install-recommends pocketsphinx-en-us libpocketsphinx3 libsphinxbase3 espeak-ng \
    open-jtalk open-jtalk-mecab-naist-jdic hts-voice-nitech-jp-atr503-m001 \
 && rm -rf /var/lib/apt/lists/* /tmp/enable-contrib.sh
ENV NODE_ENV=production STANDIN_HOST=0.0.0.0
WORKDIR /app
COPY --from=rtdeps /out/ ./
COPY package.json tsconfig.base.json ./
COPY packages ./packages
COPY docker/healthcheck.mjs ./docker/
# ensureSphinxWorker() recompiles when the binary is older than sphinx-worker.c; a cached `native`
# layer can be older than a fresh checkout's source, so touch it: it never needs gcc here.
COPY --from=native /app/packages/standins/native/build/sphinx-worker ./packages/standins/native/build/sphinx-worker
RUN touch packages/standins/native/build/sphinx-worker
USER node
# No HEALTHCHECK here: each role has its own readiness route (set in docker-compose.yml).
ENTRYPOINT ["node", "--import", "tsx", "packages/standins/src/main.ts", "--only"]
CMD ["stt"]
