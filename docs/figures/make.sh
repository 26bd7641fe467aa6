#!/usr/bin/env bash
# Regenerates every figure in docs/ with `nncert plot` (from the repository root, after building):
#   bash docs/figures/make.sh [path/to/nncert]
# The figures are drawn from the proof scripts by the kernel's numbers and the shipped matplotlib renderer.
set -euo pipefail
cd "$(dirname "$0")/../.."
nncert=${1:-./build/nncert}
out=docs/figures
"$nncert" plot regions proofs/paper/theorem1.nnc --points bad,better -o "$out/theorem1.png" \
  --title "Theorem 1: the bad strict minimum (5/10) and a better point (10/10)"
"$nncert" plot fits proofs/paper/example1.nnc --points bad,good -o "$out/example1-fits.png" \
  --title "Example 1: the bad local minimum (loss 18) and a better point (loss 14)"
"$nncert" plot segment proofs/segments/example1-segment.nnc --from bad --to good -o "$out/example1-segment.png" \
  --title "Example 1: the loss from bad to good, a barrier of exactly 5"
"$nncert" plot segment proofs/segments/sigmoid-segment.nnc --from bad --to good -o "$out/sigmoid-segment.png" \
  --title "A sigmoid neuron: the loss between its two strict minima"
"$nncert" plot slice proofs/paper/example1.nnc --point bad --dir1 'W2[1,1]' --dir2 'b2[1]' --span 1 \
  -o "$out/example1-slice.png" --title "Example 1: the loss around bad along the output weight and bias"
"$nncert" plot fits proofs/generalized/swap-d2.nnc -o "$out/partition-swap-d2.png" \
  --title "Section 3.2 in R^2 (swap-d2.nnc): two regions, the units' switching lines"
"$nncert" plot fits proofs/generalized/swap-d2.nnc --window -6,6,-6,6 -o "$out/partition-swap-d2-region1.png" \
  --title "swap-d2.nnc, region 1: bad fits it exactly (2 units), better by least squares (1 unit)"
"$nncert" plot fits proofs/generalized/swap-d2.nnc --window 34,41,69,79 -o "$out/partition-swap-d2-region2.png" \
  --title "swap-d2.nnc, region 2: bad fits it by least squares (1 unit), better exactly (2 units)"
"$nncert" plot fits proofs/generalized/blind-spot-d2.nnc --window -5,4,-5,5 -o "$out/partition-blind-spot-d2-region1.png" \
  --title "blind-spot-d2.nnc, region 1: no blind spot at bad; better's exact fit needs one"
"$nncert" plot trap proofs/traps/one-unit.nnc --point bad --region basin -o "$out/one-unit-trap.png" \
  --title "one-unit.nnc: trap bad in basin"
"$nncert" plot regions proofs/paper/theorem1-sigmoid.nnc --points bad,better -o "$out/theorem1-sigmoid.png" \
  --title "Theorem 1 with a sigmoid output: trapped bad (5/10) and a better point (10/10)"
