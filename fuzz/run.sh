#!/usr/bin/env bash
# Runs the libFuzzer harnesses of fuzz/ for a bounded time each, from the sanitizer build in build-asan/
# (clang-14; AddressSanitizer, UndefinedBehaviorSanitizer, libFuzzer coverage), which it configures and
# builds when needed.
#   fuzz/run.sh [SECONDS_PER_HARNESS] [HARNESS...]      default: 20 s each, every harness
# First every committed regression input (fuzz/findings/<harness>/) is replayed; then each harness runs
# from its corpus in build-asan/fuzz-corpus/<harness>/, seeded with every script and CSV file under proofs/
# and tests/scripts/ and with fuzz/seeds/<harness>/, with the dictionary fuzz/nncert.dict. A finding
# (crash, sanitizer report, violated property, input slower than the timeout) is saved under
# build-asan/fuzz-artifacts/ and makes the script exit 1: turn it into a test (a file in fuzz/findings/
# and, when it is a script, one in tests/scripts/), fix the cause, and run again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-20}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_parse fuzz_csv fuzz_check)
build=build-asan

if [ ! -f "$build/CMakeCache.txt" ]; then
  CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
    -DNNCERT_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${harnesses[@]}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -40 "$build/fuzz-build.log" >&2; echo "fuzz: build failed ($build/fuzz-build.log)" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# One harness: replay its findings, then fuzz it. Returns 1 on a finding.
fuzz_one() {
  local h=$1
  local bin="$build/fuzz/$h"
  local corpus="$build/fuzz-corpus/$h"
  local artifacts="$build/fuzz-artifacts/$h/"
  mkdir -p "$corpus" "$artifacts"
  # Regression inputs: each must run clean.
  if [ -d "fuzz/findings/$h" ] && [ -n "$(ls -A "fuzz/findings/$h")" ]; then
    if ! "$bin" -runs=0 "fuzz/findings/$h"/* >"$build/fuzz-$h-replay.log" 2>&1; then
      tail -30 "$build/fuzz-$h-replay.log" >&2; echo "fuzz: $h: a committed finding fails again" >&2; return 1
    fi
  fi
  local pattern max_len
  case $h in
    fuzz_csv) pattern='*.csv'; max_len=4096 ;;
    *) pattern='*.nnc'; max_len=8192 ;;
  esac
  local seeds="$build/fuzz-seeds/$h"
  rm -rf "$seeds"; mkdir -p "$seeds"
  # tests/scripts/mutants/ is left out of the seeds: ctest checks every mutant anyway, and mutants that run
  # a branch and bound to its box budget can take seconds each under the sanitizers, past the per-input timeout.
  find proofs tests/scripts -path tests/scripts/mutants -prune -o -name "$pattern" -size -"${max_len}"c \
    -exec cp -t "$seeds" {} + 2>/dev/null || true
  [ -d "fuzz/seeds/$h" ] && cp -r "fuzz/seeds/$h/." "$seeds/"
  echo "fuzz: $h for ${seconds} s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus inputs)" >&2
  if ! "$bin" "$corpus" "$seeds" -dict=fuzz/nncert.dict -max_total_time="$seconds" -max_len="$max_len" \
       -timeout=120 -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$artifacts" \
       >"$build/fuzz-$h.log" 2>&1; then
    tail -40 "$build/fuzz-$h.log" >&2
    echo "fuzz: $h found a problem; inputs saved under $artifacts" >&2
    return 1
  fi
  grep -E "stat::number_of_executed_units|cov: " "$build/fuzz-$h.log" | tail -2 | sed "s/^/fuzz: $h: /" >&2
}

# The harnesses run side by side, at most NNCERT_FUZZ_JOBS (default: the number of cores) at a time: each is
# one process on one core, so on 2 cores two of them fuzz for their full time together.
jobs=${NNCERT_FUZZ_JOBS:-$(nproc)}
status=0
running=0
for h in "${harnesses[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$h" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
