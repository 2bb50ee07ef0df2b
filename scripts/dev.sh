#!/usr/bin/env bash
# Sets up everything, starts a local Keystone with demo data, builds the console and serves it.
# Usage: scripts/dev.sh        (Ctrl-C stops the console and the Keystone this script started)
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
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
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
  It talks to the local Keystone at http://127.0.0.1:${KEYRACK_KEYSTONE_PORT:-5000}/v3 (see public/config.json).

  Demo sign-ins (domain "Default"):
    admin / ${KEYRACK_ADMIN_PASSWORD:-keyrack-admin}   administrator (project "admin")
    alice / keyrack-alice   member of project "demo" (self-service)

  Ctrl-C stops the console and the Keystone this script started.
MSG
wait "$server_pid"
