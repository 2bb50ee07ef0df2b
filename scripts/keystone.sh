#!/usr/bin/env bash
# A real OpenStack Keystone 30 on loopback, for local use and for the end-to-end tests.
# Usage: scripts/keystone.sh start|stop|status|reset
#
# Settings (environment):
#   KEYRACK_KEYSTONE_PORT     port on 127.0.0.1                 (default 5000)
#   KEYRACK_KEYSTONE_DIR      data, keys, logs and PID file     (default .run/keystone-$PORT)
#   KEYRACK_CORS_ORIGINS      comma-separated console origins   (default http://127.0.0.1:8080,http://localhost:8080)
#   KEYRACK_ADMIN_PASSWORD    the bootstrap admin's password    (default keyrack-admin)
#
# `start` creates and seeds the database on first use (an admin, a member user, a project and
# credentials of every v3 type), then serves it with gunicorn and waits until Keystone answers.
# `stop` stops only the process this script started, by its PID file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=common.sh
. "$ROOT/scripts/common.sh"
VENV="$ROOT/.venv-keystone"
PORT="${KEYRACK_KEYSTONE_PORT:-5000}"
DIR="${KEYRACK_KEYSTONE_DIR:-$ROOT/.run/keystone-$PORT}"
ORIGINS="${KEYRACK_CORS_ORIGINS:-http://127.0.0.1:8080,http://localhost:8080}"
ADMIN_PASSWORD="${KEYRACK_ADMIN_PASSWORD:-keyrack-admin}"
URL="http://127.0.0.1:$PORT/v3"
PIDFILE="$DIR/keystone.pid"
CONF="$DIR/keystone.conf"

say() { printf '[keystone] %s\n' "$*"; }
# keystone-manage warns about its own eventlet use on every call; that says nothing to our users.
export PYTHONWARNINGS="ignore::DeprecationWarning"


answers() {
  curl --silent --max-time 2 --output /dev/null --fail "$URL" 2>/dev/null
}

write_config() {
  mkdir -p "$DIR/fernet-keys" "$DIR/credential-keys"
  cat >"$CONF" <<EOF
[DEFAULT]
log_file = $DIR/keystone.log
[database]
connection = sqlite:///$DIR/keystone.db
[fernet_tokens]
key_repository = $DIR/fernet-keys
[fernet_receipts]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
[identity]
# Fast hashing: this is a local test server, not a production identity store.
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memory
EOF
}

manage() {
  "$VENV/bin/keystone-manage" --config-file "$CONF" "$@"
}

bootstrap() {
  say "creating a new Keystone in $DIR"
  write_config
  local owner=()
  [ "$(id -u)" -eq 0 ] && owner=(--keystone-user root --keystone-group root)
  manage db_sync
  manage fernet_setup "${owner[@]}"
  manage credential_setup "${owner[@]}"
  manage bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-admin-url "$URL/" --bootstrap-public-url "$URL/" \
    --bootstrap-internal-url "$URL/" --bootstrap-region-id RegionOne
}

start() {
  if pid="$(running_pid "$PIDFILE")"; then
    say "already running (pid $pid) at $URL"
    return 0
  fi
  if [ ! -x "$VENV/bin/keystone-manage" ]; then
    say "Keystone is not installed: run scripts/setup.sh first"
    exit 1
  fi
  if answers; then
    say "something else already answers at $URL; stop it or choose another KEYRACK_KEYSTONE_PORT"
    exit 1
  fi
  [ -f "$DIR/keystone.db" ] || bootstrap
  write_config
  say "starting on $URL (CORS origins: $ORIGINS)"
  # Keystone's CORS middleware reads its options from the environment, not from this file.
  # KEYRACK_KEYSTONE_ACCESS_LOG: a file where gunicorn writes each request's method, path, status
  # and time spent in the server in ms (scripts/bench.sh reads it).
  local access_log=()
  if [ -n "${KEYRACK_KEYSTONE_ACCESS_LOG:-}" ]; then
    access_log=(--access-logfile "$KEYRACK_KEYSTONE_ACCESS_LOG" --access-logformat "%(m)s %(U)s %(s)s %(M)s")
  fi
  OS_KEYSTONE_CONFIG_FILES="$CONF" OS_CORS__ALLOWED_ORIGIN="$ORIGINS" \
    PYTHONPATH="$ROOT/scripts" "$VENV/bin/gunicorn" keystone_wsgi:application \
    --workers 1 --bind "127.0.0.1:$PORT" --no-control-socket --daemon \
    --pid "$PIDFILE" --error-logfile "$DIR/gunicorn.log" --chdir "$DIR" "${access_log[@]}"
  for _ in $(seq 1 120); do
    if answers; then
      break
    fi
    sleep 0.5
  done
  if ! answers; then
    say "Keystone did not answer within 60 s; see $DIR/gunicorn.log and $DIR/keystone.log"
    stop || true
    exit 1
  fi
  if [ ! -f "$DIR/seeded" ]; then
    "$VENV/bin/python" "$ROOT/scripts/seed_keystone.py" "$URL" "$ADMIN_PASSWORD"
    touch "$DIR/seeded"
  fi
  say "ready at $URL (pid $(running_pid "$PIDFILE"))"
}

stop() {
  if pid="$(running_pid "$PIDFILE")"; then
    kill "$pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$PIDFILE"
    say "stopped (pid $pid)"
  else
    say "not running"
  fi
}

status() {
  if pid="$(running_pid "$PIDFILE")"; then
    if answers; then say "running (pid $pid) at $URL"; else say "process $pid is up but $URL does not answer"; fi
  else
    say "not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$DIR"; say "removed $DIR" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
