#!/usr/bin/env bash
# Times every script under proofs/ as a whole process (`nncert check FILE`, its isolated claim child included):
# the median (BEST=1: the least) wall time and CPU time (user + system, children included) over RUNS runs, and flags each
# script over the 50 ms goal of issue 10. CPU time is the figure to compare on a shared machine: wall time grows
# with the load (`uptime` is printed first). Not part of the test suite. Results go in docs/benchmarks.md.
#   bench/proofs_bench.sh                         every script (but tests/long-scripts.txt's), 5 runs each
#   RUNS=9 NNCERT=/path/to/nncert bench/proofs_bench.sh proofs/gallery/*.nnc
#   PERF=1 bench/proofs_bench.sh ...               CPU time from `perf stat -e task-clock` (0.01 ms resolution)
#                                                  instead of /usr/bin/time's user + system (10 ms resolution)
#   BEST=1 bench/proofs_bench.sh ...               the best (least) of the runs instead of the median: the figure
#                                                  least disturbed by other processes on a shared machine
set -euo pipefail
cd "$(dirname "$0")/.."
nncert=${NNCERT:-./build/nncert}
runs=${RUNS:-5}
[ -x "$nncert" ] || { echo "no $nncert: build first (bash scripts/setup.sh)" >&2; exit 1; }
# Without arguments: every script but the long ones of tests/long-scripts.txt (tens of seconds each: bench/trap_bench.sh).
if [ $# -gt 0 ]; then scripts=("$@"); else
  mapfile -t scripts < <(find proofs -name '*.nnc' | sort | grep -v -x -F -f <(grep -v '^#' tests/long-scripts.txt))
fi
echo "== $(date -u '+%F %T UTC') $(uptime)"
printf '%-52s %10s %10s\n' script "wall ms" "cpu ms"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for f in "${scripts[@]}"; do
  walls=() cpus=()
  for _ in $(seq "$runs"); do
    if [ -n "${PERF:-}" ]; then
      # task-clock (ms, children included) and elapsed time, from perf's CSV output
      perf stat -x, -e task-clock -o "$tmp" "$nncert" check "$f" >/dev/null 2>&1 || true
      c1=$(grep task-clock "$tmp" | cut -d, -f1)
      start=$(date +%s%N); "$nncert" check "$f" >/dev/null 2>&1 || true; end=$(date +%s%N)
      walls+=("$(( (end - start) / 1000000 ))") cpus+=("$c1")
    else
      /usr/bin/time -f "%e %U %S" -o "$tmp" "$nncert" check "$f" >/dev/null 2>&1 || true
      read -r e u s < "$tmp"
      walls+=("$(echo "$e * 1000" | bc)") cpus+=("$(echo "($u + $s) * 1000" | bc)")
    fi
  done
  pick=$(( (runs + 1) / 2 )); [ -n "${BEST:-}" ] && pick=1
  w=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${pick}p")
  c=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${pick}p")
  flag=""; [ "$(echo "$c >= 50" | bc)" = 1 ] && flag="  over 50 ms CPU"
  printf '%-52s %10.0f %10.0f%s\n' "$f" "$w" "$c" "$flag"
done
