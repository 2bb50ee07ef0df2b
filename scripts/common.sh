# Shared by the scripts that start and stop servers; sourced, not run.

# Prints the PID recorded in the file $1 if that process is alive; fails otherwise.
running_pid() {
  [ -f "$1" ] || return 1
  local pid
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
