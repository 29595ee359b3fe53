# tools/lab/lib/common.sh: run directory, process and namespace bookkeeping, cleanup, bounded waits.
# Sourced by tools/lab/interop and tools/lab/bench. Network safety (DESIGN.md §8): the lab only
# creates namespaces named with its per-run prefix, only deletes those, and stops only the
# processes it started, by pid.

LAB_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_HOME="$(cd "$LAB_LIB/.." && pwd)"
LAB_REPO="$(cd "$LAB_HOME/../.." && pwd)"

LAB_ID="vl$$"          # per-run prefix of every namespace this run makes
LAB_RUN=""             # run directory: configs, logs, pcaps, pid files
LAB_KEEP=0             # 1: keep the run directory even when everything passed
LAB_FAILED=0           # set by callers when something failed (keeps the run directory)
LAB_PIDS=()            # every background process started, in start order
LAB_NS=()              # every namespace created, in creation order
LAB_VERBOSE=${LAB_VERBOSE:-0}

lab_log() { echo "[lab $(date +%H:%M:%S)] $*" >&2; }
lab_debug() { if [[ $LAB_VERBOSE -eq 1 ]]; then lab_log "$@"; fi; }
lab_die() { lab_log "error: $*"; exit 1; }

# lab_init NAME: creates the run directory and installs the cleanup trap.
lab_init() {
  [[ $(id -u) -eq 0 ]] || lab_die "the lab needs root (network namespaces, TUN/TAP)"
  LAB_RUN="/tmp/lab-$1-$(date +%Y%m%d-%H%M%S)-$$"
  mkdir -p "$LAB_RUN/pids"
  trap 'lab_cleanup' EXIT
  trap 'lab_log "interrupted"; LAB_FAILED=1; exit 130' INT TERM
  lab_log "run directory $LAB_RUN (namespaces ${LAB_ID}-*)"
}

# lab_ns SHORT: creates namespace ${LAB_ID}-SHORT (lo up, IPv6 off so the kernel sends nothing on
# its own, reverse-path filter off because routing through TUN devices is asymmetric); sets
# LAB_LAST_NS to its name (not printed: a command substitution would lose the bookkeeping).
lab_ns() {
  local ns="${LAB_ID}-$1"
  ip netns add "$ns" || lab_die "cannot create namespace $ns"
  LAB_NS+=("$ns")
  ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null
  ip -n "$ns" link set lo up
  LAB_LAST_NS=$ns
}

# lab_bg NAME LOG CMD...: starts CMD in the background (stdout+stderr to LOG), remembers its pid
# (also in $LAB_RUN/pids/NAME.pid); sets LAB_LAST_PID. Callers use `ip netns exec NS` inside CMD:
# ip execs the command, so the pid is the daemon's own.
lab_bg() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 </dev/null &
  LAB_LAST_PID=$!
  disown "$LAB_LAST_PID" 2>/dev/null || true # no "Killed" job notices; lab_stop polls by pid
  LAB_PIDS+=("$LAB_LAST_PID")
  echo "$LAB_LAST_PID" >"$LAB_RUN/pids/$name.pid"
  lab_debug "started $name pid $LAB_LAST_PID: $*"
}

# lab_alive PID: true while the process runs (and is not a zombie).
lab_alive() {
  local pid=$1 state
  [[ -n "$pid" ]] || return 1
  state=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
  [[ -n "$state" && "$state" != Z* ]]
}

# lab_stop PID [SIGNAL]: SIGTERM (or SIGNAL), wait up to 5 s, then SIGKILL and wait up to 2 s more.
lab_stop() {
  local pid=$1 sig=${2:-TERM} i
  [[ -n "$pid" ]] || return 0
  if lab_alive "$pid"; then
    kill -s "$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do lab_alive "$pid" || break; sleep 0.1; done
    if lab_alive "$pid"; then
      kill -s KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 20; i++)); do lab_alive "$pid" || break; sleep 0.1; done
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

# lab_cleanup: stops every started process (newest first, by pid) and deletes exactly the
# namespaces this run created. Runs on EXIT (the INT/TERM traps exit through it).
lab_cleanup() {
  local rc=$? i ns
  trap - EXIT INT TERM
  if declare -F lab_cleanup_hook >/dev/null; then lab_cleanup_hook || true; fi
  for ((i = ${#LAB_PIDS[@]} - 1; i >= 0; i--)); do lab_stop "${LAB_PIDS[$i]}"; done
  for ((i = ${#LAB_NS[@]} - 1; i >= 0; i--)); do
    ns=${LAB_NS[$i]}
    ip netns del "$ns" 2>/dev/null || true
  done
  if [[ -n "$LAB_RUN" && -d "$LAB_RUN" ]]; then
    if [[ $LAB_KEEP -eq 0 && $LAB_FAILED -eq 0 && $rc -eq 0 ]]; then
      rm -rf "$LAB_RUN"
    else
      lab_log "kept run directory $LAB_RUN"
    fi
  fi
  exit "$rc"
}

# lab_wait SECONDS CMD...: runs CMD every 0.1 s until it succeeds; false after SECONDS
# (bounded in count: SECONDS*10 tries, and in time).
lab_wait() {
  local secs=$1 tries i end
  shift
  tries=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 10 }')
  end=$((SECONDS + ${secs%.*} + 2))
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    ((SECONDS > end)) && return 1
    sleep 0.1
  done
  return 1
}

# lab_ms: milliseconds since the epoch.
lab_ms() { date +%s%3N; }

# lab_size FILE: current size in bytes (0 when missing); with lab_grep_since, a log "mark".
lab_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# lab_grep_since FILE OFFSET ERE: true when the part of FILE after byte OFFSET matches ERE.
# (grep -c reads to the end: with -q, tail could die of SIGPIPE and pipefail would report a miss)
lab_grep_since() {
  local n
  n=$(tail -c +$(($2 + 1)) "$1" 2>/dev/null | grep -Ec -- "$3")
  [[ ${n:-0} -gt 0 ]]
}
