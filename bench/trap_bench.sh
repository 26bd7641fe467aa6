#!/usr/bin/env bash
# Times the trap and region claims (trap, trap-layer, local_min P in R, loss R in, gap R > Q, accuracy P in R)
# of proofs/traps/ and proofs/paper/ (theorem1-sigmoid.nnc when present: the issue-9 target is its trap < 10 s):
# per claim, the verdict, the route, the boxes the branch and bound (or the Hessian cover) assessed, and the
# kernel's time; then each script's whole-process wall time. Not part of the test suite; run it when the
# machine is idle (`uptime` is printed with the results). Results go in docs/benchmarks.md, "Traps".
#   bench/trap_bench.sh                       every script with a trap or region claim
#   bench/trap_bench.sh proofs/traps/one-unit.nnc ...
#   bench/trap_bench.sh --plateau-trap [N]     the 17-point axis-plateau trap (docs/paper.md, "Third attempt"), not in
#                                             any script: a scratch copy of proofs/paper/theorem1-sigmoid-axis-plateau.nnc
#                                             with only `claim trap bad in plateau` and `max_boxes N` (default 20000)
#   bench/trap_bench.sh --sigmoid-trap [N]    Theorem 1 with a sigmoid output, the fifth attempt's trap (docs/paper.md,
#                                             "Seventh attempt"): scripts/theorem1_sigmoid_apex.py script 5 10 0.4 0.4
#                                             with only its trap claim, `max_boxes N` (default 1000000) and no
#                                             --timeout; certified in 170,609 boxes, about 160-180 s of CPU
#                                             (2026-12-02, docs/benchmarks.md, "The Theorem 1 trap whole")
#   bench/trap_bench.sh --sigmoid-theorem     the same script with ALL its claims (the trap, the accuracy on its
#                                             sublevel set, the loss bound over the region, the gap, the two points'
#                                             loss and accuracy): Theorem 1 with a sigmoid output as one run, no
#                                             --timeout, about 4-5 min of CPU (with APEX="5 10 0.5 0.7" the claims of
#                                             proofs/paper/theorem1-sigmoid.nnc, which this script times without
#                                             arguments)
#   bench/trap_bench.sh --sigmoid-theorem-bce the same with cross-entropy (`script 5 10 0.4 0.4 --loss bce`, docs/paper.md,
#                                             "Eighth attempt"): all seven claims, about 7 min of CPU (2026-12-02)
#   APEX="LO HI R RC" before any of the three above: the apex script's region instead of 5 10 0.4 0.4, e.g.
#                                             APEX="5 10 0.5 0.7" (the margins search's output box, docs/paper.md,
#                                             "Ninth attempt": the trap in 81,096 boxes, 41 s wall idle, 2026-12-03;
#                                             "Tenth attempt": 80,975 boxes, 31 s wall, 52 s CPU; "Eleventh attempt":
#                                             the same boxes, 14.3 s wall, 25 s CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
nncert=${NNCERT:-./build/nncert}     # NNCERT=path/to/nncert to time another build
[ -x "$nncert" ] || bash scripts/setup.sh >/dev/null
out=build-bench/traps
mkdir -p "$out"
timeout_option=()
read -r -a apex <<< "${APEX:-5 10 0.4 0.4}"
if [ "${1:-}" = "--plateau-trap" ]; then
  scratch="$out/theorem1-sigmoid-axis-plateau-trap.nnc"
  { grep -v '^claim' proofs/paper/theorem1-sigmoid-axis-plateau.nnc; echo "max_boxes ${2:-20000}"
    echo "claim trap bad in plateau"; } > "$scratch"
  scripts=("$scratch")
elif [ "${1:-}" = "--sigmoid-trap" ]; then
  scratch="$out/theorem1-sigmoid-trap.nnc"
  { /usr/bin/python3 scripts/theorem1_sigmoid_apex.py script "${apex[@]}" | grep -v '^claim'
    echo "max_boxes ${2:-1000000}"; echo "claim trap bad in plateau"; } > "$scratch"
  timeout_option=(--timeout 0)
  scripts=("$scratch")
elif [ "${1:-}" = "--sigmoid-theorem" ]; then
  scratch="$out/theorem1-sigmoid.nnc"
  { /usr/bin/python3 scripts/theorem1_sigmoid_apex.py script "${apex[@]}" | grep -v '^max_boxes'
    echo "max_boxes 1000000"; } > "$scratch"
  timeout_option=(--timeout 0)
  scripts=("$scratch")
elif [ "${1:-}" = "--sigmoid-theorem-bce" ]; then
  scratch="$out/theorem1-sigmoid-bce.nnc"
  { /usr/bin/python3 scripts/theorem1_sigmoid_apex.py script "${apex[@]}" --loss bce | grep -v '^max_boxes'
    echo "max_boxes 1000000"; } > "$scratch"
  timeout_option=(--timeout 0)
  scripts=("$scratch")
elif [ $# -gt 0 ]; then scripts=("$@"); else
  mapfile -t scripts < <(grep -l -E '^claim (trap|local_min [A-Za-z0-9_]+ in|loss [A-Za-z0-9_]+ in|gap [A-Za-z0-9_]+ >|accuracy [A-Za-z0-9_]+ in)' \
    proofs/traps/*.nnc proofs/paper/*.nnc 2>/dev/null | sort)
fi
echo "== $(date -u '+%F %T UTC') $(uptime)"
for f in "${scripts[@]}"; do
  j="$out/$(basename "$f" .nnc).json"
  /usr/bin/time -q -f "%e" -o "$out/wall" "$nncert" check "${timeout_option[@]}" --json "$f" > "$j" || true
  echo "== $f: whole check $(cat "$out/wall") s wall"
  /usr/bin/python3 - "$j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
region_methods = {"trap", "trap-layer", "bounded-trap", "region-loss", "sublevel-accuracy", "no-minimum"}
for s in d["scripts"]:
    for c in s.get("claims", []):
        if c["method"] not in region_methods:
            continue
        ev = c.get("certificate") or c.get("witness") or c.get("evidence") or {}
        ev = ev if isinstance(ev, dict) else {}
        route = ev.get("route") or ev.get("lower_route") or "-"
        if "hessian_cover" in ev:
            boxes = f"{ev['hessian_cover']['boxes']} (Hessian cover)"
        elif "boxes" in ev:
            boxes = f"{ev['boxes']} (depth {ev.get('depth', '-')})"
        elif isinstance(ev.get("lower_search"), dict):
            boxes = f"{ev['lower_search'].get('boxes', '-')} (depth {ev['lower_search'].get('depth', '-')})"
        else:
            boxes = "-"
        print(f"  {c['claim']:<48} {c['verdict']:<12} {route:<18} boxes {boxes:<22} {c['time_us'] / 1e6:8.3f} s")
PY
done
