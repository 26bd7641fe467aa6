#!/usr/bin/env bash
# The issue-10 table side by side with PyTorch, in one run: for each teacher instance (bench/teacher_instance.py
# 10 H M 1e-20: a 1-H-1 tanh network, p = 12 H + 1 parameters, M points; and the 2-hidden-layer 10-28-24-1
# network, p = 1,029, on 2,000 points) nncert's whole-process `check` of `strict_local_min teacher within 1e-20`
# and PyTorch's float64 Hessian + eigvalsh on the same instance (bench/torch_teacher.py), each under
# /usr/bin/time -v (wall, user and system CPU, peak resident memory). Then a Markdown table with the ratios to
# PyTorch and the growth exponents of nncert's time in p (at fixed m) and in m (at fixed p).
# Not part of the test suite. Run it without `nice` on an idle machine (`uptime` is printed before each row).
#   bench/scale_bench.sh                        every row (p = 481, 961, 961, 1921, 3961; the 2-layer network)
#   SIZES="40:1000 80:1000" DEEP=0 bench/scale_bench.sh
#   NNCERT=/path/to/nncert TORCH=0 bench/scale_bench.sh   (another build; skip PyTorch)
# Instances are written once to build-bench/scale/ (the 3,961-parameter one takes minutes of mpmath).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages for the instance generator and the comparison (not build dependencies: not in setup.sh).
# As in scripts/setup.sh: refresh the package lists first, since stale lists make the install fail.
missing=()
for p in python3-torch python3-mpmath time; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scale_bench: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nncert=${NNCERT:-build/nncert}
[ -x "$nncert" ] || bash scripts/setup.sh >/dev/null
out=build-bench/scale
mkdir -p "$out"
results="$out/results.tsv"
: > "$results"

# Seconds from /usr/bin/time -v's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33".
field() { grep -F "$1" "$2" | head -1 | sed 's/.*: //'; }
wall_seconds() { field "Elapsed (wall clock)" "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; print s }'; }

# run_row NAME P M FILE: one row of the table (nncert, then PyTorch), appended to $results.
run_row() {
  local name=$1 p=$2 m=$3 f=$4 tag
  tag=$(basename "$f" .nnc)
  echo "== $name: p = $p, m = $m   ($(date -u +%T) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -v -o "$out/time-nncert-$tag.txt" \
    "$nncert" check --json --timeout 0 --max-memory 0 "$f" > "$out/result-$tag.json" || true
  local verdict
  verdict=$(/usr/bin/python3 - "$out/result-$tag.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    c = [c for s in d["scripts"] for c in s.get("claims", [])][0]
    print(f"{c['verdict']} {c['method']} {c.get('engine')} {c['time_us'] / 1e6:.2f}")
except Exception as e:
    print(f"failed - - -")
PY
)
  local nw nu ns nm
  nw=$(wall_seconds "$out/time-nncert-$tag.txt"); nu=$(field "User time" "$out/time-nncert-$tag.txt")
  ns=$(field "System time" "$out/time-nncert-$tag.txt"); nm=$(field "Maximum resident set size" "$out/time-nncert-$tag.txt")
  nm=${nm:-0}
  echo "  nncert: $verdict (verdict, method, engine, kernel s); $nw s wall, $nu s user, $ns s sys, peak $((nm / 1024)) MB"
  local tw=- tu=- tm=- th=- te=-
  if [ "${TORCH:-1}" != 0 ]; then
    # Under a 16 GiB address-space cap, so that a failure to fit is reported instead of swapping the others out.
    if ( ulimit -v $((16 * 1024 * 1024)); /usr/bin/time -v -o "$out/time-torch-$tag.txt" \
           /usr/bin/python3 bench/torch_teacher.py "$f" > "$out/torch-$tag.txt" 2> "$out/torch-$tag.err" ); then
      tw=$(wall_seconds "$out/time-torch-$tag.txt"); tu=$(field "User time" "$out/time-torch-$tag.txt")
      tm=$(( $(field "Maximum resident set size" "$out/time-torch-$tag.txt") / 1024 ))
      th=$(sed -n 's/.*Hessian \([0-9.]*\) s.*/\1/p' "$out/torch-$tag.txt")
      te=$(sed -n 's/.*eigvalsh \([0-9.]*\) s.*/\1/p' "$out/torch-$tag.txt")
      echo "  $(cat "$out/torch-$tag.txt")"
      echo "  torch process: $tw s wall, $tu s user, peak $tm MB"
    else
      # The script's own last line says why (a MemoryError under the 16 GiB cap, or any other error).
      echo "  torch: failed: $(tail -1 "$out/torch-$tag.err")"
      tw=failed
    fi
  fi
  local fields=("$name" "$p" "$m" $verdict "$nw" "$nu" "$((nm / 1024))" "$tw" "$tu" "$tm" "$th" "$te")
  (IFS=$'\t'; echo "${fields[*]}") >> "$results"
}

echo "== $(date -u '+%F %T') UTC; $(nproc) cores; uptime: $(uptime)"
for size in ${SIZES:-40:1000 80:1000 80:4000 160:4000 330:8000}; do
  h=${size%%:*}; m=${size##*:}
  f="$out/teacher-$h-$m.nnc"
  [ -s "$f" ] || { /usr/bin/python3 bench/teacher_instance.py 10 "$h" "$m" 1e-20 > "$f.tmp" && mv "$f.tmp" "$f"; }
  run_row "1 hidden layer (10-$h-1)" $((12 * h + 1)) "$m" "$f"
done
if [ "${DEEP:-1}" != 0 ]; then
  f="$out/teacher2.nnc"
  [ -s "$f" ] || { /usr/bin/python3 bench/teacher_instance.py 10 28 2000 1e-20 --second 24 > "$f.tmp" && mv "$f.tmp" "$f"; }
  run_row "2 hidden layers (10-28-24-1)" 1029 2000 "$f"
fi
echo "== done $(date -u +%T) UTC; uptime: $(uptime)"

/usr/bin/python3 - "$results" <<'PY'
import math, sys
rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    rows.append(dict(name=f[0], p=int(f[1]), m=int(f[2]), verdict=f[3], method=f[4], engine=f[5], kernel=f[6],
                     wall=float(f[7]), user=float(f[8]), mb=int(f[9]), twall=f[10], tuser=f[11], tmb=f[12],
                     thess=f[13], teig=f[14]))
num = lambda s: float(s) if s not in ("-", "failed", "") else None
print()
print("| instance | p | m | nncert verdict | nncert wall | nncert user CPU | nncert peak | PyTorch Hessian + eigvalsh "
      "(process wall / user CPU / peak) | wall ratio nncert / PyTorch | CPU ratio |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    tw, tu = num(r["twall"]), num(r["tuser"])
    torch = "-" if r["twall"] == "-" else ("failed" if tw is None else
            f"{r['thess']} s + {r['teig']} s ({tw:.2f} s / {tu:.2f} s / {r['tmb']} MB)")
    ratio = f"{r['wall'] / tw:.2f}" if tw else "-"
    cratio = f"{r['user'] / tu:.2f}" if tu else "-"
    print(f"| {r['name']} | {r['p']:,} | {r['m']:,} | {r['verdict']} ({r['method']}, {r['engine']}) | "
          f"{r['wall']:.2f} s | {r['user']:.2f} s | {r['mb']:,} MB | {torch} | {ratio} | {cratio} |")
print()
print("Growth of nncert's time between rows of the 1-hidden-layer family (t ~ p^a at fixed m, t ~ m^b at fixed p,"
      " t ~ p^c along m ~ 2p):")
fam = [r for r in rows if r["name"].startswith("1 hidden")]
for i, a in enumerate(fam):
    for b in fam[i + 1:]:
        if a["m"] == b["m"] and a["p"] != b["p"]:
            what, x = f"p at m = {a['m']:,}", math.log(b["p"] / a["p"])
        elif a["p"] == b["p"] and a["m"] != b["m"]:
            what, x = f"m at p = {a['p']:,}", math.log(b["m"] / a["m"])
        elif abs(math.log((b["m"] / b["p"]) / (a["m"] / a["p"]))) < 0.1:
            what, x = f"p along m ~ 2p ({a['p']:,} -> {b['p']:,})", math.log(b["p"] / a["p"])
        else:
            continue
        e_wall = math.log(b["wall"] / a["wall"]) / x
        e_user = math.log(b["user"] / a["user"]) / x
        print(f"  exponent in {what}: {e_wall:.2f} (wall), {e_user:.2f} (user CPU)")
PY
