#!/usr/bin/env bash
# Installs what the compose smoke test needs on a machine without a container registry:
# Docker (Debian docker.io), compose v1 (docker-compose), a running dockerd, and local builds of
# the base images our Dockerfiles name (node:20-bookworm-slim, postgres:15-bookworm) made by
# ../shared/tools/offline-base-images.sh. Where a registry is reachable, plain `docker pull` works
# instead and this script is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v docker-compose >/dev/null && ! docker compose version >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker.io docker-compose debootstrap >/dev/null
fi
tool=../shared/tools/offline-base-images.sh
if [ -x "$tool" ] || [ -f "$tool" ]; then
  $SUDO bash "$tool" --start-dockerd
else
  docker info >/dev/null 2>&1 || { echo "compose-setup: dockerd is not running and $tool is missing" >&2; exit 1; }
fi
