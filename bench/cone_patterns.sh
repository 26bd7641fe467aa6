#!/usr/bin/env bash
# activation-patterns' KKT cone tests (review of issue 12, finding 3): one relu unit with K data points on
# its kink, timed through the real binary. Not part of the test suite (tests never assert times).
#   bench/cone_patterns.sh [NNCERT_BINARY]       default ./build/nncert
# Two families, each for K = 8, 10, 12 (and 16, 20 for the independent one):
#   independent  d = K inputs in general position (the review's mkcone.py: x = (0, random ints), residuals
#                +-1): decided kink by kink; the old subset search took 1.7 s / 51 s / ~25 min for K = 8/10/12.
#   dependent    inputs (i, 0) in R^2 (all kinked inputs span 2 dimensions), residuals of one sign: every one
#                of the 2^K patterns is a linear program (the V-shaped minimum is certified).
# Prints K, the verdict, user CPU seconds, and the report's cone_tests / cone_pivots.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-./build/nncert}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

independent() {  # K: the review's generator (seed 5), in awk so no Python is needed
    awk -v K="$1" 'BEGIN {
        srand(5); print "nncert 1"; print "data {"
        for (i = 0; i < K; i++) {
            row = "  0"; for (j = 1; j < K; j++) row = row ", " int(rand() * 7) - 3
            print row " -> " (i % 2 == 0 ? -1 : 1)
        }
        print "}"; print "network {"; print "  input " K; print "  dense 1 relu"; print "  dense 1 identity"; print "}"
        print "loss sse"; w = "1"; for (j = 1; j < K; j++) w = w ", 0"
        print "point P {"; print "  W1 = [[" w "]]"; print "  b1 = [0]"; print "  W2 = [[1]]"; print "  b2 = [0]"; print "}"
        print "claim local_min P" }'
}

dependent() {  # K kinked inputs (i, 0) on the kink line x2 = 0, positive residuals, no output bias
    awk -v K="$1" 'BEGIN {
        print "nncert 1"; print "data {"
        for (i = 1; i <= K; i++) print "  " i ", 0 -> -" (i % 3 + 1)
        print "}"; print "network {"; print "  input 2"; print "  dense 1 relu"; print "  dense 1 identity nobias"; print "}"
        print "loss sse"; print "point p { W1 = [[0, 1]] b1 = [0] W2 = [[1]] }"; print "claim local_min p" }'
}

run() {  # family K
    "$1" "$2" >"$work/s.nnc"
    local out
    out=$( { /usr/bin/time -f '%U' "$bin" check --json --max-patterns 1048576 "$work/s.nnc" >"$work/out.json" || true; } 2>&1 | tail -1 )
    local verdict tests pivots
    verdict=$(grep -o '"verdict": *"[a-z]*"' "$work/out.json" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')
    tests=$(grep -o '"cone_tests": *"*[0-9]*' "$work/out.json" | head -1 | grep -o '[0-9]*$' || echo -)
    pivots=$(grep -o '"cone_pivots": *"*[0-9]*' "$work/out.json" | head -1 | grep -o '[0-9]*$' || echo -)
    printf '%-12s K = %-3s %-12s user %6ss  cone_tests %-8s cone_pivots %s\n' "$1" "$2" "$verdict" "$out" "${tests:--}" "${pivots:--}"
}

echo "# $(uptime)"
for k in 8 10 12 16 20; do run independent "$k"; done
for k in 8 10 12 14; do run dependent "$k"; done
