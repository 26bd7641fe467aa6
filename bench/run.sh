#!/usr/bin/env bash
# Builds the benchmarks and measures the speed goals side by side. Not part of the test suite.
#   bench/run.sh            all measurements (the SymPy comparison is capped at 15 minutes)
#   SKIP_SYMPY=1 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
command -v python3 >/dev/null && python3 -c 'import sympy' 2>/dev/null || apt-get install -y -qq python3-sympy >/dev/null
for p in libbenchmark-dev python3-mpmath python3-torch; do
  dpkg -s "$p" >/dev/null 2>&1 || apt-get install -y -qq "$p" >/dev/null
done
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNNCERT_BENCH=ON -DNNCERT_TESTS=OFF >/dev/null
cmake --build build-bench -j2 >/dev/null

# The long proof scripts (tests/long-scripts.txt, tens of seconds each) are timed by bench/trap_bench.sh, not here.
mapfile -t quick < <(find proofs -name '*.nnc' | sort | grep -v -x -F -f <(grep -v '^#' tests/long-scripts.txt))
echo "== every script under proofs/ but the long ones, whole process (10 runs)"
start=$(date +%s%N)
for _ in $(seq 10); do ./build/nncert check "${quick[@]}" >/dev/null; done
echo "mean $(( ($(date +%s%N) - start) / 10000000 )) ms per run"
for f in "${quick[@]}"; do
  s=$(date +%s%N); ./build/nncert check "$f" >/dev/null; echo "  $f $(( ($(date +%s%N) - s) / 1000000 )) ms"
done

echo "== exact kernel (Google Benchmark)"
./build-bench/bench/nncert_bench --benchmark_min_time=0.5

echo "== interval engine (Google Benchmark: proofs/smooth claims)"
./build-bench/bench/nncert_bench_interval --benchmark_min_time=0.2

echo "== certified strict minimum, 481 parameters on 1,000 points (tanh teacher), and PyTorch on the same"
/usr/bin/python3 bench/teacher_instance.py 10 40 1000 1e-20 > build-bench/large-teacher.nnc
/usr/bin/time -f "nncert: %e s, %M KB" ./build/nncert check build-bench/large-teacher.nnc | tail -1
/usr/bin/python3 bench/torch_teacher.py build-bench/large-teacher.nnc

echo "== 1,000 parameters on 1,000 points"
./build-bench/bench/nncert_bench_large 333 1000

if [ "${SKIP_SYMPY:-0}" != 1 ]; then
  echo "== SymPy on the 61-parameter, 100-point problem (same instance)"
  timeout 900 python3 bench/sympy_hessian.py 20 100 || echo "sympy: did not finish within 900 s"
fi
