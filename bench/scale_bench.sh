#!/usr/bin/env bash
# The issue-10 targets side by side, in one run: for each teacher instance (bench/teacher_instance.py 10 H M
# 1e-20: a 1-hidden-layer tanh network with p = 12 H + 1 parameters on M points), nncert's whole-process
# `check` of `strict_local_min teacher within 1e-20` (wall time, peak memory, engine) and PyTorch's float64
# Hessian + eigvalsh on the same instance (bench/torch_teacher.py). Then the 2-hidden-layer instance.
# Not part of the test suite. Run it when the machine is idle (`uptime` is printed with the results).
#   bench/scale_bench.sh            all sizes
#   SIZES="40:1000 80:1000" bench/scale_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for p in python3-torch python3-mpmath; do
  dpkg -s "$p" >/dev/null 2>&1 || apt-get install -y -qq "$p" >/dev/null
done
[ -x build/nncert ] || bash scripts/setup.sh >/dev/null
out=build-bench/scale
mkdir -p "$out"
echo "== $(date -u +%F) $(uptime)"
for size in ${SIZES:-40:1000 80:1000 160:4000 330:8000}; do
  h=${size%%:*}; m=${size##*:}
  f="$out/teacher-$h-$m.nnc"
  [ -s "$f" ] || /usr/bin/python3 bench/teacher_instance.py 10 "$h" "$m" 1e-20 > "$f"
  echo "== p = $((12 * h + 1)), m = $m"
  /usr/bin/time -f "nncert: %e s wall, %U s user, %S s sys, peak %M KB (parent)" \
    ./build/nncert check --json --timeout 0 --max-memory 0 "$f" > "$out/result-$h-$m.json"
  /usr/bin/python3 - "$out/result-$h-$m.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["scripts"]:
    for c in s.get("claims", []):
        print(f"  {c['verdict']} by {c['method']} [{c.get('engine')}] in {c['time_us'] / 1e6:.2f} s (kernel)")
PY
  # PyTorch under a 16 GiB address-space cap so that a failure to fit is reported instead of swapping others out.
  ( ulimit -v $((16 * 1024 * 1024)); /usr/bin/time -f "torch: %e s wall, peak %M KB" /usr/bin/python3 bench/torch_teacher.py "$f" ) \
    2>&1 | grep -v Warning || echo "torch: failed (out of memory under the 16 GiB cap?)"
done
echo "== 2-hidden-layer tanh network"
f="$out/teacher2.nnc"
[ -s "$f" ] || /usr/bin/python3 bench/teacher_instance.py 10 28 2000 1e-20 --second 24 > "$f"
/usr/bin/time -f "nncert: %e s wall, peak %M KB (parent)" ./build/nncert check --timeout 0 --max-memory 0 "$f" | head -1
