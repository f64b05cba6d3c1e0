# The preamble the bench scripts share; sourced, not run. A script starts with
#   set -euo pipefail
#   source "$(dirname "$0")/lib.sh"
# Sourcing it moves to the repository root (every path in the scripts is relative to it) and defines:
#   bench_host CONFIGURATION  sets $configuration and $host (src/Compression.Host/bin/CONFIGURATION/net10.0/compress.dll);
#                             exits 2 with "build first: dotnet build -c CONFIGURATION" when that host is not built.
#   bench_temp_work           sets $work to a new temporary folder, removed when the script exits.
#   bench_kept_work           sets $work to $BENCH_WORK (created if missing) or else a new temporary folder, kept when
#                             the script exits (its logs, results and the teacher caches in it serve a rerun).
#   bench_on_exit COMMAND     runs COMMAND (a shell string) when the script exits, however it exits; commands
#                             registered later run first. bench_temp_work's removal is registered this way.
# Variables starting with _bench are this file's own.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bench_host() {
  configuration="$1"
  host="src/Compression.Host/bin/${configuration}/net10.0/compress.dll"
  [ -f "$host" ] || { echo "build first: dotnet build -c ${configuration}" >&2; exit 2; }
}

_bench_exit_commands=()
_bench_run_exit_commands() {
  local i
  for ((i = ${#_bench_exit_commands[@]} - 1; i >= 0; i--)); do
    eval "${_bench_exit_commands[i]}" || true
  done
}
bench_on_exit() {
  _bench_exit_commands+=("$1")
  trap _bench_run_exit_commands EXIT
}

bench_temp_work() {
  work="$(mktemp -d)"
  bench_on_exit "rm -rf $(printf %q "$work")"
}

bench_kept_work() {
  work="${BENCH_WORK:-$(mktemp -d)}"
  mkdir -p "$work"
}
