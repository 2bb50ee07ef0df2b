# Shared by the scripts that start and stop servers; sourced, not run.

# Prints the PID recorded in the file $1 if that process is alive; fails otherwise.
running_pid() {
  [ -f "$1" ] || return 1
  local pid
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Serves the build $DIST under /console on 127.0.0.1:$CONSOLE_PORT with $RUN/config.json as its
# config.json, starts chromedriver on $WEBDRIVER_PORT, waits until both answer, and exports the
# KEYRACK_E2E_* addresses the browser tests and the benchmark read (with $KEYSTONE_PORT,
# $ADMIN_PASSWORD and, when set, $CONTRACT_PORT). Sets server_pid and driver_pid for cleanup.
serve_console_for_browser() {
  python3 scripts/spa_server.py --root "$DIST" --port "$CONSOLE_PORT" --base /console \
    --file "config.json=$RUN/config.json" --pid-file "$RUN/console.pid" &
  server_pid=$!
  chromedriver --port="$WEBDRIVER_PORT" --log-level=SEVERE >"$RUN/chromedriver.log" 2>&1 &
  driver_pid=$!
  for _ in $(seq 1 50); do
    curl --silent --max-time 1 --fail "http://127.0.0.1:$WEBDRIVER_PORT/status" >/dev/null 2>&1 &&
      curl --silent --max-time 1 --fail "http://127.0.0.1:$CONSOLE_PORT/console/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  export KEYRACK_E2E_CONSOLE="http://127.0.0.1:$CONSOLE_PORT/console"
  export KEYRACK_E2E_IDENTITY="http://127.0.0.1:$KEYSTONE_PORT/v3"
  export KEYRACK_E2E_CONTRACT="http://127.0.0.1:${CONTRACT_PORT:-1}"
  export KEYRACK_E2E_ADMIN_PASSWORD="$ADMIN_PASSWORD"
  export KEYRACK_E2E_WEBDRIVER="http://127.0.0.1:$WEBDRIVER_PORT"
  export KEYRACK_E2E_DIST="$DIST"
}
