#!/usr/bin/env bash
# Adds Debian's contrib component (same archive, suites and keyring as the main sources) for the
# Open JTalk voice package. Idempotent; handles deb822 (*.sources) and one-line sources.list.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
out=/etc/apt/sources.list.d/va-contrib.list
[ -f "$out" ] && exit 0
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  u=$(awk '/^URIs:/{print $2; exit}' "$f")
  if [ -n "$u" ] && ! echo "$u" | grep -q security; then uri=$u; keyring=$(awk '/^Signed-By:/{print $2; exit}' "$f"); break; fi
done
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
fi
[ -n "$uri" ] || uri=http://deb.debian.org/debian
opt=""; [ -n "${keyring:-}" ] && opt="[signed-by=$keyring] "
echo "deb ${opt}${uri} ${codename} contrib" | $SUDO tee "$out" >/dev/null
echo "setup: enabled ${codename} contrib from ${uri}" >&2
$SUDO apt-get update -qq
