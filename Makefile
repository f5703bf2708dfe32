# Common commands. Compose v2 (`docker compose`) is used when present, else v1 (`docker-compose`).
#   make up-mock        stand-in model servers, no GPU        -> http://127.0.0.1:3000/
#   make up-prod        real model servers on the GPU (models under ./models, see
#                       docs/03_implementation/production_runtime.md)
#   make up-dev         real servers + bind mounts + hot reload (Vite on :5173)
#   make up-dev PROFILE=mock   hot reload against the stand-ins
#   make smoke          build, start `mock`, wait for /health + /ready, one voice turn, down -v
#                       measured on 2 busy cores: ~6 min when npm ci runs, ~4.5 min with the
#                       deps layer cached; +4-5 min for docker + base images on a fresh machine,
#                       so ~10-12 min of the 90-min CI budget (production_runtime.md section 7)
#   make ingest DOCS=./my-docs    index a folder into the running stack's index (app-data volume)
#   make logs [SVC=app]           follow logs; make down; make clean (also volumes + images)
SHELL := /bin/bash
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
PROFILE ?= mock
DEV_FILES := -f docker-compose.yml -f docker-compose.dev.yml
APP_SVC = $(if $(filter mock,$(PROFILE)),app-mock,app)
APP_PORT ?= 3000
DOCS ?= ./docs
SVC ?=
BENCH_TURNS ?= 10

.PHONY: help build build-dev config up up-mock up-prod up-dev down logs ps smoke ingest test bench clean

help:
	@sed -n '1,/^SHELL/p' Makefile | sed '$$d'

build:
	COMPOSE_PROFILES=$(PROFILE) $(COMPOSE) build

build-dev:
	COMPOSE_PROFILES=$(PROFILE) $(COMPOSE) $(DEV_FILES) build

# Validates the compose files for every profile (also the dev override).
config:
	@for p in prod dev mock; do \
	  COMPOSE_PROFILES=$$p $(COMPOSE) config -q && echo "docker-compose.yml [$$p] ok" || exit 1; \
	  COMPOSE_PROFILES=$$p $(COMPOSE) $(DEV_FILES) config -q && echo "+ docker-compose.dev.yml [$$p] ok" || exit 1; \
	done

up:
	COMPOSE_PROFILES=$(PROFILE) $(COMPOSE) up -d --build

up-mock:
	$(MAKE) up PROFILE=mock

up-prod:
	$(MAKE) up PROFILE=prod

up-dev:
	COMPOSE_PROFILES=$(if $(filter mock,$(PROFILE)),mock,dev) $(COMPOSE) $(DEV_FILES) up -d --build

down:
	COMPOSE_PROFILES=prod,dev,mock $(COMPOSE) $(DEV_FILES) down --remove-orphans

logs:
	COMPOSE_PROFILES=prod,dev,mock $(COMPOSE) logs -f --tail=200 $(SVC)

ps:
	COMPOSE_PROFILES=prod,dev,mock $(COMPOSE) ps

smoke:
	COMPOSE="$(COMPOSE)" bash scripts/compose-smoke.sh

# Indexes DOCS (md/pdf) with the stack's embedding server into the app-data volume; the running
# app sees the new index generation.
ingest:
	COMPOSE_PROFILES=$(PROFILE) $(COMPOSE) run --rm --no-deps -v "$(abspath $(DOCS)):/docs:ro" \
	  $(APP_SVC) node --import tsx apps/ingest/src/main.ts /docs

# Unit/contract tests run on the host (no containers needed).
test:
	npm test

# Latency benchmark against the running stack's WebSocket (host side, real speech fixtures).
bench:
	npx tsx apps/bench/src/main.ts --url ws://127.0.0.1:$(APP_PORT) --turns $(BENCH_TURNS)

clean:
	COMPOSE_PROFILES=prod,dev,mock $(COMPOSE) $(DEV_FILES) down -v --remove-orphans --rmi local
