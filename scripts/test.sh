#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run runs exactly the README's test command, which is this script):
#   1. scripts/setup.sh: installs missing apt packages, builds the release build in build/;
#   2. ctest in build/: every unit test suite, every script under proofs/ and tests/scripts/ through the binary;
#   3. the binary and the fuzz harnesses built with clang-14, AddressSanitizer and UndefinedBehaviorSanitizer in
#      build-asan/ (-fno-sanitize-recover: any report fails), and every script test (proofs/, tests/scripts/) run
#      again through that binary; with NNCERT_SANITIZE_UNIT=1 also the unit tests built and run under the
#      sanitizers (the whole ctest suite in build-asan/);
#   4. a short libFuzzer run of every harness from that build (fuzz/run.sh, NNCERT_FUZZ_SECONDS each, default
#      20), after replaying every committed finding in fuzz/findings/.
# Exits non-zero at the first step that fails. Why the unit tests are sanitized on request only: compiling them
# a second time is about a third of the sanitizer build (47 of 155 files), which would put a fresh clone's run
# past 15 minutes on a 2-core machine, while the fuzz_check harness already runs the whole check path
# (parser, kernel, both engines) under the sanitizers on thousands of inputs a second. The measured times are
# in fuzz/README.md ("Cost of the test command"); a longer fuzzing run is documented there too.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { echo "test: $*" >&2; }

step "1/4 set-up and release build"
bash scripts/setup.sh

step "2/4 test suite (release build)"
ctest --test-dir build -j"$jobs" --output-on-failure

step "3/4 every script test through the binary built with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
if [ ! -f build-asan/CMakeCache.txt ]; then
  CXX=clang++-14 cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" -DNNCERT_FUZZ=ON >/dev/null
fi
targets=(nncert fuzz_parse fuzz_csv fuzz_check)
if [ "${NNCERT_SANITIZE_UNIT:-0}" = 1 ]; then targets=(all); fi
if ! cmake --build build-asan -j"$jobs" --target "${targets[@]}" >build-asan/build.log 2>&1; then
  tail -50 build-asan/build.log >&2
  echo "test: sanitizer build failed (build-asan/build.log)" >&2
  exit 1
fi
# Distinct exit codes, so a sanitizer report can never pass for an expected exit code of the checker.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=87:print_stacktrace=1}
# The release build's script runner starts the sanitized binary for every script (tests/unit/test_script_expectations.cpp).
# The mutants (one-token variants of proofs/, 82 scripts, 217 s sanitized under load) are left to the release
# run and to the fuzzers, which mutate far more; NNCERT_SANITIZE_UNIT=1 runs them sanitized too.
NNCERT_CHECK_BINARY="$(pwd)/build-asan/nncert" ctest --test-dir build -j"$jobs" -R '^scripts\.' -E 'mutants' --output-on-failure
if [ "${NNCERT_SANITIZE_UNIT:-0}" = 1 ]; then
  ctest --test-dir build-asan -j"$jobs" --output-on-failure
fi

step "4/4 short fuzzing run (fuzz/run.sh ${NNCERT_FUZZ_SECONDS:-20} s per harness)"
bash fuzz/run.sh "${NNCERT_FUZZ_SECONDS:-20}"
step "all passed"
