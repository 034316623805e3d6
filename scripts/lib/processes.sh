# Background processes for the bench scripts, ended on exit. Source it, then:
#   start VAR CMD...   run CMD, wait for "listening on HOST:PORT"; sets VAR (port), VAR_pid
#   stop PID           end one process started here and forget it
# $work is a temporary folder removed on exit; add other pids to `pids` to have them ended.

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# In this shell, not a subshell, so the pid is kept for cleanup.
start() {
  local var=$1
  shift
  "$@" >"$work/$var.log" 2>&1 &
  pids+=($!)
  printf -v "${var}_pid" '%s' "$!"
  for _ in $(seq 100); do
    if grep -q "listening on" "$work/$var.log"; then
      printf -v "$var" '%s' "$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/$var.log" | head -1)"
      return
    fi
    sleep 0.05
  done
  echo "$var did not start:" >&2
  cat "$work/$var.log" >&2
  exit 1
}
