#!/usr/bin/env bash
# Sets up everything, starts a local Keystone with demo data and the contract test server, builds
# the console and serves it.
# Usage: scripts/dev.sh        (Ctrl-C stops the console and the servers this script started)
#   KEYRACK_PORT   the console's port on 127.0.0.1 (default 8080)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${KEYRACK_PORT:-8080}"
export KEYRACK_CORS_ORIGINS="${KEYRACK_CORS_ORIGINS:-http://127.0.0.1:$PORT,http://localhost:$PORT}"
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"

scripts/setup.sh

started_keystone=false
if ! scripts/keystone.sh status >/dev/null 2>&1; then
  scripts/keystone.sh start
  started_keystone=true
fi
started_contract=false
if ! scripts/contract_server.sh status >/dev/null 2>&1; then
  scripts/contract_server.sh start
  started_contract=true
fi
server_pid=""
cleanup() {
  # The server writes its own PID file: under pyenv, $! is the shim's PID, not Python's.
  [ -f .run/console.pid ] && kill "$(cat .run/console.pid)" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  if $started_contract; then scripts/contract_server.sh stop || true; fi
  if $started_keystone; then scripts/keystone.sh stop || true; fi
}
trap cleanup EXIT INT TERM

echo "[dev] building the console (release)"
trunk build --release --offline

mkdir -p .run
python3 scripts/spa_server.py --root dist --port "$PORT" --pid-file .run/console.pid &
server_pid=$!
cat <<MSG

  Keyrack is running: http://127.0.0.1:$PORT/
  It talks to the local Keystone at http://127.0.0.1:${KEYRACK_KEYSTONE_PORT:-5000}/v3, and for access keys and
  legacy v2.0 EC2 credentials (which no installable server speaks) to the project's contract TEST
  server at http://127.0.0.1:${KEYRACK_CONTRACT_PORT:-5100} (see public/config.json).

  Demo sign-ins (domain "Default"):
    admin / ${KEYRACK_ADMIN_PASSWORD:-keyrack-admin}   administrator (project "admin")
    alice / keyrack-alice   member of project "demo" (self-service)

  Ctrl-C stops the console and the servers this script started.
MSG
wait "$server_pid"
