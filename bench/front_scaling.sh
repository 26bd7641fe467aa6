#!/usr/bin/env bash
# Front-end scaling (issue 8): inputs that used to cost quadratic or unbounded time, timed through the real
# binary, and the memory of the largest scripts. Not part of the test suite (tests never assert times).
#   bench/front_scaling.sh [NNCERT_BINARY]       default ./build/nncert
# Each case prints wall time (and peak resident memory where it matters); docs/benchmarks.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-./build/nncert}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
net='network {
  input 1
  dense 1 identity
}
loss sse
'
head="nncert 1
data {
  0 -> 0
  1 -> 1
}
$net"
timed() {  # label, command...: wall and CPU (user + system) seconds, peak resident memory
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  read -r wall user sys rss < <(tail -1 "$work/time")
  echo "$label: ${wall} s wall, $(echo "$user + $sys" | bc) s CPU, peak $(( rss / 1024 )) MiB"
}

# 50,000 points and 50,000 claims naming them (used to take 25 s in name scans): parse and print.
{ printf '%s' "$head"
  for i in $(seq 0 49999); do echo "point p$i { W1 = [[1]] b1 = [0] }"; done
  for i in $(seq 49999 -1 0); do echo "claim loss p$i = 0"; done; } >"$work/points.nnc"
timed "print: 50,000 points and 50,000 claims" "$bin" print "$work/points.nnc"

# One CSV line of 400 KB (100,000 fields; columns used to be recomputed per field: 10 s), read to its end and then
# refused for its width (a first field `x` made it a header candidate refused at its first field: nothing timed).
{ printf '0'; for i in $(seq 99999); do printf ',0'; done; echo; } >"$work/wide.csv"
{ echo 'nncert 1'; echo 'data "wide.csv"'; printf '%s' "$net"; } >"$work/wide.nnc"
timed "check: a CSV line of 400 KB" "$bin" check "$work/wide.nnc"

# 1e1000 * 1e1000 * ... with 10,000 factors (116 s before the bound on expression results), ten factors a line
# (a claim's tokens end within column 160, the view rule: on one line the script is refused as layout at once).
{ printf '%spoint p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 1e1000' "$head"
  for i in $(seq 9999); do printf ' * 1e1000'; if (( i % 10 == 0 )); then printf '\n '; fi; done; echo; } >"$work/product.nnc"
timed "check: a product of 10,000 factors 1e1000" "$bin" check "$work/product.nnc"

# Memory per byte of script: five million rows `0 -> 0` (45 MB; one-character numbers are the worst case).
{ echo 'nncert 1'; echo 'data {'; awk 'BEGIN { for (i = 0; i < 5000000; i++) print "  0 -> 0" }'; echo '}'
  printf '%s' "$net"; printf 'point p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n'; } >"$work/rows.nnc"
echo "rows.nnc: $(stat -c %s "$work/rows.nnc") bytes"
timed "print: 5,000,000 data rows (45 MB)" "$bin" print "$work/rows.nnc"
