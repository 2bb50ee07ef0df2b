#!/usr/bin/env bash
# Measures the console's size and speed (figures, not a test): the release build in headless
# Chromium against a local Keystone holding 1,000 credentials, and `openstack credential list`
# (python-openstackclient, installed into .venv-openstackclient/) over the same credentials.
# The benchmark Keystone keeps its data under .run/bench/ between runs (seeded once).
# Usage: scripts/bench.sh
#        KEYRACK_BENCH_LATENCY_MS=50 scripts/bench.sh   (the browser's every request 50 ms slower,
#        as over a real network; Chromium's network emulation)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/common.sh
source scripts/common.sh
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"

KEYSTONE_PORT=5003
CONSOLE_PORT=8097
WEBDRIVER_PORT=9517
RUN="$ROOT/.run/bench"
DIST="$ROOT/target/bench-dist"
ADMIN_PASSWORD="keyrack-bench-admin"
OSC_VENV="$ROOT/.venv-openstackclient"

step() { printf '\n== %s\n' "$*"; }

scripts/setup.sh
if ! "$OSC_VENV/bin/openstack" --version >/dev/null 2>&1; then
  step "installing python-openstackclient into .venv-openstackclient/ (once)"
  python3 -m venv "$OSC_VENV"
  "$OSC_VENV/bin/pip" install --quiet --disable-pip-version-check python-openstackclient
fi

step "release build, served under /console/"
trunk build --release --offline --public-url /console/ --dist "$DIST"
cargo build --quiet --release -p keyrack-e2e --bin bench

mkdir -p "$RUN"
server_pid=""
driver_pid=""
started_keystone=false
export KEYRACK_KEYSTONE_PORT=$KEYSTONE_PORT KEYRACK_KEYSTONE_DIR="$RUN/keystone"
export KEYRACK_CORS_ORIGINS="http://127.0.0.1:$CONSOLE_PORT" KEYRACK_ADMIN_PASSWORD="$ADMIN_PASSWORD"
# Keystone started here logs the time it spends in the server on each request; the bench reads it.
export KEYRACK_KEYSTONE_ACCESS_LOG="$RUN/keystone-access.log"
cleanup() {
  [ -f "$RUN/console.pid" ] && kill "$(cat "$RUN/console.pid")" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
  if $started_keystone; then scripts/keystone.sh stop >/dev/null || true; fi
}
trap cleanup EXIT INT TERM

if ! scripts/keystone.sh status >/dev/null 2>&1; then
  rm -f "$KEYRACK_KEYSTONE_ACCESS_LOG"
  scripts/keystone.sh start
  started_keystone=true
fi
cat >"$RUN/config.json" <<JSON
{ "clouds": [ { "name": "Local Keystone (benchmark)", "identity_url": "http://127.0.0.1:$KEYSTONE_PORT/v3" } ] }
JSON
serve_console_for_browser

step "measuring"
KEYRACK_BENCH_OPENSTACK="$OSC_VENV/bin/openstack" target/release/bench
