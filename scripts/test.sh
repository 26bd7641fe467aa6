#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run runs exactly the README's test command, which is this script):
#   1. scripts/setup.sh: installs missing apt packages, builds the release build in build/;
#   2. ctest in build/: every unit test suite, every script under proofs/ and tests/scripts/ through the binary;
#   3. the same suite built with clang-14, AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/
#      (-fno-sanitize-recover: any report fails the test that triggered it);
#   4. a short libFuzzer run of every harness from that build (fuzz/run.sh, NNCERT_FUZZ_SECONDS each, default
#      20), after replaying every committed finding in fuzz/findings/.
# Exits non-zero at the first step that fails. On the 2-core development machine a fresh clone takes about
# 13 minutes (docs/benchmarks.md); a longer fuzzing run is documented in fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { echo "test: $*" >&2; }

step "1/4 set-up and release build"
bash scripts/setup.sh

step "2/4 test suite (release build)"
ctest --test-dir build -j"$jobs" --output-on-failure

step "3/4 test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
if [ ! -f build-asan/CMakeCache.txt ]; then
  CXX=clang++-14 cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" -DNNCERT_FUZZ=ON >/dev/null
fi
if ! cmake --build build-asan -j"$jobs" >build-asan/build.log 2>&1; then
  tail -50 build-asan/build.log >&2
  echo "test: sanitizer build failed (build-asan/build.log)" >&2
  exit 1
fi
# Distinct exit codes, so a sanitizer report can never pass for an expected exit code of the checker.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=87:print_stacktrace=1}
ctest --test-dir build-asan -j"$jobs" --output-on-failure

step "4/4 short fuzzing run (fuzz/run.sh ${NNCERT_FUZZ_SECONDS:-20} s per harness)"
bash fuzz/run.sh "${NNCERT_FUZZ_SECONDS:-20}"
step "all passed"
