#!/usr/bin/env bash
# One-step set-up on a fresh Debian machine (as root): installs whatever build dependency is missing,
# then configures and builds nncert into build/. Safe to re-run; apt is only called when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build: compiler, CMake, Boost, GMP, MPFR, MPFI, CLI11 (command line), git (the commit in --version),
# nlohmann-json and libzip (`nncert import`: safetensors headers, .npz archives), ICU (look-alike file names).
# Tests and `nncert plot`: matplotlib (figures), jsonschema (report schema), pdflatex (the LaTeX report),
# cmark-gfm (GitHub's Markdown renderer: the Markdown report's headings as rendered);
# dpkg-dev (dpkg-shlibdeps: the Debian package's Depends, `cpack -G DEB`).
# Sanitizer build and fuzzers (scripts/test.sh, fuzz/run.sh): clang-14 with its ASan/UBSan/libFuzzer
# runtimes (libclang-rt-14-dev), llvm-14 for llvm-symbolizer (readable sanitizer stack traces).
# (Optional, not installed here: python3-torch, only to re-make tests/fixtures/ with its Python scripts.)
packages=(cmake make g++ pkg-config git libboost-dev libboost-test-dev libgmp-dev libmpfr-dev libmpfi-dev libopenblas-dev libcli11-dev libicu-dev
          nlohmann-json3-dev libzip-dev clang-14 libclang-rt-14-dev llvm-14
          python3-matplotlib python3-jsonschema texlive-latex-base texlive-latex-recommended cmark-gfm dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt run instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# NNCERT_UNITY=ON (scripts/test.sh) compiles build/ as a unity build (CMakeLists.txt, NNCERT_UNITY); given on every
# run, OFF by default (file by file, as land.sh's release build), so that a build/ configured before follows it.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNNCERT_UNITY="${NNCERT_UNITY:-OFF}" >/dev/null
# NNCERT_BUILD_TARGETS (default: everything) lets scripts/test.sh build only the binary here.
if ! cmake --build build -j"$(nproc)" --target ${NNCERT_BUILD_TARGETS:-all} >build/build.log 2>&1; then
  cat build/build.log >&2
  echo "setup: build failed (log above, also in build/build.log)" >&2
  exit 1
fi
grep -i 'warning' build/build.log >&2 || true
