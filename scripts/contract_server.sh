#!/usr/bin/env bash
# The contract TEST server for the two credential APIs no installable server speaks (v2.0 OS-KSADM
# EC2 and IAM OS-CREDENTIAL access keys), built from their API documents; tokens are validated by
# the local Keystone. Usage: scripts/contract_server.sh start|stop|status
#
# Settings (environment):
#   KEYRACK_CONTRACT_PORT          port on 127.0.0.1                        (default 5100)
#   KEYRACK_KEYSTONE_PORT          the Keystone that validates tokens       (default 5000)
#   KEYRACK_CORS_ORIGINS           comma-separated console origins          (default http://127.0.0.1:8080,http://localhost:8080)
#   KEYRACK_CONTRACT_TEST_ROUTES   1: serve the /test-only/ routes (tests)  (default off)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=common.sh
. "$ROOT/scripts/common.sh"
PORT="${KEYRACK_CONTRACT_PORT:-5100}"
KEYSTONE="http://127.0.0.1:${KEYRACK_KEYSTONE_PORT:-5000}/v3"
ORIGINS="${KEYRACK_CORS_ORIGINS:-http://127.0.0.1:8080,http://localhost:8080}"
DIR="$ROOT/.run/contract-$PORT"
PIDFILE="$DIR/server.pid"
BINARY="$ROOT/target/debug/keyrack-contract-server"

say() { printf '[contract-server] %s\n' "$*"; }


answers() {
  # Any HTTP answer will do (an unauthenticated request answers 401).
  curl --silent --max-time 2 --output /dev/null "http://127.0.0.1:$PORT/v3.0/OS-CREDENTIAL/credentials" 2>/dev/null
}

start() {
  if pid="$(running_pid "$PIDFILE")"; then
    say "already running (pid $pid) on http://127.0.0.1:$PORT"
    return 0
  fi
  mkdir -p "$DIR"
  (cd "$ROOT" && cargo build --quiet -p keyrack-contract-server)
  local flags=()
  [ "${KEYRACK_CONTRACT_TEST_ROUTES:-}" = "1" ] && flags+=(--test-routes)
  "$BINARY" --port "$PORT" --keystone "$KEYSTONE" --allowed-origin "$ORIGINS" \
    --pid-file "$PIDFILE" "${flags[@]}" >>"$DIR/server.log" 2>&1 &
  for _ in $(seq 1 50); do
    answers && break
    sleep 0.2
  done
  if ! answers; then
    say "did not answer; see $DIR/server.log"
    exit 1
  fi
  say "ready on http://127.0.0.1:$PORT (a test server; tokens validated by $KEYSTONE)"
}

stop() {
  if pid="$(running_pid "$PIDFILE")"; then
    kill "$pid"
    rm -f "$PIDFILE"
    say "stopped (pid $pid)"
  else
    say "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid "$PIDFILE")"; then say "running (pid $pid) on http://127.0.0.1:$PORT"; else say "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
